// A counting semaphore: the reconciler bounds the shard units that hold their bodies at once with it, and the Avi
// write limiter (write-limiter.ts) its writes.
/** At most `n` holders at once, first come first served. */
export class Slots {
  private held = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}
  async acquire(): Promise<() => void> {
    if (this.held >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    else this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held--;
    };
  }
}
