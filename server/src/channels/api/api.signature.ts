import { hmacHex, safeEqual } from '../http.ts';

/** How far a signed timestamp may be from Hoorn's clock: older requests are replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/**
 * The API channel's signature, both directions: `X-Hoorn-Signature: t=<unix seconds>,v1=<hex>`,
 * where v1 is HMAC-SHA256(the channel's signing secret, t + "." + the raw body). The timestamp
 * is inside the signed text, so a captured request cannot be replayed later with a new one. Pure.
 */
export const hoornSignature = (secret: string, timestamp: number, rawBody: Buffer | string) => hmacHex('sha256', secret, `${timestamp}.${Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody}`);

export const hoornSignatureHeader = (secret: string, timestamp: number, rawBody: Buffer | string) => `t=${timestamp},v1=${hoornSignature(secret, timestamp, rawBody)}`;

export type HoornVerdict = { ok: true; timestamp: number } | { ok: false; reason: string };

/** Checks a signature header against the body and the clock; several v1 values are allowed (a secret being rotated). */
export function verifyHoornSignature(secret: string, header: string | undefined, rawBody: Buffer, nowMs: number): HoornVerdict {
  if (!header) return { ok: false, reason: 'Missing X-Hoorn-Signature' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1') signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'X-Hoorn-Signature needs t=<unix seconds>,v1=<hex>' };
  if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'The signature’s timestamp is more than 5 minutes from Hoorn’s clock' };
  // Raw bytes, not the UTF-8 round trip: invalid UTF-8 in the body must not turn into a match.
  const expected = hmacHex('sha256', secret, Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]));
  return signatures.some((s) => safeEqual(s, expected)) ? { ok: true, timestamp } : { ok: false, reason: 'Wrong X-Hoorn-Signature' };
}
