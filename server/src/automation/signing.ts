// Signatures of Hoorn's outbound webhooks: HMAC-SHA256 over "<timestamp>.<body>" with the
// endpoint's secret, sent as `Hoorn-Signature: t=<unix seconds>,v1=<hex>`. The timestamp inside the
// signed text lets a receiver refuse replays older than its tolerance; several v1 values may be
// sent while a secret is being rotated. Pure (node:crypto only).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'hoorn-signature';
/** A receiver's default tolerance for the signed timestamp, seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for a body sent at `at` (ms), signed with every given secret (the newest first). */
export function signatureHeader(secrets: readonly string[], at: number, body: string): string {
  const timestamp = Math.floor(at / 1000);
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signatureOf(s, timestamp, body)}`)].join(',');
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'too-old' | 'mismatch' };

/** What a receiver does (and what Hoorn's tests do as one): parse, check the age, compare in constant time. */
export function verifySignature(header: string, secret: string, body: string, now: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): VerifyResult {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const candidates = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v!);
  const timestamp = Number(t);
  if (!t || !Number.isInteger(timestamp) || candidates.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'too-old' };
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
  const ok = candidates.some((c) => {
    const given = Buffer.from(c, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return ok ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
