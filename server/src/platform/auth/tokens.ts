import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A session token for the cookie: 256 random bits. Only its hash is stored. */
export function newSessionToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256(token) };
}

/**
 * API keys look like `hk_<prefix>_<secret>`: the prefix finds the row (and is shown in lists),
 * the secret is compared by hash.
 */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = `hk_${prefix}_${secret}`;
  return { key, prefix, hash: sha256(key) };
}

export function parseApiKey(key: string): { prefix: string } | undefined {
  const match = /^hk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/.exec(key);
  return match?.[1] ? { prefix: match[1] } : undefined;
}

export function hashMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
