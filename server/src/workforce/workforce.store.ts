// The workforce module's queries: history figures read from the analytics facts (one workspace,
// one window of instants) and the simulations table. Every function takes the workspace id.
import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { analyticsConversations, analyticsSegments } from '../analytics/analytics.schema.ts';
import { queryRows, type DbOrTx } from '../platform/db/client.ts';
import type { SimulationResult } from './des.ts';
import type { Scenario } from './scenario.ts';
import { workforceSimulations } from './workforce.schema.ts';

export type SimulationRow = typeof workforceSimulations.$inferSelect;

const iso = (d: Date) => d.toISOString();

/** Arrivals (segments not transferred in) per channel, queue and UTC quarter hour started in [from, to). */
export async function arrivalsByQuarter(db: DbOrTx, workspaceId: string, from: Date, to: Date): Promise<Array<{ channel: string; queueId: string; bucketMs: number; count: number }>> {
  // Quarter hours in UTC nest inside the local quarter hours of every zone in use (all offsets are
  // whole quarter hours), so the service can fold them into local slots of 15 or 30 minutes.
  const rows = await queryRows<{ channel: string; queue_id: string; bucket: string | number; n: string | number }>(db, sql`
    select ${analyticsSegments.channel} as channel, ${analyticsSegments.queueId} as queue_id,
           floor(extract(epoch from ${analyticsSegments.startedAt}) / 900)::bigint * 900000 as bucket, count(*)::int as n
    from ${analyticsSegments}
    where ${analyticsSegments.workspaceId} = ${workspaceId} and not ${analyticsSegments.transferredIn}
      and ${analyticsSegments.startedAt} >= ${iso(from)}::timestamptz and ${analyticsSegments.startedAt} < ${iso(to)}::timestamptz
    group by 1, 2, 3`);
  return rows.map((r) => ({ channel: r.channel, queueId: r.queue_id, bucketMs: Number(r.bucket), count: Number(r.n) }));
}

/**
 * Handle time (answer to end, after-contact work included) of answered arrivals started in [from,
 * to); like the arrival counts, segments transferred in are left out.
 */
export async function handleTimeStats(db: DbOrTx, workspaceId: string, from: Date, to: Date): Promise<Array<{ channel: string; queueId: string; n: number; meanSeconds: number; sdSeconds: number | null }>> {
  const seconds = sql`extract(epoch from (${analyticsSegments.endedAt} - ${analyticsSegments.answeredAt}))`;
  const rows = await queryRows<{ channel: string; queue_id: string; n: string | number; mean: string | number; sd: string | number | null }>(db, sql`
    select ${analyticsSegments.channel} as channel, ${analyticsSegments.queueId} as queue_id, count(*)::int as n,
           avg(${seconds})::float8 as mean, stddev_samp(${seconds})::float8 as sd
    from ${analyticsSegments}
    where ${analyticsSegments.workspaceId} = ${workspaceId} and not ${analyticsSegments.transferredIn} and ${analyticsSegments.outcome} = 'answered'
      and ${analyticsSegments.answeredAt} is not null and ${analyticsSegments.endedAt} is not null
      and ${analyticsSegments.startedAt} >= ${iso(from)}::timestamptz and ${analyticsSegments.startedAt} < ${iso(to)}::timestamptz
    group by 1, 2`);
  return rows.map((r) => ({ channel: r.channel, queueId: r.queue_id, n: Number(r.n), meanSeconds: Number(r.mean), sdSeconds: r.sd === null ? null : Number(r.sd) }));
}

/**
 * Waiting of finished arrivals started in [from, to): how many ended, how many abandoned, and the
 * total time all of them waited (to the answer, or to the end for those never answered).
 */
export async function waitingStats(db: DbOrTx, workspaceId: string, from: Date, to: Date): Promise<Array<{ channel: string; queueId: string; finished: number; abandoned: number; waitSeconds: number }>> {
  const waitedUntil = sql`coalesce(${analyticsSegments.answeredAt}, ${analyticsSegments.endedAt})`;
  const rows = await queryRows<{ channel: string; queue_id: string; finished: string | number; abandoned: string | number; wait: string | number | null }>(db, sql`
    select ${analyticsSegments.channel} as channel, ${analyticsSegments.queueId} as queue_id, count(*)::int as finished,
           (count(*) filter (where ${analyticsSegments.outcome} = 'abandoned'))::int as abandoned,
           sum(greatest(0, extract(epoch from (${waitedUntil} - ${analyticsSegments.startedAt}))))::float8 as wait
    from ${analyticsSegments}
    where ${analyticsSegments.workspaceId} = ${workspaceId} and not ${analyticsSegments.transferredIn}
      and ${analyticsSegments.outcome} is not null and ${waitedUntil} is not null
      and ${analyticsSegments.startedAt} >= ${iso(from)}::timestamptz and ${analyticsSegments.startedAt} < ${iso(to)}::timestamptz
    group by 1, 2`);
  return rows.map((r) => ({ channel: r.channel, queueId: r.queue_id, finished: Number(r.finished), abandoned: Number(r.abandoned), waitSeconds: Number(r.wait ?? 0) }));
}

