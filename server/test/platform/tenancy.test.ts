import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent, inTransaction } from '../../src/platform/events/events.ts';
import { enqueueOutbox } from '../../src/platform/outbox/outbox.store.ts';
import { DeliveryError } from '../../src/platform/outbox/outbox.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

/** Sample bodies for routes that take one, so the request passes validation and reaches the lookup. */
const bodies: Record<string, unknown> = {
  'PATCH /api/users/:id': { name: 'Overgenomen' },
  'PATCH /api/conversations/:id': { priority: 'urgent' },
  'POST /api/conversations/:id/messages': { body: 'overgenomen' },
  'PATCH /api/canned-responses/:id': { title: 'Overgenomen' },
  'PUT /api/routing/queues/:id': { name: 'Overgenomen', eligibility: '', order: 'fifo' },
  'PUT /api/routing/workflows/:id': { name: 'Overgenomen', filters: [], defaultSteps: [] },
  'PUT /api/routing/agents/:id': { skills: {}, languages: [], attributes: {}, capacity: { total: 100, cost: {} } },
  'PUT /api/routing/agents/:id/presence': { presence: 'available' },
  'POST /api/routing/tasks/:id/transfer': { queueId: '00000000-0000-4000-8000-000000000000' },
  'POST /api/routing/conversations/:id/transfer': { queueId: '00000000-0000-4000-8000-000000000000' },
  'PATCH /api/channels/:id': { name: 'Overgenomen' },
  'POST /api/customers/:id/orders': { orderId: 'B-1', orderedAt: '2026-01-02', amount: '1.00', currency: 'EUR' },
  'PATCH /api/customers/:id': { name: 'Overgenomen' },
  'POST /api/customers/:id/erase': { confirm: true },
  'POST /api/merge-suggestions/:id': { decision: 'merge' },
  'PATCH /api/knowledge/categories/:id': { nameNl: 'Overgenomen' },
  'PATCH /api/knowledge/articles/:id': { tags: ['overgenomen'] },
  'POST /api/knowledge/articles/:id/publish': { language: 'nl' },
  'POST /api/knowledge/articles/:id/unpublish': { language: 'nl' },
  'PUT /api/flows/:id': { definition: {} },
  'POST /api/conversations/:id/call': { action: 'hangup' },
  'PUT /api/flows/:id/channels': { channelIds: [] },
  'PATCH /api/outcomes/dispositions/:id': { labelNl: 'Overgenomen' },
  'POST /api/conversations/:id/wrap-up': { disposition: 'overgenomen' },
  'POST /api/flows/:id/simulate': { channel: 'webchat' },
  'PUT /api/sla/calendars/:id': { name: 'Overgenomen', timeZone: 'Europe/Amsterdam', alwaysOpen: true },
  'PUT /api/sla/policies/:id': { name: 'Overgenomen', targets: { resolution: 60 } },
  'PATCH /api/webhooks/:id': { name: 'Overgenomen' },
  'POST /api/conversations/:id/calls': {},
  'POST /api/video-calls/:id/recording': { attachmentId: '00000000-0000-4000-8000-000000000000' },
  'PUT /api/campaigns/:id': { name: 'Overgenomen', channelId: '00000000-0000-4000-8000-000000000000', message: { text: 'x' } },
  'PUT /api/automation/rules/:id': { name: 'Overgenomen', trigger: 'message.received', actions: [{ type: 'resolve' }] },
  'PUT /api/macros/:id': { name: 'Overgenomen', actions: [{ type: 'resolve' }] },
  'PUT /api/analytics/report-schedules/:id': { name: 'Overgenomen', recipients: ['a@example.nl'], frequency: 'daily', hour: 7, range: 'yesterday' },
};

