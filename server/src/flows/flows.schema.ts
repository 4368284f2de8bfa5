import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { channels } from '../channels/channels.schema.ts';
import { conversations } from '../conversations/conversations.schema.ts';
import { workspaces } from '../platform/db/schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A self-service flow: the draft being edited, and which published version is live. */
export const flows = pgTable(
  'flows',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The definition as last saved; may have validation errors (publishing refuses those). */
    draft: jsonb('draft').notNull().$type<Record<string, unknown>>(),
    /** The live version (flow_versions), or null when never published / taken offline. */
    publishedVersion: integer('published_version'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('flows_workspace').on(t.workspaceId, t.name)],
);

/** Published versions, immutable: a run keeps the version it started on until it ends. */
export const flowVersions = pgTable(
  'flow_versions',
  {
    flowId: uuid('flow_id').notNull().references(() => flows.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').notNull().$type<Record<string, unknown>>(),
    publishedAt: ts('published_at').notNull(),
    publishedBy: text('published_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
);

/** Which flow greets new conversations on a channel (at most one per channel). */
export const flowBindings = pgTable('flow_bindings', {
  channelId: uuid('channel_id')
    .primaryKey()
    .references(() => channels.id, { onDelete: 'cascade' }),
  workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  flowId: uuid('flow_id')
    .notNull()
    .references(() => flows.id, { onDelete: 'cascade' }),
});

export const runStatuses = ['running', 'contained', 'handed_off', 'failed'] as const;
export type RunStatus = (typeof runStatuses)[number];

/**
 * One customer's pass through a flow in a conversation. `state` is the engine's RunState;
 * `cursorSeq` the last customer message fed to it, so messages are taken in order, once.
 */
export const flowRuns = pgTable(
  'flow_runs',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    flowId: uuid('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    channelType: text('channel_type').notNull(),
    state: jsonb('state').$type<Record<string, unknown>>(),
    status: text('status', { enum: runStatuses }).notNull().default('running'),
    /** Why it ended: the end node's reason, the handoff's reason, or the failure. */
    reason: text('reason'),
    cursorSeq: bigint('cursor_seq', { mode: 'number' }).notNull().default(0),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
  },
  (t) => [
    uniqueIndex('flow_runs_one_running').on(t.conversationId).where(sql`${t.status} = 'running'`),
    index('flow_runs_stats').on(t.workspaceId, t.flowId, t.startedAt),
  ],
);
