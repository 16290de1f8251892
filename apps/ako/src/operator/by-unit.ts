// A unit -> value map for what nearly always one unit gives (the status stage's parts and verdicts per Kubernetes
// object, the observed state's desired checksums per Avi object).
/**
 * Unit -> value, which nearly always one unit gives: that one pair is held inline, a Map only while two or more
 * units give one (at 10k hosts ~16k one-entry Maps were ~5 MiB of the heap).
 */
export class ByUnit<V> {
  private unit: string | undefined;
  private value: V | undefined;
  private more: Map<string, V> | undefined;
  get size(): number {
    return this.more ? this.more.size : this.unit === undefined ? 0 : 1;
  }
  get(unit: string): V | undefined {
    return this.more ? this.more.get(unit) : unit === this.unit ? this.value : undefined;
  }
  set(unit: string, value: V): this {
    if (this.more) this.more.set(unit, value);
    else if (this.unit === undefined || this.unit === unit) {
      this.unit = unit;
      this.value = value;
    } else {
      this.more = new Map([[this.unit, this.value as V], [unit, value]]);
      this.unit = undefined;
      this.value = undefined;
    }
    return this;
  }
  delete(unit: string): boolean {
    if (this.more) {
      if (!this.more.delete(unit)) return false;
      if (this.more.size === 1) {
        [this.unit, this.value] = this.more.entries().next().value as [string, V];
        this.more = undefined;
      }
      return true;
    }
    if (this.unit !== unit) return false;
    this.unit = undefined;
    this.value = undefined;
    return true;
  }
  values(): Iterable<V> {
    return this.more ? this.more.values() : this.unit === undefined ? [] : [this.value as V];
  }
  entries(): Iterable<[string, V]> {
    return this.more ? this.more.entries() : this.unit === undefined ? [] : [[this.unit, this.value as V]];
  }
}
