import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomer } from '../../src/customers/customers.store.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { inTransaction } from '../../src/platform/events/events.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';
import { simulateOrders } from './fixture.ts';

const BG = { r: 0.8, alpha: 6, a: 0.7, b: 2.5 };
const GG = { p: 6, q: 4, v: 15 };
const END = '2026-05-04';

describe('GET /api/clv/overview', () => {
  const clock = new ManualClock(`${END}T09:00:00Z`);
  let t: TestContext;
  let workspaceId: string;
  const cookies: Record<string, string> = {};
  let customerIds: string[] = [];

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    workspaceId = (await makeWorkspace(t.platform)).id;
    for (const role of ['admin', 'supervisor', 'agent'] as const) cookies[role] = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, role)).email);
    // 200 customers with simulated orders and 5 without any.
    customerIds = await inTransaction(t.platform, async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < 205; i++) ids.push((await insertCustomer(tx, workspaceId, { name: `Klant ${i}`, email: `klant${i}@example.nl` }, clock.now())).id);
      return ids;
    });
    const orders = simulateOrders(BG, GG, 200, 2, END);
    const csv = ['customer_id,order_id,date,amount,currency', ...orders.map((o) => `${customerIds[o.customer]},${o.orderId},${o.date},${o.amount},EUR`)].join('\n');
    const imported = await t.app.inject({ method: 'POST', url: '/api/orders/import', headers: { cookie: cookies.supervisor! }, payload: { csv } });
    expect(imported.statusCode, imported.body).toBe(200);
  });
  afterAll(() => t.close());

  const get = (role: string) => t.app.inject({ method: 'GET', url: '/api/clv/overview', headers: { cookie: cookies[role]! } });

  it('answers model null and zero counts before the first fit, and only to supervisors and admins', async () => {
    expect((await get('agent')).statusCode).toBe(403);
    const res = await get('supervisor');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ model: null, tiers: { platinum: 0, gold: 0, silver: 0, bronze: 0, none: 0 }, clvHistogram: [], atRisk: [] });

    // Another workspace without any model or orders.
    const other = await makeWorkspace(t.platform);
    const cookie = await loginCookie(t.app, (await makeUser(t.platform, other.id, 'supervisor')).email);
    const empty = await t.app.inject({ url: '/api/clv/overview', headers: { cookie } });
    expect(empty.json()).toMatchObject({ model: null, tiers: { platinum: 0, gold: 0, silver: 0, bronze: 0, none: 0 }, atRisk: [] });
  });

  it('after a fit: the model, tier counts equal to the customers\' tiers, a histogram over all scored customers, the at-risk list ordered', async () => {
    const refit = await t.app.inject({ method: 'POST', url: '/api/clv/refit', headers: { cookie: cookies.admin! } });
    expect(refit.statusCode, refit.body).toBe(200);
    const res = await get('supervisor');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.model).toMatchObject({ version: 1, customers: 200, id: refit.json().id });
    expect(body.model.parameters.bgnbd.r).toBeGreaterThan(0);

    const values = await Promise.all(customerIds.map(async (id) => (await t.app.inject({ url: `/api/customers/${id}/value`, headers: { cookie: cookies.agent! } })).json()));
    const count = (tier: string) => values.filter((v) => v.valueTier === tier).length;
    expect(body.tiers).toEqual({ platinum: count('platinum'), gold: count('gold'), silver: count('silver'), bronze: count('bronze'), none: count('none') });
    expect(body.tiers).toEqual({ platinum: 10, gold: 30, silver: 60, bronze: 100, none: 5 });

    // Histogram: 10 contiguous buckets from the lowest to the highest CLV, counting every scored customer once.
    const clvs = values.filter((v) => v.clv !== null).map((v) => v.clv as number);
    const histogram = body.clvHistogram as Array<{ from: number; to: number; count: number }>;
    expect(histogram).toHaveLength(10);
    expect(histogram.reduce((sum, b) => sum + b.count, 0)).toBe(clvs.length);
    expect(histogram[0]!.from).toBeCloseTo(Math.min(...clvs), 1);
    expect(histogram.at(-1)!.to).toBeCloseTo(Math.max(...clvs), 1);
    for (let i = 1; i < histogram.length; i++) expect(histogram[i]!.from).toBeCloseTo(histogram[i - 1]!.to, 6);
    const inFirst = clvs.filter((c) => c < histogram[1]!.from).length;
    expect(histogram[0]!.count).toBe(inFirst);

    // At risk: the 20 largest churnRisk · clv, in that order, matching each customer's value.
    const atRisk = body.atRisk as Array<{ id: string; churnRisk: number; clv: number; pAlive: number; valueAtRisk: number; valueTier: string; name: string; email: string }>;
    expect(atRisk).toHaveLength(20);
    const expected = values
      .filter((v) => v.churnRisk !== null && v.clv !== null)
      .map((v) => ({ id: v.customerId, risk: v.churnRisk * v.clv }))
      .sort((a, b) => b.risk - a.risk)
      .slice(0, 20)
      .map((v) => v.id);
    expect(atRisk.map((c) => c.id)).toEqual(expected);
    for (let i = 1; i < atRisk.length; i++) expect(atRisk[i - 1]!.valueAtRisk).toBeGreaterThanOrEqual(atRisk[i]!.valueAtRisk);
    const first = atRisk[0]!;
    const own = values.find((v) => v.customerId === first.id);
    expect(first).toMatchObject({ valueTier: own.valueTier, clv: own.clv, churnRisk: own.churnRisk, pAlive: own.pAlive });
    expect(first.valueAtRisk).toBeCloseTo(first.churnRisk * first.clv, 6);
    expect(first.name).toMatch(/^Klant \d+$/);
    expect(first.email).toMatch(/@example\.nl$/);
    expect(own.currency).toBe('EUR');
  });
});
