import { sql } from 'drizzle-orm';
import { bigint, boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const workspaceRef = () => uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' });
const counter = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);
const amount = (name: string) => doublePrecision(name).notNull().default(0);

/** How a workspace reports: its local day, its currency, what an agent hour costs. */
export const analyticsSettings = pgTable('analytics_settings', {
  workspaceId: uuid('workspace_id').primaryKey().references(() => workspaces.id, { onDelete: 'cascade' }),
  timeZone: text('time_zone').notNull().default('Europe/Amsterdam'),
  currency: text('currency').notNull().default('EUR'),
  costPerAgentHour: doublePrecision('cost_per_agent_hour').notNull().default(35),
  fcrWindowDays: integer('fcr_window_days').notNull().default(7),
  updatedAt: ts('updated_at').notNull(),
});

/** Where the projector is in the event log (one row per projection). */
export const analyticsCursor = pgTable('analytics_cursor', {
  name: text('name').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * One contact segment: a routing task from entering a queue to its end, or, after a transfer,
 * from the transfer on. Queue figures (offered, answered, abandoned, speed of answer) and handle
 * figures come from here.
 */
export const analyticsSegments = pgTable(
  'analytics_segments',
  {
    workspaceId: workspaceRef(),
    taskId: uuid('task_id').notNull(),
    seq: integer('seq').notNull(),
    conversationId: uuid('conversation_id'),
    channel: text('channel').notNull(),
    queueId: text('queue_id').notNull().default(''),
    agentId: text('agent_id').notNull().default(''),
    team: text('team').notNull().default(''),
    startedAt: ts('started_at').notNull(),
    answeredAt: ts('answered_at'),
    wrapAt: ts('wrap_at'),
    endedAt: ts('ended_at'),
    /** answered | abandoned | transferred | canceled, null while live. */
    outcome: text('outcome'),
    endReason: text('end_reason'),
    inServiceLevel: boolean('in_service_level').notNull().default(false),
    transferredIn: boolean('transferred_in').notNull().default(false),
    transferredOut: boolean('transferred_out').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.taskId, t.seq] }), index('analytics_segments_started').on(t.workspaceId, t.startedAt)],
);

/** Per conversation: first response, resolution, first-contact resolution, self-service, surveys, outcomes. */
export const analyticsConversations = pgTable(
  'analytics_conversations',
  {
    workspaceId: workspaceRef(),
    conversationId: uuid('conversation_id').notNull(),
    /** How it began (facts.ts, ConversationOrigin): an unanswered campaign conversation is no contact. */
    origin: text('origin', { enum: ['customer', 'campaign', 'campaign_reply'] }).notNull().default('customer'),
    customerId: uuid('customer_id'),
    channel: text('channel').notNull(),
    queueId: text('queue_id').notNull().default(''),
    agentId: text('agent_id').notNull().default(''),
    team: text('team').notNull().default(''),
    createdAt: ts('created_at').notNull(),
    firstResponseAt: ts('first_response_at'),
    resolvedAt: ts('resolved_at'),
    /** Opened again after a resolution: not resolved at first contact. */
    reopened: boolean('reopened').notNull().default(false),
    /** The customer came back (any channel) within the FCR window after the resolution. */
    repeatContact: boolean('repeat_contact').notNull().default(false),
    selfServiceRuns: integer('self_service_runs').notNull().default(0),
    selfServiceContained: integer('self_service_contained').notNull().default(0),
    csat: integer('csat'),
    nps: integer('nps'),
    /** Outcomes by task ('' for none): the latest recording replaces an earlier one of the same task. */
    outcomes: jsonb('outcomes').notNull().$type<Record<string, { outcome: string | null; amount: number | null; currency: string | null; agentId: string | null }>>().default({}),
    slaBreaches: integer('sla_breaches').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId] }),
    index('analytics_conversations_created').on(t.workspaceId, t.createdAt),
    index('analytics_conversations_customer').on(t.workspaceId, t.customerId, t.resolvedAt),
  ],
);

/** An agent's state as the projector last saw it; time is counted from `since`. */
export const analyticsAgentStates = pgTable(
  'analytics_agent_states',
  {
    workspaceId: workspaceRef(),
    agentId: text('agent_id').notNull(),
    presence: text('presence').notNull(),
    routable: boolean('routable').notNull(),
    tasks: text('tasks').array().notNull().default(sql`'{}'::text[]`),
    team: text('team').notNull().default(''),
    since: ts('since').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.agentId] })],
);