describe('tenancy: one workspace never reaches another', () => {
  let t: TestContext;
  let cookieA: string;
  let resourcesB: Record<string, string>;
  let messageB: string;
  let macroIdB: string;
  let webhookDeliveryB: string;

  beforeAll(async () => {
    t = await makeTestApp();
    const a = await makeWorkspace(t.platform);
    const b = await makeWorkspace(t.platform);
    const adminA = await makeUser(t.platform, a.id, 'admin');
    const adminB = await makeUser(t.platform, b.id, 'admin');
    cookieA = await loginCookie(t.app, adminA.email);
    const cookieB = await loginCookie(t.app, adminB.email);

    const keyB = (await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie: cookieB }, payload: { name: 'b', role: 'agent' } })).json();
    t.platform.outbox.register('test.fails', async () => { throw new DeliveryError('permanent', 'no'); });
    const outboxB = await inTransaction(t.platform, (tx) =>
      enqueueOutbox(tx, { workspaceId: b.id, kind: 'test.fails', payload: { secret: 'of B' }, maxAttempts: 1 }, t.platform.clock.now()),
    );
    await t.platform.outbox.drainOnce();
    const eventB = await inTransaction(t.platform, (tx) => appendEvent(tx, { workspaceId: b.id, type: 'test.b', subjectType: 'test', subjectId: 'b' }));
    const chatB = await makeWebchatChannel(t.platform, b.id);
    const inboundB = await makeInbound(t.platform, chatB);
    const cannedB = (await t.app.inject({ method: 'POST', url: '/api/canned-responses', headers: { cookie: cookieB }, payload: { shortcode: 'b', title: 'B', body: 'secret of B' } })).json();
    const fileB = (await t.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie: cookieB, 'content-type': 'text/plain', 'x-filename': 'b.txt' }, payload: 'secret of B' })).json();

    const asB = (method: 'POST' | 'GET' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie: cookieB }, payload });
    const queueB = (await asB('POST', '/api/routing/queues', { name: 'B', eligibility: '', order: 'fifo' })).json();
    const workflowB = (await asB('POST', '/api/routing/workflows', { name: 'B', filters: [], defaultSteps: [{ queueId: queueB.id }] })).json();
    await makeInbound(t.platform, chatB, { body: 'secret of B' });
    const [taskB] = (await asB('GET', '/api/routing/tasks?state=all')).json().items;
    // Two B customers that typed the same address (a suggestion), and a merge of two others.
    const typedB = [(await makeInbound(t.platform, chatB)).conversation.customerId, (await makeInbound(t.platform, chatB)).conversation.customerId];
    for (const id of typedB) await asB('PATCH', `/api/customers/${id}`, { email: 'b-secret@example.nl' });
    const [suggestionB] = (await asB('GET', `/api/customers/${typedB[0]}/identity`)).json().suggestions;
    const mergedB = [(await makeInbound(t.platform, chatB)).conversation.customerId, (await makeInbound(t.platform, chatB)).conversation.customerId];
    const mergeB = (await asB('POST', `/api/customers/${mergedB[0]}/merge`, { otherCustomerId: mergedB[1] })).json();
    bodies['POST /api/customers/:id/merge'] = { otherCustomerId: typedB[1] };
    const categoryB = (await asB('POST', '/api/knowledge/categories', { slug: 'b', nameNl: 'B', nameEn: 'B' })).json();
    const articleB = (await asB('POST', '/api/knowledge/articles', { categoryId: categoryB.id, translations: { nl: { title: 'Geheim van B', body: 'secret of B' } } })).json();
    await asB('POST', `/api/knowledge/articles/${articleB.id}/publish`, { language: 'nl' });
    const flowB = (await asB('POST', '/api/flows', { name: 'secret of B' })).json();
    const slaCalendarB = (await asB('POST', '/api/sla/calendars', { name: 'secret of B', timeZone: 'Europe/Amsterdam', alwaysOpen: true })).json();
    const slaPolicyB = (await asB('POST', '/api/sla/policies', { name: 'secret of B', targets: { resolution: 60 }, calendarId: slaCalendarB.id })).json();
    const scheduleB = (await asB('POST', '/api/analytics/report-schedules', { name: 'secret of B', recipients: ['b@example.nl'], frequency: 'daily', hour: 7, range: 'yesterday' })).json();
    const simulationB = (
      await asB('POST', '/api/workforce/simulations', {
        scenario: { name: 'secret of B', date: '2026-01-05', intervalMinutes: 60, demand: [{ id: 'b', name: 'B', channel: 'webchat', arrivals: Array(24).fill(1), handleTime: { meanSeconds: 60 } }], agents: [{ name: 'B', count: 1 }] },
      })
    ).json();
    const macroB = (await asB('POST', '/api/macros', { name: 'secret of B', actions: [{ type: 'add_tags', tags: ['b'] }] })).json();
    const ruleB = (await asB('POST', '/api/automation/rules', { name: 'secret of B', trigger: 'message.received', actions: [{ type: 'add_tags', tags: ['b'] }] })).json();
    const webhookB = (await asB('POST', '/api/webhooks', { name: 'secret of B', url: 'https://b.example.nl/hook', eventTypes: ['*'] })).json();
    webhookDeliveryB = (await asB('POST', `/api/webhooks/${webhookB.id}/test`)).json().id;
    const smsB = (
      await asB('POST', '/api/channels', { type: 'sms', provider: 'twilio', name: 'SMS B', config: { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, from: '+3197010203040' }, secrets: { authToken: 'f'.repeat(32) } })
    ).json();
    const campaignB = (await asB('POST', '/api/campaigns', { name: 'secret of B', channelId: smsB.id, message: { text: 'secret of B' } })).json();
    expect(campaignB.id, JSON.stringify(campaignB)).toBeTruthy();
    const dispositionB = (await asB('POST', '/api/outcomes/dispositions', { code: 'overgenomen', labelNl: 'Geheim van B', labelEn: 'secret of B' })).json();
    await asB('PATCH', `/api/conversations/${inboundB.conversation.id}`, { assigneeId: adminB.id });
    const callB = (await asB('POST', `/api/conversations/${inboundB.conversation.id}/calls`, {})).json();
    expect(callB.id, JSON.stringify(callB)).toBeTruthy();

    // Each kind of resource that a route addresses by id, owned by workspace B.
    resourcesB = {
      '/api/users/:id': adminB.id,
      '/api/api-keys/:id': keyB.apiKey.id,
      '/api/outbox/:id': outboxB.id,
      '/api/outbox/:id/retry': outboxB.id,
      '/api/events/:id': String(eventB.id),
      '/api/conversations/:id': inboundB.conversation.id,
      '/api/conversations/:id/automation': inboundB.conversation.id,
      '/api/conversations/:id/messages': inboundB.conversation.id,
      '/api/conversations/:id/canned-responses': inboundB.conversation.id,
      '/api/customers/:id': inboundB.conversation.customerId,
      '/api/customers/:id/conversations': inboundB.conversation.customerId,
      '/api/customers/:id/orders': inboundB.conversation.customerId,
      '/api/customers/:id/value': inboundB.conversation.customerId,
      '/api/customers/:id/identity': typedB[0]!,
      '/api/customers/:id/merge': typedB[0]!,
      '/api/customers/:id/export': inboundB.conversation.customerId,
      '/api/customers/:id/erase': inboundB.conversation.customerId,
      '/api/customer-merges/:id/undo': mergeB.id,
      '/api/merge-suggestions/:id': suggestionB.id,
      '/api/flows/:id': flowB.id,
      '/api/analytics/report-schedules/:id': scheduleB.id,
      '/api/workforce/simulations/:id': simulationB.id,
      '/api/automation/rules/:id': ruleB.id,
      '/api/macros/:id': macroB.id,
      '/api/conversations/:id/macros/:macroId': inboundB.conversation.id,
      '/api/analytics/report-schedules/:id/send': scheduleB.id,
      '/api/conversations/:id/call': inboundB.conversation.id,
      '/api/conversations/:id/calls': inboundB.conversation.id,
      '/api/video-calls/:id/accept': callB.id,
      '/api/video-calls/:id/hangup': callB.id,
      '/api/video-calls/:id/recording': callB.id,
      '/api/flows/:id/publish': flowB.id,
      '/api/flows/:id/unpublish': flowB.id,
      '/api/flows/:id/channels': flowB.id,
      '/api/flows/:id/simulate': flowB.id,
      '/api/canned-responses/:id': cannedB.id,
      '/api/attachments/:id': fileB.id,
      '/api/routing/queues/:id': queueB.id,
      '/api/routing/workflows/:id': workflowB.id,
      '/api/routing/agents/:id': adminB.id,
      '/api/routing/agents/:id/presence': adminB.id,
      '/api/routing/tasks/:id': taskB.id,
      '/api/routing/tasks/:id/accept': taskB.id,
      '/api/routing/tasks/:id/reject': taskB.id,
      '/api/routing/tasks/:id/transfer': taskB.id,
      '/api/routing/tasks/:id/callback': taskB.id,
      '/api/routing/conversations/:id/transfer': inboundB.conversation.id,
      '/api/conversations/:id/messages/:messageId/retry': inboundB.conversation.id,
      '/api/conversations/:id/reply-options': inboundB.conversation.id,
      '/api/channels/:id': chatB.id,
      '/api/channels/:id/test': chatB.id,
      '/api/channels/:id/rejects': chatB.id,
      '/api/knowledge/categories/:id': categoryB.id,
      '/api/knowledge/articles/:id': articleB.id,
      '/api/knowledge/articles/:id/publish': articleB.id,
      '/api/knowledge/articles/:id/unpublish': articleB.id,
      '/api/sla/calendars/:id': slaCalendarB.id,
      '/api/sla/policies/:id': slaPolicyB.id,
      '/api/conversations/:id/sla': inboundB.conversation.id,
      '/api/outcomes/dispositions/:id': dispositionB.id,
      '/api/conversations/:id/wrap-up': inboundB.conversation.id,
      '/api/webhooks/:id': webhookB.id,
      '/api/campaigns/:id': campaignB.id,
      '/api/campaigns/:id/preview': campaignB.id,
      '/api/campaigns/:id/launch': campaignB.id,
      '/api/campaigns/:id/cancel': campaignB.id,
      '/api/campaigns/:id/recipients': campaignB.id,
      '/api/campaigns/:id/results': campaignB.id,
      '/api/webhooks/:id/rotate-secret': webhookB.id,
      '/api/webhooks/:id/test': webhookB.id,
      '/api/webhooks/:id/deliveries': webhookB.id,
      '/api/webhooks/:id/deliveries/:deliveryId/redeliver': webhookB.id,
      '/api/webhooks/:id/deliveries/:deliveryId': webhookB.id,
    };
    messageB = inboundB.message.id;
    macroIdB = macroB.id;
  });
  afterAll(() => t.close());

  const routesWithId = (app: FastifyInstance) => app.apiRoutes.filter((r) => r.url.includes(':id'));

  it('knows a B resource for every route that takes an id (a new route must be added here)', () => {
    const missing = routesWithId(t.app).filter((r) => !(r.url in resourcesB));
    expect(missing).toEqual([]);
  });

  it("answers 404 to A's admin for every resource of B", async () => {
    for (const route of routesWithId(t.app)) {
      const url = route.url.replace(':id', resourcesB[route.url]!).replace(':messageId', messageB).replace(':macroId', macroIdB).replace(':deliveryId', webhookDeliveryB);
      const res = await t.app.inject({ method: route.method as 'GET', url, headers: { cookie: cookieA }, payload: bodies[`${route.method} ${route.url}`] as object });
      expect({ route: `${route.method} ${route.url}`, status: res.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: 404 });
    }
  });

  it("never lists B's rows in A's lists", async () => {
    for (const url of ['/api/users', '/api/api-keys', '/api/outbox', '/api/events?limit=200', '/api/conversations?status=open', '/api/conversations?q=pakket', '/api/canned-responses', '/api/channels', '/api/routing/queues', '/api/routing/workflows', '/api/routing/agents', '/api/routing/tasks?state=all', '/api/routing/stats', '/api/customers?q=example', '/api/flows', '/api/flows/stats', '/api/outcomes/dispositions', '/api/analytics/report-schedules', '/api/sla/calendars', '/api/sla/policies', '/api/workforce/simulations', '/api/automation/rules', '/api/automation/runs', '/api/macros', '/api/webhooks', '/api/campaigns']) {
      const body = (await t.app.inject({ url, headers: { cookie: cookieA } })).body;
      for (const id of Object.values(resourcesB)) expect(body.includes(`"id":"${id}"`), `${url} leaks ${id}`).toBe(false);
      expect(body).not.toContain('secret of B');
      expect(body).not.toContain('pakket');
      expect(body).not.toContain('b-secret');
    }
  });

  it("never lists B's knowledge articles in A's lists and searches", async () => {
    for (const url of ['/api/knowledge/categories', '/api/knowledge/articles', '/api/knowledge/search?q=geheim&status=all', '/api/knowledge/suggest?text=geheim']) {
      const res = await t.app.inject({ url, headers: { cookie: cookieA } });
      expect(res.statusCode, url).toBe(200);
      for (const id of Object.values(resourcesB)) expect(res.body.includes(`"${id}"`), `${url} leaks ${id}`).toBe(false);
      expect(res.body).not.toContain('Geheim van B');
    }
  });
});
