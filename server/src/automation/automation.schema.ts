import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';
import type { Action, Condition, RuleSchedule, RuleTrace } from './rules.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Automation rules (rules.ts): on an event, when conditions hold, do actions; run by position. */
export const automationRules = pgTable(
  'automation_rules',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    position: integer('position').notNull(),
    trigger: text('trigger').notNull(),
    conditions: jsonb('conditions').notNull().$type<{ all: Condition[]; any: Condition[] }>(),
    actions: jsonb('actions').notNull().$type<Action[]>(),
    stop: boolean('stop').notNull().default(false),
    /** For the `schedule` trigger: how often the rule looks at the open conversations. */
    schedule: jsonb('schedule').$type<RuleSchedule>(),
    /** When a scheduled rule runs next (null for other triggers, and while it is disabled). */
    nextRunAt: ts('next_run_at'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('automation_rules_trigger').on(t.workspaceId, t.trigger, t.position), index('automation_rules_due').on(t.nextRunAt)],
);

/**
 * A scheduled rule acts on a conversation once per state of it: the hit remembers the last message
 * it acted after, so "pending for two days -> resolve" does not repeat every hour, and acts again
 * only when something new was said.
 */
export const automationRuleHits = pgTable(
  'automation_rule_hits',
  {
    ruleId: uuid('rule_id').notNull().references(() => automationRules.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    lastMessageId: uuid('last_message_id'),
    at: ts('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.conversationId] })],
);

/** What one action did: carried out, passed over (and why), or failed. */
export interface ActionResult {
  ruleId: string;
  action: Action;
  outcome: 'done' | 'unchanged' | 'skipped' | 'failed';
  detail?: string;
}

/**
 * One evaluation of the rules on one event: every rule's trace (why it matched or not) and what its
 * actions did, so a conversation shows which automation touched it and why.
 */
export const automationRuns = pgTable(
  'automation_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    trigger: text('trigger').notNull(),
    conversationId: uuid('conversation_id'),
    messageId: uuid('message_id'),
    /** The rules whose actions caused the event (the loop guard's chain). */
    chain: text('chain').array().notNull().default([]),
    traces: jsonb('traces').notNull().$type<RuleTrace[]>(),
    results: jsonb('results').notNull().$type<ActionResult[]>(),
    matched: integer('matched').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('automation_runs_conversation').on(t.workspaceId, t.conversationId, t.id), index('automation_runs_workspace').on(t.workspaceId, t.id)],
);

/**
 * Macros: one-click bundles of actions an agent runs on a conversation (tag, reply with
 * placeholders, set priority, move to a queue, resolve...). Shared ones are kept by supervisors;
 * an agent keeps personal ones.
 */
export const macros = pgTable(
  'macros',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    actions: jsonb('actions').notNull().$type<Action[]>(),
    /** null: shared with the workspace; else the user whose personal macro it is. */
    ownerId: uuid('owner_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('macros_workspace').on(t.workspaceId, t.name)],
);
