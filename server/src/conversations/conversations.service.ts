import { createHash } from 'node:crypto';
import type { Principal } from '../platform/auth/auth.ts';
import { getUser } from '../platform/auth/auth.store.ts';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { AppError, badRequest, notFound } from '../platform/errors.ts';
import { enqueueOutbox, type OutboxItem } from '../platform/outbox/outbox.store.ts';
import type { Platform } from '../platform/platform.ts';
import type { ConversationStatus, Priority } from './conversations.schema.ts';
import * as store from './conversations.store.ts';

export async function getConversationView(db: DbOrTx, workspaceId: string, id: string): Promise<store.ConversationListRow> {
  const [row] = await store.listConversations(db, workspaceId, { id, limit: 1 });
  if (!row) throw notFound('Conversation');
  return row;
}

export interface ConversationPatch {
  status?: ConversationStatus;
  assigneeId?: string | null;
  priority?: Priority;
  tags?: string[];
  queue?: string | null;
  attributes?: Record<string, unknown>;
  snoozedUntil?: string | null;
}

/** What other modules (routing) learn, inside the same transaction, about a conversation's life. */
export interface ConversationChange {
  workspaceId: string;
  conversation: store.ConversationRow;
  /** opened: new, or back from pending/snoozed/resolved without an assignee; resolved; reassigned by hand. */
  kind: 'opened' | 'resolved' | 'reassigned';
  /**
   * Set by a hook that takes an opened conversation on itself (a self-service flow greets it);
   * later hooks (routing) leave it alone until it is opened again (a flow's handoff).
   */
  claimedBy?: string;
  /** Opened by a self-service handoff: routing takes it; flows do not greet it again. */
  handoff?: boolean;
  /** Opened by the customer's own message (a flow greets only those, not a reopening by an agent). */
  byCustomer?: boolean;
}
export type ConversationHook = (tx: Tx, change: ConversationChange) => Promise<void>;
const conversationHooks = new WeakMap<object, ConversationHook[]>();

/** Registers a hook that runs in the transaction of every conversation change of that kind. */
export function onConversationChange(p: Platform, hook: ConversationHook): void {
  const list = conversationHooks.get(p) ?? [];
  list.push(hook);
  conversationHooks.set(p, list);
}

export async function runConversationHooks(p: Platform, tx: Tx, change: ConversationChange): Promise<void> {
  for (const hook of conversationHooks.get(p) ?? []) await hook(tx, change);
}

/** A customer's message as other modules see it in the inbound transaction (after the conversation hooks). */
export interface InboundChange {
  workspaceId: string;
  conversation: store.ConversationRow;
  message: store.MessageRow;
  /** This message opened a new conversation. */
  opened?: boolean;
}
export type InboundHook = (tx: Tx, change: InboundChange) => Promise<void>;
const inboundHooks = new WeakMap<object, InboundHook[]>();

/** Registers a hook that runs in the transaction of every stored customer message (self-service reads them). */
export function onInboundMessage(p: Platform, hook: InboundHook): void {
  inboundHooks.set(p, [...(inboundHooks.get(p) ?? []), hook]);
}

export async function runInboundHooks(p: Platform, tx: Tx, change: InboundChange): Promise<void> {
  for (const hook of inboundHooks.get(p) ?? []) await hook(tx, change);
}

/** A line in the timeline from Hoorn itself (a call ended); never sent anywhere. */
export async function insertSystemMessage(tx: Tx, conversation: store.ConversationRow, body: string, meta: Record<string, unknown>, now: Date): Promise<store.MessageRow | undefined> {
  const message = await store.insertMessage(tx, conversation.workspaceId, {
    conversationId: conversation.id,
    channelId: conversation.channelId,
    kind: 'message',
    direction: 'outbound',
    authorType: 'system',
    authorId: null,
    body,
    attachments: [],
    clientMessageId: null,
    status: 'sent',
    meta,
    createdAt: now,
  });
  if (message) await store.updateConversationRow(tx, conversation.workspaceId, conversation.id, { lastActivityAt: now });
  return message;
}

