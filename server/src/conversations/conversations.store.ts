import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, ilike, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { users } from '../platform/db/schema.ts';
import { customers } from '../customers/customers.schema.ts';
import {
  attachments,
  conversations,
  messages,
  type AttachmentRef,
  type ConversationStatus,
  type MessageStatus,
} from './conversations.schema.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = Omit<typeof messages.$inferInsert, 'id' | 'seq' | 'workspaceId'>;

// Conversations.

export async function insertConversation(
  tx: Tx,
  workspaceId: string,
  input: {
    channelId: string;
    channelType: string;
    customerId: string;
    language?: string | null;
    subject?: string | null;
    threadKey?: string | null;
    channelContext?: Record<string, unknown>;
  },
  now: Date,
): Promise<ConversationRow> {
  const [row] = await tx
    .insert(conversations)
    .values({ id: randomUUID(), workspaceId, ...input, status: 'open', lastActivityAt: now, createdAt: now })
    .returning();
  return row!;
}

export async function getConversation(db: DbOrTx, workspaceId: string, id: string): Promise<ConversationRow | undefined> {
  const [row] = await db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)));
  return row;
}

/** Locks the row for the rest of the transaction, so concurrent changes of one conversation queue up. */
export async function lockConversation(tx: Tx, workspaceId: string, id: string): Promise<ConversationRow | undefined> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)))
    .for('update');
  return row;
}

/** The customer's conversations on any channel that are not resolved, newest activity first. */
export async function openConversationIdsOfCustomer(db: DbOrTx, workspaceId: string, customerId: string): Promise<string[]> {
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.customerId, customerId), ne(conversations.status, 'resolved')))
    .orderBy(desc(conversations.lastActivityAt))
    .limit(100);
  return rows.map((r) => r.id);
}

/**
 * A page of the workspace's conversations that are not resolved, the longest quiet first (what a
 * scheduled rule looks at); `after` is the last row of the previous page.
 */
export async function quietestUnresolved(
  db: DbOrTx,
  workspaceId: string,
  limit: number,
  after?: { lastActivityAt: Date; id: string },
): Promise<Array<{ id: string; lastActivityAt: Date }>> {
  return db
    .select({ id: conversations.id, lastActivityAt: conversations.lastActivityAt })
    .from(conversations)
    .where(
      and(
        eq(conversations.workspaceId, workspaceId),
        ne(conversations.status, 'resolved'),
        after ? sql`(${conversations.lastActivityAt}, ${conversations.id}) > (${after.lastActivityAt}, ${after.id})` : undefined,
      ),
    )
    .orderBy(asc(conversations.lastActivityAt), asc(conversations.id))
    .limit(limit);
}

/** The customer's latest conversation on a channel that is not resolved, where a new message belongs. */
export async function findActiveConversation(
  tx: Tx,
  workspaceId: string,
  customerId: string,
  channelId: string,
  threadKey: string | null = null,
): Promise<ConversationRow | undefined> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.workspaceId, workspaceId),
        eq(conversations.customerId, customerId),
        eq(conversations.channelId, channelId),
        threadKey === null ? isNull(conversations.threadKey) : eq(conversations.threadKey, threadKey),
        ne(conversations.status, 'resolved'),
      ),
    )
    .orderBy(desc(conversations.lastActivityAt))
    .limit(1)
    .for('update');
  return row;
}

export async function updateConversationRow(tx: Tx, workspaceId: string, id: string, patch: Partial<ConversationRow>): Promise<ConversationRow> {
  const [row] = await tx
    .update(conversations)
    .set(patch)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)))
    .returning();
  return row!;
}

export interface ConversationFilter {
  assigneeId?: string | null;
  status?: ConversationStatus;
  channelType?: string;
  queue?: string;
  tag?: string;
  customerId?: string;
  id?: string;
  q?: string;
  /** Everything but resolved, when no status is given. */
  activeOnly?: boolean;
  before?: { lastActivityAt: Date; id: string; priorityRank?: number };
  /** `activity`: newest activity first (an inbox). `priority`: most urgent first, then longest waiting (a queue). */
  sort?: 'activity' | 'priority';
  limit: number;
}

/** low 0 … urgent 3, as routing ranks them. */
const priorityRank = sql<number>`(case ${conversations.priority} when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end)`;
export const PRIORITY_RANK: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

