// Reports benchmark (server/src/analytics): a year of history, then the standard reports.
//
// 1. Loads a year (BENCH_REPORT_CONVERSATIONS, default 1,000,000 conversations with 5 messages
//    each, so 5,000,000 messages) into the raw tables with set-based SQL, and the analytics facts as
//    the projector would have written them for that history (one contact segment per conversation,
//    3 % transferred into a second one; surveys, outcomes, self-service), plus agents' time.
// 2. Builds the 15-minute and day rollups of the whole year with the production rebuild
//    (`rebuildRollups`), and times it.
// 3. Times the projector itself on a day of fresh events (events/s), the incremental path.
// 4. Runs each standard report (`runKpiReport`) 20 times and prints p50/p95, next to a baseline
//    measured in the same run: the year-by-month figures computed on request from the raw
//    conversations and messages, as reporting without rollups does.
//
//   npm run bench -- reports            (PGlite in a temporary folder)
//   DATABASE_URL=postgres://… npm run bench -- reports
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { projectAnalytics } from '../../server/src/analytics/projector.ts';
import { rebuildRollups, DEFAULT_ANALYTICS_SETTINGS } from '../../server/src/analytics/facts.store.ts';
import { runKpiReport, type KpiQuery } from '../../server/src/analytics/reports.ts';
import { createWorkspace } from '../../server/src/platform/auth/auth.service.ts';
import { loadConfig } from '../../server/src/platform/config.ts';
import { openPglite, openPostgres, queryRows } from '../../server/src/platform/db/client.ts';
import { createPlatform } from '../../server/src/platform/create.ts';
import { appendEvent, inTransaction } from '../../server/src/platform/events/events.ts';