/**
 * A bot's messages (self-service), written in the caller's transaction like an agent's reply:
 * `queued` with an outbox row each, so they go out if and only if they were saved. No reply
 * guard: a flow answers within the customer's own session.
 */
export async function insertBotMessages(
  p: Platform,
  tx: Tx,
  conversation: store.ConversationRow,
  bodies: Array<{ body: string; meta?: Record<string, unknown> }>,
  now: Date,
  options: { spoken?: boolean; actorId?: string } = {},
): Promise<store.MessageRow[]> {
  const written: store.MessageRow[] = [];
  for (const { body, meta } of bodies) {
    const message = await store.insertMessage(tx, conversation.workspaceId, {
      conversationId: conversation.id,
      channelId: conversation.channelId,
      kind: 'message',
      direction: 'outbound',
      authorType: 'bot',
      authorId: null,
      body,
      attachments: [],
      clientMessageId: null,
      // Spoken on a call: said already, nothing to send.
      status: options.spoken ? 'sent' : 'queued',
      meta: meta ?? null,
      createdAt: now,
    });
    if (!message) continue;
    written.push(message);
    if (options.spoken) continue;
    await enqueueOutbox(
      tx,
      { workspaceId: conversation.workspaceId, kind: channelOutboxKind(conversation.channelType), payload: { messageId: message.id, conversationId: conversation.id }, maxAttempts: p.config.outboxMaxAttempts, dedupeKey: `message:${message.id}` },
      now,
    );
    await appendEvent(tx, {
      workspaceId: conversation.workspaceId,
      type: 'message.queued',
      subjectType: 'conversation',
      subjectId: conversation.id,
      payload: { messageId: message.id, channelType: conversation.channelType, bot: true },
      actorId: options.actorId ?? 'system:flows',
    });
  }
  if (written.length > 0) await store.updateConversationRow(tx, conversation.workspaceId, conversation.id, { lastMessageId: written.at(-1)!.id, lastActivityAt: now });
  return written;
}

/** The router gives a conversation to the agent who accepted its offer. */
export async function assignByRouting(tx: Tx, workspaceId: string, conversationId: string, agentId: string): Promise<void> {
  const current = await store.lockConversation(tx, workspaceId, conversationId);
  if (!current || current.assigneeId === agentId) return;
  await store.updateConversationRow(tx, workspaceId, conversationId, { assigneeId: agentId, ...(current.status === 'resolved' ? {} : { status: 'open' }) });
  await appendEvent(tx, {
    workspaceId,
    type: 'conversation.assigned',
    subjectType: 'conversation',
    subjectId: conversationId,
    payload: { from: current.assigneeId, to: agentId, by: 'routing' },
    actorId: 'routing',
  });
}

const normalizeTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))].sort();

/**
 * Changes a conversation: status, assignee, priority, tags, queue, attributes. Each kind of change
 * appends its own event, so reports and automations can react to exactly what happened.
 */
