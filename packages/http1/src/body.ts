// A response body's bytes until they are decoded. A list page of a few MiB otherwise lives three times at once while
// it is decoded (the socket's reads, their concatenation, the text), and the concatenation until the next garbage
// collection. With a Content-Length the bytes are copied as they arrive into one buffer of that size (the reads die
// young); a chunked body (the apiserver's lists) or one read until the close keeps the reads until its end and is
// then copied once into a buffer of its exact size. Either buffer is freed as soon as the text is made. A body that
// arrives in one read is decoded from that read, not copied.

type Detachable = ArrayBuffer & { transfer(newLength: number): ArrayBuffer };

export class BodyBytes {
  /** bytes taken so far */
  size = 0;
  /** views of the reads, while there is no buffer of the expected length */
  private pieces: Buffer[] = [];
  /** ours alone (never a pool slice): the Content-Length's buffer, once a second piece came */
  private owned: Buffer | undefined;

  /** `expected`: the Content-Length, when there is one (the caller has checked it against its cap). */
  constructor(private readonly expected?: number) {}

  add(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.owned) piece.copy(this.owned, this.size);
    else if (this.expected !== undefined && this.pieces.length === 1) {
      this.owned = Buffer.allocUnsafeSlow(this.expected);
      this.pieces[0]!.copy(this.owned, 0);
      this.pieces = [];
      piece.copy(this.owned, this.size);
    } else this.pieces.push(piece);
    this.size += piece.length;
  }

  /** The body as UTF-8 text (once: the bytes are let go of, a buffer of our own freed at once). */
  text(): string {
    let owned = this.owned;
    const pieces = this.pieces;
    this.owned = undefined;
    this.pieces = [];
    if (!owned) {
      if (pieces.length <= 1) return pieces.length === 0 ? '' : pieces[0]!.toString('utf8');
      owned = Buffer.allocUnsafeSlow(this.size);
      let at = 0;
      for (const p of pieces) at += p.copy(owned, at);
      pieces.length = 0;
    }
    const text = owned.toString('utf8', 0, this.size);
    // detaching the ArrayBuffer frees its memory now, for the next page, instead of at the next collection
    (owned.buffer as Detachable).transfer(0);
    return text;
  }
}
