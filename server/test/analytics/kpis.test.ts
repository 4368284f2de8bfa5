import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectAnalytics } from '../../src/analytics/projector.ts';
import { appendEvent, inTransaction } from '../../src/platform/events/events.ts';
import { routingAgents } from '../../src/routing/routing.schema.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

/**
 * A hand-made morning (Monday 2 November 2026, times in UTC; Amsterdam is UTC+1) whose figures are
 * worked out by hand below. Two agents: A (team Service) and B (team Sales), available 07:55–09:00.
 * Queue Q answers within 30 s, queue Q2 within 30 s.
 *
 * 1. C1 web chat (customer K1): arrives 08:00:00, offered to A, answered 08:00:10 (10 s: in SL);
 *    A replies 08:01:00 (first response 60 s); resolved and wrap-up 08:05:10; ends 08:06:10
 *    (handle 300 s + after-contact work 60 s). Sale € 100 by A; CSAT 5.
 * 2. C2 web chat (K2): arrives 08:02:00; offered to A, times out; offered to B; the customer
 *    leaves during B's offer, 08:03:10: abandoned. An SLA breach on it.
 * 3. C3 web chat (K3): arrives 08:10:00, answered by A 08:11:00 (60 s: not in SL), A replies
 *    08:11:30 (first response 90 s), transferred 08:15:00 to Q2 (handle 240 s), answered there by
 *    B 08:15:20 (20 s: in SL), ends 08:20:20 (handle 300 s), resolved 08:20:20. Upsell € 50; NPS 9.
 * 4. C4 e-mail (K1 again, so C1 was not resolved at first contact): arrives 08:30:00, answered by
 *    B 08:30:05 (in SL), resolved and ended 08:40:05 (handle 600 s), reopened 08:50:00. CSAT 2.
 * 5. C5 web chat (K5): a bot contains it: opened 08:45:00, contained and resolved 08:46:00.
 * 6. C6 WhatsApp (K6): opened 08:47:00, the bot hands off 08:48:00 (a task in Q), resolved by
 *    someone before an answer 08:49:00: offered, neither answered nor abandoned.
 */
