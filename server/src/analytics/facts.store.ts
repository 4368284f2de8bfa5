import { and, eq, getTableColumns, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { queryRows, type DbOrTx, type Tx } from '../platform/db/client.ts';
import {
  analyticsAgentStates,
  analyticsAgentTime15m,
  analyticsAgentTimeDay,
  analyticsConversations,
  analyticsSegments,
  analyticsSettings,
} from './analytics.schema.ts';
import { bucketOf, splitByBucket, type AgentState, type AgentTimePiece, type ConversationFact, type Projection, type Segment, type SegmentOutcome } from './facts.ts';

export interface AnalyticsSettings {
  timeZone: string;
  currency: string;
  costPerAgentHour: number;
  fcrWindowDays: number;
}

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsSettings = { timeZone: 'Europe/Amsterdam', currency: 'EUR', costPerAgentHour: 35, fcrWindowDays: 7 };

export async function getAnalyticsSettings(db: DbOrTx, workspaceId: string): Promise<AnalyticsSettings> {
  const [row] = await db.select().from(analyticsSettings).where(eq(analyticsSettings.workspaceId, workspaceId));
  return row ? { timeZone: row.timeZone, currency: row.currency, costPerAgentHour: row.costPerAgentHour, fcrWindowDays: row.fcrWindowDays } : DEFAULT_ANALYTICS_SETTINGS;
}

export async function saveAnalyticsSettings(tx: Tx, workspaceId: string, settings: AnalyticsSettings, now: Date): Promise<void> {
  await tx
    .insert(analyticsSettings)
    .values({ workspaceId, ...settings, updatedAt: now })
    .onConflictDoUpdate({ target: analyticsSettings.workspaceId, set: { ...settings, updatedAt: now } });
}

/** `set` for an upsert: every given column takes the proposed row's value. */
function excluded(columns: Record<string, PgColumn>): Record<string, SQL> {
  return Object.fromEntries(Object.entries(columns).map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]));
}

function columnsOf(table: PgTable, except: string[]): Record<string, PgColumn> {
  return Object.fromEntries(Object.entries(getTableColumns(table)).filter(([key]) => !except.includes(key)));
}

/** Loads the facts a batch of one workspace's events touches into the projection. */
export async function loadFacts(
  tx: Tx,
  workspaceId: string,
  projection: Projection,
  needed: { taskIds: Set<string>; conversationIds: Set<string>; customerIds: Set<string>; agentIds: Set<string> },
  repeatSince: Date,
): Promise<void> {
  if (needed.taskIds.size) {
    const rows = await tx
      .select()
      .from(analyticsSegments)
      .where(and(eq(analyticsSegments.workspaceId, workspaceId), inArray(analyticsSegments.taskId, [...needed.taskIds])))
      .orderBy(analyticsSegments.taskId, analyticsSegments.seq);
    for (const row of rows) {
      const { workspaceId: _w, ...segment } = row;
      const list = projection.segments.get(row.taskId) ?? [];
      list.push({ ...segment, outcome: segment.outcome as SegmentOutcome | null });
      projection.segments.set(row.taskId, list);
    }
  }
  const conversationRows = [];
  if (needed.conversationIds.size) {
    conversationRows.push(
      ...(await tx
        .select()
        .from(analyticsConversations)
        .where(and(eq(analyticsConversations.workspaceId, workspaceId), inArray(analyticsConversations.conversationId, [...needed.conversationIds])))),
    );
  }
  if (needed.customerIds.size) {
    // Earlier resolutions of returning customers: their first-contact resolution may be undone.
    conversationRows.push(
      ...(await tx
        .select()
        .from(analyticsConversations)
        .where(
          and(
            eq(analyticsConversations.workspaceId, workspaceId),
            inArray(analyticsConversations.customerId, [...needed.customerIds]),
            gte(analyticsConversations.resolvedAt, repeatSince),
          ),
        )),
    );
  }
  for (const row of conversationRows) {
    const { workspaceId: _w, ...fact } = row;
    projection.conversations.set(row.conversationId, fact);
  }
  // The agents of loaded segments too: a task's end releases its agent without naming them.
  const agentIds = new Set(needed.agentIds);
  for (const list of projection.segments.values()) for (const s of list) if (s.agentId) agentIds.add(s.agentId);
  if (agentIds.size) await loadAgents(tx, workspaceId, projection, [...agentIds]);
}

export async function loadAgents(tx: DbOrTx, workspaceId: string, projection: Projection, agentIds?: string[]): Promise<void> {
  const rows = await tx
    .select()
    .from(analyticsAgentStates)
    .where(and(eq(analyticsAgentStates.workspaceId, workspaceId), agentIds ? inArray(analyticsAgentStates.agentId, agentIds) : undefined));
  for (const row of rows) {
    const { workspaceId: _w, ...state } = row;
    projection.agents.set(row.agentId, state);
  }
}

