import { boolean, index, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Every maturity self-assessment a workspace saved, kept as history: the latest is the current
 * one, earlier ones show how the centre moved.
 */
export const maturityAssessments = pgTable(
  'maturity_assessments',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Question id -> answer on the 0–4 scale (benchmark.maturity.ts). */
    answers: jsonb('answers').notNull().$type<Record<string, number>>(),
    /** Whether the centre is run as a profit centre (the benchmark's 47.9% question). */
    runAsProfitCentre: boolean('run_as_profit_centre').notNull(),
    score: smallint('score').notNull(),
    level: text('level').notNull(),
    /** Who answered (a user id or `apikey:<id>`). */
    assessedBy: text('assessed_by').notNull(),
    assessedAt: ts('assessed_at').notNull(),
  },
  (t) => [index('maturity_assessments_latest').on(t.workspaceId, t.assessedAt)],
);

/** A KPI report e-mailed to recipients on a schedule (schedules.ts computes the runs). */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    recipients: text('recipients').array().notNull(),
    /** daily | weekly | monthly */
    frequency: text('frequency').notNull(),
    /** Local hour (0–23) in `time_zone` at which it is sent. */
    hour: smallint('hour').notNull(),
    /** ISO weekday 1 (Monday)–7 (Sunday), for weekly schedules. */
    weekday: smallint('weekday'),
    /** 1–31 for monthly schedules; a shorter month uses its last day. */
    dayOfMonth: smallint('day_of_month'),
    timeZone: text('time_zone').notNull(),
    /** yesterday | last_7_days | last_month, counted back from the run's local date. */
    range: text('range').notNull(),
    interval: text('interval').notNull(),
    groupBy: text('group_by').notNull(),
    language: text('language').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** The next scheduled run; null while disabled. */
    nextRunAt: ts('next_run_at'),
    /** Set by the node that claimed a run; another node may claim it again only after this. */
    lockedUntil: ts('locked_until'),
    lastRunAt: ts('last_run_at'),
    lastError: text('last_error'),
    runs: integer('runs').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('report_schedules_workspace').on(t.workspaceId), index('report_schedules_due').on(t.nextRunAt)],
);
