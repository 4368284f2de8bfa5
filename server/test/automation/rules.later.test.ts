// Rules that do not wait for a customer's message: a customer's value tier that changed (from the
// lifetime-value refit), scheduled rules over the open conversations, and the action that hands a
// conversation to a self-service flow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runRulesOnEvents, runScheduledRules } from '../../src/automation/automation.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { appendEvent, inTransaction, listEvents } from '../../src/platform/events/events.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

describe('automation rules on tier changes, on a schedule, and handing over to a flow', () => {
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let adminCookie: string;
  let adminEmail: string;
  /** Sessions expire on the manual clock too. */
  const later = async (ms: number) => {
    clock.advance(ms);
    adminCookie = await loginCookie(t.app, adminEmail);
  };
  let receiver: Server;
  let receiverUrl: string;
  const received: Array<{ type: string; data: Record<string, unknown> }> = [];
  const admin = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie: adminCookie }, payload });
  const conversationOf = async (id: string) => (await admin('GET', `/api/conversations/${id}`)).json();
  const createRule = async (rule: object) => {
    const res = await admin('POST', '/api/automation/rules', rule);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; schedule: unknown };
  };
  const deleteAllRules = async () => {
    for (const rule of (await admin('GET', '/api/automation/rules')).json().items) await admin('DELETE', `/api/automation/rules/${rule.id}`);
  };
  const tierChanged = (customerId: string, from: string, to: string) =>
    inTransaction(t.platform, (tx) => appendEvent(tx, { workspaceId, type: 'customer.tier_changed', subjectType: 'customer', subjectId: customerId, payload: { from, to, clvModelVersion: 2 }, actorId: 'clv' }));

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    t = await makeTestApp({ clock, config: { webhooksAllowPrivate: true } });
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    const adminUser = await makeUser(t.platform, workspaceId, 'admin');
    adminEmail = adminUser.email;
    adminCookie = await loginCookie(t.app, adminEmail);
    const general = (await admin('POST', '/api/routing/queues', { name: 'Algemeen', eligibility: '', order: 'fifo' })).json();
    expect((await admin('POST', '/api/routing/workflows', { name: 'Standaard', filters: [], defaultSteps: [{ queueId: general.id }] })).statusCode).toBe(201);
    await routingOf(t.platform).runPending(workspaceId);
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('acts on the open conversations of a customer whose tier rose, and tells the CRM when none is open', async () => {
    const endpoint = (await admin('POST', '/api/webhooks', { name: 'CRM', url: receiverUrl, eventTypes: ['automation.customer.tier_changed'] })).json();
    expect(endpoint.id).toBeTruthy();
    await createRule({
      name: 'Nieuw goud',
      trigger: 'customer.tier_changed',
      conditions: { all: [{ field: 'tier', op: 'in', value: ['gold', 'platinum'] }, { field: 'previousTier', op: 'in', value: ['bronze', 'silver', 'none'] }] },
      actions: [{ type: 'add_tags', tags: ['nieuw-goud'] }, { type: 'set_priority', priority: 'high' }, { type: 'send_webhook', endpointId: endpoint.id }],
    });
    const open = (await makeInbound(t.platform, channel, { body: 'Hallo', from: 'goud-klant' })).conversation;
    await tierChanged(open.customerId, 'silver', 'gold');
    // A fall from platinum to gold does not match.
    const other = (await makeInbound(t.platform, channel, { body: 'Hallo', from: 'gevallen-klant' })).conversation;
    await tierChanged(other.customerId, 'platinum', 'gold');
    // A customer with nothing open: only the webhook can act.
    const closed = (await makeInbound(t.platform, channel, { body: 'Hallo', from: 'rustige-klant' })).conversation;
    expect((await admin('PATCH', `/api/conversations/${closed.id}`, { status: 'resolved' })).statusCode).toBe(200);
    await tierChanged(closed.customerId, 'bronze', 'platinum');

    expect(await runRulesOnEvents(t.platform)).toBeGreaterThan(0);
    expect(await conversationOf(open.id)).toMatchObject({ tags: ['nieuw-goud'], priority: 'high' });
    expect(await conversationOf(other.id)).toMatchObject({ tags: [], priority: 'normal' });
    expect((await conversationOf(closed.id)).tags).toEqual([]);
    const runs = (await admin('GET', '/api/automation/runs?matched=true')).json().items as Array<{ trigger: string; conversationId: string | null; results: Array<{ action: { type: string }; outcome: string; detail?: string }> }>;
    const customerOnly = runs.find((r) => r.trigger === 'customer.tier_changed' && r.conversationId === null)!;
    expect(customerOnly.results.map((r) => [r.action.type, r.outcome])).toEqual([['add_tags', 'skipped'], ['set_priority', 'skipped'], ['send_webhook', 'done']]);

    for (let i = 0; i < 3 && received.length < 2; i++) await t.platform.outbox.drainOnce();
    const data = received.map((r) => r.data);
    expect(received.every((r) => r.type === 'automation.customer.tier_changed')).toBe(true);
    expect(data).toContainEqual(expect.objectContaining({ customer: { id: closed.customerId, tier: 'platinum', previousTier: 'bronze' } }));
    expect(data).toContainEqual(expect.objectContaining({ conversation: expect.objectContaining({ id: open.id }) }));
    await deleteAllRules();
    for (const c of [open, other]) await admin('PATCH', `/api/conversations/${c.id}`, { status: 'resolved' });
  });

  it('runs a scheduled rule on its rhythm over the quiet conversations, once per conversation until something new is said', async () => {
    const refused = await admin('POST', '/api/automation/rules', { name: 'x', trigger: 'schedule', actions: [{ type: 'resolve' }] });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(/how often it runs/);
    const rule = await createRule({
      name: 'Herinnering na een dag stilte',
      trigger: 'schedule',
      schedule: { everyMinutes: 60 },
      conditions: { all: [{ field: 'idleMinutes', op: 'gte', value: 24 * 60 }, { field: 'status', op: 'in', value: ['open', 'pending'] }] },
      actions: [{ type: 'add_tags', tags: ['stil'] }, { type: 'add_note', body: 'Een dag niets gehoord.' }],
    });
    expect(rule.schedule).toEqual({ everyMinutes: 60 });
    const quiet = (await makeInbound(t.platform, channel, { body: 'Mijn pakket is zoek', from: 'stille-klant' })).conversation;
    await later(20 * 3_600_000);
    const recent = (await makeInbound(t.platform, channel, { body: 'Nog een vraag', from: 'drukke-klant' })).conversation;

    // Not due yet: the first run is an hour after saving.
    expect(await runScheduledRules(t.platform)).toBe(0);
    await later(5 * 3_600_000);
    expect(await runScheduledRules(t.platform)).toBe(1);
    expect((await conversationOf(quiet.id)).tags).toEqual(['stil']);
    expect((await conversationOf(recent.id)).tags).toEqual([]);
    const runs = (await admin('GET', `/api/conversations/${quiet.id}/automation`)).json().items;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', matched: 1 });

    // Its next pass is an hour later; the quiet conversation is not acted on twice.
    expect(await runScheduledRules(t.platform)).toBe(0);
    await later(3_600_000);
    expect(await runScheduledRules(t.platform)).toBe(0);
    // The customer writes again, then falls quiet for a day: the rule may act again.
    await makeInbound(t.platform, channel, { body: 'Hallo?', from: 'stille-klant' });
    expect((await admin('PATCH', `/api/conversations/${quiet.id}`, { tags: [] })).statusCode).toBe(200);
    await later(25 * 3_600_000);
    // Read a page of one at a time: every conversation is still looked at.
    expect(await runScheduledRules(t.platform, 1)).toBe(2);
    expect((await conversationOf(quiet.id)).tags).toEqual(['stil']);
    expect((await conversationOf(recent.id)).tags).toEqual(['stil']);

    // A disabled scheduled rule does not run.
    const full = (await admin('GET', `/api/automation/rules/${rule.id}`)).json();
    const { id: _id, position: _position, updatedAt: _updatedAt, ...body } = full;
    expect((await admin('PUT', `/api/automation/rules/${rule.id}`, { ...body, enabled: false })).statusCode).toBe(200);
    await later(48 * 3_600_000);
    expect(await runScheduledRules(t.platform)).toBe(0);
    await deleteAllRules();
    for (const c of [quiet, recent]) await admin('PATCH', `/api/conversations/${c.id}`, { status: 'resolved' });
  });

  it('hands a waiting conversation to a published flow: routing lets go, the bot talks', async () => {
    const flow = (await admin('POST', '/api/flows', { name: 'Demo-bot' })).json();
    const unpublished = await admin('POST', '/api/automation/rules', { name: 'Bot', trigger: 'message.received', actions: [{ type: 'trigger_flow', flowId: flow.id }] });
    expect(unpublished.statusCode).toBe(400);
    expect(unpublished.json().error.code).toBe('unknown_flow');
    expect((await admin('POST', `/api/flows/${flow.id}/publish`)).statusCode).toBe(200);
    await createRule({
      name: 'Pakketvragen naar de bot',
      trigger: 'message.received',
      conditions: { all: [{ field: 'text', op: 'contains', value: 'pakket' }] },
      actions: [{ type: 'trigger_flow', flowId: flow.id }],
    });
    const { conversation } = await makeInbound(t.platform, channel, { body: 'Waar is mijn pakket?', from: 'pakket-klant' });
    await routingOf(t.platform).runPending(workspaceId);
    const tasks = (await admin('GET', '/api/routing/tasks?state=all')).json().items as Array<{ conversationId: string; state: string }>;
    expect(tasks.filter((task) => task.conversationId === conversation.id).map((task) => task.state)).toEqual(['canceled']);
    expect((await conversationOf(conversation.id)).attributes.selfService).toBe('running');
    const started = await listEvents(t.platform.db, workspaceId, { type: 'flow.run_started', subjectId: conversation.id, limit: 5 });
    expect(started).toHaveLength(1);
    expect(started[0]!.actorId).toMatch(/^automation:/);
    for (let i = 0; i < 3; i++) await t.platform.outbox.drainOnce();
    const messages = (await admin('GET', `/api/conversations/${conversation.id}/messages`)).json().items as Array<{ authorType: string; body: string }>;
    expect(messages.some((m) => m.authorType === 'bot' && m.body.includes('digitale assistent'))).toBe(true);
    // A second customer message does not start another run (one is running).
    await makeInbound(t.platform, channel, { body: 'Nog steeds geen pakket', from: 'pakket-klant' });
    expect(await listEvents(t.platform.db, workspaceId, { type: 'flow.run_started', subjectId: conversation.id, limit: 5 })).toHaveLength(1);
    const runs = (await admin('GET', `/api/conversations/${conversation.id}/automation`)).json().items as Array<{ results: Array<{ outcome: string; detail?: string }> }>;
    expect(runs[0]!.results[0]).toMatchObject({ outcome: 'skipped', detail: 'a flow is running on the conversation already' });
    await deleteAllRules();
  });
});
