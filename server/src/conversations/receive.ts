import type { Platform } from '../platform/platform.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { CustomerProfile } from '../customers/customers.store.ts';
import { findOrCreateCustomerByIdentity, setIdentityOptOut } from '../customers/customers.service.ts';
import { badRequest } from '../platform/errors.ts';
import * as store from './conversations.store.ts';
import { runConversationHooks, runInboundHooks } from './conversations.service.ts';
import { isUniqueViolation } from '../platform/db/errors.ts';
import { enqueueOutbox } from '../platform/outbox/outbox.store.ts';
import type { MediaRef } from '../channels/contract.ts';
import type { Tx } from '../platform/db/client.ts';

/** Outbox kind that downloads an inbound message's files from its provider. */
export const MEDIA_OUTBOX_KIND = 'channel.media';
/** Outbox kind that asks the provider for a nameless customer's profile. */
export const PROFILE_OUTBOX_KIND = 'channel.profile';

/** A message as a channel adapter hands it over, after it verified and parsed the provider's request. */
export interface InboundMessage {
  workspaceId: string;
  channel: { id: string; type: string };
  /** The provider's id for the message: a replay with the same id adds nothing. */
  providerMessageId: string;
  from: { externalId: string; verified?: boolean; profile?: CustomerProfile };
  body: string;
  /** Files already stored through the attachment endpoint, by the sender. */
  attachmentIds?: string[];
  /** The uploader the attachments must belong to (`customer:<id>`). */
  attachmentsUploadedBy?: string;
  language?: string | null;
  subject?: string | null;
  receivedAt?: Date;
  /** Which of the customer's threads on this channel (an email thread, a post's comments); null: the direct one. */
  threadKey?: string | null;
  /** Provider ids of messages this one answers: a match puts it in their conversation, even a resolved one. */
  inReplyTo?: string[];
  /** Stored on a conversation this message opens: what the adapter needs to answer there. */
  channelContext?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  /** Files the provider holds: fetched by the outbox after this commits (`channel.media`). */
  media?: MediaRef[];
  /** The message is an opt-out keyword (SMS STOP) or its reversal (START) for this identity. */
  optOut?: 'stop' | 'start';
  /** The channel can look up names the provider does not send (Messenger): do so for a nameless customer. */
  lookupProfile?: boolean;
}

/**
 * Something Hoorn asked after resolving a conversation (a survey) may claim the customer's next
 * message on the channel as its answer: the message is stored in that conversation, which stays
 * resolved (no reopening, no new conversation, no routing task, no flow, no `message.received`).
 */
export interface InboundClaim {
  conversationId: string;
  /** Runs in the same transaction once the message is stored. */
  record(tx: Tx, message: store.MessageRow): Promise<void>;
}
export type InboundClaimer = (
  tx: Tx,
  inbound: { workspaceId: string; customerId: string; channel: { id: string; type: string }; body: string; meta: Record<string, unknown> | null; hasFiles: boolean; now: Date },
) => Promise<InboundClaim | undefined>;
const claimers = new WeakMap<object, InboundClaimer[]>();

export function onInboundClaim(p: Platform, claimer: InboundClaimer): void {
  claimers.set(p, [...(claimers.get(p) ?? []), claimer]);
}

export interface ReceiveResult {
  duplicate: boolean;
  message: store.MessageRow;
  conversation: store.ConversationRow;
}

/**
 * The one inbound path of every channel. In one transaction: dedupe on the provider's id, find
 * or create the customer by identity, find the customer's active conversation on this channel or
 * open one, store the message, and append the events. The adapter acknowledges the provider only
 * after this commits, so nothing is acknowledged that is not durable.
 */
export async function receiveInbound(p: Platform, input: InboundMessage): Promise<ReceiveResult> {
  try {
    return await receiveOnce(p, input);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Lost a race: either a concurrent delivery of this same message (answer as a replay), or
    // another first message of the same new customer created the identity (try once more; the
    // identity now exists).
    const replay = await store.findMessageByProviderId(p.db, input.workspaceId, input.channel.id, input.providerMessageId);
    if (!replay) return receiveOnce(p, input);
    const conversation = await store.getConversation(p.db, input.workspaceId, replay.conversationId);
    return { duplicate: true, message: replay, conversation: conversation! };
  }
}