/** Writes back what changed; answers the 15-minute buckets whose rollups must be rebuilt. */
export async function saveFacts(tx: Tx, workspaceId: string, projection: Projection, timeZone: string): Promise<Set<number>> {
  const touched = new Set<number>();
  const segments = [...projection.changedSegments];
  for (const chunk of chunks(segments, 500)) {
    await tx
      .insert(analyticsSegments)
      .values(chunk.map((s: Segment) => ({ workspaceId, ...s })))
      .onConflictDoUpdate({
        target: [analyticsSegments.workspaceId, analyticsSegments.taskId, analyticsSegments.seq],
        set: excluded(columnsOf(analyticsSegments, ['workspaceId', 'taskId', 'seq'])),
      });
  }
  for (const s of segments) touched.add(bucketOf(s.startedAt).getTime());
  const conversations = [...projection.changedConversations];
  for (const chunk of chunks(conversations, 500)) {
    await tx
      .insert(analyticsConversations)
      .values(chunk.map((c: ConversationFact) => ({ workspaceId, ...c })))
      .onConflictDoUpdate({
        target: [analyticsConversations.workspaceId, analyticsConversations.conversationId],
        set: excluded(columnsOf(analyticsConversations, ['workspaceId', 'conversationId'])),
      });
  }
  for (const c of conversations) touched.add(bucketOf(c.createdAt).getTime());
  const agents = [...projection.changedAgents];
  for (const chunk of chunks(agents, 500)) {
    await tx
      .insert(analyticsAgentStates)
      .values(chunk.map((a: AgentState) => ({ workspaceId, ...a })))
      .onConflictDoUpdate({
        target: [analyticsAgentStates.workspaceId, analyticsAgentStates.agentId],
        set: excluded(columnsOf(analyticsAgentStates, ['workspaceId', 'agentId'])),
      });
  }
  await addAgentTime(tx, workspaceId, projection.agentTime, timeZone);
  return touched;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The workspace's local date (YYYY-MM-DD) of an instant. */
export function localDay(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}

interface TimeSums {
  loggedInMs: number;
  availableMs: number;
  busyMs: number;
  occupiableMs: number;
}

/** Adds stretches of agent time to the 15-minute and day rows (additive, so nothing is rebuilt). */
async function addAgentTime(tx: Tx, workspaceId: string, pieces: AgentTimePiece[], timeZone: string): Promise<void> {
  if (!pieces.length) return;
  const quarters = new Map<string, { bucket: Date; agentId: string; team: string } & TimeSums>();
  const days = new Map<string, { day: string; agentId: string; team: string } & TimeSums>();
  const add = (sums: TimeSums, piece: AgentTimePiece, ms: number) => {
    if (piece.loggedIn) sums.loggedInMs += ms;
    if (piece.available) sums.availableMs += ms;
    if (piece.busy) sums.busyMs += ms;
    if (piece.available || piece.busy) sums.occupiableMs += ms;
  };
  for (const piece of pieces) {
    for (const { bucket, ms } of splitByBucket(piece.from, piece.to)) {
      const qKey = `${bucket.getTime()}|${piece.agentId}|${piece.team}`;
      const q = quarters.get(qKey) ?? { bucket, agentId: piece.agentId, team: piece.team, loggedInMs: 0, availableMs: 0, busyMs: 0, occupiableMs: 0 };
      add(q, piece, ms);
      quarters.set(qKey, q);
      const day = localDay(bucket, timeZone);
      const dKey = `${day}|${piece.agentId}|${piece.team}`;
      const d = days.get(dKey) ?? { day, agentId: piece.agentId, team: piece.team, loggedInMs: 0, availableMs: 0, busyMs: 0, occupiableMs: 0 };
      add(d, piece, ms);
      days.set(dKey, d);
    }
  }
  const sumSet = (table: typeof analyticsAgentTime15m | typeof analyticsAgentTimeDay) => ({
    loggedInMs: sql`${table.loggedInMs} + excluded.logged_in_ms`,
    availableMs: sql`${table.availableMs} + excluded.available_ms`,
    busyMs: sql`${table.busyMs} + excluded.busy_ms`,
    occupiableMs: sql`${table.occupiableMs} + excluded.occupiable_ms`,
  });
  for (const chunk of chunks([...quarters.values()], 500)) {
    await tx
      .insert(analyticsAgentTime15m)
      .values(chunk.map((q) => ({ workspaceId, ...q })))
      .onConflictDoUpdate({ target: [analyticsAgentTime15m.workspaceId, analyticsAgentTime15m.bucket, analyticsAgentTime15m.agentId, analyticsAgentTime15m.team], set: sumSet(analyticsAgentTime15m) });
  }
  for (const chunk of chunks([...days.values()], 500)) {
    await tx
      .insert(analyticsAgentTimeDay)
      .values(chunk.map((d) => ({ workspaceId, ...d })))
      .onConflictDoUpdate({ target: [analyticsAgentTimeDay.workspaceId, analyticsAgentTimeDay.day, analyticsAgentTimeDay.agentId, analyticsAgentTimeDay.team], set: sumSet(analyticsAgentTimeDay) });
  }
}

const CONTACT_COLUMNS = [
  'offered', 'answered', 'abandoned', 'answered_in_sl', 'wait_ms', 'handled', 'handle_ms', 'acw_ms', 'transfers',
  'conversations', 'resolved', 'fcr', 'first_responses', 'first_response_ms', 'resolution_ms', 'ss_runs', 'ss_contained',
  'csat_n', 'csat_sum', 'csat_satisfied', 'nps_n', 'nps_promoters', 'nps_detractors', 'outcomes', 'sales', 'revenue', 'sla_breaches',
] as const;
export { CONTACT_COLUMNS };

const ms = (expression: string) => `coalesce(extract(epoch from ${expression}) * 1000, 0)::bigint`;
const saleKinds = `('sale','upsell','cross_sell')`;

/**
 * Rebuilds the 15-minute rollups of the given buckets from the facts, then the day rollups of the
 * local days they fall on. Segments count in the bucket the contact arrived in; conversations in the
 * bucket they opened in (so a late resolution or survey answer updates the day the contact came).
 */
export async function rebuildRollups(tx: Tx, workspaceId: string, buckets: Iterable<number>, settings: AnalyticsSettings): Promise<void> {
  const list = [...buckets].sort((a, b) => a - b);
  if (!list.length) return;
  const days = [...new Set(list.map((b) => localDay(new Date(b), settings.timeZone)))];
  for (const chunk of chunks(list, 5000)) {
    const literal = `{${chunk.map((b) => new Date(b).toISOString()).join(',')}}`;
    await tx.execute(sql`delete from analytics_rollup_15m where workspace_id = ${workspaceId} and bucket = any(${literal}::timestamptz[])`);
    const segmentColumns = [
      `(s.queue_id <> '')::int`,
      `(s.answered_at is not null)::int`,
      `coalesce(s.outcome = 'abandoned', false)::int`,
      `(s.answered_at is not null and s.in_service_level)::int`,
      ms('s.answered_at - s.started_at'),
      `(s.answered_at is not null and s.ended_at is not null)::int`,
      `case when s.answered_at is not null and s.ended_at is not null then ${ms('coalesce(s.wrap_at, s.ended_at) - s.answered_at')} else 0 end`,
      `case when s.wrap_at is not null and s.ended_at is not null then ${ms('s.ended_at - s.wrap_at')} else 0 end`,
      `s.transferred_out::int`,
      ...Array(16).fill('0'),
      '0::float8',
      '0',
    ];
    // A campaign conversation nobody answered is no contact: it counts in no service figure (its
    // revenue, if any, still counts). See facts.ts, ConversationOrigin.
    const contact = (expression: string) => `case when c.origin = 'campaign' then 0 else ${expression} end`;
    const conversationColumns = [
      ...Array(9).fill('0'),
      contact('1'),
      contact(`(c.resolved_at is not null)::int`),
      contact(`(c.resolved_at is not null and not c.reopened and not c.repeat_contact)::int`),
      contact(`(c.first_response_at is not null)::int`),
      contact(`case when c.first_response_at is not null then ${ms('c.first_response_at - c.created_at')} else 0 end`),
      contact(`case when c.resolved_at is not null then ${ms('c.resolved_at - c.created_at')} else 0 end`),
      'c.self_service_runs',
      'c.self_service_contained',
      `(c.csat is not null)::int`,
      `coalesce(c.csat, 0)`,
      `coalesce((c.csat >= 4)::int, 0)`,
      `(c.nps is not null)::int`,
      `coalesce((c.nps >= 9)::int, 0)`,
      `coalesce((c.nps <= 6)::int, 0)`,
      `(select count(*) from jsonb_each(c.outcomes))`,
      `(select count(*) from jsonb_each(c.outcomes) e(k, v) where v->>'outcome' in ${saleKinds})`,
      `(select coalesce(sum((v->>'amount')::float8), 0) from jsonb_each(c.outcomes) e(k, v) where coalesce(v->>'currency', $currency$) = $currency$)`,
      'c.sla_breaches',
    ].map((c) => c.replaceAll('$currency$', `'${settings.currency.replace(/[^A-Z]/g, '')}'`));
    const named = (columns: string[]) => columns.map((c, i) => `${c} as ${CONTACT_COLUMNS[i]}`).join(', ');
    const sums = CONTACT_COLUMNS.map((c) => `sum(${c})`).join(', ');
    await tx.execute(
      sql`with b as (select unnest(${literal}::timestamptz[]) as bucket),
          src as (
            select b.bucket, s.channel, s.queue_id, s.agent_id, s.team, ${sql.raw(named(segmentColumns))}
              from b join analytics_segments s on s.workspace_id = ${workspaceId} and s.started_at >= b.bucket and s.started_at < b.bucket + interval '15 minutes'
            union all
            select b.bucket, c.channel, c.queue_id, c.agent_id, c.team, ${sql.raw(named(conversationColumns))}
              from b join analytics_conversations c on c.workspace_id = ${workspaceId} and c.created_at >= b.bucket and c.created_at < b.bucket + interval '15 minutes'
          )
          insert into analytics_rollup_15m (workspace_id, bucket, channel, queue_id, agent_id, team, ${sql.raw(CONTACT_COLUMNS.join(', '))})
          select ${workspaceId}, bucket, channel, queue_id, agent_id, team, ${sql.raw(sums)}
            from src group by bucket, channel, queue_id, agent_id, team`,
    );
  }
  await rebuildDays(tx, workspaceId, days, list, settings.timeZone);
}

async function rebuildDays(tx: Tx, workspaceId: string, days: string[], buckets: number[], timeZone: string): Promise<void> {
  // One range scan of the 15-minute rows (by the primary key's workspace and bucket), a day either
  // side of the touched buckets so every local day is whole whatever the offset, kept to the days.
  const DAY_MS = 86_400_000;
  const from = new Date(buckets[0]! - DAY_MS);
  const to = new Date(buckets[buckets.length - 1]! + 2 * DAY_MS);
  for (const chunk of chunks(days, 1000)) {
    const literal = `{${chunk.join(',')}}`;
    const sums = CONTACT_COLUMNS.map((c) => `sum(r.${c})`).join(', ');
    await tx.execute(sql`delete from analytics_rollup_day where workspace_id = ${workspaceId} and day = any(${literal}::date[])`);
    await tx.execute(
      sql`insert into analytics_rollup_day (workspace_id, day, channel, queue_id, agent_id, team, ${sql.raw(CONTACT_COLUMNS.join(', '))})
          select ${workspaceId}, (r.bucket at time zone ${timeZone})::date, r.channel, r.queue_id, r.agent_id, r.team, ${sql.raw(sums)}
            from analytics_rollup_15m r
           where r.workspace_id = ${workspaceId} and r.bucket >= ${from} and r.bucket < ${to}
             and (r.bucket at time zone ${timeZone})::date = any(${literal}::date[])
           group by 2, 3, 4, 5, 6`,
    );
    // The same days without the agent, and by agent alone: the smaller tables most reports read.
    for (const [table, keys] of DAY_PROJECTIONS) {
      await tx.execute(sql`delete from ${sql.raw(table)} where workspace_id = ${workspaceId} and day = any(${literal}::date[])`);
      await tx.execute(
        sql`insert into ${sql.raw(table)} (workspace_id, day, ${sql.raw(keys)}, ${sql.raw(CONTACT_COLUMNS.join(', '))})
            select ${workspaceId}, r.day, ${sql.raw(keys)}, ${sql.raw(sums)}
              from analytics_rollup_day r
             where r.workspace_id = ${workspaceId} and r.day = any(${literal}::date[])
             group by r.day, ${sql.raw(keys)}`,
      );
    }
  }
}

/** The day rollups kept besides the full one, with the key columns each keeps. */
const DAY_PROJECTIONS: ReadonlyArray<readonly [string, string]> = [
  ['analytics_rollup_day_team', 'channel, queue_id, team'],
  ['analytics_rollup_day_agent', 'agent_id, team'],
];

/** Agents currently logged in or busy, for the periodic checkpoint of their time. */
export async function activeAgentWorkspaces(db: DbOrTx): Promise<string[]> {
  const rows = await queryRows<{ workspace_id: string }>(
    db,
    sql`select distinct workspace_id::text from analytics_agent_states where presence <> 'offline' or cardinality(tasks) > 0`,
  );
  return rows.map((r) => r.workspace_id);
}
