import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Unguessable tokens (admin keys, webhook URL tokens); only their SHA-256 is stored. */
export const newAccessToken = (): string => randomBytes(32).toString('base64url');

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export function tokenMatches(token: string, expectedHash: string): boolean {
  const actual = Buffer.from(tokenHash(token), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