export async function updateConversation(p: Platform, principal: Principal, id: string, patch: ConversationPatch) {
  const { workspaceId, actorId } = principal;
  await inTransaction(p, async (tx) => {
    const current = await store.lockConversation(tx, workspaceId, id);
    if (!current) throw notFound('Conversation');
    const now = p.clock.now();
    const changes: Partial<store.ConversationRow> = {};
    const event = (type: string, payload: Record<string, unknown>) =>
      appendEvent(tx, { workspaceId, type, subjectType: 'conversation', subjectId: id, payload, actorId });

    if (patch.assigneeId !== undefined && patch.assigneeId !== current.assigneeId) {
      if (patch.assigneeId) {
        const user = await getUser(tx, workspaceId, patch.assigneeId);
        if (!user || user.disabledAt) throw badRequest('unknown_assignee', 'The assignee is not an active user of this workspace');
      }
      changes.assigneeId = patch.assigneeId;
      await event('conversation.assigned', { from: current.assigneeId, to: patch.assigneeId });
    }
    if (patch.status !== undefined && patch.status !== current.status) {
      if (patch.status === 'snoozed' && !patch.snoozedUntil) throw badRequest('snooze_needs_time', 'Snoozing needs snoozedUntil');
      changes.status = patch.status;
      changes.resolvedAt = patch.status === 'resolved' ? now : null;
      if (patch.status !== 'snoozed') changes.snoozedUntil = null;
      await event('conversation.status_changed', { from: current.status, to: patch.status });
    }
    if (patch.snoozedUntil !== undefined && (patch.status ?? current.status) === 'snoozed') {
      const until = patch.snoozedUntil ? new Date(patch.snoozedUntil) : null;
      if (!until || until.getTime() <= now.getTime()) throw badRequest('snooze_in_past', 'snoozedUntil must be in the future');
      changes.snoozedUntil = until;
    }
    if (patch.priority !== undefined && patch.priority !== current.priority) {
      changes.priority = patch.priority;
      await event('conversation.priority_changed', { from: current.priority, to: patch.priority });
    }
    if (patch.tags !== undefined) {
      const tags = normalizeTags(patch.tags);
      if (tags.join('\u0000') !== current.tags.join('\u0000')) {
        changes.tags = tags;
        await event('conversation.tags_changed', {
          added: tags.filter((t) => !current.tags.includes(t)),
          removed: current.tags.filter((t) => !tags.includes(t)),
        });
      }
    }
    const updated: Record<string, unknown> = {};
    if (patch.queue !== undefined && patch.queue !== current.queue) updated.queue = changes.queue = patch.queue;
    if (patch.attributes !== undefined) {
      const merged = { ...current.attributes };
      for (const [key, value] of Object.entries(patch.attributes)) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      changes.attributes = merged;
      updated.attributes = patch.attributes;
    }
    if (Object.keys(updated).length) await event('conversation.updated', updated);
    if (Object.keys(changes).length) {
      const conversation = await store.updateConversationRow(tx, workspaceId, id, changes);
      if (changes.status === 'resolved') await runConversationHooks(p, tx, { workspaceId, conversation, kind: 'resolved' });
      else if (changes.assigneeId !== undefined) await runConversationHooks(p, tx, { workspaceId, conversation, kind: 'reassigned' });
      else if (current.status === 'resolved' && changes.status === 'open' && !conversation.assigneeId) {
        await runConversationHooks(p, tx, { workspaceId, conversation, kind: 'opened' });
      }
    }
  });
  return getConversationView(p.db, workspaceId, id);
}

export interface PostMessageInput {
  body: string;
  kind: 'message' | 'note';
  attachmentIds?: string[];
  clientMessageId?: string;
  /** An approved template instead of free text (WhatsApp outside its 24-hour window). */
  template?: { name: string; language: string; parameters: string[] };
}

/**
 * Checks a reply against its channel before it is stored (the channels module registers one:
 * length limits, WhatsApp's 24-hour window, opted-out customers); throws a 4xx AppError.
 */
export type ReplyGuard = (tx: Tx, conversation: store.ConversationRow, input: PostMessageInput, now: Date) => Promise<void>;
const replyGuards = new WeakMap<object, ReplyGuard[]>();

export function onBeforeReply(p: Platform, guard: ReplyGuard): void {
  replyGuards.set(p, [...(replyGuards.get(p) ?? []), guard]);
}

/** Runs the channel's checks on a reply that is not an agent's (an automated one); throws as for an agent. */
export async function checkReply(p: Platform, tx: Tx, conversation: store.ConversationRow, input: PostMessageInput, now: Date): Promise<void> {
  for (const guard of replyGuards.get(p) ?? []) await guard(tx, conversation, input, now);
}

/**
 * An agent's reply or internal note. A reply is stored as `queued` together with its outbox row,
 * so it is sent if and only if it was saved; a note never leaves Hoorn.
 */
export async function postMessage(p: Platform, principal: Principal, conversationId: string, input: PostMessageInput) {
  if (!input.body.trim() && !input.attachmentIds?.length && !input.template) throw badRequest('empty_message', 'A message needs text or an attachment');
  return inTransaction(p, async (tx) => {
    const conversation = await store.lockConversation(tx, principal.workspaceId, conversationId);
    if (!conversation) throw notFound('Conversation');
    return postMessageInTx(p, tx, principal, conversation, input);
  }).finally(() => p.outbox.kick());
}

