// Passwords of users created through /api/user: stored as scrypt hashes, never in clear.

import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const PREFIX = 'scrypt$';

export function isHashed(v: unknown): boolean {
  return typeof v === 'string' && v.startsWith(PREFIX);
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32);
  return `${PREFIX}${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(stored: unknown, password: string): boolean {
  if (!isHashed(stored)) return false;
  const [, salt, hash] = (stored as string).split('$');
  if (!salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = scryptSync(password, Buffer.from(salt, 'base64'), want.length);
  return timingSafeEqual(want, got);
}
