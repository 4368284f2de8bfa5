import { z } from 'zod';
import type { InboundMessageEvent, InboundStatusEvent, MediaRef } from '../contract.ts';
import type { CustomerProfile } from '../../customers/customers.store.ts';
import { metaEnvelope, unixMillis, unixSeconds, validate, type MetaJson } from './meta.parse.ts';

/** One item of `entry[].messaging[]`: the same shape for Messenger (PSIDs) and Instagram (IGSIDs). */
const attachment = z.object({
  type: z.string(),
  payload: z.object({ url: z.string().optional(), title: z.string().optional() }).nullish(),
});
export const messagingEvent = z.object({
  sender: z.object({ id: z.string().min(1) }),
  recipient: z.object({ id: z.string().min(1) }),
  timestamp: unixMillis.optional(),
  message: z
    .object({
      mid: z.string().min(1),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      is_deleted: z.boolean().optional(),
      attachments: z.array(attachment).optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      reply_to: z.object({ mid: z.string().optional() }).optional(),
    })
    .optional(),
  postback: z.object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() }).optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: unixMillis.optional() }).optional(),
  read: z.object({ watermark: unixMillis.optional(), mid: z.string().optional() }).optional(),
});

/** A Page's `feed` change for a comment (Messenger channel). */
const feedComment = z.object({
  item: z.string(),
  verb: z.string(),
  comment_id: z.string().min(1).optional(),
  post_id: z.string().min(1).optional(),
  parent_id: z.string().optional(),
  from: z.object({ id: z.string().min(1), name: z.string().optional() }).optional(),
  message: z.string().optional(),
  photo: z.string().optional(),
  created_time: unixSeconds.optional(),
});

/** An Instagram `comments` change. */
const instagramComment = z.object({
  id: z.string().min(1),
  text: z.string().optional(),
  from: z.object({ id: z.string().min(1), username: z.string().optional() }),
  media: z.object({ id: z.string().min(1), media_product_type: z.string().optional() }),
  parent_id: z.string().optional(),
});

/**
 * "Everything this customer was sent up to then is delivered/read": Messenger reports reads (and
 * old clients deliveries) only as a watermark, which needs a look-up of Hoorn's sent messages.
 */
export interface Watermark {
  externalId: string;
  upTo: Date;
  status: 'delivered' | 'read';
}

export interface ParsedMessaging {
  events: Array<InboundMessageEvent | InboundStatusEvent>;
  watermarks: Watermark[];
}

const MEDIA_ATTACHMENTS = new Set(['image', 'video', 'audio', 'file', 'sticker', 'ig_reel', 'reel', 'story_mention', 'share']);

