/**
 * A 53-bit hash of a string, held where a string would only be compared for equality: the name-claim index's names
 * and sources, the status stage's last written status. FNV-1a (32 bits) and a second multiplicative hash with another
 * multiplier and a final mix (its top 21 bits).
 */
export function hash53(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  b ^= b >>> 13;
  b = Math.imul(b, 0x5bd1e995);
  b ^= b >>> 15;
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) >>> 11);
}
