import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';
import type { SimulationResult } from './des.ts';
import type { Scenario } from './scenario.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const simulationStatuses = ['queued', 'running', 'done', 'failed'] as const;
export type SimulationStatus = (typeof simulationStatuses)[number];

/**
 * A simulation of one day of a scenario, run in the background by whichever node claims it. A
 * running row carries a lease (`lease_node`, `lease_until`) that its node renews as it reports
 * progress; a row whose lease ran out (its node died) is claimed again by another node's job.
 */
export const workforceSimulations = pgTable(
  'workforce_simulations',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: text('status', { enum: simulationStatuses }).notNull(),
    /** Share of the simulated day done, 0..1. */
    progress: doublePrecision('progress').notNull().default(0),
    /** The scenario as parsed (defaults filled in), so a rerun gives the same result. */
    scenario: jsonb('scenario').notNull().$type<Scenario>(),
    result: jsonb('result').$type<SimulationResult>(),
    error: text('error'),
    /** Who asked for it (a user id or `apikey:<id>`). */
    createdBy: text('created_by').notNull(),
    /** Times a node claimed it; a scenario that keeps killing its node is given up on. */
    attempts: integer('attempts').notNull().default(0),
    leaseNode: text('lease_node'),
    leaseUntil: ts('lease_until'),
    createdAt: ts('created_at').notNull(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('workforce_simulations_list').on(t.workspaceId, t.createdAt), index('workforce_simulations_due').on(t.status, t.leaseUntil)],
);