describe('KPIs from a hand-made event history', () => {
  let t: TestContext;
  let workspaceId: string;
  let cookie: string;
  let queueQ: string;
  let queueQ2: string;
  let agentA: string;
  let agentB: string;
  const at = (hhmmss: string) => new Date(`2026-11-02T${hhmmss}Z`);

  beforeAll(async () => {
    t = await makeTestApp();
    const ws = await makeWorkspace(t.platform);
    workspaceId = ws.id;
    const admin = await makeUser(t.platform, ws.id, 'admin');
    cookie = await loginCookie(t.app, admin.email);
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
    queueQ = (await post('/api/routing/queues', { name: 'Q', serviceLevelSeconds: 30 })).json().id;
    queueQ2 = (await post('/api/routing/queues', { name: 'Q2', serviceLevelSeconds: 30 })).json().id;
    agentA = (await makeUser(t.platform, ws.id, 'agent')).id;
    agentB = (await makeUser(t.platform, ws.id, 'agent')).id;
    const since = at('07:00:00');
    await t.platform.db.insert(routingAgents).values([
      { workspaceId, userId: agentA, attributes: { team: 'Service' }, presenceSince: since },
      { workspaceId, userId: agentB, attributes: { team: 'Sales' }, presenceSince: since },
    ]);

    const id = () => randomUUID() as string;
    const [c1, c2, c3, c4, c5, c6] = [id(), id(), id(), id(), id(), id()];
    const [t1, t2, t3, t4, t6] = [id(), id(), id(), id(), id()];
    const [k1, k2, k3, k5, k6] = [id(), id(), id(), id(), id()];
    type E = [string, string, string, Record<string, unknown>, string?];
    const conv = (time: string, type: string, id: string, payload: Record<string, unknown>, actor?: string): E => [time, type, id, payload, actor];
    const task = (time: string, type: string, id: string, payload: Record<string, unknown>): E => [time, type, id, { taskId: id, ...payload }, 'routing'];
    const firstHalf: E[] = [
      task('07:55:00', 'routing.presence_changed', agentA, { agentId: agentA, presence: 'available', reason: 'set' }),
      task('07:55:00', 'routing.presence_changed', agentB, { agentId: agentB, presence: 'available', reason: 'set' }),
      conv('08:00:00', 'conversation.created', c1, { channelType: 'webchat', customerId: k1 }),
      task('08:00:00', 'routing.task_created', t1, { conversationId: c1, channel: 'webchat' }),
      task('08:00:00', 'routing.task_queued', t1, { conversationId: c1, queueId: queueQ, reason: 'created' }),
      task('08:00:05', 'routing.offered', t1, { agentId: agentA, conversationId: c1 }),
      task('08:00:10', 'routing.assigned', t1, { agentId: agentA, conversationId: c1, waitedMs: 10_000 }),
      conv('08:01:00', 'message.queued', c1, { messageId: randomUUID(), channelType: 'webchat' }, agentA),
      conv('08:01:30', 'message.queued', c1, { messageId: randomUUID(), channelType: 'webchat', bot: true }, 'system:flows'),
      conv('08:02:00', 'conversation.created', c2, { channelType: 'webchat', customerId: k2 }),
      task('08:02:00', 'routing.task_created', t2, { conversationId: c2, channel: 'webchat' }),
      task('08:02:00', 'routing.task_queued', t2, { conversationId: c2, queueId: queueQ, reason: 'created' }),
      task('08:02:30', 'routing.offered', t2, { agentId: agentA, conversationId: c2 }),
      task('08:02:45', 'routing.offer_ended', t2, { agentId: agentA, conversationId: c2, reason: 'timeout' }),
      task('08:03:00', 'routing.offered', t2, { agentId: agentB, conversationId: c2 }),
      task('08:03:10', 'routing.offer_ended', t2, { agentId: agentB, conversationId: c2, reason: 'rescinded' }),
      task('08:03:10', 'routing.task_ended', t2, { conversationId: c2, state: 'canceled', reason: 'abandoned' }),
      conv('08:04:00', 'sla.breached', c2, { conversationId: c2, policyId: randomUUID(), metric: 'first_response', dueAt: '2026-11-02T08:04:00Z' }),
      task('08:05:10', 'routing.wrapping', t1, { agentId: agentA, conversationId: c1 }),
      conv('08:05:10', 'conversation.status_changed', c1, { from: 'open', to: 'resolved' }, agentA),
      task('08:06:10', 'routing.task_ended', t1, { conversationId: c1, state: 'completed', reason: null }),
      conv('08:06:10', 'outcome.recorded', c1, { conversationId: c1, taskId: t1, agentId: agentA, disposition: 'order', outcome: 'sale', amount: 100, currency: 'EUR' }, agentA),
      conv('08:07:00', 'survey.answered', c1, { conversationId: c1, surveyId: randomUUID(), kind: 'csat', score: 5, agentId: agentA }),
      conv('08:10:00', 'conversation.created', c3, { channelType: 'webchat', customerId: k3 }),
      task('08:10:00', 'routing.task_created', t3, { conversationId: c3, channel: 'webchat' }),
      task('08:10:00', 'routing.task_queued', t3, { conversationId: c3, queueId: queueQ, reason: 'created' }),
      task('08:11:00', 'routing.assigned', t3, { agentId: agentA, conversationId: c3, waitedMs: 60_000 }),
      conv('08:11:30', 'message.queued', c3, { messageId: randomUUID(), channelType: 'webchat' }, agentA),
      task('08:15:00', 'routing.transferred', t3, { conversationId: c3, from: agentA, to: { queueId: queueQ2 } }),
      task('08:15:00', 'routing.task_queued', t3, { conversationId: c3, queueId: queueQ2, reason: 'transfer' }),
    ];
    const secondHalf: E[] = [
      task('08:15:20', 'routing.assigned', t3, { agentId: agentB, conversationId: c3, waitedMs: 20_000 }),
      conv('08:20:20', 'conversation.status_changed', c3, { from: 'open', to: 'resolved' }, agentB),
      task('08:20:20', 'routing.task_ended', t3, { conversationId: c3, state: 'completed', reason: null }),
      conv('08:21:00', 'outcome.recorded', c3, { conversationId: c3, taskId: t3, agentId: agentB, disposition: 'upgrade', outcome: 'upsell', amount: 50, currency: 'EUR' }, agentB),
      conv('08:22:00', 'survey.answered', c3, { conversationId: c3, surveyId: randomUUID(), kind: 'nps', score: 9, agentId: agentB }),
      conv('08:30:00', 'conversation.created', c4, { channelType: 'email', customerId: k1 }),
      task('08:30:00', 'routing.task_created', t4, { conversationId: c4, channel: 'email' }),
      task('08:30:00', 'routing.task_queued', t4, { conversationId: c4, queueId: queueQ, reason: 'created' }),
      task('08:30:05', 'routing.assigned', t4, { agentId: agentB, conversationId: c4, waitedMs: 5_000 }),
      conv('08:40:05', 'conversation.status_changed', c4, { from: 'open', to: 'resolved' }, agentB),
      task('08:40:05', 'routing.task_ended', t4, { conversationId: c4, state: 'completed', reason: null }),
      conv('08:41:00', 'survey.answered', c4, { conversationId: c4, surveyId: randomUUID(), kind: 'csat', score: 2, agentId: agentB }),
      conv('08:45:00', 'conversation.created', c5, { channelType: 'webchat', customerId: k5 }),
      conv('08:46:00', 'flow.run_contained', c5, { runId: randomUUID(), flowId: randomUUID(), reason: 'end' }, 'system:flows'),
      conv('08:46:00', 'conversation.status_changed', c5, { from: 'open', to: 'resolved' }, 'system:flows'),
      conv('08:47:00', 'conversation.created', c6, { channelType: 'whatsapp', customerId: k6 }),
      conv('08:48:00', 'flow.run_handed_off', c6, { runId: randomUUID(), flowId: randomUUID(), reason: 'asked for a person' }, 'system:flows'),
      task('08:48:00', 'routing.task_created', t6, { conversationId: c6, channel: 'whatsapp' }),
      task('08:48:00', 'routing.task_queued', t6, { conversationId: c6, queueId: queueQ, reason: 'created' }),
      conv('08:49:00', 'conversation.status_changed', c6, { from: 'open', to: 'resolved' }, agentB),
      task('08:49:00', 'routing.task_ended', t6, { conversationId: c6, state: 'canceled', reason: 'resolved' }),
      conv('08:50:00', 'conversation.status_changed', c4, { from: 'resolved', to: 'open' }),
      task('09:00:00', 'routing.presence_changed', agentA, { agentId: agentA, presence: 'offline', reason: 'set' }),
      task('09:00:00', 'routing.presence_changed', agentB, { agentId: agentB, presence: 'offline', reason: 'set' }),
    ];
    const write = (list: E[]) =>
      inTransaction(t.platform, async (tx) => {
        for (const [time, type, subjectId, payload, actorId] of list) {
          const subjectType = type.startsWith('routing.') ? 'routing_task' : 'conversation';
          await appendEvent(tx, { workspaceId, type, subjectType, subjectId, payload, actorId: actorId ?? null, at: at(time) });
        }
      });
    // Projected in two goes: the second must pick up the facts the first left.
    await write(firstHalf);
    await projectAnalytics(t.platform, { batchSize: 7 });
    await write(secondHalf);
    await projectAnalytics(t.platform);
  });
  afterAll(() => t.close());

  const report = async (query: Record<string, string>) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/analytics/kpis?${new URLSearchParams(query)}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const morning = { from: '2026-11-02T08:00:00Z', to: '2026-11-02T09:00:00Z' };

  it('computes every KPI of the morning', async () => {
    const { totals, rows, currency, timeZone } = await report({ ...morning, interval: 'hour' });
    expect(currency).toBe('EUR');
    expect(timeZone).toBe('Europe/Amsterdam');
    expect(rows).toHaveLength(1);
    expect(rows[0].bucket).toBe('2026-11-02T08:00:00.000Z');
    expect(totals).toEqual({
      // Segments: T1, T2, T3 (in Q), T3 again (transferred into Q2), T4, T6.
      offered: 6,
      answered: 4,
      abandoned: 1,
      abandonRate: 0.1667,
      // T1 10 s, T3 in Q2 20 s, T4 5 s; not T3 in Q at 60 s. Of answered + abandoned = 5.
      answeredInServiceLevel: 3,
      serviceLevel: 0.6,
      // (10 + 60 + 20 + 5) / 4
      averageSpeedOfAnswerSeconds: 23.8,
      handled: 4,
      // (300 + 60 + 240 + 300 + 600) / 4: handle time includes the 60 s of after-contact work.
      averageHandleTimeSeconds: 375,
      averageAfterContactWorkSeconds: 15,
      transfers: 1,
      transferRate: 0.25,
      conversations: 6,
      // C1, C3, C4, C5, C6; C1 (K1 came back) and C4 (reopened) not at first contact.
      resolved: 5,
      firstContactResolution: 0.6,
      // C1 60 s, C3 90 s (bot messages are not responses).
      averageFirstResponseSeconds: 75,
      // C1 310, C3 620, C4 605, C5 60, C6 120 (the first resolution counts).
      averageResolutionSeconds: 343,
      selfServiceRuns: 2,
      selfServiceContained: 1,
      containmentRate: 0.5,
      csatResponses: 2,
      csat: 3.5,
      csatPercent: 0.5,
      npsResponses: 1,
      nps: 100,
      outcomes: 2,
      sales: 2,
      revenue: 150,
      revenuePerContact: 37.5,
      // Both agents logged in the whole hour; A busy 6 + 4 min, B 5 + 10 min.
      staffedHours: 2,
      busyHours: 0.42,
      occupancy: 0.2083,
      cost: 70,
      costPerContact: 17.5,
      margin: 80,
      slaBreaches: 1,
    });
  });

  it('groups by agent and team: handled work, revenue and hours belong to who did them', async () => {
    const byAgent = await report({ ...morning, interval: 'total', groupBy: 'agent' });
    const a = byAgent.rows.find((r: { key: string }) => r.key === agentA);
    const b = byAgent.rows.find((r: { key: string }) => r.key === agentB);
    expect(a.label).toMatch(/agent/);
    expect(a.kpis).toMatchObject({ answered: 2, handled: 2, averageHandleTimeSeconds: 300, transfers: 1, revenue: 100, csat: 5, staffedHours: 1, cost: 35, margin: 65, occupancy: 0.1667 });
    expect(b.kpis).toMatchObject({ answered: 2, handled: 2, averageHandleTimeSeconds: 450, transfers: 0, revenue: 50, csat: 2, nps: 100, staffedHours: 1, occupancy: 0.25 });
    const nobody = byAgent.rows.find((r: { key: string }) => r.key === '');
    expect(nobody.kpis).toMatchObject({ offered: 2, answered: 0, abandoned: 1, staffedHours: 0 });
    const byTeam = await report({ ...morning, interval: 'total', groupBy: 'team' });
    expect(byTeam.rows.map((r: { key: string }) => r.key)).toEqual(['', 'Sales', 'Service']);
    expect(byTeam.rows.find((r: { key: string }) => r.key === 'Sales').kpis.handled).toBe(2);
  });

  it('groups by channel with the agents\u2019 cost shared out by handle time', async () => {
    const { rows, totals } = await report({ ...morning, interval: 'total', groupBy: 'channel' });
    const by = Object.fromEntries(rows.map((r: { key: string; kpis: unknown }) => [r.key, r.kpis]));
    expect(Object.keys(by).sort()).toEqual(['email', 'webchat', 'whatsapp']);
    // E-mail took 600 of the 1,500 handle seconds: 40 % of € 70.
    expect(by.email).toMatchObject({ offered: 1, handled: 1, cost: 28, margin: -28, staffedHours: 0, occupancy: null });
    expect(by.webchat).toMatchObject({ offered: 4, handled: 3, cost: 42, revenue: 150, margin: 108, selfServiceRuns: 1 });
    expect(by.whatsapp).toMatchObject({ offered: 1, answered: 0, abandoned: 0, cost: 0, containmentRate: 0 });
    expect(totals.cost).toBe(70);
    const emailOnly = await report({ ...morning, interval: 'total', channel: 'email' });
    expect(emailOnly.totals).toMatchObject({ handled: 1, cost: 28 });
  });

  it('groups by queue, counting a transfer as a contact offered to the queue it went to', async () => {
    const { rows } = await report({ ...morning, interval: 'total', groupBy: 'queue' });
    const q = rows.find((r: { key: string }) => r.key === queueQ);
    const q2 = rows.find((r: { key: string }) => r.key === queueQ2);
    expect(q.label).toBe('Q');
    expect(q.kpis).toMatchObject({ offered: 5, answered: 3, abandoned: 1, answeredInServiceLevel: 2, transfers: 1 });
    expect(q2.kpis).toMatchObject({ offered: 1, answered: 1, answeredInServiceLevel: 1, serviceLevel: 1 });
  });

  it('gives the same contact figures per 15 minutes and from the day rollups over the local day', async () => {
    const quarters = await report({ ...morning, interval: '15m' });
    expect(quarters.rows.map((r: { bucket: string }) => r.bucket.slice(11, 16))).toEqual(['08:00', '08:15', '08:30', '08:45']);
    expect(quarters.rows.map((r: { kpis: { offered: number } }) => r.kpis.offered)).toEqual([3, 1, 1, 1]);
    const day = await report({ from: '2026-11-01T23:00:00Z', to: '2026-11-02T23:00:00Z', interval: 'day' });
    expect(day.rows).toHaveLength(1);
    expect(day.rows[0].bucket).toBe('2026-11-01T23:00:00.000Z');
    const hour = await report({ ...morning, interval: 'total' });
    const { staffedHours, busyHours, occupancy, cost, costPerContact, margin, ...contacts } = day.totals;
    const { staffedHours: _s, busyHours: _b, occupancy: _o, cost: _c, costPerContact: _p, margin: _m, ...sameContacts } = hour.totals;
    expect(contacts).toEqual(sameContacts);
    // Over the whole day the agents' 07:55–08:00 counts too: 2 × 65 minutes.
    expect(staffedHours).toBe(2.17);
    expect(busyHours).toBe(0.42);
    void [occupancy, cost, costPerContact, margin];
  });

  it('reads the same figures from every day rollup as from the 15-minute rows, whatever the grouping and filter', async () => {
    // The whole local day reads the day rollups (the smallest that keeps the query's columns); a
    // range starting at 01:00 local holds the same history but must read the 15-minute rows.
    const wholeDay = { from: '2026-11-01T23:00:00Z', to: '2026-11-02T23:00:00Z', interval: 'total' };
    const sameHistory = { ...wholeDay, from: '2026-11-02T00:00:00Z' };
    const filters: Array<Record<string, string>> = [{}, { channel: 'webchat' }, { queueId: queueQ }, { agentId: agentA }, { team: 'Sales' }, { agentId: agentB, channel: 'webchat' }];
    let compared = 0;
    for (const groupBy of ['none', 'channel', 'queue', 'agent', 'team']) {
      for (const filter of filters) {
        const fromDays = await report({ ...wholeDay, groupBy, ...filter });
        const fromQuarters = await report({ ...sameHistory, groupBy, ...filter });
        expect(fromDays.rows, `${groupBy} ${JSON.stringify(filter)}`).toEqual(fromQuarters.rows);
        expect(fromDays.totals, `${groupBy} ${JSON.stringify(filter)}`).toEqual(fromQuarters.totals);
        if (fromDays.rows.length) compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('exports CSV and refuses bad queries clearly', async () => {
    const csv = await t.app.inject({ method: 'GET', url: `/api/analytics/kpis.csv?${new URLSearchParams({ ...morning, interval: 'hour', lang: 'en' })}`, headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^interval,key,name,offered,answered,abandoned,/);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^total,,,6,4,1,/);
    const backwards = await t.app.inject({ method: 'GET', url: `/api/analytics/kpis?from=${morning.to}&to=${morning.from}`, headers: { cookie } });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('invalid_range');
    const tooFine = await t.app.inject({ method: 'GET', url: `/api/analytics/kpis?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=15m`, headers: { cookie } });
    expect(tooFine.json().error.code).toBe('too_many_intervals');
    const bad = await t.app.inject({ method: 'GET', url: `/api/analytics/kpis?from=yesterday&to=${morning.to}`, headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('from');
  });

  it('shows another workspace nothing of it', async () => {
    const other = await makeWorkspace(t.platform);
    const otherCookie = await loginCookie(t.app, (await makeUser(t.platform, other.id, 'supervisor')).email);
    const res = await t.app.inject({ method: 'GET', url: `/api/analytics/kpis?${new URLSearchParams({ ...morning, interval: 'total' })}`, headers: { cookie: otherCookie } });
    expect(res.json().totals).toMatchObject({ offered: 0, conversations: 0, revenue: 0, staffedHours: 0 });
  });

  it('projects nothing twice: running again changes no figure', async () => {
    const before = await report({ ...morning, interval: 'hour' });
    expect(await projectAnalytics(t.platform)).toBe(0);
    expect(await report({ ...morning, interval: 'hour' })).toEqual(before);
  });
});