const CONVERSATIONS = Number(process.env.BENCH_REPORT_CONVERSATIONS ?? 1_000_000);
const MESSAGES_PER_CONVERSATION = 5;
const AGENTS = 200;
const CUSTOMERS = Math.max(1000, Math.round(CONVERSATIONS / 4));
const RUNS = 20;
/** The baseline reads the whole raw history each time: a few runs are enough. */
const BASELINE_RUNS = 3;
const YEAR_START = new Date('2025-11-01T00:00:00+01:00');
const YEAR_END = new Date('2026-11-01T00:00:00+01:00');

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await fn();
  process.stdout.write(`  ${label}: ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  return result;
}

export async function reportsBenchmark(): Promise<void> {
  // A year of history wants a real PostgreSQL: DATABASE_URL, else a throwaway cluster when the
  // machine has PostgreSQL installed, else PGlite in memory (slow to load at this size).
  const throwawayModule: string = '../../scripts/throwaway-pg.mjs';
  const throwaway = (await import(throwawayModule)) as {
    findPostgresBin(): string | undefined;
    startThrowawayPostgres(): Promise<{ url: string; dir: string }>;
    stopThrowawayPostgres(dir: string): void;
  };
  const cluster = !process.env.DATABASE_URL && throwaway.findPostgresBin() ? await throwaway.startThrowawayPostgres() : undefined;
  const url = process.env.DATABASE_URL || cluster?.url;
  const database = url ? await openPostgres(url) : await openPglite(undefined);
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', HOORN_SEED_DEMO: 'false', HOORN_SECRET: 'bench-secret-bench-secret-bench-secret-1' }), webDist: undefined };
  const p = await createPlatform(config, { database, log: pino({ level: 'silent' }) });
  const ws = (await createWorkspace(p, { slug: `bench-reports-${randomUUID().slice(0, 8)}`, name: 'Bench reports' })).id;
  const db = p.db;
  process.stdout.write(`\nReports benchmark on ${database.kind}${cluster ? ' (a throwaway cluster)' : ''}: ${CONVERSATIONS.toLocaleString('en')} conversations, ${(CONVERSATIONS * MESSAGES_PER_CONVERSATION).toLocaleString('en')} messages, ${AGENTS} agents, one year\n`);

  // --- 1. The year's history ---
  const yearSeconds = (YEAR_END.getTime() - YEAR_START.getTime()) / 1000;
  await timed('channels, queues, agents, customers', async () => {
    await db.execute(sql`
      insert into channels (id, workspace_id, type, name, config, created_at)
      select gen_random_uuid(), ${ws}, t, 'Bench ' || t, '{}'::jsonb, now()
        from unnest(array['webchat','email','whatsapp','voice','sms']) t`);
    await db.execute(sql`
      insert into routing_queues (id, workspace_id, name, created_at)
      select gen_random_uuid(), ${ws}, 'Queue ' || t, now() from unnest(array['webchat','email','whatsapp','voice','sms']) t`);
    await db.execute(sql`
      insert into users (id, workspace_id, email, name, role, password_hash, created_at)
      select gen_random_uuid(), ${ws}, 'agent' || g || '@bench.nl', 'Agent ' || g, 'agent', 'x', now() from generate_series(1, ${AGENTS}) g`);
    await db.execute(sql`
      insert into routing_agents (workspace_id, user_id, attributes, presence_since)
      select ${ws}, id, jsonb_build_object('team', 'Team ' || (abs(hashtext(id::text)) % 10)), now() from users where workspace_id = ${ws}`);
    await db.execute(sql`
      insert into customers (id, workspace_id, name, created_at, updated_at)
      select gen_random_uuid(), ${ws}, 'Klant ' || g, now(), now() from generate_series(1, ${CUSTOMERS}) g`);
  });
  // Helper relations with row numbers, so generated rows can pick "random" related rows by hash.
  await db.execute(sql`create temp table bench_channels as select row_number() over (order by type) - 1 as n, id, type from channels where workspace_id = ${ws}`);
  await db.execute(sql`create temp table bench_queues as select row_number() over (order by name) - 1 as n, id from routing_queues where workspace_id = ${ws}`);
  await db.execute(sql`create temp table bench_agents as select row_number() over (order by u.id) - 1 as n, u.id, a.attributes->>'team' as team from users u join routing_agents a on a.user_id = u.id where u.workspace_id = ${ws}`);
  await db.execute(sql`create temp table bench_customers as select row_number() over (order by id) - 1 as n, id from customers where workspace_id = ${ws}`);
  for (const table of ['bench_channels', 'bench_queues', 'bench_agents', 'bench_customers']) {
    await db.execute(sql.raw(`create index on ${table} (n); create index on ${table} (id); analyze ${table}`));
  }

  await timed(`${CONVERSATIONS.toLocaleString('en')} conversations`, () =>
    db.execute(sql`
      insert into conversations (id, workspace_id, channel_id, channel_type, customer_id, status, queue, last_activity_at, created_at, resolved_at)
      select gen_random_uuid(), ${ws}, ch.id, ch.type, cu.id, case when g % 10 = 0 then 'open' else 'resolved' end, null,
             t.at + interval '20 minutes', t.at, case when g % 10 = 0 then null else t.at + interval '20 minutes' end
        from generate_series(1, ${CONVERSATIONS}) g
        cross join lateral (select ${YEAR_START}::timestamptz + ((g::float8 / ${CONVERSATIONS}) * ${yearSeconds}) * interval '1 second' as at) t
        join bench_channels ch on ch.n = (abs(hashtext('c' || g)) % 5)
        join bench_customers cu on cu.n = (abs(hashtext('k' || g)) % ${CUSTOMERS})`),
  );
  await timed(`${(CONVERSATIONS * MESSAGES_PER_CONVERSATION).toLocaleString('en')} messages`, () =>
    db.execute(sql`
      insert into messages (id, workspace_id, conversation_id, channel_id, direction, author_type, body, status, created_at)
      select gen_random_uuid(), ${ws}, c.id, c.channel_id, case when m % 2 = 1 then 'inbound' else 'outbound' end,
             case when m % 2 = 1 then 'customer' else 'agent' end, 'Bericht ' || m || ' over bestelling', case when m % 2 = 1 then 'received' else 'sent' end,
             c.created_at + m * interval '3 minutes'
        from conversations c cross join generate_series(1, ${MESSAGES_PER_CONVERSATION}) m
       where c.workspace_id = ${ws}`),
  );
  // The facts the projector would have written for this history.
  await timed('analytics facts (segments, conversations)', async () => {
    // Only for this load (the projector finds segments by task): conversations to their segment.
    await db.execute(sql`create index bench_segments_conversation on analytics_segments (conversation_id)`);
    await db.execute(sql`
      insert into analytics_segments (workspace_id, task_id, seq, conversation_id, channel, queue_id, agent_id, team, started_at, answered_at, wrap_at, ended_at, outcome, end_reason, in_service_level, transferred_in, transferred_out)
      select ${ws}, gen_random_uuid(), 1, c.id, c.channel_type, q.id::text,
             case when x.abandoned then '' else a.id::text end, case when x.abandoned then '' else a.team end,
             c.created_at,
             case when x.abandoned then null else c.created_at + x.wait * interval '1 second' end,
             case when x.abandoned then null else c.created_at + (x.wait + x.handle) * interval '1 second' end,
             c.created_at + (x.wait + x.handle + 30) * interval '1 second',
             case when x.abandoned then 'abandoned' else 'answered' end, case when x.abandoned then 'abandoned' else null end,
             not x.abandoned and x.wait <= 30, false, false
        from conversations c
        cross join lateral (select abs(hashtext(c.id::text)) as h) hh
        cross join lateral (select (hh.h % 100) < 8 as abandoned, hh.h % 120 as wait, 120 + hh.h % 780 as handle) x
        join bench_channels ch on ch.id = c.channel_id
        join bench_queues q on q.n = ch.n
        join bench_agents a on a.n = (hh.h % ${AGENTS})
       where c.workspace_id = ${ws}`);
    await db.execute(sql`
      insert into analytics_conversations (workspace_id, conversation_id, customer_id, channel, queue_id, agent_id, team, created_at, first_response_at, resolved_at, reopened, repeat_contact, self_service_runs, self_service_contained, csat, nps, outcomes, sla_breaches)
      select ${ws}, c.id, c.customer_id, c.channel_type, s.queue_id, s.agent_id, s.team, c.created_at,
             case when s.answered_at is null then null else s.answered_at + interval '40 seconds' end,
             c.resolved_at, h % 50 = 0, h % 20 = 1, (h % 10 < 3)::int, (h % 10 < 2)::int,
             case when h % 5 = 0 then 1 + h % 5 + (h / 7) % 2 else null end, case when h % 10 = 3 then h % 11 else null end,
             case when h % 10 = 4 then jsonb_build_object(s.task_id::text, jsonb_build_object('outcome', 'sale', 'amount', 20 + h % 180, 'currency', 'EUR', 'agentId', s.agent_id)) else '{}'::jsonb end,
             (h % 40 = 0)::int
        from conversations c
        join analytics_segments s on s.workspace_id = ${ws} and s.conversation_id = c.id
        cross join lateral (select abs(hashtext(c.id::text || 'x')) as h) hh
       where c.workspace_id = ${ws}`);
    // 3 % are transferred: the first segment ends in a transfer, a second one follows.
    await db.execute(sql`
      insert into analytics_segments (workspace_id, task_id, seq, conversation_id, channel, queue_id, agent_id, team, started_at, answered_at, ended_at, outcome, in_service_level, transferred_in)
      select s.workspace_id, s.task_id, 2, s.conversation_id, s.channel, s.queue_id, a.id::text, a.team, s.ended_at, s.ended_at + interval '15 seconds', s.ended_at + interval '5 minutes', 'answered', true, true
        from analytics_segments s join bench_agents a on a.n = (abs(hashtext(s.task_id::text)) % ${AGENTS})
       where s.workspace_id = ${ws} and s.outcome = 'answered' and abs(hashtext(s.task_id::text)) % 100 < 3`);
    await db.execute(sql`drop index bench_segments_conversation`);
    await db.execute(sql`update analytics_segments set outcome = 'transferred', transferred_out = true where workspace_id = ${ws} and seq = 1 and task_id in (select task_id from analytics_segments where workspace_id = ${ws} and seq = 2)`);
  });
  await timed('agent time (weekdays 08:00-17:00 local)', async () => {
    await db.execute(sql`
      insert into analytics_agent_time_15m (workspace_id, bucket, agent_id, team, logged_in_ms, available_ms, busy_ms, occupiable_ms)
      select ${ws}, b, a.id::text, a.team, 900000, 900000 - busy, busy, 900000
        from bench_agents a
        cross join generate_series(${YEAR_START}::timestamptz, ${YEAR_END}::timestamptz - interval '15 minutes', interval '15 minutes') b
        cross join lateral (select (abs(hashtext(a.id::text || b::text)) % 900000)::bigint as busy) x
       where extract(isodow from b at time zone 'Europe/Amsterdam') < 6
         and extract(hour from b at time zone 'Europe/Amsterdam') between 8 and 16
         and abs(hashtext(a.id::text || (b at time zone 'Europe/Amsterdam')::date::text)) % 10 < 7`);
    await db.execute(sql`
      insert into analytics_agent_time_day (workspace_id, day, agent_id, team, logged_in_ms, available_ms, busy_ms, occupiable_ms)
      select workspace_id, (bucket at time zone 'Europe/Amsterdam')::date, agent_id, team, sum(logged_in_ms), sum(available_ms), sum(busy_ms), sum(occupiable_ms)
        from analytics_agent_time_15m where workspace_id = ${ws} group by 1, 2, 3, 4`);
  });
  await db.execute(sql`analyze`);

  // --- 2. Rollups of the whole year, with the production rebuild ---
  const quarter = 15 * 60_000;
  const buckets: number[] = [];
  for (let b = YEAR_START.getTime(); b < YEAR_END.getTime(); b += quarter) buckets.push(b);
  const rebuildStart = performance.now();
  await db.transaction((tx) => rebuildRollups(tx, ws, buckets, DEFAULT_ANALYTICS_SETTINGS));
  const rebuildSeconds = (performance.now() - rebuildStart) / 1000;
  await db.execute(sql`analyze`);
  const [counts] = await queryRows<{ quarters: number; days: number; team_days: number; agent_days: number }>(
    db,
    sql`select (select count(*) from analytics_rollup_15m where workspace_id = ${ws})::int as quarters, (select count(*) from analytics_rollup_day where workspace_id = ${ws})::int as days,
               (select count(*) from analytics_rollup_day_team where workspace_id = ${ws})::int as team_days, (select count(*) from analytics_rollup_day_agent where workspace_id = ${ws})::int as agent_days`,
  );
  const n = (value: number | undefined) => (value ?? 0).toLocaleString('en');
  process.stdout.write(
    `  rollups of the year rebuilt: ${rebuildSeconds.toFixed(1)} s (${n(counts?.quarters)} 15-minute rows; day rows: ${n(counts?.days)} full, ${n(counts?.team_days)} without agents, ${n(counts?.agent_days)} by agent)\n`,
  );

  // --- 3. The projector on a day of fresh events ---
  const eventsPerDay = Math.round(CONVERSATIONS / 365);
  const day = new Date(YEAR_END.getTime() + 9 * 3_600_000);
  await projectAnalytics(p); // the set-up's own events
  const agents = await queryRows<{ id: string }>(db, sql`select id::text from bench_agents order by n limit 50`);
  let written = 0;
  for (let i = 0; i < eventsPerDay; i += 50) {
    await inTransaction(p, async (tx) => {
      for (let j = i; j < Math.min(eventsPerDay, i + 50); j++) {
        const conversationId = randomUUID();
        const taskId = randomUUID();
        const agentId = agents[j % agents.length]!.id;
        const at = (s: number) => new Date(day.getTime() + j * 20_000 + s * 1000);
        const ev = async (type: string, subjectId: string, payload: Record<string, unknown>, s: number) => {
          await appendEvent(tx, { workspaceId: ws, type, subjectType: type.startsWith('routing.') ? 'routing_task' : 'conversation', subjectId, payload, actorId: type === 'message.queued' ? agentId : 'routing', at: at(s) });
          written++;
        };
        await ev('conversation.created', conversationId, { channelType: 'webchat', customerId: randomUUID() }, 0);
        await ev('routing.task_created', taskId, { taskId, conversationId, channel: 'webchat' }, 0);
        await ev('routing.task_queued', taskId, { taskId, conversationId, queueId: randomUUID(), reason: 'created' }, 0);
        await ev('routing.assigned', taskId, { taskId, conversationId, agentId, waitedMs: 12_000 }, 12);
        await ev('message.queued', conversationId, { messageId: randomUUID(), channelType: 'webchat' }, 40);
        await ev('conversation.status_changed', conversationId, { from: 'open', to: 'resolved' }, 300);
        await ev('routing.task_ended', taskId, { taskId, conversationId, state: 'completed', reason: null }, 300);
      }
    });
  }
  const projectStart = performance.now();
  const projected = await projectAnalytics(p);
  const projectSeconds = (performance.now() - projectStart) / 1000;
  process.stdout.write(`  projector: ${projected.toLocaleString('en')} events of a day (${eventsPerDay.toLocaleString('en')} conversations) in ${projectSeconds.toFixed(2)} s = ${Math.round(projected / projectSeconds).toLocaleString('en')} events/s (${written} written)\n`);

  // --- 4. Report latency ---
  const last30 = new Date('2026-10-02T00:00:00+02:00');
  const oneDay = new Date('2026-10-14T00:00:00+02:00');
  const oneWeek = new Date('2026-10-12T00:00:00+02:00');
  const reports: Array<{ name: string; query: KpiQuery }> = [
    { name: 'year by month', query: { from: YEAR_START, to: YEAR_END, interval: 'month', groupBy: 'none' } },
    { name: 'year channel mix', query: { from: YEAR_START, to: YEAR_END, interval: 'total', groupBy: 'channel' } },
    { name: 'year agent league', query: { from: YEAR_START, to: YEAR_END, interval: 'total', groupBy: 'agent' } },
    { name: 'year by week per team', query: { from: YEAR_START, to: YEAR_END, interval: 'week', groupBy: 'team' } },
    { name: '30 days by day', query: { from: last30, to: YEAR_END, interval: 'day', groupBy: 'none' } },
    { name: 'one day by 15 min', query: { from: oneDay, to: new Date(oneDay.getTime() + 86_400_000), interval: '15m', groupBy: 'none' } },
    { name: 'one week by hour per queue', query: { from: oneWeek, to: new Date(oneWeek.getTime() + 7 * 86_400_000), interval: 'hour', groupBy: 'queue' } },
  ];
  const measure = async (fn: () => Promise<unknown>, runs = RUNS) => {
    await fn();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await fn();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
  };
  // Baseline: the year by month from the raw history on request (volume, first response from the
  // messages, resolution), the way a report without rollups has to answer.
  const baseline = await measure(() =>
    queryRows(
      db,
      sql`select date_trunc('month', c.created_at at time zone 'Europe/Amsterdam') as month, count(*) as conversations,
                 count(*) filter (where c.status = 'resolved') as resolved,
                 avg(extract(epoch from c.resolved_at - c.created_at)) as resolution,
                 avg(extract(epoch from m.first_out - c.created_at)) as first_response
            from conversations c
            left join lateral (select min(created_at) as first_out from messages where workspace_id = c.workspace_id and conversation_id = c.id and direction = 'outbound') m on true
           where c.workspace_id = ${ws} and c.created_at >= ${YEAR_START} and c.created_at < ${YEAR_END}
           group by 1 order by 1`,
    ),
    BASELINE_RUNS,
  );
  const lines: string[][] = [];
  let worstP95 = 0;
  for (const report of reports) {
    const result = await measure(() => runKpiReport(p, ws, report.query));
    worstP95 = Math.max(worstP95, result.p95);
    lines.push([report.name, result.p50.toFixed(1), result.p95.toFixed(1), (baseline.p95 / result.p95).toFixed(1)]);
  }
  lines.push(['baseline: year by month from raw conversations + messages', baseline.p50.toFixed(1), baseline.p95.toFixed(1), '1.0']);
  const header = ['report', 'p50 ms', 'p95 ms', 'baseline p95 / this p95'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`);
  process.stdout.write(`\nGoal: every standard report under 500 ms p95: ${worstP95 < 500 ? 'met' : 'NOT met'} (worst p95 ${worstP95.toFixed(1)} ms)\n`);
  await p.close();
  if (cluster) throwaway.stopThrowawayPostgres(cluster.dir);
}
