import { sql } from 'drizzle-orm';
import { bigserial, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { channels } from '../channels/channels.schema.ts';
import { customers } from '../customers/customers.schema.ts';
import { users, workspaces } from '../platform/db/schema.ts';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').notNull().references(() => channels.id),
    channelType: text('channel_type').notNull(),
    customerId: uuid('customer_id').notNull().references(() => customers.id),
    status: text('status', { enum: conversationStatuses }).notNull().default('open'),
    assigneeId: uuid('assignee_id').references(() => users.id),
    queue: text('queue'),
    priority: text('priority', { enum: priorities }).notNull().default('normal'),
    language: text('language'),
    subject: text('subject'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    attributes: jsonb('attributes').notNull().$type<Record<string, unknown>>().default({}),
    snoozedUntil: ts('snoozed_until'),
    /**
     * Which thread of the customer on this channel this is, where a channel has several: an email
     * thread, the post a public comment is under. Null for a channel's one direct thread.
     */
    threadKey: text('thread_key'),
    /** What the channel's adapter needs to answer here (the post id, the email subject...). */
    channelContext: jsonb('channel_context').notNull().$type<Record<string, unknown>>().default({}),
    /** Inbound messages since the last outbound reply. */
    unread: integer('unread').notNull().default(0),
    lastMessageId: uuid('last_message_id'),
    lastActivityAt: ts('last_activity_at').notNull(),
    createdAt: ts('created_at').notNull(),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [
    index('conversations_list').on(t.workspaceId, t.lastActivityAt, t.id),
    index('conversations_assignee').on(t.workspaceId, t.assigneeId, t.status),
    index('conversations_customer').on(t.workspaceId, t.customerId, t.channelId, t.status),
    index('conversations_tags').using('gin', t.tags),
  ],
);

export const messageKinds = ['message', 'note'] as const;
export const directions = ['inbound', 'outbound'] as const;
export const authorTypes = ['customer', 'agent', 'bot', 'system'] as const;
export const messageStatuses = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export interface AttachmentRef {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey(),
    /** Order within the workspace; timelines and cursors use it. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').notNull(),
    kind: text('kind', { enum: messageKinds }).notNull().default('message'),
    direction: text('direction', { enum: directions }).notNull(),
    authorType: text('author_type', { enum: authorTypes }).notNull(),
    authorId: uuid('author_id'),
    body: text('body').notNull(),
    attachments: jsonb('attachments').notNull().$type<AttachmentRef[]>().default([]),
    /** The provider's id: the idempotency key of inbound messages (unique per channel). */
    providerMessageId: text('provider_message_id'),
    /** The sending client's id for outbound messages and notes, so a retried request adds nothing. */
    clientMessageId: text('client_message_id'),
    status: text('status', { enum: messageStatuses }).notNull(),
    error: text('error'),
    /** Provider specifics of this message (email headers, a comment's kind, a template's name). */
    meta: jsonb('meta').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('messages_provider_id').on(t.workspaceId, t.channelId, t.providerMessageId),
    uniqueIndex('messages_client_id').on(t.workspaceId, t.conversationId, t.clientMessageId),
    index('messages_conversation').on(t.workspaceId, t.conversationId, t.seq),
    index('messages_search').using('gin', sql`to_tsvector('simple', ${t.body})`),
  ],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * Files sent with messages. Kept in PostgreSQL so every node sees them and backups hold them;
 * fine at chat sizes (limits per channel), to be moved to object storage if volumes demand it.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Who uploaded: `user:<id>` or `customer:<id>`; a customer may attach only their own uploads. */
    uploadedBy: text('uploaded_by').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('attachments_workspace').on(t.workspaceId, t.id)],
);

export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    shortcode: text('shortcode').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('canned_responses_shortcode').on(t.workspaceId, t.shortcode)],
);