const assignee = alias(users, 'assignee');
const lastMessage = alias(messages, 'last_message');

/** A conversation with what a list row shows: customer, assignee, last message. */
export type ConversationListRow = Awaited<ReturnType<typeof listConversations>>[number];

export async function listConversations(db: DbOrTx, workspaceId: string, filter: ConversationFilter) {
  const where: SQL[] = [eq(conversations.workspaceId, workspaceId)];
  if (filter.assigneeId === null) where.push(isNull(conversations.assigneeId));
  else if (filter.assigneeId) where.push(eq(conversations.assigneeId, filter.assigneeId));
  if (filter.status) where.push(eq(conversations.status, filter.status));
  else if (filter.activeOnly) where.push(ne(conversations.status, 'resolved'));
  if (filter.channelType) where.push(eq(conversations.channelType, filter.channelType));
  if (filter.queue) where.push(eq(conversations.queue, filter.queue));
  if (filter.tag) where.push(sql`${conversations.tags} @> array[${filter.tag}]::text[]`);
  if (filter.customerId) where.push(eq(conversations.customerId, filter.customerId));
  if (filter.id) where.push(eq(conversations.id, filter.id));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(
        ilike(customers.name, like),
        ilike(customers.email, like),
        ilike(customers.phone, like),
        sql`exists (select 1 from ${messages} m where m.workspace_id = ${conversations.workspaceId} and m.conversation_id = ${conversations.id}
                    and to_tsvector('simple', m.body) @@ plainto_tsquery('simple', ${filter.q}))`,
      )!,
    );
  }
  const byPriority = filter.sort === 'priority';
  if (filter.before && byPriority) {
    const { lastActivityAt, id, priorityRank: rank = 0 } = filter.before;
    where.push(sql`(${priorityRank} < ${rank} or (${priorityRank} = ${rank} and (${conversations.lastActivityAt}, ${conversations.id}) > (${lastActivityAt.toISOString()}::timestamptz, ${id}::uuid)))`);
  } else if (filter.before) {
    where.push(sql`(${conversations.lastActivityAt}, ${conversations.id}) < (${filter.before.lastActivityAt.toISOString()}::timestamptz, ${filter.before.id}::uuid)`);
  }
  return db
    .select({
      conversation: conversations,
      customer: { id: customers.id, name: customers.name, email: customers.email, phone: customers.phone },
      assignee: { id: assignee.id, name: assignee.name },
      lastMessage: { body: lastMessage.body, direction: lastMessage.direction, authorType: lastMessage.authorType, createdAt: lastMessage.createdAt },
    })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .leftJoin(assignee, eq(assignee.id, conversations.assigneeId))
    .leftJoin(lastMessage, eq(lastMessage.id, conversations.lastMessageId))
    .where(and(...where))
    .orderBy(...(byPriority ? [desc(priorityRank), asc(conversations.lastActivityAt), asc(conversations.id)] : [desc(conversations.lastActivityAt), desc(conversations.id)]))
    .limit(filter.limit);
}

/** Snoozed conversations whose time has come. */
export async function dueSnoozed(db: DbOrTx, now: Date, limit: number): Promise<ConversationRow[]> {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.status, 'snoozed'), lt(conversations.snoozedUntil, now)))
    .limit(limit);
}

// Messages.

/** Inserts a message; undefined when its provider or client id was already taken (a replay). */
export async function insertMessage(tx: Tx, workspaceId: string, input: NewMessage): Promise<MessageRow | undefined> {
  const [row] = await tx
    .insert(messages)
    .values({ id: randomUUID(), workspaceId, ...input })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function findMessageByProviderId(db: DbOrTx, workspaceId: string, channelId: string, providerMessageId: string): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.channelId, channelId), eq(messages.providerMessageId, providerMessageId)));
  return row;
}

/** The conversation (locked) holding any of these provider message ids on a channel: where a reply belongs. */
export async function findConversationOfProviderMessages(tx: Tx, workspaceId: string, channelId: string, providerMessageIds: string[]): Promise<ConversationRow | undefined> {
  const [hit] = await tx
    .select({ conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.channelId, channelId), inArray(messages.providerMessageId, providerMessageIds)))
    .orderBy(desc(messages.seq))
    .limit(1);
  return hit ? lockConversation(tx, workspaceId, hit.conversationId) : undefined;
}