async function receiveOnce(p: Platform, input: InboundMessage): Promise<ReceiveResult> {
  const { workspaceId, channel } = input;
  return inTransaction(p, async (tx) => {
    const replay = await store.findMessageByProviderId(tx, workspaceId, channel.id, input.providerMessageId);
    if (replay) {
      const conversation = await store.getConversation(tx, workspaceId, replay.conversationId);
      return { duplicate: true, message: replay, conversation: conversation! };
    }
    const now = input.receivedAt ?? p.clock.now();
    const { customer } = await findOrCreateCustomerByIdentity(
      tx,
      workspaceId,
      { channelType: channel.type, externalId: input.from.externalId, verified: input.from.verified, profile: input.from.profile },
      now,
    );
    if (input.lookupProfile && !customer.name) {
      await enqueueOutbox(
        tx,
        {
          workspaceId,
          kind: PROFILE_OUTBOX_KIND,
          payload: { channelId: channel.id, customerId: customer.id, externalId: input.from.externalId },
          maxAttempts: 3,
          dedupeKey: `profile:${customer.id}`,
        },
        now,
      );
    }
    if (input.optOut) await setIdentityOptOut(tx, workspaceId, channel.type, input.from.externalId, input.optOut === 'stop' ? now : null);
    const attachments = await store.attachableRefs(tx, workspaceId, input.attachmentIds ?? [], input.attachmentsUploadedBy);
    if (attachments.length !== (input.attachmentIds?.length ?? 0)) throw badRequest('unknown_attachment', 'An attachment id is unknown or not yours');

    const inbound = { workspaceId, customerId: customer.id, channel, body: input.body, meta: input.meta ?? null, hasFiles: attachments.length > 0 || !!input.media?.length, now };
    let claim: InboundClaim | undefined;
    for (const claimer of claimers.get(p) ?? []) claim ??= await claimer(tx, inbound);

    const threadKey = input.threadKey ?? null;
    let conversation =
      (claim ? await store.getConversation(tx, workspaceId, claim.conversationId) : undefined) ??
      (input.inReplyTo?.length ? await store.findConversationOfProviderMessages(tx, workspaceId, channel.id, input.inReplyTo) : undefined) ??
      (await store.findActiveConversation(tx, workspaceId, customer.id, channel.id, threadKey));
    const opened = !conversation;
    if (!conversation) {
      conversation = await store.insertConversation(
        tx,
        workspaceId,
        {
          channelId: channel.id,
          channelType: channel.type,
          customerId: customer.id,
          language: input.language ?? customer.language,
          subject: input.subject ?? null,
          threadKey,
          channelContext: input.channelContext ?? {},
        },
        now,
      );
      await appendEvent(tx, {
        workspaceId,
        type: 'conversation.created',
        subjectType: 'conversation',
        subjectId: conversation.id,
        payload: { channelType: channel.type, channelId: channel.id, customerId: customer.id },
        actorId: `customer:${customer.id}`,
      });
    }

    const message = await store.insertMessage(tx, workspaceId, {
      conversationId: conversation.id,
      channelId: channel.id,
      kind: 'message',
      direction: 'inbound',
      authorType: 'customer',
      authorId: customer.id,
      body: input.body,
      attachments,
      providerMessageId: input.providerMessageId,
      status: 'received',
      meta: input.meta ?? null,
      createdAt: now,
    });
    if (!message) {
      // A concurrent delivery of the same provider message won the race; this one is the replay.
      throw Object.assign(new Error('duplicate inbound message'), { code: '23505' });
    }

    if (input.media?.length) {
      await enqueueOutbox(
        tx,
        { workspaceId, kind: MEDIA_OUTBOX_KIND, payload: { messageId: message.id, channelId: channel.id, media: input.media }, maxAttempts: p.config.outboxMaxAttempts, dedupeKey: `media:${message.id}` },
        now,
      );
    }

    if (claim && !opened) {
      conversation = await store.updateConversationRow(tx, workspaceId, conversation.id, { lastMessageId: message.id, lastActivityAt: now });
      await claim.record(tx, message);
      return { duplicate: false, message, conversation };
    }

    const previousStatus = conversation.status;
    // A reply into a resolved thread (an email answer) reopens it rather than starting over.
    const reopened = previousStatus === 'pending' || previousStatus === 'snoozed' || previousStatus === 'resolved';
    conversation = await store.updateConversationRow(tx, workspaceId, conversation.id, {
      lastMessageId: message.id,
      lastActivityAt: now,
      unread: conversation.unread + 1,
      ...(reopened ? { status: 'open', snoozedUntil: null, resolvedAt: null } : {}),
    });
    await appendEvent(tx, {
      workspaceId,
      type: 'message.received',
      subjectType: 'conversation',
      subjectId: conversation.id,
      payload: { messageId: message.id, channelType: channel.type, customerId: customer.id },
      actorId: `customer:${customer.id}`,
    });
    if ((opened || reopened) && !conversation.assigneeId) await runConversationHooks(p, tx, { workspaceId, conversation, kind: 'opened', byCustomer: true });
    await runInboundHooks(p, tx, { workspaceId, conversation, message, opened });
    if (reopened) {
      await appendEvent(tx, {
        workspaceId,
        type: 'conversation.status_changed',
        subjectType: 'conversation',
        subjectId: conversation.id,
        payload: { from: previousStatus, to: 'open', reason: 'customer replied' },
        actorId: `customer:${customer.id}`,
      });
    }
    return { duplicate: false, message, conversation };
  });
}
