// Hoorn's benchmarks. Each compares Hoorn's mechanism with the bare operation it wraps,
// measured in the same run on the same database, so the ratio is the mechanism's own cost.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/platform/config.ts';
import { openPglite } from '../../server/src/platform/db/client.ts';
import { events, outbox } from '../../server/src/platform/db/schema.ts';
import { createPlatform } from '../../server/src/platform/create.ts';
import { createUser, createWorkspace } from '../../server/src/platform/auth/auth.service.ts';
import { appendEvent, inTransaction } from '../../server/src/platform/events/events.ts';
import { enqueueOutbox } from '../../server/src/platform/outbox/outbox.store.ts';
import { channelBenchmarks } from './channels.ts';
import { clvBenchmark } from './clv.ts';
import { inboxBenchmarks } from './inbox.ts';
import { opsPerSecond, printTable, type Row } from './measure.ts';
import { routingBenchmark } from './routing.ts';
import { reportsBenchmark } from './reports.ts';
import { routingServiceBenchmarks } from './routing-service.ts';
import { workforceBenchmark } from './workforce.ts';
import { simulateBenchmark } from './simulate.ts';

// `npm run bench -- routing` runs only the named benchmarks; no name runs all.
const KNOWN = ['routing', 'platform', 'clv', 'workforce', 'simulate', 'reports'];
const selected = process.argv.slice(2);
const unknown = selected.filter((name) => !KNOWN.includes(name));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${KNOWN.join(', ')}`);
if (selected.length === 0 || selected.includes('routing')) routingBenchmark(); // pure: no database
if (selected.length === 0 || selected.includes('clv')) clvBenchmark(); // pure: no database
if (selected.length === 0 || selected.includes('workforce')) workforceBenchmark(); // pure: no database
if (selected.length === 0 || selected.includes('simulate')) simulateBenchmark(); // pure: no database
// A year of history: minutes of loading, so only when asked for by name.
if (selected.includes('reports')) await reportsBenchmark();
if (selected.length > 0 && !selected.includes('platform')) process.exit(0);

const N = Number(process.env.BENCH_N ?? 2000);
const config = { ...loadConfig({ LOG_LEVEL: 'silent', HOORN_SEED_DEMO: 'false', HOORN_SECRET: 'bench-secret-bench-secret-bench-secret-1' }), webDist: undefined };
const p = await createPlatform(config, { database: await openPglite(undefined), log: pino({ level: 'silent' }) });
const workspace = await createWorkspace(p, { slug: 'bench', name: 'Bench' });
const rows: Row[] = [];
let delivered = 0;
p.bus.subscribe({ types: '*' }, () => { delivered++; });

// 1. A state change with its event, published after commit, vs the same insert in a bare transaction.
const eventFields = (i: number) => ({ workspaceId: workspace.id, type: 'bench.happened', subjectType: 'bench', subjectId: String(i), payload: { i } });
const baselineInsert = await opsPerSecond((i) => p.db.transaction(async (tx) => tx.insert(events).values({ ...eventFields(i), actorId: null, createdAt: new Date() })), N);
const withEvent = await opsPerSecond((i) => inTransaction(p, (tx) => appendEvent(tx, eventFields(i))), N);
rows.push({ name: 'inTransaction + appendEvent', opsPerSecond: withEvent, baseline: 'bare insert in a transaction', baselineOpsPerSecond: baselineInsert });

// 2. Outbox round trip (enqueue, claim, deliver with a no-op sender, mark delivered + event)
//    vs inserting and updating the same row by hand.
p.outbox.register('bench.noop', async () => {});
const baselineOutbox = await opsPerSecond(async () => {
  const id = randomUUID();
  await p.db.insert(outbox).values({ id, workspaceId: workspace.id, kind: 'bench.raw', payload: {}, maxAttempts: 3, nextAttemptAt: new Date() });
  await p.db.update(outbox).set({ status: 'delivered', deliveredAt: new Date() }).where(eq(outbox.id, id));
}, N / 4);
const outboxRoundTrip = await opsPerSecond(async () => {
  await inTransaction(p, (tx) => enqueueOutbox(tx, { workspaceId: workspace.id, kind: 'bench.noop', payload: {}, maxAttempts: 3 }, p.clock.now()));
  const [result] = await p.outbox.drainOnce();
  if (result?.outcome !== 'delivered') throw new Error('not delivered');
}, N / 4);
rows.push({ name: 'outbox enqueue + deliver', opsPerSecond: outboxRoundTrip, baseline: 'insert + update by hand', baselineOpsPerSecond: baselineOutbox });

// 3. An authenticated API call (session lookup + role check) vs the unauthenticated health check.
const app = await buildApp(p);
await app.ready();
await createUser(p, workspace.id, { email: 'bench@example.nl', name: 'Bench', role: 'admin', password: 'bench password 1' }, null);
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'bench@example.nl', password: 'bench password 1' } });
const cookie = `hoorn_session=${login.cookies.find((c) => c.name === 'hoorn_session')?.value}`;
const health = await opsPerSecond(() => app.inject({ url: '/healthz' }), N);
const authed = await opsPerSecond(async () => {
  const res = await app.inject({ url: '/api/api-keys', headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
}, N);
rows.push({ name: 'GET /api/api-keys with session', opsPerSecond: authed, baseline: 'GET /healthz', baselineOpsPerSecond: health });

rows.push(...(await inboxBenchmarks(p, workspace.id, N / 4, Number(process.env.BENCH_CONVERSATIONS ?? 10_000))));
rows.push(...(await routingServiceBenchmarks(p, N / 4)));
rows.push(...(await channelBenchmarks(p, app, N / 4)));

process.stdout.write(`\nHoorn benchmarks (PGlite in memory, N=${N}; ${delivered} events reached the bus)\n\n`);
printTable(rows);
await app.close();
await p.close();
