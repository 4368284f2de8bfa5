// Rules at work on real inbound messages: analysed text, conditions, actions carried out in the
// inbound transaction (tags, priority and queue reach the routing task before anyone is offered it),
// order and stop, the run log from the conversation, dry runs, and refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { runRulesOnEvents } from '../../src/automation/automation.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { appendEvent, inTransaction, listEvents } from '../../src/platform/events/events.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

describe('automation rules', () => {
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let adminCookie: string;
  let agentCookie: string;
  let agentId: string;
  let general: { id: string; name: string };
  let retention: { id: string; name: string };
  const api = (cookie: string) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, payload });
  const admin = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) => api(adminCookie)(method, url, payload);
  const route = () => routingOf(t.platform).runPending(workspaceId);
  const conversationOf = async (id: string) => (await admin('GET', `/api/conversations/${id}`)).json();
  const taskOf = async (conversationId: string) => {
    const tasks = (await admin('GET', '/api/routing/tasks?state=all')).json().items as Array<{ conversationId: string; queueId: string | null; priority: number; state: string }>;
    return tasks.find((task) => task.conversationId === conversationId);
  };
  const createRule = async (rule: object) => {
    const res = await admin('POST', '/api/automation/rules', rule);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const deleteAllRules = async () => {
    for (const rule of (await admin('GET', '/api/automation/rules')).json().items) await admin('DELETE', `/api/automation/rules/${rule.id}`);
  };

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    const adminUser = await makeUser(t.platform, workspaceId, 'admin');
    const agent = await makeUser(t.platform, workspaceId, 'agent');
    agentId = agent.id;
    adminCookie = await loginCookie(t.app, adminUser.email);
    agentCookie = await loginCookie(t.app, agent.email);
    general = (await admin('POST', '/api/routing/queues', { name: 'Algemeen', eligibility: '', order: 'fifo' })).json();
    retention = (await admin('POST', '/api/routing/queues', { name: 'Retentie', eligibility: '', order: 'fifo' })).json();
    expect((await admin('POST', '/api/routing/workflows', { name: 'Standaard', filters: [], defaultSteps: [{ queueId: general.id }] })).statusCode).toBe(201);
    await route();
  });
  afterAll(() => t.close());

  it('analyses the customer’s text and acts on it before routing offers the task: tags, priority, queue, attributes', async () => {
    await createRule({
      name: 'Opzeggers naar retentie',
      trigger: 'message.received',
      conditions: { all: [{ field: 'text', op: 'matches', value: '\\bopzeg' }, { field: 'sentiment', op: 'is', value: 'negative' }] },
      actions: [
        { type: 'add_tags', tags: ['Opzegging'] },
        { type: 'set_priority', priority: 'high' },
        { type: 'route_to_queue', queueId: retention.id },
        { type: 'set_attribute', key: 'intent', value: 'cancel' },
      ],
    });
    const { conversation } = await makeInbound(t.platform, channel, { body: 'Ik wil mijn abonnement opzeggen, jullie service is waardeloos!' });
    const seen = await conversationOf(conversation.id);
    expect(seen).toMatchObject({ tags: ['opzegging'], priority: 'high', language: 'nl', queue: 'Retentie' });
    expect(seen.attributes).toMatchObject({ intent: 'cancel', sentiment: 'negative' });
    expect(seen.attributes.sentimentScore).toBeLessThan(-0.25);
    await route();
    expect(await taskOf(conversation.id)).toMatchObject({ queueId: retention.id, priority: 2, state: 'pending' });

    // A calm question matches nothing: no tags, normal priority, the default queue.
    const calm = (await makeInbound(t.platform, channel, { body: 'Hoe kan ik mijn adres wijzigen?' })).conversation;
    await route();
    expect(await conversationOf(calm.id)).toMatchObject({ tags: [], priority: 'normal' });
    expect(await taskOf(calm.id)).toMatchObject({ queueId: general.id, priority: 1 });

    // The conversation shows what touched it and why; the events name the rule.
    const runs = (await admin('GET', `/api/conversations/${conversation.id}/automation`)).json().items;
    expect(runs).toHaveLength(1);
    expect(runs[0].results.map((r: { outcome: string }) => r.outcome)).toEqual(['done', 'done', 'done', 'done']);
    expect(runs[0].traces[0].conditions.map((c: { passed: boolean }) => c.passed)).toEqual([true, true]);
    expect((await api(agentCookie)('GET', `/api/conversations/${calm.id}/automation`)).json().items).toEqual([]);
    const priorityEvent = (await listEvents(t.platform.db, workspaceId, { limit: 500 })).find((e) => e.type === 'conversation.priority_changed' && e.subjectId === conversation.id)!;
    expect(priorityEvent.actorId).toMatch(/^automation:/);
    expect(priorityEvent.payload).toMatchObject({ from: 'normal', to: 'high' });
    await deleteAllRules();
  });

  it('runs rules in order; a matching rule with stop ends the run, a non-matching one does not', async () => {
    const never = await createRule({ name: 'E-mail stopt', trigger: 'message.received', stop: true, conditions: { all: [{ field: 'channel', op: 'is', value: 'email' }] }, actions: [{ type: 'add_tags', tags: ['email'] }] });
    const first = await createRule({ name: 'Eerst', trigger: 'message.received', stop: true, actions: [{ type: 'add_tags', tags: ['eerst'] }] });
    const second = await createRule({ name: 'Tweede', trigger: 'message.received', actions: [{ type: 'add_tags', tags: ['tweede'] }] });
    const a = (await makeInbound(t.platform, channel, { body: 'Hallo' })).conversation;
    expect((await conversationOf(a.id)).tags).toEqual(['eerst']);
    // Reordered: the second runs first, then the stopper.
    const order = await admin('POST', '/api/automation/rules/order', { ids: [second.id, never.id, first.id] });
    expect(order.statusCode, order.body).toBe(200);
    const b = (await makeInbound(t.platform, channel, { body: 'Hallo' })).conversation;
    expect((await conversationOf(b.id)).tags).toEqual(['eerst', 'tweede']);
    expect((await admin('POST', '/api/automation/rules/order', { ids: [second.id, first.id] })).json().error.code).toBe('incomplete_order');
    await deleteAllRules();
  });

  it('runs conversation.created rules on the opening message only, and replies with placeholders filled in', async () => {
    await createRule({ name: 'Welkom', trigger: 'conversation.created', conditions: { all: [{ field: 'businessHours', op: 'is', value: true }] }, actions: [{ type: 'auto_reply', body: 'Hoi {{customer.first_name}}, we helpen je zo.' }] });
    const { conversation } = await makeInbound(t.platform, channel, { from: 'visitor:welkom', body: 'Goedemorgen' });
    await makeInbound(t.platform, channel, { from: 'visitor:welkom', body: 'Nog iets' });
    const messages = (await admin('GET', `/api/conversations/${conversation.id}/messages`)).json().items as Array<{ body: string; authorType: string; direction: string }>;
    const replies = messages.filter((m) => m.direction === 'outbound' && m.authorType === 'bot');
    expect(replies.map((m) => m.body)).toEqual(['Hoi Klant, we helpen je zo.']);
    await deleteAllRules();
  });

  it('assigns to a named agent (routing lets go of the task), resolves, snoozes and notes', async () => {
    await createRule({ name: 'Naar Anna', trigger: 'message.received', conditions: { all: [{ field: 'text', op: 'contains', value: 'factuur' }] }, actions: [{ type: 'assign', agentId }, { type: 'add_note', body: 'Automatisch toegewezen (factuur)' }] });
    await createRule({ name: 'Bedankt = klaar', trigger: 'message.received', conditions: { all: [{ field: 'text', op: 'matches', value: '^(bedankt|dank je)[.!]*$' }] }, actions: [{ type: 'resolve' }] });
    await createRule({ name: 'Later', trigger: 'message.received', conditions: { all: [{ field: 'text', op: 'contains', value: 'volgende week' }] }, actions: [{ type: 'snooze', minutes: 60 }] });
    const invoice = (await makeInbound(t.platform, channel, { body: 'Mijn factuur klopt niet' })).conversation;
    await route();
    expect((await conversationOf(invoice.id)).assignee?.id).toBe(agentId);
    expect((await taskOf(invoice.id))?.state).toBe('canceled');
    const notes = (await admin('GET', `/api/conversations/${invoice.id}/messages`)).json().items.filter((m: { kind: string }) => m.kind === 'note');
    expect(notes.map((m: { body: string }) => m.body)).toEqual(['Automatisch toegewezen (factuur)']);
    const thanks = (await makeInbound(t.platform, channel, { body: 'Bedankt!' })).conversation;
    expect((await conversationOf(thanks.id)).status).toBe('resolved');
    const later = (await makeInbound(t.platform, channel, { body: 'Ik bel volgende week terug' })).conversation;
    expect(await conversationOf(later.id)).toMatchObject({ status: 'snoozed', snoozedUntil: '2026-11-24T11:00:00.000Z' });
    await deleteAllRules();
  });

  it('runs rules on later events from the event log: a resolution, a CSAT answer', async () => {
    await createRule({ name: 'VIP nazorg', trigger: 'conversation.resolved', conditions: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] }, actions: [{ type: 'add_tags', tags: ['nazorg'] }] });
    await createRule({ name: 'Ontevreden', trigger: 'csat.received', conditions: { all: [{ field: 'csat', op: 'lte', value: 2 }] }, actions: [{ type: 'add_tags', tags: ['ontevreden'] }, { type: 'set_attribute', key: 'followUp', value: true }] });
    const vip = (await makeInbound(t.platform, channel, { body: 'Hallo' })).conversation;
    const plain = (await makeInbound(t.platform, channel, { body: 'Hallo' })).conversation;
    for (const c of [vip, plain]) {
      if (c === vip) expect((await admin('PATCH', `/api/conversations/${c.id}`, { tags: ['vip'] })).statusCode).toBe(200);
      expect((await admin('PATCH', `/api/conversations/${c.id}`, { status: 'resolved' })).statusCode).toBe(200);
    }
    await inTransaction(t.platform, (tx) =>
      appendEvent(tx, { workspaceId, type: 'survey.answered', subjectType: 'conversation', subjectId: plain.id, payload: { conversationId: plain.id, surveyId: randomUUID(), kind: 'csat', score: 1 }, actorId: 'customer:x' }),
    );
    expect(await runRulesOnEvents(t.platform)).toBeGreaterThan(0);
    expect((await conversationOf(vip.id)).tags).toEqual(['nazorg', 'vip']);
    expect((await conversationOf(plain.id)).tags).toEqual(['ontevreden']);
    expect((await conversationOf(plain.id)).attributes.followUp).toBe(true);
    // Read once: running again does nothing twice.
    await runRulesOnEvents(t.platform);
    expect((await admin('GET', `/api/conversations/${plain.id}/automation`)).json().items).toHaveLength(1);
    await deleteAllRules();
  });

  it('stops two rules that keep triggering each other', async () => {
    await createRule({ name: 'Ping', trigger: 'conversation.updated', actions: [{ type: 'add_tags', tags: ['ping'] }, { type: 'remove_tags', tags: ['pong'] }] });
    await createRule({ name: 'Pong', trigger: 'conversation.updated', actions: [{ type: 'add_tags', tags: ['pong'] }, { type: 'remove_tags', tags: ['ping'] }] });
    const { conversation } = await makeInbound(t.platform, channel, { body: 'Hallo' });
    expect((await admin('PATCH', `/api/conversations/${conversation.id}`, { priority: 'low' })).statusCode).toBe(200);
    let rounds = 0;
    while ((await runRulesOnEvents(t.platform)) > 0) {
      rounds++;
      expect(rounds, 'the loop guard ends the ping-pong').toBeLessThan(10);
    }
    const runs = (await admin('GET', `/api/automation/runs?conversationId=${conversation.id}`)).json().items as Array<{ chain: string[]; traces: Array<{ skipped?: string }> }>;
    expect(Math.max(...runs.map((r) => r.chain.length))).toBeLessThanOrEqual(3);
    expect(runs.some((r) => r.traces.some((trace) => trace.skipped === 'loop' || trace.skipped === 'chain-limit'))).toBe(true);
    await deleteAllRules();
  });

  it('tries a rule on a sample before saving it, with the trace of each condition', async () => {
    const rule = {
      name: 'Boze X-vermelding',
      trigger: 'message.received',
      conditions: { all: [{ field: 'channel', op: 'is', value: 'x' }, { field: 'public', op: 'is', value: true }, { field: 'sentiment', op: 'is', value: 'negative' }] },
      actions: [{ type: 'set_priority', priority: 'high' }],
    };
    const hit = await admin('POST', '/api/automation/rules/test', { rule, sample: { channel: 'x', public: true, text: '@hoorn jullie reageren veel te traag, waardeloos!' } });
    expect(hit.statusCode, hit.body).toBe(200);
    expect(hit.json()).toMatchObject({ matched: true, subject: { language: 'nl', sentiment: 'negative' } });
    const miss = await admin('POST', '/api/automation/rules/test', { rule, sample: { channel: 'x', public: true, text: 'Top service, bedankt!' } });
    expect(miss.json().matched).toBe(false);
    expect(miss.json().trace.conditions.map((c: { passed: boolean }) => c.passed)).toEqual([true, true, false]);
    // Nothing was saved or carried out.
    expect((await admin('GET', '/api/automation/rules')).json().items).toEqual([]);
  });

  it('refuses rules that cannot work, saying why, and lets only admins change rules', async () => {
    const unknownQueue = await admin('POST', '/api/automation/rules', { name: 'x', trigger: 'message.received', actions: [{ type: 'route_to_queue', queueId: '00000000-0000-4000-8000-000000000000' }] });
    expect(unknownQueue.statusCode).toBe(400);
    expect(unknownQueue.json().error.message).toMatch(/actions\.0: there is no queue/);
    const badCondition = await admin('POST', '/api/automation/rules', { name: 'x', trigger: 'message.received', conditions: { all: [{ field: 'channel', op: 'gt', value: 1 }] }, actions: [{ type: 'resolve' }] });
    expect(badCondition.statusCode).toBe(400);
    expect(badCondition.body).toMatch(/channel does not take/);
    expect((await api(agentCookie)('POST', '/api/automation/rules', { name: 'x', trigger: 'message.received', actions: [{ type: 'resolve' }] })).statusCode).toBe(403);
  });

  it('detects the language of the opening message before routing, so a workflow filter can use it', async () => {
    const ws = await makeWorkspace(t.platform);
    const wsAdmin = await makeUser(t.platform, ws.id, 'admin');
    const as = api(await loginCookie(t.app, wsAdmin.email, undefined, ws.slug));
    const dutch = (await as('POST', '/api/routing/queues', { name: 'Nederlands', eligibility: '', order: 'fifo' })).json();
    const english = (await as('POST', '/api/routing/queues', { name: 'English', eligibility: '', order: 'fifo' })).json();
    const workflow = await as('POST', '/api/routing/workflows', { name: 'Taal', filters: [{ name: 'Engels', expression: 'task.language == "en"', steps: [{ queueId: english.id }] }], defaultSteps: [{ queueId: dutch.id }] });
    expect(workflow.statusCode, workflow.body).toBe(201);
    const wsChannel = await makeWebchatChannel(t.platform, ws.id);
    const en = (await makeInbound(t.platform, wsChannel, { body: 'Hi, could you tell me where my order is? Thanks' })).conversation;
    const nl = (await makeInbound(t.platform, wsChannel, { body: 'Hoi, waar blijft mijn bestelling? Alvast bedankt' })).conversation;
    await routingOf(t.platform).runPending(ws.id);
    const tasks = (await as('GET', '/api/routing/tasks?state=all')).json().items as Array<{ conversationId: string; queueId: string }>;
    expect(tasks.find((task) => task.conversationId === en.id)?.queueId).toBe(english.id);
    expect(tasks.find((task) => task.conversationId === nl.id)?.queueId).toBe(dutch.id);
    // Analysed once: one event for the opening message.
    const analysed = (await listEvents(t.platform.db, ws.id, { limit: 100, subjectId: en.id })).filter((e) => e.type === 'conversation.analyzed');
    expect(analysed).toHaveLength(1);
  });

  it('shows another workspace nothing', async () => {
    const rule = await createRule({ name: 'Geheim', trigger: 'message.received', actions: [{ type: 'add_tags', tags: ['geheim'] }] });
    const other = await makeWorkspace(t.platform);
    const otherAdmin = await makeUser(t.platform, other.id, 'admin');
    const cookie = await loginCookie(t.app, otherAdmin.email, undefined, other.slug);
    expect((await api(cookie)('GET', `/api/automation/rules/${rule.id}`)).statusCode).toBe(404);
    expect((await api(cookie)('GET', '/api/automation/rules')).json().items).toEqual([]);
    expect((await api(cookie)('GET', '/api/automation/runs')).json().items).toEqual([]);
    // The other workspace's messages do not run this workspace's rules.
    const otherChannel = await makeWebchatChannel(t.platform, other.id);
    const { conversation } = await makeInbound(t.platform, otherChannel, { body: 'Hallo' });
    expect((await api(cookie)('GET', `/api/conversations/${conversation.id}`)).json().tags).toEqual([]);
    await deleteAllRules();
  });
});
