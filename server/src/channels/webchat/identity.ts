import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Visitor identity for web chat. Anonymous visitors get a random token (kept by the widget);
 * a logged-in user of the organisation's site is proven by `userHash`, the hex HMAC-SHA256 of
 * the site's user id under the channel's identity secret, computed by the site's back end.
 */
export function userHashFor(identitySecret: string, userId: string): string {
  return createHmac('sha256', identitySecret).update(userId, 'utf8').digest('hex');
}

export function verifyUserHash(identitySecret: string, userId: string, userHash: string): boolean {
  const expected = Buffer.from(userHashFor(identitySecret, userId), 'hex');
  const given = Buffer.from(/^[0-9a-fA-F]{64}$/.test(userHash) ? userHash : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const newVisitorToken = () => `wv_${randomBytes(32).toString('base64url')}`;
export const newVisitorId = () => randomBytes(12).toString('base64url');
export const visitorExternalId = (visitorId: string) => `visitor:${visitorId}`;
export const userExternalId = (userId: string) => `user:${userId}`;
