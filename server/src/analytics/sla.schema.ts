import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conversations } from '../conversations/conversations.schema.ts';
import { workspaces } from '../platform/db/schema.ts';
import type { SlaConditions, SlaEscalation, SlaMetric, WarningRule, Weekday } from './sla.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const workspaceRef = () => uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' });

export interface Holiday {
  date: string;
  name: string;
}

/** Business-hours calendars: when SLA time counts. */
export const slaCalendars = pgTable(
  'sla_calendars',
  {
    id: uuid('id').primaryKey(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    alwaysOpen: boolean('always_open').notNull().default(false),
    week: jsonb('week').notNull().$type<Partial<Record<Weekday, Array<[string, string]>>>>(),
    holidays: jsonb('holidays').notNull().$type<Holiday[]>().default([]),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('sla_calendars_name').on(t.workspaceId, t.name)],
);

/** SLA policies: which conversations (conditions), which targets, warning and escalation. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: uuid('id').primaryKey(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    conditions: jsonb('conditions').notNull().$type<SlaConditions>(),
    targets: jsonb('targets').notNull().$type<Partial<Record<SlaMetric, number>>>(),
    warning: jsonb('warning').notNull().$type<WarningRule>(),
    calendarId: uuid('calendar_id').references(() => slaCalendars.id, { onDelete: 'restrict' }),
    escalation: jsonb('escalation').notNull().$type<SlaEscalation>(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('sla_policies_name').on(t.workspaceId, t.name), index('sla_policies_position').on(t.workspaceId, t.position)],
);

export const slaClockStates = ['running', 'paused', 'met', 'breached'] as const;

/**
 * One row per clock of a conversation (metric, cycle): the projection of its history under the
 * policy that applies, recomputed whenever the conversation changes. `due_at` and `warn_at` are
 * real instants of running clocks, indexed so the job finds what is due; `warned_at` and
 * `breached_at` record that the event was written, so each fires once.
 */
export const slaClocks = pgTable(
  'sla_clocks',
  {
    id: uuid('id').primaryKey(),
    workspaceId: workspaceRef(),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    metric: text('metric').$type<SlaMetric>().notNull(),
    cycle: integer('cycle').notNull(),
    policyId: uuid('policy_id').notNull(),
    state: text('state', { enum: slaClockStates }).notNull(),
    targetSeconds: integer('target_seconds').notNull(),
    elapsedSeconds: integer('elapsed_seconds').notNull(),
    startedAt: ts('started_at').notNull(),
    completedAt: ts('completed_at'),
    dueAt: ts('due_at'),
    warnAt: ts('warn_at'),
    warnedAt: ts('warned_at'),
    breachedAt: ts('breached_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('sla_clocks_key').on(t.workspaceId, t.conversationId, t.metric, t.cycle),
    index('sla_clocks_due').on(t.dueAt).where(sql`${t.completedAt} is null and ${t.breachedAt} is null`),
    index('sla_clocks_warn').on(t.warnAt).where(sql`${t.completedAt} is null and ${t.warnedAt} is null`),
    index('sla_clocks_open').on(t.state).where(sql`${t.completedAt} is null`),
  ],
);
