import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../platform/db/schema.ts';
import type { CapacityProfile, OpeningHours, RoutingEvent, StepSpec, TaskState, TransferTarget, WorkflowFilter } from './engine/model.ts';
import type { RoutingSettings } from './settings.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const workspaceRef = () => uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' });

/** One row per workspace: presences, skills, field catalogue, SLA boosts, timeouts. */
export const routingSettings = pgTable('routing_settings', {
  workspaceId: uuid('workspace_id').primaryKey().references(() => workspaces.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').notNull().$type<RoutingSettings>(),
  updatedAt: ts('updated_at').notNull(),
});

export const routingQueues = pgTable(
  'routing_queues',
  {
    id: uuid('id').primaryKey(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    eligibility: text('eligibility').notNull().default(''),
    order: text('order', { enum: ['fifo', 'lifo'] }).notNull().default('fifo'),
    maxSize: integer('max_size'),
    hours: jsonb('hours').$type<OpeningHours>(),
    serviceLevelSeconds: integer('service_level_seconds'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('routing_queues_name').on(t.workspaceId, sql`lower(${t.name})`)],
);

export const routingWorkflows = pgTable(
  'routing_workflows',
  {
    id: uuid('id').primaryKey(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    filters: jsonb('filters').notNull().$type<WorkflowFilter[]>(),
    defaultSteps: jsonb('default_steps').notNull().$type<StepSpec[]>(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('routing_workflows_name').on(t.workspaceId, sql`lower(${t.name})`)],
);

/** An agent's routing profile; a user without a row routes with the defaults, offline. */
export const routingAgents = pgTable(
  'routing_agents',
  {
    workspaceId: workspaceRef(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    skills: jsonb('skills').notNull().$type<Record<string, number>>().default({}),
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    attributes: jsonb('attributes').notNull().$type<Record<string, unknown>>().default({}),
    capacity: jsonb('capacity').$type<CapacityProfile>(),
    presence: text('presence').notNull().default('offline'),
    presenceSince: ts('presence_since').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

export const taskStates = ['pending', 'reserved', 'assigned', 'wrapping', 'completed', 'canceled'] as const;

/** A unit of work being routed; the leader writes it after every decision about it. */
export const routingTasks = pgTable(
  'routing_tasks',
  {
    id: uuid('id').primaryKey(),
    workspaceId: workspaceRef(),
    conversationId: uuid('conversation_id'),
    workflowId: uuid('workflow_id').notNull(),
    channel: text('channel').notNull(),
    attributes: jsonb('attributes').notNull().$type<Record<string, unknown>>(),
    basePriority: integer('base_priority').notNull().default(0),
    priority: integer('priority').notNull().default(0),
    slaSeconds: integer('sla_seconds'),
    preferredAgentId: uuid('preferred_agent_id'),
    state: text('state').$type<TaskState>().notNull(),
    stepIndex: integer('step_index').notNull().default(0),
    stepEnteredAt: ts('step_entered_at'),
    queueId: uuid('queue_id'),
    agentId: uuid('agent_id'),
    offers: jsonb('offers').notNull().$type<Array<{ agentId: string; expiresAt: number }>>().default([]),
    rejectedBy: text('rejected_by').array().notNull().default(sql`'{}'::text[]`),
    callback: boolean('callback').notNull().default(false),
    transfer: jsonb('transfer').$type<TransferTarget>(),
    endReason: text('end_reason'),
    createdAt: ts('created_at').notNull(),
    assignedAt: ts('assigned_at'),
    endedAt: ts('ended_at'),
  },
  (t) => [
    index('routing_tasks_active').on(t.workspaceId, t.state),
    // At most one live task per conversation: a second open can't route it twice.
    uniqueIndex('routing_tasks_conversation_live')
      .on(t.workspaceId, t.conversationId)
      .where(sql`${t.state} not in ('completed', 'canceled')`),
    index('routing_tasks_created').on(t.workspaceId, t.createdAt),
  ],
);

/**
 * Commands for the router. Any node writes them (in the same transaction as the change that
 * causes them); the node leading the workspace applies them in order. Durable, so a command
 * written while no leader runs is applied by the next one.
 */
export const routingCommands = pgTable(
  'routing_commands',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceRef(),
    command: jsonb('command').notNull().$type<RoutingCommand>(),
    status: text('status', { enum: ['pending', 'done', 'refused'] }).notNull().default('pending'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull(),
    doneAt: ts('done_at'),
  },
  (t) => [index('routing_commands_pending').on(t.workspaceId, t.id).where(sql`${t.status} = 'pending'`)],
);

/** Fencing: the leader of a workspace holds an epoch; a write with an older epoch is refused. */
export const routingLeases = pgTable('routing_leases', {
  workspaceId: uuid('workspace_id').primaryKey().references(() => workspaces.id, { onDelete: 'cascade' }),
  epoch: bigint('epoch', { mode: 'number' }).notNull(),
  nodeId: text('node_id').notNull(),
  renewedAt: ts('renewed_at').notNull(),
});

/** What can be asked of the router; engine events plus the few that need a lookup first. */
export type RoutingCommand =
  | Exclude<RoutingEvent, { type: 'tick' } | { type: 'config' } | { type: 'agent.upsert' } | { type: 'task.create' }>
  | { type: 'config' }
  | { type: 'agent.refresh'; agentId: string }
  | { type: 'task.create'; taskId: string }
  | { type: 'task.end'; taskId: string; reason: string };
