import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { listEvents } from '../../src/platform/events/events.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

describe('routing API and service', () => {
  const clock = new ManualClock('2026-05-04T09:00:00Z');
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let admin: { id: string; email: string };
  let expert: { id: string; email: string };
  let novice: { id: string; email: string };
  const cookies: Record<string, string> = {};
  let queueId: string;

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    admin = await makeUser(t.platform, workspaceId, 'admin');
    expert = await makeUser(t.platform, workspaceId, 'agent');
    novice = await makeUser(t.platform, workspaceId, 'agent');
    for (const u of [admin, expert, novice]) cookies[u.id] = await loginCookie(t.app, u.email);
  });
  afterAll(() => t.close());

  const as = (user: { id: string }) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookies[user.id]! }, payload });
  const route = () => routingOf(t.platform).runPending(workspaceId);

  it('checks expressions where they will be used, with positions for the editor', async () => {
    const res = await as(admin)('POST', '/api/routing/expressions/check', { source: 'agent.skills.support >= 4 AND task.langauge == nl', place: 'step' });
    expect(res.statusCode).toBe(200);
    const [issue] = res.json().issues;
    expect(issue.message).toMatch(/task\.language/);
    expect(issue.position).toBe('agent.skills.support >= 4 AND '.length);
    const filter = await as(admin)('POST', '/api/routing/expressions/check', { source: 'agent.team == a', place: 'filter' });
    expect(filter.json().issues[0].message).toMatch(/task\./);
  });

  it('refuses a configuration the engine could not load, and stores nothing', async () => {
    const settings = (await as(admin)('GET', '/api/routing/settings')).json();
    const saved = await as(admin)('PUT', '/api/routing/settings', { ...settings, skills: ['support', 'billing'] });
    expect(saved.statusCode).toBe(200);
    const bad = await as(admin)('POST', '/api/routing/queues', { name: 'Broken', eligibility: 'agent.skills HAS', order: 'fifo' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_routing_config');
    expect((await as(admin)('GET', '/api/routing/queues')).json().items).toEqual([]);
    const forbidden = await as(expert)('POST', '/api/routing/queues', { name: 'Mine', eligibility: '', order: 'fifo' });
    expect(forbidden.statusCode).toBe(403);
  });

  it('offers a chat to the skilled agent, escalates after the step timeout when she rejects, and assigns on accept', async () => {
    const queue = await as(admin)('POST', '/api/routing/queues', { name: 'Support', eligibility: '', order: 'fifo', serviceLevelSeconds: 60 });
    expect(queue.statusCode).toBe(201);
    queueId = queue.json().id;
    const workflow = await as(admin)('POST', '/api/routing/workflows', {
      name: 'Standard',
      filters: [],
      defaultSteps: [
        { queueId, agentExpression: 'agent.skills.support >= 4', timeoutSeconds: 30 },
        { queueId, agentExpression: 'agent.skills.support >= 1' },
      ],
    });
    expect(workflow.statusCode).toBe(201);
    const capacity = { total: 100, cost: { webchat: 25 } };
    expect((await as(admin)('PUT', `/api/routing/agents/${expert.id}`, { skills: { support: 5 }, languages: ['nl'], attributes: {}, capacity })).statusCode).toBe(200);
    expect((await as(admin)('PUT', `/api/routing/agents/${novice.id}`, { skills: { support: 1 }, languages: ['nl'], attributes: {}, capacity })).statusCode).toBe(200);
    const unknownSkill = await as(admin)('PUT', `/api/routing/agents/${novice.id}`, { skills: { juggling: 3 }, languages: [], attributes: {}, capacity });
    expect(unknownSkill.json().error.code).toBe('unknown_skill');
    for (const agent of [expert, novice]) {
      const res = await as(agent)('PUT', '/api/routing/me/presence', { presence: 'available' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().presence).toBe('available');
    }

    clock.advance(1000);
    const { conversation } = await makeInbound(t.platform, channel, { from: 'visitor:route-1', body: 'Mijn internet doet het niet' });
    await route();
    const expertDesk = (await as(expert)('GET', '/api/routing/me')).json();
    expect(expertDesk.offers).toHaveLength(1);
    expect(expertDesk.offers[0]).toMatchObject({ conversationId: conversation.id, queueName: 'Support', customerName: 'Klant Test', preview: 'Mijn internet doet het niet' });
    expect((await as(novice)('GET', '/api/routing/me')).json().offers).toEqual([]);
    const taskId = expertDesk.offers[0].taskId;

    expect((await as(expert)('POST', `/api/routing/tasks/${taskId}/reject`)).statusCode).toBe(204);
    expect((await as(expert)('POST', `/api/routing/tasks/${taskId}/reject`)).json().error.code).toBe('not_offered');
    clock.advance(29_000);
    await route();
    expect((await as(novice)('GET', '/api/routing/me')).json().offers).toEqual([]);
    clock.advance(1_000);
    await route();
    expect((await as(novice)('GET', '/api/routing/me')).json().offers.map((o: { taskId: string }) => o.taskId)).toEqual([taskId]);

    const accepted = await as(novice)('POST', `/api/routing/tasks/${taskId}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().conversationId).toBe(conversation.id);
    const view = (await as(novice)('GET', `/api/conversations/${conversation.id}`)).json();
    expect(view.assignee?.id ?? view.conversation?.assigneeId ?? view.assigneeId).toBe(novice.id);

    const events = await listEvents(t.platform.db, workspaceId, { limit: 200 });
    const types = events.map((e) => e.type);
    for (const type of ['routing.task_created', 'routing.task_queued', 'routing.offered', 'routing.offer_ended', 'routing.assigned']) expect(types).toContain(type);

    const task = (await as(admin)('GET', `/api/routing/tasks/${taskId}`)).json();
    expect(task).toMatchObject({ state: 'assigned', agentId: novice.id, stepIndex: 1 });

    // Resolving the conversation completes the task and frees the agent.
    expect((await as(novice)('PATCH', `/api/conversations/${conversation.id}`, { status: 'resolved' })).statusCode).toBe(200);
    await route();
    expect((await as(admin)('GET', `/api/routing/tasks/${taskId}`)).json().state).toBe('completed');

    const stats = (await as(admin)('GET', '/api/routing/stats')).json();
    const support = stats.today.find((q: { queueId: string }) => q.queueId === queueId);
    expect(support).toMatchObject({ answered: 1, abandoned: 0, answeredWithinServiceLevel: 1, serviceLevel: 1 });
    expect(stats.live.queues.find((q: { queueId: string }) => q.queueId === queueId)).toMatchObject({ accepted: 1, rejected: 1 });

    // Assignment latency is published: per command type from written to committed, and the customer's wait.
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    const count = (pattern: RegExp) => Number(metrics.match(pattern)?.[1] ?? 0);
    expect(count(/hoorn_routing_command_seconds_count\{type="task.create"\} (\d+)/)).toBeGreaterThanOrEqual(1);
    expect(count(/hoorn_routing_command_seconds_count\{type="offer.accept"\} (\d+)/)).toBeGreaterThanOrEqual(1);
    expect(count(new RegExp(`hoorn_routing_wait_seconds_count\\{queue="${queueId}"\\} (\\d+)`))).toBe(1);
    expect(count(/hoorn_routing_decisions_total\{type="offer"\} (\d+)/)).toBeGreaterThanOrEqual(2);
  });

  it('continues after a restart exactly where it was (a new leader loads the database)', async () => {
    clock.advance(1000);
    const { conversation } = await makeInbound(t.platform, channel, { from: 'visitor:route-2' });
    await route();
    const offered = (await as(expert)('GET', '/api/routing/me')).json().offers;
    expect(offered.map((o: { conversationId: string }) => o.conversationId)).toEqual([conversation.id]);

    // Another node takes the lease: this node's router is fenced off and a fresh one loads the state.
    const { takeLease } = await import('../../src/routing/routing.store.ts');
    await takeLease(t.platform.db, workspaceId, 'another-node', clock.now());
    // The fenced router notices as soon as it has something to write.
    clock.advance(1000);
    await makeInbound(t.platform, channel, { from: 'visitor:route-3' });
    await expect(route()).rejects.toThrow(/another node/);
    await route(); // a new router with a new lease
    const again = await as(expert)('POST', `/api/routing/tasks/${offered[0].taskId}/accept`);
    expect(again.statusCode, again.body).toBe(200);
  });

  it('tells a waiting customer their place in line, and that an agent has it once accepted', async () => {
    const { waitFor } = await import('../../src/routing/routing.service.ts');
    for (const agent of [expert, novice]) await as(agent)('PUT', '/api/routing/me/presence', { presence: 'break' });
    clock.advance(1000);
    const first = (await makeInbound(t.platform, channel, { from: 'visitor:wait-1' })).conversation;
    clock.advance(1000);
    const second = (await makeInbound(t.platform, channel, { from: 'visitor:wait-2' })).conversation;
    await route();
    const ahead = await waitFor(t.platform, workspaceId, first.id);
    const position = ahead && ahead.state === 'waiting' ? (ahead.position ?? 0) : 0;
    expect(position).toBeGreaterThanOrEqual(1);
    const behind = await waitFor(t.platform, workspaceId, second.id);
    expect(behind).toMatchObject({ state: 'waiting', position: position + 1 });
    expect(behind && 'estimatedWaitSeconds' in behind ? behind.estimatedWaitSeconds : 0).toBeGreaterThan(0);
    await as(expert)('PUT', '/api/routing/me/presence', { presence: 'available' });
    const offer = (await as(expert)('GET', '/api/routing/me')).json().offers.find((o: { conversationId: string }) => o.conversationId === first.id);
    await as(expert)('POST', `/api/routing/tasks/${offer.taskId}/accept`);
    expect(await waitFor(t.platform, workspaceId, first.id)).toEqual({ state: 'assigned' });
  });

  it('transfers a conversation to a named agent, and one that is not routed yet to a queue', async () => {
    await as(expert)('PUT', '/api/routing/me/presence', { presence: 'available' });
    await as(novice)('PUT', '/api/routing/me/presence', { presence: 'available' });
    await route();
    // Start with empty desks: resolve what earlier tests left behind.
    for (const task of (await as(admin)('GET', '/api/routing/tasks?state=active')).json().items) {
      await as(admin)('PATCH', `/api/conversations/${task.conversationId}`, { status: 'resolved' });
    }
    await route();
    clock.advance(1000);
    const { conversation } = await makeInbound(t.platform, channel, { from: 'visitor:transfer-1' });
    await route();
    const holder = (await as(expert)('GET', '/api/routing/me')).json().offers.some((o: { conversationId: string }) => o.conversationId === conversation.id) ? expert : novice;
    const other = holder === expert ? novice : expert;
    const offer = (await as(holder)('GET', '/api/routing/me')).json().offers.find((o: { conversationId: string }) => o.conversationId === conversation.id);
    expect((await as(holder)('POST', `/api/routing/tasks/${offer.taskId}/accept`)).statusCode).toBe(200);

    // Only the agent who has it may pass it on.
    expect((await as(other)('POST', `/api/routing/conversations/${conversation.id}/transfer`, { agentId: holder.id })).json().error.code).toBe('not_yours');
    expect((await as(holder)('POST', `/api/routing/conversations/${conversation.id}/transfer`, { agentId: other.id })).statusCode).toBe(204);
    const transferred = (await as(other)('GET', '/api/routing/me')).json().offers.find((o: { conversationId: string }) => o.conversationId === conversation.id);
    expect(transferred).toBeDefined();
    expect((await as(other)('POST', `/api/routing/tasks/${transferred.taskId}/accept`)).statusCode).toBe(200);
    const events = await listEvents(t.platform.db, workspaceId, { limit: 500 });
    expect(events.some((e) => e.type === 'routing.transferred' && (e.payload as { taskId?: string }).taskId === transferred.taskId)).toBe(true);

    // A conversation assigned by hand (no task) becomes a task when its agent sends it to a queue.
    clock.advance(1000);
    const { conversation: manual } = await makeInbound(t.platform, channel, { from: 'visitor:transfer-2' });
    await route();
    await as(admin)('PATCH', `/api/conversations/${manual.id}`, { assigneeId: expert.id });
    await route();
    const before = (await as(admin)('GET', '/api/routing/tasks?state=active')).json().items.filter((x: { conversationId: string }) => x.conversationId === manual.id);
    expect(before).toEqual([]);
    expect((await as(expert)('POST', `/api/routing/conversations/${manual.id}/transfer`, { queueId })).statusCode).toBe(204);
    const after = (await as(admin)('GET', '/api/routing/tasks?state=active')).json().items.filter((x: { conversationId: string }) => x.conversationId === manual.id);
    expect(after).toHaveLength(1);
    expect(after[0].queueId).toBe(queueId);
  });

  it('marks a waiting task as a callback, keeping its place', async () => {
    for (const agent of [expert, novice]) await as(agent)('PUT', '/api/routing/me/presence', { presence: 'break' });
    clock.advance(1000);
    const { conversation } = await makeInbound(t.platform, channel, { from: 'visitor:callback-1' });
    await route();
    const task = (await as(admin)('GET', '/api/routing/tasks?state=waiting')).json().items.find((x: { conversationId: string }) => x.conversationId === conversation.id);
    expect((await as(admin)('POST', `/api/routing/tasks/${task.id}/callback`)).statusCode).toBe(204);
    expect((await as(admin)('GET', `/api/routing/tasks/${task.id}`)).json()).toMatchObject({ callback: true, state: 'pending' });
  });

  it('keeps tenants apart', async () => {
    const other = await makeWorkspace(t.platform);
    const stranger = await makeUser(t.platform, other.id, 'admin');
    const cookie = await loginCookie(t.app, stranger.email);
    const tasks = (await as(admin)('GET', '/api/routing/tasks?state=all')).json().items;
    const res = await t.app.inject({ method: 'GET', url: `/api/routing/tasks/${tasks[0].id}`, headers: { cookie } });
    expect(res.statusCode).toBe(404);
    const queues = await t.app.inject({ method: 'GET', url: '/api/routing/queues', headers: { cookie } });
    expect(queues.json().items).toEqual([]);
    const put = await t.app.inject({ method: 'PUT', url: `/api/routing/queues/${queueId}`, headers: { cookie }, payload: { name: 'Mine', eligibility: '', order: 'fifo' } });
    expect(put.statusCode).toBe(404);
  });
});
