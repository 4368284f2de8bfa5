// Macros: one click, several actions, as the agent, all or nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/platform/events/events.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

describe('macros', () => {
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  const cookies: Record<'supervisor' | 'anna' | 'bert', string> = { supervisor: '', anna: '', bert: '' };
  let queueId: string;
  const as = (who: keyof typeof cookies) => (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie: cookies[who] }, payload });

  beforeAll(async () => {
    t = await makeTestApp();
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    const admin = await makeUser(t.platform, workspaceId, 'admin');
    const adminCookie = await loginCookie(t.app, admin.email);
    for (const who of ['supervisor', 'anna', 'bert'] as const) {
      const user = await makeUser(t.platform, workspaceId, who === 'supervisor' ? 'supervisor' : 'agent', `${who}@macros.nl`);
      cookies[who] = await loginCookie(t.app, user.email);
    }
    queueId = (await t.app.inject({ method: 'POST', url: '/api/routing/queues', headers: { cookie: adminCookie }, payload: { name: 'Facturen', eligibility: '', order: 'fifo' } })).json().id;
    await t.app.inject({ method: 'POST', url: '/api/routing/workflows', headers: { cookie: adminCookie }, payload: { name: 'Standaard', filters: [], defaultSteps: [{ queueId }] } });
  });
  afterAll(() => t.close());

  it('carries out its actions in one go as the agent: tags, priority, a reply with placeholders, resolved', async () => {
    const created = await as('supervisor')('POST', '/api/macros', {
      name: 'Factuur verstuurd',
      actions: [
        { type: 'add_tags', tags: ['factuur'] },
        { type: 'set_priority', priority: 'low' },
        { type: 'auto_reply', body: 'Hoi {{customer.first_name}}, de factuur is onderweg. Groet, {{agent.first_name}}' },
        { type: 'resolve' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { conversation } = await makeInbound(t.platform, channel, { body: 'Waar is mijn factuur?' });
    await routingOf(t.platform).runPending(workspaceId);
    const run = await as('anna')('POST', `/api/conversations/${conversation.id}/macros/${created.json().id}`);
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['done', 'done', 'done', 'done']);
    expect(run.json().conversation).toMatchObject({ tags: ['factuur'], priority: 'low', status: 'resolved' });
    const messages = (await as('anna')('GET', `/api/conversations/${conversation.id}/messages`)).json().items as Array<{ body: string; authorType: string; status: string }>;
    const reply = messages.find((m) => m.authorType === 'agent')!;
    // The agent's first name: test users are called "agent <n>".
    expect(reply.body).toBe('Hoi Klant, de factuur is onderweg. Groet, agent');
    expect(reply.status).toBe('queued');
    const events = (await listEvents(t.platform.db, workspaceId, { limit: 500 })).filter((e) => e.subjectId === conversation.id);
    expect(events.find((e) => e.type === 'macro.run')?.payload).toMatchObject({ name: 'Factuur verstuurd' });
    expect(events.find((e) => e.type === 'conversation.priority_changed')?.payload).toMatchObject({ macro: { name: 'Factuur verstuurd' } });
  });

  it('is all or nothing: a refused action undoes the macro and says why', async () => {
    const macro = (await as('supervisor')('POST', '/api/macros', { name: 'Kapot', actions: [{ type: 'add_tags', tags: ['half'] }, { type: 'route_to_queue', queueId: '00000000-0000-4000-8000-000000000000' }] })).json();
    const { conversation } = await makeInbound(t.platform, channel, { body: 'Hallo' });
    const run = await as('anna')('POST', `/api/conversations/${conversation.id}/macros/${macro.id}`);
    expect(run.statusCode).toBe(400);
    expect(run.json().error.message).toMatch(/no queue/);
    expect((await as('anna')('GET', `/api/conversations/${conversation.id}`)).json().tags).toEqual([]);
  });

  it('keeps personal macros to their owner and shared ones to supervisors', async () => {
    expect((await as('anna')('POST', '/api/macros', { name: 'Gedeeld', actions: [{ type: 'resolve' }] })).statusCode).toBe(403);
    const mine = (await as('anna')('POST', '/api/macros', { name: 'Mijn groet', personal: true, actions: [{ type: 'auto_reply', body: 'Hoi!' }] })).json();
    expect((await as('anna')('GET', '/api/macros')).json().items.map((m: { name: string }) => m.name)).toContain('Mijn groet');
    expect((await as('bert')('GET', '/api/macros')).json().items.map((m: { name: string }) => m.name)).not.toContain('Mijn groet');
    expect((await as('bert')('DELETE', `/api/macros/${mine.id}`)).statusCode).toBe(404);
    const shared = (await as('bert')('GET', '/api/macros')).json().items.find((m: { name: string }) => m.name === 'Factuur verstuurd');
    expect((await as('bert')('PUT', `/api/macros/${shared.id}`, { name: 'Overschreven', actions: [{ type: 'resolve' }] })).statusCode).toBe(403);
    expect((await as('anna')('DELETE', `/api/macros/${mine.id}`)).statusCode).toBe(204);
  });
});