function attachmentsOf(message: NonNullable<z.infer<typeof messagingEvent>['message']>): { media: MediaRef[]; links: string[] } {
  const media: MediaRef[] = [];
  const links: string[] = [];
  (message.attachments ?? []).forEach((a, i) => {
    const url = a.payload?.url;
    if (!url) return;
    if (MEDIA_ATTACHMENTS.has(a.type) && /^https?:\/\//.test(url)) media.push({ ref: url, name: `${a.type}-${i + 1}${extension(url)}` });
    else links.push(url);
  });
  return { media, links };
}

const extension = (url: string) => {
  try {
    const match = /\.([A-Za-z0-9]{2,5})$/.exec(new URL(url).pathname);
    return match ? `.${match[1]!.toLowerCase()}` : '';
  } catch {
    return '';
  }
};

/**
 * The `messaging[]` events of a verified Messenger or Instagram delivery. `accountId` is the Page
 * or Instagram account: entries for another account, echoes of the account's own messages and
 * its own comments are skipped. Comments open a conversation per post (or media) and customer.
 */
export function parseMessagingWebhook(raw: Buffer | MetaJson, product: 'messenger' | 'instagram', accountId: string): ParsedMessaging {
  const body = metaEnvelope(raw, product === 'messenger' ? 'page' : 'instagram');
  const events: Array<InboundMessageEvent | InboundStatusEvent> = [];
  const watermarks: Watermark[] = [];
  body.entry.forEach((entry, e) => {
    if (entry.id !== accountId) return;
    (entry.messaging ?? []).forEach((item, i) => {
      const m = validate(messagingEvent, item, `messaging event (entry.${e}.messaging.${i})`);
      const customer = m.sender.id;
      const at = m.timestamp === undefined ? undefined : new Date(m.timestamp);
      if (m.message) {
        if (m.message.is_echo || customer === accountId || m.message.is_deleted) return;
        const { media, links } = attachmentsOf(m.message);
        events.push({
          kind: 'message',
          providerMessageId: m.message.mid,
          from: { externalId: customer, verified: true },
          body: [m.message.text ?? '', ...links].filter(Boolean).join('\n'),
          media,
          receivedAt: at,
          meta: {
            ...(m.message.quick_reply ? { quickReply: m.message.quick_reply.payload } : {}),
            ...(m.message.reply_to?.mid ? { replyTo: m.message.reply_to.mid } : {}),
          },
        });
      } else if (m.postback) {
        events.push({
          kind: 'message',
          // Older postbacks carry no mid; the customer and the moment identify the tap.
          providerMessageId: m.postback.mid ?? `postback:${customer}:${m.timestamp ?? 0}`,
          from: { externalId: customer, verified: true },
          body: m.postback.title ?? m.postback.payload ?? '',
          receivedAt: at,
          meta: { postback: { payload: m.postback.payload ?? null } },
        });
      } else if (m.delivery) {
        for (const mid of m.delivery.mids ?? []) events.push({ kind: 'status', providerMessageId: mid, status: 'delivered', at });
        if (!m.delivery.mids?.length && m.delivery.watermark !== undefined) watermarks.push({ externalId: customer, upTo: new Date(m.delivery.watermark), status: 'delivered' });
      } else if (m.read) {
        if (m.read.mid) events.push({ kind: 'status', providerMessageId: m.read.mid, status: 'read', at });
        if (m.read.watermark !== undefined) watermarks.push({ externalId: customer, upTo: new Date(m.read.watermark), status: 'read' });
      }
    });
    (entry.changes ?? []).forEach((change, c) => {
      const where = `entry.${e}.changes.${c}.value`;
      if (product === 'messenger' && change.field === 'feed') {
        const v = validate(feedComment, change.value, `feed change (${where})`);
        if (v.item !== 'comment' || v.verb !== 'add' || !v.comment_id || !v.post_id || !v.from || v.from.id === accountId) return;
        events.push({
          kind: 'message',
          providerMessageId: v.comment_id,
          from: { externalId: v.from.id, profile: v.from.name ? { name: v.from.name } : undefined },
          body: v.message ?? '',
          media: v.photo && /^https?:\/\//.test(v.photo) ? [{ ref: v.photo, name: `photo${extension(v.photo) || '.jpg'}` }] : undefined,
          receivedAt: v.created_time,
          threadKey: `post:${v.post_id}`,
          // A reply to a comment (ours included) belongs with that comment's conversation.
          inReplyTo: v.parent_id && v.parent_id !== v.post_id ? [v.parent_id] : undefined,
          channelContext: { kind: 'comment', postId: v.post_id, commentId: v.comment_id },
          meta: { kind: 'comment', commentId: v.comment_id, postId: v.post_id, ...(v.parent_id ? { parentId: v.parent_id } : {}) },
        });
      } else if (product === 'instagram' && change.field === 'comments') {
        const v = validate(instagramComment, change.value, `comments change (${where})`);
        if (v.from.id === accountId) return;
        events.push({
          kind: 'message',
          providerMessageId: v.id,
          from: { externalId: v.from.id, profile: v.from.username ? { name: v.from.username } : undefined },
          body: v.text ?? '',
          receivedAt: entry.time ? new Date(entry.time > 1e11 ? entry.time : entry.time * 1000) : undefined,
          threadKey: `media:${v.media.id}`,
          inReplyTo: v.parent_id ? [v.parent_id] : undefined,
          channelContext: { kind: 'comment', mediaId: v.media.id, commentId: v.id },
          meta: { kind: 'comment', commentId: v.id, mediaId: v.media.id, username: v.from.username ?? null, ...(v.parent_id ? { parentId: v.parent_id } : {}) },
        });
      }
    });
  });
  return { events, watermarks };
}

/**
 * How a direct message may go out, by the time since the customer's last message: within 24 hours
 * as a response; up to 7 days only as a human agent's answer (HUMAN_AGENT tag); later not at all.
 */
export function messagingTypeFor(lastInboundAt: Date | undefined, now: Date): { messaging_type: 'RESPONSE' } | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' } | null {
  if (!lastInboundAt) return null;
  const hours = (now.getTime() - lastInboundAt.getTime()) / 3_600_000;
  if (hours <= 24) return { messaging_type: 'RESPONSE' };
  if (hours <= 24 * 7) return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  return null;
}

/** The profile fields a Page token may read: Messenger's User Profile API, Instagram's user profile. */
export const profileFields = (product: 'messenger' | 'instagram') => (product === 'messenger' ? 'first_name,last_name,profile_pic' : 'name,username');

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/**
 * The customer's name from a profile look-up: Messenger's first and last name; Instagram's name,
 * or the username when the person set no name. Null: the answer names nobody.
 */
export function profileFromAnswer(product: 'messenger' | 'instagram', answer: unknown): CustomerProfile | null {
  const a = (answer && typeof answer === 'object' ? answer : {}) as Record<string, unknown>;
  const name = product === 'messenger' ? [text(a.first_name), text(a.last_name)].filter(Boolean).join(' ') || undefined : (text(a.name) ?? text(a.username));
  return name ? { name: name.slice(0, 200) } : null;
}