/** The same in the caller's transaction, on a conversation it has locked (a macro's reply). */
export async function postMessageInTx(p: Platform, tx: Tx, principal: Principal, conversation: store.ConversationRow, input: PostMessageInput) {
  const { workspaceId, actorId } = principal;
  const conversationId = conversation.id;
  if (input.clientMessageId) {
    const existing = await store.findMessageByClientId(tx, workspaceId, conversationId, input.clientMessageId);
    if (existing) return { message: existing, created: false };
  }
  const attachments = await store.attachableRefs(tx, workspaceId, input.attachmentIds ?? []);
  if (attachments.length !== (input.attachmentIds?.length ?? 0)) throw badRequest('unknown_attachment', 'An attachment id is unknown');
  const now = p.clock.now();
  const isNote = input.kind === 'note';
  if (!isNote) await checkReply(p, tx, conversation, input, now);
  const message = await store.insertMessage(tx, workspaceId, {
    conversationId,
    channelId: conversation.channelId,
    kind: input.kind,
    direction: 'outbound',
    authorType: principal.kind === 'user' ? 'agent' : 'bot',
    authorId: principal.kind === 'user' ? principal.id : null,
    body: input.body,
    attachments,
    clientMessageId: input.clientMessageId ?? null,
    status: isNote ? 'sent' : 'queued',
    meta: !isNote && input.template ? { template: input.template } : null,
    createdAt: now,
  });
  if (!message) throw new AppError(409, 'duplicate_client_message', 'This clientMessageId was used concurrently; retry');
  if (isNote) {
    await appendEvent(tx, { workspaceId, type: 'note.added', subjectType: 'conversation', subjectId: conversationId, payload: { messageId: message.id }, actorId });
    return { message, created: true };
  }
  await enqueueOutbox(
    tx,
    { workspaceId, kind: channelOutboxKind(conversation.channelType), payload: { messageId: message.id, conversationId }, maxAttempts: p.config.outboxMaxAttempts, dedupeKey: `message:${message.id}` },
    now,
  );
  await store.updateConversationRow(tx, workspaceId, conversationId, { lastMessageId: message.id, lastActivityAt: now, unread: 0 });
  await appendEvent(tx, {
    workspaceId,
    type: 'message.queued',
    subjectType: 'conversation',
    subjectId: conversationId,
    payload: { messageId: message.id, channelType: conversation.channelType },
    actorId,
  });
  return { message, created: true };
}

/** Sends a failed reply again (after the cause was fixed): a fresh outbox row, the message back to queued. */
export async function retryMessage(p: Platform, principal: Principal, conversationId: string, messageId: string) {
  const { workspaceId, actorId } = principal;
  return inTransaction(p, async (tx) => {
    const conversation = await store.lockConversation(tx, workspaceId, conversationId);
    const message = conversation && (await store.getMessage(tx, workspaceId, messageId));
    if (!conversation || !message || message.conversationId !== conversationId) throw notFound('Message');
    if (message.direction !== 'outbound' || message.kind !== 'message' || message.status !== 'failed') {
      throw new AppError(409, 'not_failed', 'Only a reply whose delivery failed can be sent again');
    }
    const now = p.clock.now();
    await store.setMessageStatus(tx, workspaceId, messageId, { status: 'queued', error: null });
    await enqueueOutbox(
      tx,
      { workspaceId, kind: channelOutboxKind(conversation.channelType), payload: { messageId, conversationId }, maxAttempts: p.config.outboxMaxAttempts, dedupeKey: `message:${messageId}:retry:${now.getTime()}` },
      now,
    );
    await appendEvent(tx, {
      workspaceId,
      type: 'message.status_changed',
      subjectType: 'conversation',
      subjectId: conversationId,
      payload: { messageId, status: 'queued', retry: true },
      actorId,
    });
    return (await store.getMessage(tx, workspaceId, messageId))!;
  }).finally(() => p.outbox.kick());
}