const contactCounters = () => ({
  offered: counter('offered'),
  answered: counter('answered'),
  abandoned: counter('abandoned'),
  answeredInSl: counter('answered_in_sl'),
  waitMs: counter('wait_ms'),
  handled: counter('handled'),
  handleMs: counter('handle_ms'),
  acwMs: counter('acw_ms'),
  transfers: counter('transfers'),
  conversations: counter('conversations'),
  resolved: counter('resolved'),
  fcr: counter('fcr'),
  firstResponses: counter('first_responses'),
  firstResponseMs: counter('first_response_ms'),
  resolutionMs: counter('resolution_ms'),
  ssRuns: counter('ss_runs'),
  ssContained: counter('ss_contained'),
  csatN: counter('csat_n'),
  csatSum: counter('csat_sum'),
  csatSatisfied: counter('csat_satisfied'),
  npsN: counter('nps_n'),
  npsPromoters: counter('nps_promoters'),
  npsDetractors: counter('nps_detractors'),
  outcomes: counter('outcomes'),
  sales: counter('sales'),
  revenue: amount('revenue'),
  slaBreaches: counter('sla_breaches'),
});

/** Contact figures per 15 minutes (UTC-aligned) by channel, queue and agent; rebuilt per touched bucket. */
export const analyticsRollup15m = pgTable(
  'analytics_rollup_15m',
  {
    workspaceId: workspaceRef(),
    bucket: ts('bucket').notNull(),
    channel: text('channel').notNull(),
    queueId: text('queue_id').notNull(),
    agentId: text('agent_id').notNull(),
    team: text('team').notNull().default(''),
    ...contactCounters(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.bucket, t.channel, t.queueId, t.agentId, t.team] })],
);

/** The same per local day of the workspace; rebuilt from the 15-minute rows of a touched day. */
export const analyticsRollupDay = pgTable(
  'analytics_rollup_day',
  {
    workspaceId: workspaceRef(),
    day: date('day', { mode: 'string' }).notNull(),
    channel: text('channel').notNull(),
    queueId: text('queue_id').notNull(),
    agentId: text('agent_id').notNull(),
    team: text('team').notNull().default(''),
    ...contactCounters(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.channel, t.queueId, t.agentId, t.team] })],
);

/**
 * The day rows without the agent: the same figures by channel, queue and team, a twentieth of the
 * rows when agents are many. Reports that neither group nor filter by agent read these.
 */
export const analyticsRollupDayTeam = pgTable(
  'analytics_rollup_day_team',
  {
    workspaceId: workspaceRef(),
    day: date('day', { mode: 'string' }).notNull(),
    channel: text('channel').notNull(),
    queueId: text('queue_id').notNull(),
    team: text('team').notNull().default(''),
    ...contactCounters(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.channel, t.queueId, t.team] })],
);

/** The day rows by agent alone (no channel or queue): agent league tables read these. */
export const analyticsRollupDayAgent = pgTable(
  'analytics_rollup_day_agent',
  {
    workspaceId: workspaceRef(),
    day: date('day', { mode: 'string' }).notNull(),
    agentId: text('agent_id').notNull(),
    team: text('team').notNull().default(''),
    ...contactCounters(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.agentId, t.team] })],
);

const agentTime = () => ({
  loggedInMs: counter('logged_in_ms'),
  availableMs: counter('available_ms'),
  busyMs: counter('busy_ms'),
  /** Available or busy: the time occupancy is measured against. */
  occupiableMs: counter('occupiable_ms'),
});

/** Agent time per 15 minutes, added to as the projector closes stretches of an agent's state. */
export const analyticsAgentTime15m = pgTable(
  'analytics_agent_time_15m',
  { workspaceId: workspaceRef(), bucket: ts('bucket').notNull(), agentId: text('agent_id').notNull(), team: text('team').notNull().default(''), ...agentTime() },
  (t) => [primaryKey({ columns: [t.workspaceId, t.bucket, t.agentId, t.team] })],
);

export const analyticsAgentTimeDay = pgTable(
  'analytics_agent_time_day',
  { workspaceId: workspaceRef(), day: date('day', { mode: 'string' }).notNull(), agentId: text('agent_id').notNull(), team: text('team').notNull().default(''), ...agentTime() },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.agentId, t.team] })],
);
