import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../platform/db/client.ts';
import { committedHorizon } from '../platform/events/follower.ts';
import type { Platform } from '../platform/platform.ts';
import * as routingStore from '../routing/routing.store.ts';
import { factsNeeded, Projection, type AnalyticsEvent, type ProjectionConfig } from './facts.ts';
import { activeAgentWorkspaces, getAnalyticsSettings, loadAgents, loadFacts, rebuildRollups, saveFacts } from './facts.store.ts';

/** The event types the KPI projection reads (docs/analytics.md). */
export const PROJECTED_TYPES = [
  'conversation.created',
  'message.queued',
  'conversation.status_changed',
  'routing.task_created',
  'routing.task_queued',
  'routing.assigned',
  'routing.transferred',
  'routing.wrapping',
  'routing.task_ended',
  'routing.presence_changed',
  'flow.run_contained',
  'flow.run_handed_off',
  'flow.run_failed',
  'outcome.recorded',
  'survey.answered',
  'sla.breached',
];

const CURSOR = 'kpi';
const DEFAULT_SERVICE_LEVEL_SECONDS = 20;

interface EventRow {
  id: number;
  workspace_id: string;
  type: string;
  subject_id: string;
  payload: Record<string, unknown>;
  actor_id: string | null;
  created_at: Date | string;
}

async function projectionConfig(tx: Tx, workspaceId: string, fcrWindowDays: number): Promise<ProjectionConfig> {
  // One after the other: a transaction is one connection.
  const settings = await routingStore.getSettings(tx, workspaceId);
  const queues = await routingStore.listQueues(tx, workspaceId);
  const agents = await routingStore.listAgents(tx, workspaceId);
  const queueThreshold = new Map(queues.map((q) => [q.id, q.serviceLevelSeconds]));
  const routable = new Map(settings.presences.map((p) => [p.name, p.routable]));
  const teams = new Map(agents.map((a) => [a.userId, typeof a.attributes.team === 'string' ? a.attributes.team : '']));
  return {
    serviceLevelSeconds: (queueId, channel) => queueThreshold.get(queueId) ?? settings.slaSeconds[channel] ?? DEFAULT_SERVICE_LEVEL_SECONDS,
    routable: (presence) => routable.get(presence) ?? false,
    teamOf: (agentId) => teams.get(agentId) ?? '',
    fcrWindowMs: fcrWindowDays * 86_400_000,
  };
}

/** Applies one workspace's events to its facts and rebuilds the rollups they touched. */
export async function projectEvents(tx: Tx, workspaceId: string, events: AnalyticsEvent[]): Promise<void> {
  const settings = await getAnalyticsSettings(tx, workspaceId);
  const config = await projectionConfig(tx, workspaceId, settings.fcrWindowDays);
  const projection = new Projection(config);
  const first = events[0]?.createdAt.getTime() ?? 0;
  await loadFacts(tx, workspaceId, projection, factsNeeded(events), new Date(first - config.fcrWindowMs));
  for (const event of events) projection.apply(event);
  const touched = await saveFacts(tx, workspaceId, projection, settings.timeZone);
  await rebuildRollups(tx, workspaceId, touched, settings);
}

/**
 * One batch: claims the cursor (FOR UPDATE, so one node projects at a time), reads the next events
 * up to the committed horizon, projects them per workspace, moves the cursor, all in one
 * transaction. Answers the number of events read.
 */
async function projectBatch(p: Platform, horizon: number, limit: number): Promise<number> {
  return p.db.transaction(async (tx) => {
    await tx.execute(sql`insert into analytics_cursor (name, last_event_id, updated_at) values (${CURSOR}, 0, ${p.clock.now()}) on conflict do nothing`);
    const [cursor] = await queryRows<{ last_event_id: number | string }>(tx, sql`select last_event_id from analytics_cursor where name = ${CURSOR} for update`);
    const after = Number(cursor?.last_event_id ?? 0);
    if (after >= horizon) return 0;
    const types = `{${PROJECTED_TYPES.join(',')}}`;
    const rows = await queryRows<EventRow>(
      tx,
      sql`select id, workspace_id::text, type, subject_id, payload, actor_id, created_at from events
           where id > ${after} and id <= ${horizon} and type = any(${types}::text[])
           order by id limit ${limit}`,
    );
    const byWorkspace = new Map<string, AnalyticsEvent[]>();
    for (const row of rows) {
      const list = byWorkspace.get(row.workspace_id) ?? [];
      list.push({ type: row.type, subjectId: row.subject_id, payload: row.payload, actorId: row.actor_id, createdAt: new Date(row.created_at) });
      byWorkspace.set(row.workspace_id, list);
    }
    for (const [workspaceId, events] of byWorkspace) await projectEvents(tx, workspaceId, events);
    const reached = rows.length === limit ? Number(rows[rows.length - 1]!.id) : horizon;
    await tx.execute(sql`update analytics_cursor set last_event_id = ${reached}, updated_at = ${p.clock.now()} where name = ${CURSOR}`);
    return rows.length;
  });
}

/** Brings the facts and rollups up to date with the event log. Answers the number of events projected. */
export async function projectAnalytics(p: Platform, options: { batchSize?: number } = {}): Promise<number> {
  const limit = options.batchSize ?? 2000;
  const horizon = await committedHorizon(p);
  let total = 0;
  for (;;) {
    const read = await projectBatch(p, horizon, limit);
    total += read;
    if (read < limit) return total;
  }
}

/**
 * Counts logged-in agents' time up to now, so today's staffed and busy hours do not wait for the
 * agent's next change of state.
 */
export async function checkpointAgentTime(p: Platform): Promise<void> {
  const now = p.clock.now();
  for (const workspaceId of await activeAgentWorkspaces(p.db)) {
    await p.db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from analytics_cursor where name = ${CURSOR} for update`);
      const settings = await getAnalyticsSettings(tx, workspaceId);
      const projection = new Projection(await projectionConfig(tx, workspaceId, settings.fcrWindowDays));
      await loadAgents(tx, workspaceId, projection);
      projection.checkpoint(now);
      await saveFacts(tx, workspaceId, projection, settings.timeZone);
    });
  }
}
