import { createHash } from 'node:crypto';
import { and, eq, inArray, isNotNull, isNull, lte } from 'drizzle-orm';
import type { Tx } from '../platform/db/client.ts';
import type { Platform } from '../platform/platform.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { DeliveryError } from '../platform/outbox/outbox.ts';
import type { OutboxItem } from '../platform/outbox/outbox.store.ts';
import { receiveInbound, type ReceiveResult } from '../conversations/receive.ts';
import * as conversationStore from '../conversations/conversations.store.ts';
import { conversations, messages, type MessageStatus } from '../conversations/conversations.schema.ts';
import { customerIdentities } from '../customers/customers.schema.ts';
import { fillProfile, getCustomer } from '../customers/customers.store.ts';
import type { ChannelRow } from './channels.store.ts';
import { getChannel, getChannelState, setChannelState } from './channels.store.ts';
import { channels } from './channels.schema.ts';
import type { ChannelAdapter, InboundEvent, InboundStatusEvent, InboundWatermarkEvent, MediaRef, WebhookContext } from './contract.ts';

/**
 * The order of delivery statuses. Providers report out of order (a "delivered" may overtake
 * "sent"), so a status only ever moves forward; "failed" counts only before delivery.
 */
const RANK: Record<MessageStatus, number> = { received: 0, queued: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

export function nextDeliveryStatus(current: MessageStatus, reported: InboundStatusEvent['status']): MessageStatus | null {
  if (current === 'received') return null;
  if (reported === 'failed') return current === 'queued' || current === 'sent' ? 'failed' : null;
  if (current === 'failed') return null;
  return RANK[reported] > RANK[current] ? reported : null;
}

/** Stores every event of one verified delivery, each idempotently, in order. */
export async function storeInboundEvents(
  p: Platform,
  channel: ChannelRow,
  events: InboundEvent[],
  options: { lookupProfiles?: boolean } = {},
): Promise<ReceiveResult[]> {
  const received: ReceiveResult[] = [];
  for (const event of events) {
    if (event.kind === 'status') {
      await applyDeliveryStatus(p, channel, event);
      continue;
    }
    if (event.kind === 'watermark') {
      await applyWatermark(p, channel, event);
      continue;
    }
    received.push(
      await receiveInbound(p, {
        workspaceId: channel.workspaceId,
        channel: { id: channel.id, type: channel.type },
        providerMessageId: event.providerMessageId,
        from: event.from,
        body: event.body,
        attachmentIds: event.attachmentIds,
        attachmentsUploadedBy: event.attachmentIds?.length ? `channel:${channel.id}` : undefined,
        language: event.language,
        subject: event.subject,
        receivedAt: event.receivedAt,
        threadKey: event.threadKey,
        inReplyTo: event.inReplyTo,
        channelContext: event.channelContext,
        meta: event.meta,
        media: event.media,
        optOut: event.optOut,
        lookupProfile: options.lookupProfiles,
      }),
    );
  }
  return received;
}

/**
 * A provider's delivery report on a message Hoorn sent. A report may overtake the commit of the
 * send itself (Twilio can report "undelivered" within milliseconds): a report for a message not
 * known yet is kept (`early:<provider id>` in channel_state) and applied when the send commits.
 */
export async function applyDeliveryStatus(p: Platform, channel: ChannelRow, event: InboundStatusEvent): Promise<void> {
  await inTransaction(p, async (tx) => {
    const message = await conversationStore.findMessageByProviderId(tx, channel.workspaceId, channel.id, event.providerMessageId);
    if (message) return applyStatusTo(tx, p, channel, message, event);
    const key = earlyStatusKey(event.providerMessageId);
    const kept = (await getChannelState<StoredStatus[]>(tx, channel.id, key)) ?? [];
    if (kept.length < 10) await setChannelState(tx, channel.id, key, [...kept, { ...event, at: event.at?.toISOString() }], p.clock.now());
  });
}

type StoredStatus = Omit<InboundStatusEvent, 'at'> & { at?: string };
const earlyStatusKey = (providerMessageId: string) => `early:${providerMessageId}`;

/** Applies the reports that arrived before the send of this message committed; runs in the send's transaction. */
export async function applyEarlyStatuses(tx: Tx, p: Platform, channel: ChannelRow, messageId: string, providerMessageId: string): Promise<void> {
  const key = earlyStatusKey(providerMessageId);
  const kept = await getChannelState<StoredStatus[]>(tx, channel.id, key);
  if (!kept) return;
  await setChannelState(tx, channel.id, key, null, p.clock.now());
  for (const stored of kept) {
    const message = await conversationStore.getMessage(tx, channel.workspaceId, messageId);
    if (message) await applyStatusTo(tx, p, channel, message, { ...stored, at: stored.at ? new Date(stored.at) : undefined });
  }
}

async function applyStatusTo(tx: Tx, p: Platform, channel: ChannelRow, message: conversationStore.MessageRow, event: InboundStatusEvent): Promise<void> {
  if (message.direction !== 'outbound') return;
  if (event.optedOut) await markOptedOut(tx, p, channel, message.conversationId);
  const status = nextDeliveryStatus(message.status, event.status);
  if (!status) return;
  await conversationStore.setMessageStatus(tx, channel.workspaceId, message.id, { status, error: status === 'failed' ? (event.error ?? 'the provider reported a failure') : null });
  await appendEvent(tx, {
    workspaceId: channel.workspaceId,
    type: 'message.status_changed',
    subjectType: 'conversation',
    subjectId: message.conversationId,
    payload: { messageId: message.id, status, ...(event.error ? { error: event.error } : {}) },
    actorId: `channel:${channel.id}`,
    at: event.at,
  });
}

/**
 * A watermark: every reply sent to this customer on this channel up to then is delivered/read.
 * Each goes through applyDeliveryStatus, so a status still only moves forward.
 */
export async function applyWatermark(p: Platform, channel: ChannelRow, watermark: InboundWatermarkEvent): Promise<number> {
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

/** Records that the customer of a conversation opted out on this channel (no more sends). */
async function markOptedOut(tx: Tx, p: Platform, channel: ChannelRow, conversationId: string): Promise<void> {
  const conversation = await conversationStore.getConversation(tx, channel.workspaceId, conversationId);
  if (!conversation) return;
  await tx
    .update(customerIdentities)
    .set({ optedOutAt: p.clock.now() })
    .where(
      and(
        eq(customerIdentities.workspaceId, channel.workspaceId),
        eq(customerIdentities.customerId, conversation.customerId),
        eq(customerIdentities.channelType, channel.type),
        isNull(customerIdentities.optedOutAt),
      ),
    );
}

/** The decrypted secrets and parsed settings of a channel, as its adapter's context. */
export function contextOf<C, S>(p: Platform, adapter: ChannelAdapter<C, S>, channel: ChannelRow): WebhookContext<C, S> {
  const open = (sealed: string | null) => (sealed ? (p.secrets.open(sealed) as S) : ({} as S));
  const ctx: WebhookContext<C, S> = {
    p,
    channel,
    config: adapter.config.parse(channel.config ?? {}),
    secrets: open(channel.secrets),
    async storedSecrets() {
      return open((await getChannel(p.db, channel.workspaceId, channel.id))?.secrets ?? null);
    },
    async saveSecrets(patch) {
      const merged = adapter.secrets.parse({ ...(await ctx.storedSecrets()), ...patch });
      const sealed = p.secrets.seal(merged as Record<string, unknown>);
      await p.db.update(channels).set({ secrets: sealed }).where(and(eq(channels.workspaceId, channel.workspaceId), eq(channels.id, channel.id)));
      ctx.secrets = merged;
    },
  };
  return ctx;
}

/**
 * The outbox sender of `channel.media`: downloads the files of an inbound message from the
 * provider and attaches them to it. Runs after the webhook was answered, with the outbox's
 * retries, so a slow media server neither delays the acknowledgement nor loses a file.
 */
export function mediaSender(p: Platform, adapterOf: (channel: ChannelRow) => ChannelAdapter | undefined) {
  return async (item: OutboxItem) => {
    const { messageId, channelId, media } = item.payload as { messageId: string; channelId: string; media: MediaRef[] };
    const channel = await getChannel(p.db, item.workspaceId, channelId);
    const adapter = channel && adapterOf(channel);
    if (!channel || !adapter?.fetchMedia) throw new DeliveryError('permanent', 'the channel or its media download is gone');
    const ctx = contextOf(p, adapter, channel);
    const files: Array<{ data: Buffer; contentType: string; name: string }> = [];
    for (const ref of media) files.push(await adapter.fetchMedia(ctx, ref));
    await inTransaction(p, async (tx) => {
      const message = await conversationStore.getMessage(tx, item.workspaceId, messageId);
      if (!message) return;
      const refs = [];
      for (const file of files) {
        refs.push(
          await conversationStore.insertAttachment(
            tx,
            item.workspaceId,
            { uploadedBy: `channel:${channel.id}`, name: file.name, contentType: file.contentType, data: file.data, sha256: createHash('sha256').update(file.data).digest('hex') },
            p.clock.now(),
          ),
        );
      }
      await conversationStore.setMessageAttachments(tx, item.workspaceId, messageId, [...message.attachments, ...refs]);
      await appendEvent(tx, {
        workspaceId: item.workspaceId,
        type: 'message.attachments_added',
        subjectType: 'conversation',
        subjectId: message.conversationId,
        payload: { messageId, count: refs.length },
        actorId: `channel:${channel.id}`,
      });
    });
    return { files: files.length };
  };
}

/**
 * The outbox sender of `channel.profile`: asks the provider for a nameless customer's profile and
 * fills what is still empty (a name an agent typed in meanwhile is kept).
 */
export function profileSender(p: Platform, adapterOf: (channel: ChannelRow) => ChannelAdapter | undefined) {
  return async (item: OutboxItem) => {
    const { channelId, customerId, externalId } = item.payload as { channelId: string; customerId: string; externalId: string };
    const channel = await getChannel(p.db, item.workspaceId, channelId);
    const adapter = channel && adapterOf(channel);
    if (!channel || !adapter?.lookupProfile) throw new DeliveryError('permanent', 'the channel or its profile look-up is gone');
    const profile = await adapter.lookupProfile(contextOf(p, adapter, channel), externalId);
    if (!profile) return { found: false };
    await inTransaction(p, async (tx) => {
      const customer = await getCustomer(tx, item.workspaceId, customerId);
      if (customer) await fillProfile(tx, customer, profile, p.clock.now());
    });
    return { found: true };
  };
}
