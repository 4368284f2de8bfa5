import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitClvModels, summarize } from '../../src/clv/index.ts';
import { insertCustomer, insertIdentity } from '../../src/customers/customers.store.ts';
import { assignTiers, refitStale } from '../../src/customers/value.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { inTransaction, listEvents } from '../../src/platform/events/events.ts';
import { sql } from 'drizzle-orm';
import { routingOf } from '../../src/routing/routing.service.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';
import { simulateOrders } from './fixture.ts';

const BG = { r: 0.8, alpha: 6, a: 0.7, b: 2.5 };
const GG = { p: 6, q: 4, v: 15 };
const END = '2026-05-04';

describe('orders, lifetime value and value-based routing', () => {
  const clock = new ManualClock(`${END}T09:00:00Z`);
  let t: TestContext;
  let workspaceId: string;
  const cookies: Record<string, string> = {};
  const emails: Record<string, string> = {};
  /** Sessions expire on the manual clock too: log in again after moving it a day. */
  const relogin = async () => {
    for (const [role, email] of Object.entries(emails)) cookies[role] = await loginCookie(t.app, email);
  };
  let customerIds: string[] = [];
  let orders: ReturnType<typeof simulateOrders>;

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    workspaceId = (await makeWorkspace(t.platform)).id;
    for (const role of ['admin', 'supervisor', 'agent'] as const) emails[role] = (await makeUser(t.platform, workspaceId, role)).email;
    await relogin();
    // 200 customers with simulated orders and 5 without any.
    customerIds = await inTransaction(t.platform, async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < 205; i++) ids.push((await insertCustomer(tx, workspaceId, { name: `Klant ${i}`, email: `klant${i}@example.nl` }, clock.now())).id);
      return ids;
    });
    orders = simulateOrders(BG, GG, 200, 2, END);
  });
  afterAll(() => t.close());

  const as = (role: string) => (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie: cookies[role]! }, payload });

  it('imports orders from CSV with a per-line report, and again without duplicating anything', async () => {
    const csv = ['customer_id,order_id,date,amount,currency', ...orders.map((o) => `${customerIds[o.customer]},${o.orderId},${o.date},${o.amount},EUR`)].join('\n');
    const first = await as('supervisor')('POST', '/api/orders/import', { csv });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ imported: orders.length, skipped: 0, errors: [] });
    const again = await as('supervisor')('POST', '/api/orders/import', { csv });
    expect(again.json()).toEqual({ imported: 0, skipped: orders.length, errors: [] });

    const bad = [
      'customer_email,order_id,date,amount,currency',
      'klant0@example.nl,X-1,2026-01-02,12.50,eur', // line 2: fine
      'nobody@example.nl,X-2,2026-01-02,1.00,EUR', // 3: unknown customer
      'KLANT1@example.nl,X-3,2026-02-30,1.00,EUR', // 4: no such date
      'klant1@example.nl,X-4,2026-01-02,-5,EUR', // 5: negative
      'klant1@example.nl,X-5,2026-01-02,1.005,EUR', // 6: too many decimals
      'klant1@example.nl,,2026-01-02,1.00,EUR', // 7: no order id
      '',
      'klant1@example.nl,X-1,2026-01-02,12.50,EUR', // 9: repeated order id: skipped
      'klant1@example.nl,X-6,2026-01-02,1.00,EURO', // 10: currency
    ].join('\n');
    const report = (await as('supervisor')('POST', '/api/orders/import', { csv: bad })).json();
    expect(report.imported).toBe(1);
    expect(report.skipped).toBe(1);
    expect(report.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6, 7, 10]);
    expect(report.errors[0].message).toBe('no customer with email "nobody@example.nl"');
    expect(report.errors[1].message).toMatch(/not a valid date/);
    const header = (await as('supervisor')('POST', '/api/orders/import', { csv: 'who,order_id\nx,y' })).json();
    expect(header.errors).toEqual([{ line: 1, message: 'the header lacks customer_id, customer_email or customer_key, date, amount, currency' }]);
    expect((await as('agent')('POST', '/api/orders/import', { csv })).statusCode).toBe(403);
  });

  it('adds one order by API, idempotent on the order id', async () => {
    const customer = customerIds[0]!;
    const body = { orderId: 'API-1', orderedAt: '2026-04-01T10:00:00+02:00', amount: '19.95', currency: 'EUR' };
    const created = await as('supervisor')('POST', `/api/customers/${customer}/orders`, body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ orderId: 'API-1', amount: '19.95', amountMinor: 1995, currency: 'EUR', orderedAt: '2026-04-01T08:00:00.000Z' });
    const replay = await as('supervisor')('POST', `/api/customers/${customer}/orders`, { ...body, amount: '1.00' });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().amount).toBe('19.95');
    expect((await as('supervisor')('POST', `/api/customers/${customerIds[1]}/orders`, body)).json().error.code).toBe('order_exists');
    expect((await as('supervisor')('POST', `/api/customers/${customer}/orders`, { ...body, orderId: 'API-2', amount: 'abc' })).json().error.code).toBe('invalid_order');
    const list = (await as('agent')('GET', `/api/customers/${customer}/orders`)).json().items;
    expect(list[0].orderId).toBe('API-1');
  });

  it('refuses to fit a workspace with too few repeat customers (409), keeping what it had', async () => {
    const small = await makeWorkspace(t.platform);
    const admin = await makeUser(t.platform, small.id, 'admin');
    const cookie = await loginCookie(t.app, admin.email);
    const res = await t.app.inject({ method: 'POST', url: '/api/clv/refit', headers: { cookie } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'clv_insufficient_data' });
    expect(res.json().error.message).toMatch(/at least 50 customers with a repeat purchase; this workspace has 0/);
    expect((await t.app.inject({ url: '/api/clv/model', headers: { cookie } })).statusCode).toBe(404);
  });

  it('fits the workspace, stores the model, and scores every customer into tiers', async () => {
    expect((await as('supervisor')('POST', '/api/clv/refit')).statusCode).toBe(403);
    const res = await as('admin')('POST', '/api/clv/refit');
    expect(res.statusCode, res.body).toBe(200);
    const model = res.json();
    expect(model.version).toBe(1);
    expect(model.customers).toBe(200);
    const { bgnbd, gammaGamma } = model.parameters;

    // The stored fit is exactly the pure fit on the same orders (the extra API orders included).
    const log = [...orders.map((o) => ({ customerId: customerIds[o.customer]!, date: o.date, amount: Number(o.amount) })), { customerId: customerIds[0]!, date: '2026-01-02', amount: 12.5 }, { customerId: customerIds[0]!, date: '2026-04-01', amount: 19.95 }];
    const direct = fitClvModels(summarize(log, END, 'week'));
    expect(bgnbd.r).toBeCloseTo(direct.bgnbd.r, 6);
    expect(model.logLikelihood).toBeCloseTo(direct.bgnbd.logLikelihood, 4);
    // Near the generating parameters (200 customers: a and b are weakly identified, their mean is not).
    const near = (value: number, truth: number, tolerance: number) => expect(Math.abs(value / truth - 1), `${value} vs ${truth}`).toBeLessThan(tolerance);
    near(bgnbd.r, BG.r, 0.25);
    near(bgnbd.alpha, BG.alpha, 0.25);
    near(bgnbd.a / (bgnbd.a + bgnbd.b), BG.a / (BG.a + BG.b), 0.3);
    near((gammaGamma.p * gammaGamma.v) / (gammaGamma.q - 1), (GG.p * GG.v) / (GG.q - 1), 0.15);

    const values = await Promise.all(customerIds.map(async (id) => (await as('agent')('GET', `/api/customers/${id}/value`)).json()));
    const count = (tier: string) => values.filter((v) => v.valueTier === tier).length;
    expect([count('platinum'), count('gold'), count('silver'), count('bronze'), count('none')]).toEqual([10, 30, 60, 100, 5]);
    const platinum = values.filter((v) => v.valueTier === 'platinum');
    const bronze = values.filter((v) => v.valueTier === 'bronze');
    expect(Math.min(...platinum.map((v) => v.clv))).toBeGreaterThan(Math.max(...bronze.map((v) => v.clv)));
    for (const v of values.filter((x) => x.valueTier !== 'none')) {
      expect(v).toMatchObject({ scored: true, modelVersion: 1, scoredAt: clock.now().toISOString() });
      expect(v.pAlive).toBeGreaterThan(0);
      expect(v.pAlive).toBeLessThanOrEqual(1);
      expect(v.expectedPurchases52w).toBeGreaterThanOrEqual(0);
      if (v.churnRisk !== null) expect(v.churnRisk).toBeCloseTo(1 - v.pAlive, 5);
    }
    // One-time buyers get no churn risk (P(alive) is 1 by the model's construction).
    const oneTimers = new Set(orders.filter((o) => orders.filter((x) => x.customer === o.customer).length === 1).map((o) => customerIds[o.customer]));
    expect(values.filter((v) => oneTimers.has(v.customerId)).every((v) => v.churnRisk === null)).toBe(true);
    expect(values.find((v) => v.customerId === customerIds[204])).toMatchObject({ valueTier: 'none', clv: null, orders: 0 });

    const latest = (await as('supervisor')('GET', '/api/clv/model')).json();
    expect(latest).toMatchObject({ version: 1, customers: 200 });
  });

  it('refits nightly: only when the last fit is older than 24 hours', async () => {
    const tierChanges = async () => (await listEvents(t.platform.db, workspaceId, { type: 'customer.tier_changed', limit: 1000 }));
    // A customer's first score is not a change.
    expect(await tierChanges()).toEqual([]);
    const tiers = async () => new Map(await Promise.all(customerIds.map(async (id) => [id, (await as('agent')('GET', `/api/customers/${id}/value`)).json().valueTier as string] as const)));
    // Pretend the top customer was bronze until now: the refit must report the move.
    const top = [...(await tiers())].find(([, tier]) => tier === 'platinum')![0];
    await inTransaction(t.platform, (tx) => tx.execute(sql`update customers set attributes = attributes || '{"valueTier":"bronze"}'::jsonb where id = ${top}`));
    const before = await tiers();
    clock.advance(3_600_000);
    expect((await refitStale(t.platform)).refitted).not.toContain(workspaceId);
    clock.advance(24 * 3_600_000);
    expect((await refitStale(t.platform)).refitted).toContain(workspaceId);
    await relogin();
    expect((await as('supervisor')('GET', '/api/clv/model')).json().version).toBe(2);
    const after = await tiers();
    const changed = customerIds.filter((id) => before.get(id) !== after.get(id));
    const events = await tierChanges();
    expect(events.map((e) => e.subjectId).sort()).toEqual(changed.sort());
    expect(events.find((e) => e.subjectId === top)?.payload).toMatchObject({ from: 'bronze', to: after.get(top), clvModelVersion: 2 });
    for (const e of events) expect(e.payload).toMatchObject({ from: before.get(e.subjectId), to: after.get(e.subjectId) });
  });

  it('assigns tiers by CLV quantiles, stable on ties', () => {
    const tiers = assignTiers(Array.from({ length: 20 }, (_, i) => ({ customerId: `c${String(i).padStart(2, '0')}`, clv: i })));
    expect(tiers.get('c19')).toBe('platinum');
    expect([...tiers.values()].filter((x) => x === 'gold')).toHaveLength(3);
    expect([...tiers.values()].filter((x) => x === 'silver')).toHaveLength(6);
    expect(tiers.get('c00')).toBe('bronze');
  });

  it("routes a high-value customer's chat ahead of a low-value one with the same wait when the workflow says so", async () => {
    const values = await Promise.all(customerIds.map(async (id) => (await as('agent')('GET', `/api/customers/${id}/value`)).json()));
    const platinum = values.find((v) => v.valueTier === 'platinum')!.customerId;
    const bronze = values.find((v) => v.valueTier === 'bronze')!.customerId;
    const channel = await makeWebchatChannel(t.platform, workspaceId);
    await inTransaction(t.platform, async (tx) => {
      await insertIdentity(tx, workspaceId, { customerId: platinum, channelType: 'webchat', externalId: 'visitor:platinum', verified: true }, clock.now());
      await insertIdentity(tx, workspaceId, { customerId: bronze, channelType: 'webchat', externalId: 'visitor:bronze', verified: true }, clock.now());
    });
    const queue = (await as('admin')('POST', '/api/routing/queues', { name: 'Chat', eligibility: '', order: 'fifo' })).json();
    const workflow = await as('admin')('POST', '/api/routing/workflows', {
      name: 'Value first',
      filters: [{ name: 'High value', expression: 'task.valueTier IN [platinum, gold]', steps: [{ queueId: queue.id, priority: 10 }] }],
      defaultSteps: [{ queueId: queue.id }],
    });
    expect(workflow.statusCode, workflow.body).toBe(201);
    const agent = await makeUser(t.platform, workspaceId, 'agent');
    cookies.desk = await loginCookie(t.app, agent.email);
    expect((await as('admin')('PUT', `/api/routing/agents/${agent.id}`, { skills: {}, languages: [], attributes: {}, capacity: { total: 100, cost: { webchat: 100 } } })).statusCode).toBe(200);
    await as('desk')('PUT', '/api/routing/me/presence', { presence: 'break' });

    // Same moment; the bronze customer's chat is even written first.
    const low = (await makeInbound(t.platform, channel, { from: 'visitor:bronze' })).conversation;
    const high = (await makeInbound(t.platform, channel, { from: 'visitor:platinum' })).conversation;
    const route = () => routingOf(t.platform).runPending(workspaceId);
    await route();
    const tasks = (await as('admin')('GET', '/api/routing/tasks?state=all')).json().items;
    expect(tasks.map((x: { conversationId: string }) => x.conversationId).sort()).toEqual([low.id, high.id].sort());

    clock.advance(5_000);
    await as('desk')('PUT', '/api/routing/me/presence', { presence: 'available' });
    await route();
    const offers = (await as('desk')('GET', '/api/routing/me')).json().offers;
    expect(offers.map((o: { conversationId: string }) => o.conversationId)).toEqual([high.id]);
  });
});
