import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOverdueWrapUps } from '../../src/outcomes/wrapup.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { listEvents } from '../../src/platform/events/events.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

type User = { id: string; email: string };

describe('wrap-up: disposition codes, outcomes, after-contact work', () => {
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let admin: User;
  let supervisor: User;
  let anna: User;
  let bert: User;
  const cookies: Record<string, string> = {};

  const as = (user: User) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookies[user.id]! }, payload });
  const route = () => routingOf(t.platform).runPending(workspaceId);
  const events = async (type: string) => (await listEvents(t.platform.db, workspaceId, { limit: 500 })).filter((e) => e.type === type);
  const taskOf = async (conversationId: string) => {
    const tasks = (await as(admin)('GET', '/api/routing/tasks?state=all')).json().items as Array<{ id: string; conversationId: string; state: string }>;
    return tasks.find((task) => task.conversationId === conversationId)!;
  };
  const offersOf = async (user: User) => (await as(user)('GET', '/api/routing/me')).json().offers as Array<{ taskId: string; conversationId: string }>;

  /** A chat from a new visitor, offered to and accepted by Anna. */
  async function chatHandledByAnna(body: string) {
    const { conversation } = await makeInbound(t.platform, channel, { body });
    await route();
    const offer = (await offersOf(anna)).find((o) => o.conversationId === conversation.id);
    expect(offer, 'offered to Anna').toBeDefined();
    expect((await as(anna)('POST', `/api/routing/tasks/${offer!.taskId}/accept`)).statusCode).toBe(200);
    await route();
    return { conversationId: conversation.id, taskId: offer!.taskId };
  }
  const resolve = (user: User, conversationId: string) => as(user)('PATCH', `/api/conversations/${conversationId}`, { status: 'resolved' });

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    admin = await makeUser(t.platform, workspaceId, 'admin');
    supervisor = await makeUser(t.platform, workspaceId, 'supervisor');
    anna = await makeUser(t.platform, workspaceId, 'agent');
    bert = await makeUser(t.platform, workspaceId, 'agent');
    for (const u of [admin, supervisor, anna, bert]) cookies[u.id] = await loginCookie(t.app, u.email);

    const queue = (await as(admin)('POST', '/api/routing/queues', { name: 'Webshop', eligibility: '', order: 'fifo' })).json();
    expect((await as(admin)('POST', '/api/routing/workflows', { name: 'Standaard', filters: [], defaultSteps: [{ queueId: queue.id }] })).statusCode).toBe(201);
    // Room for one chat at a time: a held wrap-up shows as the next chat waiting.
    expect((await as(admin)('PUT', `/api/routing/agents/${anna.id}`, { skills: {}, languages: ['nl'], attributes: {}, capacity: { total: 25, cost: { webchat: 25 } } })).statusCode).toBe(200);
    expect((await as(anna)('PUT', '/api/routing/me/presence', { presence: 'available' })).statusCode).toBe(200);
    await route();

    for (const d of [
      { code: 'bestelling-geplaatst', labelNl: 'Bestelling geplaatst', labelEn: 'Order placed', outcome: 'sale', position: 1 },
      { code: 'bezorgvraag', labelNl: 'Bezorgvraag', labelEn: 'Delivery question', outcome: 'information', position: 2 },
    ]) {
      expect((await as(admin)('POST', '/api/outcomes/dispositions', d)).statusCode).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('lets admins change disposition codes and everyone read them', async () => {
    expect((await as(anna)('POST', '/api/outcomes/dispositions', { code: 'x', labelNl: 'X', labelEn: 'X' })).statusCode).toBe(403);
    const created = await as(admin)('POST', '/api/outcomes/dispositions', { code: 'Klacht-Opgelost', labelNl: 'Klacht opgelost', labelEn: 'Complaint resolved', outcome: 'complaint_resolved', position: 3 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'klacht-opgelost', active: true, outcome: 'complaint_resolved' });
    expect((await as(admin)('POST', '/api/outcomes/dispositions', { code: 'klacht-opgelost', labelNl: 'Dubbel', labelEn: 'Twice' })).json().error.code).toBe('code_taken');
    const bad = await as(admin)('POST', '/api/outcomes/dispositions', { code: 'x', labelNl: 'X', labelEn: 'X', outcome: 'lottery' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toContain('outcome');

    // A partial change leaves the rest alone.
    const patched = await as(admin)('PATCH', `/api/outcomes/dispositions/${created.json().id}`, { active: false });
    expect(patched.json()).toMatchObject({ active: false, outcome: 'complaint_resolved', position: 3, labelNl: 'Klacht opgelost' });
    expect((await as(anna)('PATCH', `/api/outcomes/dispositions/${created.json().id}`, { active: true })).statusCode).toBe(403);

    const list = (await as(anna)('GET', '/api/outcomes/dispositions')).json();
    expect(list.items.map((d: { code: string }) => d.code)).toEqual(['bestelling-geplaatst', 'bezorgvraag', 'klacht-opgelost']);
    expect(list.kinds).toContainEqual({ kind: 'sale', revenue: true });
    expect((await as(admin)('DELETE', `/api/outcomes/dispositions/${created.json().id}`)).statusCode).toBe(204);
    expect((await as(admin)('DELETE', `/api/outcomes/dispositions/${created.json().id}`)).statusCode).toBe(404);
    expect((await as(anna)('GET', '/api/outcomes/settings')).json().wrapUp).toEqual({ mode: 'optional', maxSeconds: 120 });
  });

  it('records an outcome with its event, refuses bad input naming the field, and replaces on a second recording', async () => {
    const { conversationId, taskId } = await chatHandledByAnna('Ik wil twee jassen bestellen');
    expect((await resolve(anna, conversationId)).statusCode).toBe(200);
    await route();
    // 'optional': resolving ends the task at once; nothing is held.
    expect((await taskOf(conversationId)).state).toBe('completed');
    const before = (await as(anna)('GET', `/api/conversations/${conversationId}/wrap-up`)).json();
    expect(before).toMatchObject({ mode: 'optional', awaiting: false, wrapUp: null });

    const post = (user: User, body: object) => as(user)('POST', `/api/conversations/${conversationId}/wrap-up`, body);
    const fieldOf = async (body: object) => {
      const res = await post(anna, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      return res.json().error.details[0].path as string;
    };
    expect(await fieldOf({ disposition: 'bestaat-niet' })).toBe('body/disposition');
    expect(await fieldOf({ disposition: 'bestelling-geplaatst' })).toBe('body/amount');
    expect(await fieldOf({ disposition: 'bestelling-geplaatst', amount: -3 })).toBe('body/amount');
    expect(await fieldOf({ disposition: 'bestelling-geplaatst', amount: 19.999 })).toBe('body/amount');
    expect(await fieldOf({ disposition: 'bestelling-geplaatst', amount: 20, currency: 'XYZ' })).toBe('body/currency');
    expect(await fieldOf({ disposition: 'bezorgvraag', outcome: 'lottery' })).toContain('outcome');
    expect((await post(bert, { disposition: 'bezorgvraag' })).statusCode).toBe(403);

    const first = await post(anna, { disposition: 'bestelling-geplaatst', amount: 129.9, note: 'Twee winterjassen, maat M' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ taskId, agentId: anna.id, outcome: 'sale', amount: 129.9, currency: 'EUR', note: 'Twee winterjassen, maat M' });
    const [recorded] = await events('outcome.recorded');
    expect(recorded!.subjectId).toBe(conversationId);
    expect(recorded!.payload).toEqual({ conversationId, taskId, agentId: anna.id, disposition: 'bestelling-geplaatst', outcome: 'sale', amount: 129.9, currency: 'EUR' });

    // A supervisor corrects it: the same contact, so it replaces, and the event says so again.
    const second = await post(supervisor, { disposition: 'bezorgvraag' });
    expect(second.statusCode, second.body).toBe(200);
    const state = (await as(anna)('GET', `/api/conversations/${conversationId}/wrap-up`)).json();
    expect(state.wrapUp).toMatchObject({ id: first.json().id, disposition: 'bezorgvraag', outcome: 'information', amount: null, currency: null, note: null, agentId: anna.id, recordedBy: supervisor.id });
    const all = await events('outcome.recorded');
    expect(all).toHaveLength(2);
    expect(all.find((e) => e.actorId === supervisor.id)!.payload).toEqual({ conversationId, taskId, agentId: anna.id, disposition: 'bezorgvraag', outcome: 'information', amount: null, currency: null });
  });

  it("in 'required' mode holds the agent's capacity until the wrap-up is submitted", async () => {
    const settings = (await as(admin)('GET', '/api/outcomes/settings')).json();
    expect((await as(anna)('PUT', '/api/outcomes/settings', { ...settings, wrapUp: { mode: 'required', maxSeconds: 90 } })).statusCode).toBe(403);
    expect((await as(admin)('PUT', '/api/outcomes/settings', { ...settings, wrapUp: { mode: 'required', maxSeconds: 90 } })).statusCode).toBe(200);

    const first = await chatHandledByAnna('Waar blijft mijn pakket?');
    expect((await resolve(anna, first.conversationId)).statusCode).toBe(200);
    await route();
    expect((await taskOf(first.conversationId)).state).toBe('wrapping');
    expect((await events('routing.wrapping')).map((e) => e.payload)).toContainEqual({ taskId: first.taskId, agentId: anna.id, conversationId: first.conversationId });
    expect((await as(anna)('GET', `/api/conversations/${first.conversationId}/wrap-up`)).json()).toMatchObject({ mode: 'required', awaiting: true, wrapUp: null });

    // Anna is still busy: the next chat waits.
    const { conversation: next } = await makeInbound(t.platform, channel, { body: 'Kan ik nog ruilen?' });
    await route();
    expect(await offersOf(anna)).toEqual([]);
    clock.advance(30_000);
    expect(await endOverdueWrapUps(t.platform)).toBe(0);
    await route();
    expect(await offersOf(anna)).toEqual([]);

    const submitted = await as(anna)('POST', `/api/conversations/${first.conversationId}/wrap-up`, { disposition: 'bezorgvraag' });
    expect(submitted.statusCode, submitted.body).toBe(200);
    await route();
    expect((await taskOf(first.conversationId)).state).toBe('completed');
    expect((await as(anna)('GET', `/api/conversations/${first.conversationId}/wrap-up`)).json().awaiting).toBe(false);
    expect((await offersOf(anna)).map((o) => o.conversationId)).toEqual([next.id]);
    // The task ended completed (not canceled), once.
    const ended = (await events('routing.task_ended')).filter((e) => e.payload.taskId === first.taskId);
    expect(ended.map((e) => e.payload.state)).toEqual(['completed']);
  });

  it("in 'required' mode ends the after-contact work when maxSeconds pass without a wrap-up", async () => {
    const [offer] = await offersOf(anna);
    expect((await as(anna)('POST', `/api/routing/tasks/${offer!.taskId}/accept`)).statusCode).toBe(200);
    await route();
    expect((await resolve(anna, offer!.conversationId)).statusCode).toBe(200);
    await route();
    expect((await taskOf(offer!.conversationId)).state).toBe('wrapping');

    const { conversation: waiting } = await makeInbound(t.platform, channel, { body: 'Nog een vraag' });
    await route();
    expect(await offersOf(anna)).toEqual([]);

    clock.advance(89_000);
    expect(await endOverdueWrapUps(t.platform)).toBe(0);
    clock.advance(1_000);
    expect(await endOverdueWrapUps(t.platform)).toBe(1);
    // Asked once: a second run before the router applied it asks nothing more.
    expect(await endOverdueWrapUps(t.platform)).toBe(0);
    await route();
    expect((await taskOf(offer!.conversationId)).state).toBe('completed');
    expect((await offersOf(anna)).map((o) => o.conversationId)).toEqual([waiting.id]);
    expect((await as(anna)('GET', `/api/conversations/${offer!.conversationId}/wrap-up`)).json()).toMatchObject({ awaiting: false, wrapUp: null });
  });

  it('keeps a task completed when two ends of it land in one routing batch', async () => {
    const { inTransaction } = await import('../../src/platform/events/events.ts');
    // The chat that waited in the test before is Anna's to take.
    const [offer] = await offersOf(anna);
    expect((await as(anna)('POST', `/api/routing/tasks/${offer!.taskId}/accept`)).statusCode).toBe(200);
    await route();
    const { conversationId, taskId } = offer!;
    expect((await taskOf(conversationId)).state).toBe('assigned');
    await inTransaction(t.platform, async (tx) => {
      await routingOf(t.platform).enqueue(tx, workspaceId, { type: 'task.end', taskId, reason: 'resolved' });
      await routingOf(t.platform).enqueue(tx, workspaceId, { type: 'task.end', taskId, reason: 'resolved' });
    });
    await route();
    expect((await taskOf(conversationId)).state).toBe('completed');
    const ended = (await events('routing.task_ended')).filter((e) => e.payload.taskId === taskId);
    expect(ended.map((e) => e.payload.state)).toEqual(['completed']);
  });
  it("refuses a wrap-up when the workspace switched it off", async () => {
    const settings = (await as(admin)('GET', '/api/outcomes/settings')).json();
    expect((await as(admin)('PUT', '/api/outcomes/settings', { ...settings, wrapUp: { mode: 'off', maxSeconds: 90 } })).statusCode).toBe(200);
    const { conversation } = await makeInbound(t.platform, channel, { body: 'Hallo' });
    const res = await as(supervisor)('POST', `/api/conversations/${conversation.id}/wrap-up`, { disposition: 'bezorgvraag' });
    expect(res.json().error.code).toBe('wrap_up_off');
  });

});