/** Outbox kind under which a channel type's messages are sent. */
export const channelOutboxKind = (channelType: string) => `channel.${channelType}`;

async function recordDelivery(
  tx: Tx,
  p: Platform,
  item: OutboxItem,
  status: 'sent' | 'failed',
  extra: { error?: string; providerMessageId?: string | null; meta?: Record<string, unknown> },
) {
  const { messageId, conversationId } = item.payload as { messageId: string; conversationId: string };
  await store.setMessageStatus(tx, item.workspaceId, messageId, { status, error: extra.error ?? null, providerMessageId: extra.providerMessageId, meta: extra.meta });
  await appendEvent(tx, {
    workspaceId: item.workspaceId,
    type: status === 'sent' ? 'message.sent' : 'message.status_changed',
    subjectType: 'conversation',
    subjectId: conversationId,
    payload: { messageId, status, ...(extra.error ? { error: extra.error } : {}) },
    actorId: 'system:outbox',
    at: p.clock.now(),
  });
}

/** Outbox hooks: the message's status follows its outbox row in the same transaction. */
export const deliveryHooks = (p: Platform) => ({
  onDelivered: (tx: Tx, item: OutboxItem, result: unknown) => {
    // What the provider answered (its message id, a tweet id...) stays with the message.
    const sent = result as { providerMessageId?: string | null; meta?: Record<string, unknown> } | undefined;
    return recordDelivery(tx, p, item, 'sent', { providerMessageId: sent?.providerMessageId, meta: sent?.meta });
  },
  onDead: (tx: Tx, item: OutboxItem, failure: { message: string }) => recordDelivery(tx, p, item, 'failed', { error: failure.message }),
});

/** Snoozed conversations wake up (open again) when their time comes. */
export async function wakeSnoozed(p: Platform): Promise<number> {
  const due = await store.dueSnoozed(p.db, p.clock.now(), 100);
  for (const c of due) {
    await inTransaction(p, async (tx) => {
      const current = await store.lockConversation(tx, c.workspaceId, c.id);
      if (current?.status !== 'snoozed') return;
      await store.updateConversationRow(tx, c.workspaceId, c.id, { status: 'open', snoozedUntil: null });
      await appendEvent(tx, {
        workspaceId: c.workspaceId,
        type: 'conversation.status_changed',
        subjectType: 'conversation',
        subjectId: c.id,
        payload: { from: 'snoozed', to: 'open', reason: 'snooze ended' },
        actorId: 'system:snooze',
      });
    });
  }
  return due.length;
}

export interface UploadLimits {
  maxBytes: number;
  /** Allowed MIME types; `image/*` style wildcards allowed. */
  types: string[];
}

export const defaultAgentUploadLimits: UploadLimits = { maxBytes: 25 * 1024 * 1024, types: ['*/*'] };

function typeAllowed(contentType: string, types: string[]): boolean {
  const [major] = contentType.split('/');
  return types.some((t) => t === '*/*' || t === contentType || (t.endsWith('/*') && t.slice(0, -2) === major));
}

/** Stores an uploaded file after checking the channel's limits. */
export async function uploadAttachment(
  p: Platform,
  workspaceId: string,
  uploadedBy: string,
  file: { name: string; contentType: string; data: Buffer },
  limits: UploadLimits,
) {
  if (file.data.length === 0) throw badRequest('empty_attachment', 'The file is empty');
  if (file.data.length > limits.maxBytes) {
    throw new AppError(413, 'attachment_too_large', `The file is ${file.data.length} bytes; at most ${limits.maxBytes} are allowed`);
  }
  const contentType = file.contentType.split(';')[0]!.trim().toLowerCase();
  if (!typeAllowed(contentType, limits.types)) {
    throw new AppError(415, 'attachment_type_not_allowed', `Files of type ${contentType} are not accepted here`);
  }
  const name = file.name.replace(/[\u0000-\u001f/\\]/g, '_').slice(0, 200) || 'file';
  const sha256 = createHash('sha256').update(file.data).digest('hex');
  return store.insertAttachment(p.db, workspaceId, { uploadedBy, name, contentType, data: file.data, sha256 }, p.clock.now());
}
