import { z } from 'zod';
import type { InboundEvent } from '../contract.ts';
import { WebhookError } from '../contract.ts';
import { hmacBase64, safeEqual } from '../http.ts';

/**
 * X's Account Activity API as Hoorn reads it: the CRC answer, the delivery signature and the
 * events of a delivery (direct messages, mentions and replies, DM read receipts). Pure: no I/O.
 */

/** The CRC answer: `sha256=` + base64 HMAC-SHA256 of the crc_token under the consumer secret. */
export const crcResponseToken = (consumerSecret: string, crcToken: string) => `sha256=${hmacBase64('sha256', consumerSecret, crcToken)}`;

/** The value X sends in x-twitter-webhooks-signature for these exact body bytes. */
export const deliverySignature = (consumerSecret: string, rawBody: Buffer | string) => `sha256=${hmacBase64('sha256', consumerSecret, rawBody)}`;

export function verifyDeliverySignature(consumerSecret: string, rawBody: Buffer, header: string | undefined): void {
  if (!header) throw new WebhookError(401, 'Missing x-twitter-webhooks-signature');
  if (!safeEqual(header.trim(), deliverySignature(consumerSecret, rawBody))) throw new WebhookError(401, 'Wrong x-twitter-webhooks-signature');
}

// X has sent ids both as strings and (in older payloads) as numbers; ids exceed 2^53, so only strings are trusted.
const id = z.string().regex(/^\d{1,25}$/, 'a numeric id string');
// Only the names are read from the `users` map (its keys are the ids): a shape change elsewhere in it must not refuse a delivery.
const user = z.object({ name: z.string().optional().catch(undefined), screen_name: z.string().optional().catch(undefined) });

const directMessageEvent = z.object({
  type: z.string(),
  id: id,
  created_timestamp: z.string().regex(/^\d+$/).optional(),
  message_create: z
    .object({
      target: z.object({ recipient_id: id }).optional(),
      sender_id: id,
      message_data: z.object({ text: z.string().default('') }),
    })
    .optional(),
});

const tweet = z.object({
  id_str: id,
  created_at: z.string().optional(),
  text: z.string().optional(),
  full_text: z.string().optional(),
  truncated: z.boolean().optional(),
  extended_tweet: z.object({ full_text: z.string() }).optional(),
  user: z.object({ id_str: id, name: z.string().optional(), screen_name: z.string().optional() }),
  in_reply_to_status_id_str: id.nullable().optional(),
  in_reply_to_user_id_str: id.nullable().optional(),
  retweeted_status: z.unknown().optional(),
  lang: z.string().nullable().optional(),
});

const markReadEvent = z.object({
  created_timestamp: z.string().regex(/^\d+$/).optional(),
  sender_id: id,
  last_read_event_id: id,
  target: z.object({ recipient_id: id }).optional(),
});

export const accountActivity = z.object({
  for_user_id: id,
  direct_message_events: z.array(directMessageEvent).optional(),
  tweet_create_events: z.array(tweet).optional(),
  direct_message_mark_read_events: z.array(markReadEvent).optional(),
  users: z.record(z.string(), user).optional(),
});
export type AccountActivity = z.infer<typeof accountActivity>;

const fromTimestampMs = (value: string | undefined) => (value ? new Date(Number(value)) : undefined);

/** X's created_at: "Wed Oct 10 20:19:24 +0000 2018". */
function fromCreatedAt(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * A verified delivery as Hoorn events. A delivery for another account than the channel's (one
 * webhook can serve several subscriptions) and the account's own messages give no events.
 */
export function parseAccountActivity(raw: Buffer, accountUserId: string): InboundEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookError(400, 'The body is not JSON');
  }
  const parsed = accountActivity.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WebhookError(400, `Not an Account Activity delivery: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const delivery = parsed.data;
  if (delivery.for_user_id !== accountUserId) return [];
  const events: InboundEvent[] = [];

  for (const dm of delivery.direct_message_events ?? []) {
    const create = dm.message_create;
    // Our own DMs (sent through the API) come back here too.
    if (dm.type !== 'message_create' || !create || create.sender_id === accountUserId) continue;
    const sender = delivery.users?.[create.sender_id];
    events.push({
      kind: 'message',
      providerMessageId: dm.id,
      from: { externalId: create.sender_id, verified: true, profile: { name: sender?.name ?? sender?.screen_name ?? undefined } },
      body: create.message_data.text,
      receivedAt: fromTimestampMs(dm.created_timestamp),
      threadKey: null,
      meta: { dmEventId: dm.id, ...(sender?.screen_name ? { screenName: sender.screen_name } : {}) },
    });
  }

  for (const t of delivery.tweet_create_events ?? []) {
    // The account's own tweets and retweets of them are not customer messages.
    if (t.user.id_str === accountUserId || t.retweeted_status) continue;
    const parent = t.in_reply_to_status_id_str ?? null;
    events.push({
      kind: 'message',
      providerMessageId: t.id_str,
      from: { externalId: t.user.id_str, verified: true, profile: { name: t.user.name ?? t.user.screen_name ?? undefined } },
      body: t.extended_tweet?.full_text ?? t.full_text ?? t.text ?? '',
      receivedAt: fromCreatedAt(t.created_at),
      // A reply joins the conversation of the tweet it answers; otherwise the thread starts at
      // the tweet answered (a tweet of ours Hoorn did not send) or at this tweet itself.
      threadKey: `tweet:${parent ?? t.id_str}`,
      inReplyTo: parent ? [parent] : undefined,
      channelContext: { kind: 'mention', rootTweetId: parent ?? t.id_str },
      language: t.lang && t.lang !== 'und' ? t.lang.slice(0, 2) : null,
      meta: { tweetId: t.id_str, public: true, ...(t.user.screen_name ? { screenName: t.user.screen_name } : {}) },
    });
  }

  for (const read of delivery.direct_message_mark_read_events ?? []) {
    // The customer read our DMs up to this one; the account reading theirs is not a receipt.
    if (read.sender_id === accountUserId) continue;
    events.push({ kind: 'status', providerMessageId: read.last_read_event_id, status: 'read', at: fromTimestampMs(read.created_timestamp) });
  }
  return events;
}

// X's weighted length (twitter-text, configuration v3): after NFC, a code point in these ranges
// counts 1 and any other counts 2 (CJK, most emoji); an emoji sequence counts 2 as a whole; every
// URL counts 23, whatever its length.
const LIGHT_RANGES: Array<[number, number]> = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];
const URL_LENGTH = 23;
const URL = /\bhttps?:\/\/[^\s]+|\bwww\.[^\s]+/giu;
const EMOJI = /\p{Extended_Pictographic}/u;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

const codePointWeight = (cp: number) => (LIGHT_RANGES.some(([from, to]) => cp >= from && cp <= to) ? 1 : 2);

/** A tweet's length as X counts it against the 280 limit. Pure. */
export function tweetLength(text: string): number {
  const normalized = text.normalize('NFC');
  let length = 0;
  const rest = normalized.replace(URL, () => {
    length += URL_LENGTH;
    return '';
  });
  for (const { segment } of graphemes.segment(rest)) {
    if (EMOJI.test(segment)) length += 2;
    else for (const ch of segment) length += codePointWeight(ch.codePointAt(0)!);
  }
  return length;
}
export const MAX_TWEET_LENGTH = 280;
