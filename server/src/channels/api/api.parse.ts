import { z } from 'zod';
import type { InboundEvent } from '../contract.ts';
import { WebhookError } from '../contract.ts';

/** What an integrator posts to /channels/api/<channelId>/webhook (docs/api-channel.md). */
const sender = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  email: z.email().max(320).optional(),
  phone: z.string().max(40).optional(),
});
const inboundMessage = z.object({
  type: z.literal('message').optional(),
  /** The integrator's id of the message: a repeat with the same id adds nothing. */
  id: z.string().min(1).max(200),
  from: sender,
  text: z.string().max(20_000),
  /** Separate conversations of the same user (an order, a ticket in the app). */
  thread: z.string().min(1).max(200).optional(),
  sentAt: z.iso.datetime({ offset: true }).optional(),
});
const statusUpdate = z.object({
  type: z.literal('status'),
  /** The id the integrator's endpoint answered for Hoorn's message, or Hoorn's own id when it answered none. */
  messageId: z.string().min(1).max(200),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  error: z.string().max(1000).optional(),
});
export const apiInbound = z.union([statusUpdate, inboundMessage]);

/**
 * Hoorn's outbound messages are stored under this prefix: an integrator may number its users'
 * messages and its receipts of Hoorn's messages from the same sequence, and the two must not
 * look like replays of each other.
 */
export const outboundProviderId = (id: string) => `out:${id}`;

export function parseApiInbound(raw: Buffer): InboundEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookError(400, 'The body is not JSON');
  }
  const parsed = apiInbound.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WebhookError(400, `Not an API channel message or status: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const data = parsed.data;
  if (data.type === 'status') {
    return [{ kind: 'status', providerMessageId: outboundProviderId(data.messageId), status: data.status, ...(data.error ? { error: data.error } : {}) }];
  }
  return [
    {
      kind: 'message',
      providerMessageId: data.id,
      // The integrator's back end vouches for its user (the request is signed with the channel's secret).
      from: { externalId: data.from.id, verified: true, profile: { name: data.from.name ?? null, email: data.from.email ?? null, phone: data.from.phone ?? null } },
      body: data.text,
      threadKey: data.thread ?? null,
      meta: { sentAt: data.sentAt ?? null, ...(data.thread ? { thread: data.thread } : {}) },
    },
  ];
}
