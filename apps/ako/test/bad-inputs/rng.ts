/** A small seeded PRNG (mulberry32) so the corpus is the same for the same seed on every machine. Pure. */
export interface Rng {
  /** in [0, 1) */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(xs: readonly T[]): T;
  /** `n` lower-case letters/digits, starting with a letter */
  label(n: number): string;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const alnum = `${letters}0123456789`;
  const label = (n: number): string => (n <= 0 ? '' : pick([...letters]) + Array.from({ length: n - 1 }, () => pick([...alnum])).join(''));
  return { next, int, pick, label };
}
