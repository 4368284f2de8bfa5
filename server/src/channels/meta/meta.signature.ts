import type { WebhookReply } from '../contract.ts';
import { WebhookError } from '../contract.ts';
import { hmacHex, safeEqual } from '../http.ts';

/** The header Meta signs every webhook delivery with (WhatsApp, Messenger and Instagram alike). */
export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * `sha256=` + lowercase hex HMAC-SHA256 of the exact bytes Meta sent. Meta escapes non-ASCII as
 * `\u00e4` in the JSON, so only the raw body gives the same digest; a re-serialized object does not.
 */
export const metaSignature = (appSecret: string, rawBody: Buffer | string) => `sha256=${hmacHex('sha256', appSecret, rawBody)}`;

/** Throws WebhookError(401) unless the delivery carries the app secret's signature over its raw body. */
export function verifyMetaSignature(header: string | undefined, rawBody: Buffer, appSecret: string): void {
  if (!header) throw new WebhookError(401, `Missing ${META_SIGNATURE_HEADER}`);
  const sent = header.trim();
  if (!/^sha256=[0-9a-fA-F]{64}$/.test(sent)) throw new WebhookError(401, `${META_SIGNATURE_HEADER} is not sha256=<64 hex digits>`);
  // Meta sends lowercase hex; normalising the case costs nothing and keeps the comparison exact.
  if (!safeEqual(`sha256=${sent.slice(7).toLowerCase()}`, metaSignature(appSecret, rawBody))) {
    throw new WebhookError(401, `${META_SIGNATURE_HEADER} does not match the body (wrong app secret?)`);
  }
}

/**
 * The subscription check Meta makes when the webhook is configured: echo `hub.challenge` as plain
 * text when `hub.verify_token` is the token the admin entered, refuse (403) otherwise.
 */
export function metaHandshake(query: Record<string, string>, verifyToken: string): WebhookReply {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || token === undefined || challenge === undefined || !safeEqual(token, verifyToken)) {
    throw new WebhookError(403, 'Verification failed: hub.mode must be subscribe and hub.verify_token must equal the channel’s verify token');
  }
  return { status: 200, contentType: 'text/plain', body: challenge };
}
