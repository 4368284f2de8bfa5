import { and, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Platform } from '../../platform/platform.ts';
import { conversations, messages } from '../../conversations/conversations.schema.ts';
import { customerIdentities } from '../../customers/customers.schema.ts';
import type { ChannelRow } from '../channels.store.ts';
import type { WebhookContext } from '../contract.ts';
import { applyDeliveryStatus } from '../inbound.ts';
import type { Watermark } from './messaging.parse.ts';

/**
 * Applies a watermark ("all messages sent to this customer up to then are read") to Hoorn's sent
 * replies on this channel. Each message goes through applyDeliveryStatus, so a status still only
 * moves forward.
 */
export async function applyWatermark(p: Platform, channel: ChannelRow, watermark: Watermark): Promise<number> {
  const rows = await p.db
    .select({ providerMessageId: messages.providerMessageId })
    .from(messages)
    .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
    .innerJoin(
      customerIdentities,
      and(
        eq(customerIdentities.workspaceId, conversations.workspaceId),
        eq(customerIdentities.customerId, conversations.customerId),
        eq(customerIdentities.channelType, channel.type),
        eq(customerIdentities.externalId, watermark.externalId),
      ),
    )
    .where(
      and(
        eq(messages.workspaceId, channel.workspaceId),
        eq(messages.channelId, channel.id),
        eq(messages.direction, 'outbound'),
        eq(messages.kind, 'message'),
        inArray(messages.status, watermark.status === 'read' ? ['sent', 'delivered'] : ['sent']),
        isNotNull(messages.providerMessageId),
        lte(messages.createdAt, watermark.upTo),
      ),
    );
  for (const row of rows) await applyDeliveryStatus(p, channel, { kind: 'status', providerMessageId: row.providerMessageId!, status: watermark.status, at: watermark.upTo });
  return rows.length;
}

/*
 * The webhook contract's `parse` is synchronous and has no database, so watermarks found while
 * parsing are kept with the request's context (the endpoint passes the same object to parse and
 * reply) and applied once the delivery's events are stored, after the answer is on its way.
 * Meta does not resend read receipts, so losing one to a crash only leaves a tick grey.
 */
const found = new WeakMap<object, Watermark[]>();
const running = new Set<Promise<unknown>>();

export function rememberWatermarks(ctx: WebhookContext<any, any>, watermarks: Watermark[]): void {
  if (watermarks.length) found.set(ctx, [...(found.get(ctx) ?? []), ...watermarks]);
}

export function applyRememberedWatermarks(ctx: WebhookContext<any, any>): void {
  const watermarks = found.get(ctx);
  if (!watermarks) return;
  found.delete(ctx);
  const task = (async () => {
    for (const w of watermarks) await applyWatermark(ctx.p, ctx.channel, w);
  })()
    .catch((error: unknown) => ctx.p.log.warn({ channelId: ctx.channel.id, err: error }, 'applying a read/delivery watermark failed'))
    .finally(() => running.delete(task));
  running.add(task);
}

/** Resolves when every watermark started so far is applied (tests wait on it instead of sleeping). */
export async function watermarksSettled(): Promise<void> {
  while (running.size) await Promise.all([...running]);
}
