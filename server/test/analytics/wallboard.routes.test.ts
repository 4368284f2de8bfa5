import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsSettings } from '../../src/analytics/analytics.schema.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { appendEvent, inTransaction } from '../../src/platform/events/events.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

interface Board {
  since: string;
  live: boolean;
  queues: Array<{ queueId: string; name: string; waiting: number; longestWaitSeconds: number; answered: number; offered: number; serviceLevel: number | null }>;
  presences: Array<{ presence: string; count: number; agents: Array<{ agentId: string; tasks: number }> }>;
  totals: { waiting: number; answered: number; agentsAvailable: number; tasksInProgress: number };
  alerts: Array<{ kind: string; severity: string; queueId: string | null; metric: string | null; value: number }>;
}

describe('GET /api/analytics/wallboard', () => {
  // 09:00 in Amsterdam (winter time).
  const clock = new ManualClock('2026-11-23T08:00:00Z');
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let admin: { id: string; email: string };
  let supervisor: { id: string; email: string };
  let agent: { id: string; email: string };
  let queueId: string;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    admin = await makeUser(t.platform, workspaceId, 'admin');
    supervisor = await makeUser(t.platform, workspaceId, 'supervisor');
    agent = await makeUser(t.platform, workspaceId, 'agent');
    for (const u of [admin, supervisor, agent]) cookies[u.id] = await loginCookie(t.app, u.email);

    const queue = await as(admin)('POST', '/api/routing/queues', { name: 'Support', eligibility: '', order: 'fifo', serviceLevelSeconds: 60 });
    queueId = queue.json().id;
    expect((await as(admin)('POST', '/api/routing/workflows', { name: 'Standard', filters: [], defaultSteps: [{ queueId }] })).statusCode).toBe(201);
    const capacity = { total: 100, cost: { webchat: 25 } };
    expect((await as(admin)('PUT', `/api/routing/agents/${agent.id}`, { skills: {}, languages: ['nl'], attributes: {}, capacity })).statusCode).toBe(200);
    await route();
  });
  afterAll(() => t.close());

  const as = (user: { id: string }) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookies[user.id]! }, payload });
  const route = () => routingOf(t.platform).runPending(workspaceId);
  const board = async (query = ''): Promise<Board> => {
    const res = await as(supervisor)('GET', `/api/analytics/wallboard${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('is for supervisors, and names a bad target', async () => {
    expect((await as(agent)('GET', '/api/analytics/wallboard')).statusCode).toBe(403);
    const bad = await as(supervisor)('GET', '/api/analytics/wallboard?serviceLevelTarget=80');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/serviceLevelTarget/);
  });

  it('shows a waiting customer with nobody available, and how long they have waited', async () => {
    const before = await board();
    expect(before.live).toBe(true);
    expect(before.totals.waiting).toBe(0);
    expect(before.alerts).toEqual([]);

    await makeInbound(t.platform, channel, { from: 'visitor:wallboard-1' });
    await route();
    clock.advance(90_000);
    const after = await board();
    const support = after.queues.find((q) => q.queueId === queueId)!;
    expect(support).toMatchObject({ name: 'Support', waiting: 1, longestWaitSeconds: 90, offered: 1, answered: 0 });
    expect(after.totals.waiting).toBe(1);
    expect(after.alerts.map((a) => `${a.kind}:${a.queueId}`).sort()).toEqual([`long_wait:${queueId}`, `no_agent_available:${queueId}`]);
    expect(after.presences.find((g) => g.presence === 'offline')!.agents.map((a) => a.agentId)).toContain(agent.id);
  });

  it("counts the answer in today's totals and the agent's task once the agent takes it", async () => {
    expect((await as(agent)('PUT', '/api/routing/me/presence', { presence: 'available' })).statusCode).toBe(200);
    await route();
    const offers = (await as(agent)('GET', '/api/routing/me')).json().offers;
    expect(offers).toHaveLength(1);
    expect((await as(agent)('POST', `/api/routing/tasks/${offers[0].taskId}/accept`)).statusCode).toBe(200);
    await route();

    const now = await board();
    const support = now.queues.find((q) => q.queueId === queueId)!;
    // Answered after 90 s against a 60 s threshold: answered, but outside the service level.
    expect(support).toMatchObject({ waiting: 0, answered: 1, offered: 1, serviceLevel: 0 });
    expect(now.presences.find((g) => g.presence === 'available')!.agents).toEqual([expect.objectContaining({ agentId: agent.id, tasks: 1 })]);
    expect(now.totals).toMatchObject({ waiting: 0, answered: 1, agentsAvailable: 1, tasksInProgress: 1 });
    expect(now.alerts.map((a) => `${a.kind}:${a.severity}`)).toEqual(['service_level_low:critical']);
    // Against a lower target the same 0 % is less far off.
    expect((await board('?serviceLevelTarget=0.1')).alerts.map((a) => `${a.kind}:${a.severity}`)).toEqual(['service_level_low:warning']);
  });

  it("alerts on today's SLA breaches, not yesterday's", async () => {
    const breach = (metric: string) =>
      inTransaction(t.platform, (tx) =>
        appendEvent(tx, { workspaceId, type: 'sla.breached', subjectType: 'conversation', subjectId: 'c-1', payload: { conversationId: 'c-1', policyId: 'p-1', metric, dueAt: clock.now().toISOString() } }),
      );
    await breach('first_response');
    await breach('first_response');
    const alerts = (await board()).alerts.filter((a) => a.kind === 'sla_breached');
    expect(alerts.map((a) => [a.metric, a.value])).toEqual([['first_response', 2]]);

    // The next local day starts at 23:00 UTC; the breaches and the answer belong to yesterday then.
    clock.set(new Date('2026-11-23T23:30:00Z'));
    cookies[supervisor.id] = await loginCookie(t.app, supervisor.email); // the old session went idle
    const tomorrow = await board();
    expect(tomorrow.since).toBe('2026-11-23T23:00:00.000Z');
    expect(tomorrow.alerts.filter((a) => a.kind === 'sla_breached')).toEqual([]);
    expect(tomorrow.totals.answered).toBe(0);
  });

  it("starts the day in the workspace's reporting time zone", async () => {
    await t.platform.db.insert(analyticsSettings).values({ workspaceId, timeZone: 'America/New_York', updatedAt: clock.now() });
    expect((await board()).since).toBe('2026-11-23T05:00:00.000Z');
  });

  it("shows nothing of another workspace's queues", async () => {
    const other = (await makeWorkspace(t.platform)).id;
    const outsider = await makeUser(t.platform, other, 'supervisor');
    const res = await t.app.inject({ method: 'GET', url: '/api/analytics/wallboard', headers: { cookie: await loginCookie(t.app, outsider.email) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().queues).toEqual([]);
    expect(res.json().presences.flatMap((g: { agents: Array<{ agentId: string }> }) => g.agents.map((a) => a.agentId))).toEqual([outsider.id]);
  });
});
