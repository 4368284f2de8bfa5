import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSlaJob, slaSettled } from '../../src/analytics/sla.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { listEvents } from '../../src/platform/events/events.ts';
import { routingCommands, routingTasks } from '../../src/routing/routing.schema.ts';
import { slaClocks } from '../../src/analytics/sla.schema.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

describe('SLA clocks through a conversation', () => {
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let admin: string;
  let agent: string;

  beforeAll(async () => {
    t = await makeTestApp({ clock, random: () => 0.5 });
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    admin = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'admin')).email);
    const agentUser = await makeUser(t.platform, workspaceId, 'agent');
    agent = await loginCookie(t.app, agentUser.email);
    const as = (cookie: string, method: 'POST', url: string, payload: object) => t.app.inject({ method, url, headers: { cookie }, payload });
    // Routing on, so the escalation has a live task to reprioritise.
    const queue = (await as(admin, 'POST', '/api/routing/queues', { name: 'Algemeen', eligibility: '', order: 'fifo' })).json();
    await as(admin, 'POST', '/api/routing/workflows', { name: 'Alles', filters: [], defaultSteps: [{ queueId: queue.id }] });
    const policy = await as(admin, 'POST', '/api/sla/policies', {
      name: 'Chat',
      conditions: { channels: ['webchat'] },
      targets: { first_response: 120, next_response: 300, resolution: 3600 },
      warning: { kind: 'percent', percent: 80 },
      escalation: { raisePriorityTo: 'urgent', notify: true },
    });
    expect(policy.statusCode, policy.body).toBe(201);
  });
  afterAll(() => t.close());

  const api = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, payload });
  const settle = () => slaSettled(t.platform);
  const sla = async (id: string) => (await api(agent, 'GET', `/api/conversations/${id}/sla`)).json();
  const summary = async (id: string) =>
    (await sla(id)).clocks.map((c: { metric: string; cycle: number; state: string; remainingSeconds: number }) => `${c.metric}#${c.cycle}:${c.state}:${c.remainingSeconds}`);
  const slaEvents = async (id: string) =>
    (await listEvents(t.platform.db, workspaceId, { subjectType: 'conversation', subjectId: id, limit: 200 }))
      .filter((e) => e.type.startsWith('sla.'))
      .reverse()
      .map((e) => `${e.type}:${e.payload.metric}#${e.payload.cycle}`);
  const advance = async (seconds: number) => {
    clock.advance(seconds * 1000);
    return runSlaJob(t.platform);
  };

  it('runs open → reply → customer → pending (paused) → reply → resolved, warning and breaching once', async () => {
    const { conversation } = await makeInbound(t.platform, channel, { from: 'visitor:sla-1' });
    const id = conversation.id;
    expect(await summary(id)).toEqual(['first_response#0:running:120', 'resolution#0:running:3600']);
    expect((await sla(id)).policy.name).toBe('Chat');

    expect(await advance(90)).toBe(0);
    expect(await advance(10)).toBe(1); // 100 s ≥ 80 % of 120: the warning
    expect(await advance(5)).toBe(0);
    expect(await slaEvents(id)).toEqual(['sla.warning:first_response#0']);

    expect(await advance(20)).toBe(1); // 125 s: breached, escalated
    expect(await advance(30)).toBe(0);
    expect(await slaEvents(id)).toEqual(['sla.warning:first_response#0', 'sla.breached:first_response#0']);
    const [breach] = (await listEvents(t.platform.db, workspaceId, { type: 'sla.breached', subjectId: id, limit: 5 }));
    expect(breach!.payload).toMatchObject({ conversationId: id, metric: 'first_response', dueAt: '2026-11-23T09:02:00.000Z', escalation: { priority: 'urgent', notify: true } });
    expect((await api(agent, 'GET', `/api/conversations/${id}`)).json().priority).toBe('urgent');
    const [task] = await t.platform.db.select().from(routingTasks).where(and(eq(routingTasks.workspaceId, workspaceId), eq(routingTasks.conversationId, id)));
    const commands = await t.platform.db.select().from(routingCommands).where(eq(routingCommands.workspaceId, workspaceId));
    expect(commands.map((c) => c.command)).toContainEqual({ type: 'task.update', taskId: task!.id, priority: 3 });

    // 155 s: the agent answers (late); the first response clock stops, breached.
    expect((await api(agent, 'POST', `/api/conversations/${id}/messages`, { body: 'Ik kijk het na', kind: 'message' })).statusCode).toBe(201);
    await settle();
    expect(await summary(id)).toEqual(['first_response#0:breached:-35', 'resolution#0:running:3445']);

    clock.advance(60_000);
    await makeInbound(t.platform, channel, { from: 'visitor:sla-1', body: 'Dank, en de factuur?' });
    clock.advance(30_000);
    expect(await summary(id)).toEqual(['first_response#0:breached:-35', 'resolution#0:running:3355', 'next_response#1:running:270']);

    expect((await api(agent, 'PATCH', `/api/conversations/${id}`, { status: 'pending' })).statusCode).toBe(200);
    await settle();
    expect(await summary(id)).toEqual(['first_response#0:breached:-35', 'resolution#0:paused:3355', 'next_response#1:paused:270']);
    // Two hours waiting on the customer: nothing is due.
    expect(await advance(7200)).toBe(0);
    expect(await summary(id)).toEqual(['first_response#0:breached:-35', 'resolution#0:paused:3355', 'next_response#1:paused:270']);

    expect((await api(agent, 'POST', `/api/conversations/${id}/messages`, { body: 'De factuur is aangepast', kind: 'message' })).statusCode).toBe(201);
    await settle();
    expect((await api(agent, 'PATCH', `/api/conversations/${id}`, { status: 'resolved' })).statusCode).toBe(200);
    await settle();
    expect(await summary(id)).toEqual(['first_response#0:breached:-35', 'resolution#0:met:3355', 'next_response#1:met:270']);
    expect(await advance(3600)).toBe(0);
    expect(await slaEvents(id)).toEqual(['sla.warning:first_response#0', 'sla.breached:first_response#0']);
  });

  it('reports a late answer the job had not seen as one breach, without escalation', async () => {
    const { conversation } = await makeInbound(t.platform, channel, { from: 'visitor:sla-2' });
    clock.advance(130_000);
    // No job ran: the reply arrives after the due time.
    await api(agent, 'POST', `/api/conversations/${conversation.id}/messages`, { body: 'Sorry voor het wachten', kind: 'message' });
    await settle();
    expect(await slaEvents(conversation.id)).toEqual(['sla.breached:first_response#0']);
    const [breach] = await listEvents(t.platform.db, workspaceId, { type: 'sla.breached', subjectId: conversation.id, limit: 5 });
    expect(breach!.payload.escalation).toBeNull();
    expect((await api(agent, 'GET', `/api/conversations/${conversation.id}`)).json().priority).toBe('normal');
    // The job finds nothing further: the breach was reported once, the resolution clock is not due.
    expect(await runSlaJob(t.platform)).toBe(0);
    expect(await slaEvents(conversation.id)).toEqual(['sla.breached:first_response#0']);
  });

  it('heals a clock whose recompute was lost and still breaches it', async () => {
    const { conversation } = await makeInbound(t.platform, channel, { from: 'visitor:sla-3' });
    // As if the recompute of a resume never ran: the row says paused while the conversation is open.
    await t.platform.db.update(slaClocks).set({ state: 'paused', dueAt: null, warnAt: null }).where(eq(slaClocks.conversationId, conversation.id));
    clock.advance(30_000);
    expect(await runSlaJob(t.platform)).toBe(0); // too fresh to call it lost
    clock.advance(100_000);
    expect(await runSlaJob(t.platform)).toBe(2); // healed, then warned and breached in the same pass
    expect(await slaEvents(conversation.id)).toEqual(['sla.warning:first_response#0', 'sla.breached:first_response#0']);
    expect(await runSlaJob(t.platform)).toBe(0);
  });

  it('says 404 for an unknown conversation', async () => {
    expect((await api(agent, 'GET', '/api/conversations/00000000-0000-4000-8000-000000000000/sla')).statusCode).toBe(404);
  });
});
