import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conversations } from '../conversations/conversations.schema.ts';
import { workspaces } from '../platform/db/schema.ts';
import type { OutcomeSettings } from './outcomes.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const workspaceRef = () => uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' });

/** What an agent picks at wrap-up ("Bestelling geplaatst"), and the outcome kind it implies. */
export const dispositionCodes = pgTable(
  'disposition_codes',
  {
    id: uuid('id').primaryKey(),
    workspaceId: workspaceRef(),
    /** Stable key, as reports and the `outcome.recorded` event carry it. */
    code: text('code').notNull(),
    labelNl: text('label_nl').notNull(),
    labelEn: text('label_en').notNull(),
    /** The outcome kind this code implies (sale, retention_saved...); null: none implied. */
    outcome: text('outcome'),
    active: boolean('active').notNull().default(true),
    /** Order in the desk's select, lowest first. */
    position: integer('position').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('disposition_codes_code').on(t.workspaceId, t.code)],
);

/** Per workspace: the wrap-up mode and the surveys per channel type. Defaults apply without a row. */
export const outcomeSettings = pgTable('outcome_settings', {
  workspaceId: uuid('workspace_id').primaryKey().references(() => workspaces.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').notNull().$type<OutcomeSettings>(),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * The wrap-up of one contact: a conversation and the routing task that brought it to the agent
 * (none when routing is off). Recording again for the same pair replaces the row.
 */
export const wrapUps = pgTable(
  'wrap_ups',
  {
    id: uuid('id').primaryKey(),
    workspaceId: workspaceRef(),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    taskId: uuid('task_id'),
    /** The task id, or '' without one: a unique key needs a value (NULLs never collide). */
    taskKey: text('task_key').notNull(),
    /** Who handled the contact (the task's agent, else the assignee); KPIs group by them. */
    agentId: uuid('agent_id'),
    /** Who submitted it (the agent, or a supervisor on their behalf): `user id` or `apikey:<id>`. */
    recordedBy: text('recorded_by').notNull(),
    disposition: text('disposition').notNull(),
    outcome: text('outcome'),
    /** Amount in hundredths of the currency's major unit (4995 = 49.95); at most 2 decimals are accepted. */
    amountCents: bigint('amount_cents', { mode: 'number' }),
    currency: text('currency'),
    note: text('note'),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [
    uniqueIndex('wrap_ups_contact').on(t.workspaceId, t.conversationId, t.taskKey),
    index('wrap_ups_recorded').on(t.workspaceId, t.recordedAt),
  ],
);

export const surveyStatuses = ['pending', 'answered', 'expired'] as const;
export type SurveyStatus = (typeof surveyStatuses)[number];

/** A CSAT or NPS question sent after a resolution, and its answer. */
export const surveys = pgTable(
  'surveys',
  {
    id: uuid('id').primaryKey(),
    workspaceId: workspaceRef(),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull(),
    channelId: uuid('channel_id').notNull(),
    channelType: text('channel_type').notNull(),
    kind: text('kind', { enum: ['csat', 'nps'] }).notNull(),
    /** The agent who handled the conversation when it was resolved; null for a bot. */
    agentId: uuid('agent_id'),
    questionMessageId: uuid('question_message_id'),
    status: text('status', { enum: surveyStatuses }).notNull().default('pending'),
    score: integer('score'),
    answerMessageId: uuid('answer_message_id'),
    sentAt: ts('sent_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    settledAt: ts('settled_at'),
  },
  (t) => [
    index('surveys_pending').on(t.workspaceId, t.customerId, t.channelId).where(sql`${t.status} = 'pending'`),
    index('surveys_conversation').on(t.workspaceId, t.conversationId),
  ],
);