/** Conversations per channel created in [from, to), and how many a self-service flow contained. */
export async function selfServiceByChannel(db: DbOrTx, workspaceId: string, from: Date, to: Date): Promise<Array<{ channel: string; conversations: number; contained: number }>> {
  const rows = await queryRows<{ channel: string; conversations: string | number; contained: string | number }>(db, sql`
    select ${analyticsConversations.channel} as channel, count(*)::int as conversations,
           (count(*) filter (where ${analyticsConversations.selfServiceContained} > 0))::int as contained
    from ${analyticsConversations}
    where ${analyticsConversations.workspaceId} = ${workspaceId}
      and ${analyticsConversations.createdAt} >= ${iso(from)}::timestamptz and ${analyticsConversations.createdAt} < ${iso(to)}::timestamptz
    group by 1`);
  return rows.map((r) => ({ channel: r.channel, conversations: Number(r.conversations), contained: Number(r.contained) }));
}

// ---------------------------------------------------------------- simulations

export async function insertSimulation(db: DbOrTx, row: { id: string; workspaceId: string; name: string; scenario: Scenario; createdBy: string; createdAt: Date }): Promise<SimulationRow> {
  const [inserted] = await db.insert(workforceSimulations).values({ ...row, status: 'queued', progress: 0 }).returning();
  return inserted!;
}

/** The newest first, without scenario and result (the list stays small). */
export async function listSimulations(db: DbOrTx, workspaceId: string, limit: number) {
  const { scenario: _scenario, result: _result, ...columns } = getTableColumns(workforceSimulations);
  return db.select(columns).from(workforceSimulations).where(eq(workforceSimulations.workspaceId, workspaceId)).orderBy(desc(workforceSimulations.createdAt), desc(workforceSimulations.id)).limit(limit);
}

export async function getSimulation(db: DbOrTx, workspaceId: string, id: string): Promise<SimulationRow | undefined> {
  const [row] = await db.select().from(workforceSimulations).where(and(eq(workforceSimulations.workspaceId, workspaceId), eq(workforceSimulations.id, id)));
  return row;
}

export async function deleteSimulation(db: DbOrTx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.delete(workforceSimulations).where(and(eq(workforceSimulations.workspaceId, workspaceId), eq(workforceSimulations.id, id))).returning({ id: workforceSimulations.id });
  return rows.length > 0;
}

export async function countUnfinished(db: DbOrTx, workspaceId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`
    select count(*)::int as n from ${workforceSimulations}
    where ${workforceSimulations.workspaceId} = ${workspaceId} and ${workforceSimulations.status} in ('queued', 'running')`);
  return Number(row?.n ?? 0);
}

/**
 * Claims the oldest queued simulation, or a running one whose lease ran out (its node died), for
 * this node. SKIP LOCKED: two nodes never claim the same row.
 */
export async function claimSimulation(db: DbOrTx, nodeId: string, now: Date, leaseMs: number): Promise<SimulationRow | undefined> {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  const t = workforceSimulations;
  const claimed = await queryRows<{ id: string }>(db, sql`
    update ${t} set status = 'running', lease_node = ${nodeId}, lease_until = ${iso(leaseEnd)}::timestamptz,
           attempts = ${t.attempts} + 1, started_at = coalesce(${t.startedAt}, ${iso(now)}::timestamptz)
    where ${t.id} = (
      select ${t.id} from ${t}
      where ${t.status} = 'queued' or (${t.status} = 'running' and ${t.leaseUntil} < ${iso(now)}::timestamptz)
      order by ${t.createdAt}
      limit 1
      for update skip locked
    )
    returning ${t.id} as id`);
  const id = claimed[0]?.id;
  if (!id) return undefined;
  const [row] = await db.select().from(t).where(eq(t.id, id));
  return row;
}

/** Progress and a renewed lease; false when the row is gone or another node holds it now. */
export async function reportProgress(db: DbOrTx, id: string, nodeId: string, progress: number, leaseUntil: Date): Promise<boolean> {
  const t = workforceSimulations;
  const rows = await db
    .update(t)
    .set({ progress, leaseUntil })
    .where(and(eq(t.id, id), eq(t.status, 'running'), eq(t.leaseNode, nodeId)))
    .returning({ id: t.id });
  return rows.length > 0;
}

export async function finishSimulation(db: DbOrTx, id: string, nodeId: string, outcome: { result: SimulationResult } | { error: string }, now: Date): Promise<boolean> {
  const t = workforceSimulations;
  const values = 'result' in outcome
    ? { status: 'done' as const, progress: 1, result: outcome.result, error: null }
    : { status: 'failed' as const, error: outcome.error.slice(0, 2000) };
  const rows = await db
    .update(t)
    .set({ ...values, finishedAt: now, leaseNode: null, leaseUntil: null })
    .where(and(eq(t.id, id), eq(t.status, 'running'), eq(t.leaseNode, nodeId)))
    .returning({ id: t.id });
  return rows.length > 0;
}

/** Hands a running simulation back to the queue (this node is stopping). */
export async function releaseSimulation(db: DbOrTx, id: string, nodeId: string): Promise<void> {
  const t = workforceSimulations;
  await db
    .update(t)
    .set({ status: 'queued', leaseNode: null, leaseUntil: null, attempts: sql`greatest(0, ${t.attempts} - 1)` })
    .where(and(eq(t.id, id), eq(t.status, 'running'), eq(t.leaseNode, nodeId)));
}