export async function findMessageByClientId(db: DbOrTx, workspaceId: string, conversationId: string, clientMessageId: string): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, conversationId), eq(messages.clientMessageId, clientMessageId)));
  return row;
}

/** The customer's latest message in a conversation: what a threaded reply answers. */
export async function lastInboundMessage(db: DbOrTx, workspaceId: string, conversationId: string): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, conversationId), eq(messages.direction, 'inbound')))
    .orderBy(desc(messages.seq))
    .limit(1);
  return row;
}

export async function getMessage(db: DbOrTx, workspaceId: string, id: string): Promise<MessageRow | undefined> {
  const [row] = await db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id)));
  return row;
}

/** A page of a timeline: the `limit` messages before `beforeSeq` (or the newest), returned oldest first. */
export async function listMessages(
  db: DbOrTx,
  workspaceId: string,
  conversationIds: string[],
  opts: { beforeSeq?: number; limit: number; includeNotes: boolean },
): Promise<MessageRow[]> {
  if (conversationIds.length === 0) return [];
  const where: SQL[] = [eq(messages.workspaceId, workspaceId), inArray(messages.conversationId, conversationIds)];
  if (opts.beforeSeq !== undefined) where.push(lt(messages.seq, opts.beforeSeq));
  if (!opts.includeNotes) where.push(eq(messages.kind, 'message'));
  const rows = await db
    .select()
    .from(messages)
    .where(and(...where))
    .orderBy(desc(messages.seq))
    .limit(opts.limit);
  return rows.reverse();
}

export async function setMessageStatus(
  tx: Tx,
  workspaceId: string,
  id: string,
  update: { status: MessageStatus; error?: string | null; providerMessageId?: string | null; meta?: Record<string, unknown> },
): Promise<MessageRow | undefined> {
  const [row] = await tx
    .update(messages)
    .set({
      status: update.status,
      error: update.error ?? null,
      ...(update.providerMessageId ? { providerMessageId: update.providerMessageId } : {}),
      ...(update.meta && Object.keys(update.meta).length ? { meta: sql`coalesce(${messages.meta}, '{}'::jsonb) || ${JSON.stringify(update.meta)}::jsonb` } : {}),
    })
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id)))
    .returning();
  return row;
}

export async function authorNames(db: DbOrTx, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, unique)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

// Attachments.

export async function setMessageAttachments(tx: Tx, workspaceId: string, messageId: string, refs: AttachmentRef[]): Promise<void> {
  await tx.update(messages).set({ attachments: refs }).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)));
}

export async function insertAttachment(
  db: DbOrTx,
  workspaceId: string,
  input: { uploadedBy: string; name: string; contentType: string; data: Buffer; sha256: string },
  now: Date,
): Promise<AttachmentRef> {
  const [row] = await db
    .insert(attachments)
    .values({ id: randomUUID(), workspaceId, ...input, size: input.data.length, createdAt: now })
    .returning({ id: attachments.id, name: attachments.name, contentType: attachments.contentType, size: attachments.size });
  return row!;
}

/** Attachment metadata for ids, limited to what the uploader may attach. */
export async function attachableRefs(db: DbOrTx, workspaceId: string, ids: string[], uploadedBy?: string): Promise<AttachmentRef[]> {
  if (ids.length === 0) return [];
  const where: SQL[] = [eq(attachments.workspaceId, workspaceId), inArray(attachments.id, ids)];
  if (uploadedBy) where.push(eq(attachments.uploadedBy, uploadedBy));
  return db
    .select({ id: attachments.id, name: attachments.name, contentType: attachments.contentType, size: attachments.size })
    .from(attachments)
    .where(and(...where))
    .orderBy(asc(attachments.createdAt));
}

export async function getAttachment(db: DbOrTx, workspaceId: string, id: string) {
  const [row] = await db.select().from(attachments).where(and(eq(attachments.workspaceId, workspaceId), eq(attachments.id, id)));
  return row;
}

/** Whether an attachment is on a message of one of the given conversations (what a visitor may download). */
export async function attachmentInConversations(db: DbOrTx, workspaceId: string, attachmentId: string, conversationIds: string[]): Promise<boolean> {
  if (conversationIds.length === 0) return false;
  const rows = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        inArray(messages.conversationId, conversationIds),
        eq(messages.kind, 'message'),
        sql`${messages.attachments} @> ${JSON.stringify([{ id: attachmentId }])}::jsonb`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

