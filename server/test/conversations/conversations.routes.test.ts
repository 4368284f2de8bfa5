import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { listEvents } from '../../src/platform/events/events.ts';
import { DeliveryError } from '../../src/platform/outbox/outbox.ts';
import { wakeSnoozed } from '../../src/conversations/conversations.service.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

describe('conversations API', () => {
  const clock = new ManualClock('2026-05-04T09:00:00Z');
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let agent: { id: string; email: string; name: string };
  let other: { id: string; email: string };
  let cookie: string;

  beforeAll(async () => {
    t = await makeTestApp({ clock, random: () => 0.5 });
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    agent = await makeUser(t.platform, workspaceId, 'agent');
    other = await makeUser(t.platform, workspaceId, 'agent');
    cookie = await loginCookie(t.app, agent.email);
  });
  afterAll(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, payload });
  const incoming = async (from: string, body = 'Waar blijft mijn pakket?') => {
    clock.advance(1000);
    return (await makeInbound(t.platform, channel, { from, body })).conversation;
  };

  it('lists by view and filters, newest activity first, with cursor pages', async () => {
    const c1 = await incoming('visitor:list-1', 'Ik wil mijn bestelling retourneren');
    const c2 = await incoming('visitor:list-2', 'Wanneer bezorgen jullie?');
    const c3 = await incoming('visitor:list-3', 'Factuur klopt niet');
    await api('PATCH', `/api/conversations/${c2.id}`, { assigneeId: agent.id, tags: ['Bezorging', 'vip'] });
    await api('PATCH', `/api/conversations/${c3.id}`, { assigneeId: other.id });

    const ids = async (query: string) => (await api('GET', `/api/conversations?${query}`)).json().items.map((c: { id: string }) => c.id);
    expect(await ids('view=all')).toEqual([c3.id, c2.id, c1.id]);
    expect(await ids('view=mine')).toEqual([c2.id]);
    expect(await ids('view=unassigned')).toEqual([c1.id]);
    expect(await ids('tag=bezorging')).toEqual([c2.id]);
    expect(await ids('q=retourneren')).toEqual([c1.id]);
    expect(await ids('channelType=email')).toEqual([]);

    const page1 = (await api('GET', '/api/conversations?limit=2')).json();
    expect(page1.items).toHaveLength(2);
    const page2 = (await api('GET', `/api/conversations?limit=2&cursor=${page1.nextCursor}`)).json();
    expect([...page1.items, ...page2.items].map((c: { id: string }) => c.id)).toEqual([c3.id, c2.id, c1.id]);
    expect(page2.nextCursor).toBeNull();
    expect((await api('GET', '/api/conversations?cursor=garbage')).json().error.code).toBe('invalid_cursor');
  });

  it('lists a queue most urgent first, then longest waiting, with cursor pages in that order', async () => {
    const tag = 'wachtrij';
    const old = await incoming('visitor:queue-1');
    const urgent = await incoming('visitor:queue-2');
    const newer = await incoming('visitor:queue-3');
    const high = await incoming('visitor:queue-4');
    const low = await incoming('visitor:queue-5');
    for (const [c, priority] of [[old, 'normal'], [urgent, 'urgent'], [newer, 'normal'], [high, 'high'], [low, 'low']] as const) {
      expect((await api('PATCH', `/api/conversations/${c.id}`, { priority, tags: [tag] })).statusCode).toBe(200);
    }
    const expected = [urgent.id, high.id, old.id, newer.id, low.id];
    const all = (await api('GET', `/api/conversations?tag=${tag}&sort=priority`)).json().items.map((c: { id: string }) => c.id);
    expect(all).toEqual(expected);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (await api('GET', `/api/conversations?tag=${tag}&sort=priority&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('assigns, tags, prioritises, snoozes and resolves, with one event per change', async () => {
    const c = await incoming('visitor:actions');
    const res = await api('PATCH', `/api/conversations/${c.id}`, { assigneeId: agent.id, priority: 'high', tags: ['Retour', 'retour', ' spoed '] });
    expect(res.json()).toMatchObject({ assignee: { id: agent.id, name: agent.name }, priority: 'high', tags: ['retour', 'spoed'] });
    const types = (await listEvents(t.platform.db, workspaceId, { limit: 20, subjectId: c.id })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['conversation.assigned', 'conversation.priority_changed', 'conversation.tags_changed']));

    expect((await api('PATCH', `/api/conversations/${c.id}`, { assigneeId: '00000000-0000-4000-8000-000000000000' })).json().error.code).toBe('unknown_assignee');
    expect((await api('PATCH', `/api/conversations/${c.id}`, { status: 'snoozed' })).json().error.code).toBe('snooze_needs_time');

    const until = new Date(clock.now().getTime() + 3_600_000).toISOString();
    expect((await api('PATCH', `/api/conversations/${c.id}`, { status: 'snoozed', snoozedUntil: until })).json()).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    expect(await wakeSnoozed(t.platform)).toBe(0);
    clock.advance(3_600_001);
    expect(await wakeSnoozed(t.platform)).toBe(1);
    expect((await api('GET', `/api/conversations/${c.id}`)).json()).toMatchObject({ status: 'open', snoozedUntil: null });

    const resolved = (await api('PATCH', `/api/conversations/${c.id}`, { status: 'resolved' })).json();
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedAt).not.toBeNull();
    expect((await api('PATCH', `/api/conversations/${c.id}`, { status: 'open' })).json().resolvedAt).toBeNull();
  });

  it('sends a reply through the outbox and marks it sent; a note is never sent', async () => {
    const c = await incoming('visitor:reply');
    const reply = await api('POST', `/api/conversations/${c.id}/messages`, { body: 'We kijken het na.', clientMessageId: 'client-msg-0001' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ direction: 'outbound', kind: 'message', status: 'queued', author: { id: agent.id, name: agent.name } });
    const again = await api('POST', `/api/conversations/${c.id}/messages`, { body: 'We kijken het na.', clientMessageId: 'client-msg-0001' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(reply.json().id);

    const note = await api('POST', `/api/conversations/${c.id}/messages`, { body: 'Klant belde gisteren ook al.', kind: 'note' });
    expect(note.json()).toMatchObject({ kind: 'note', status: 'sent' });

    const results = await t.platform.outbox.drainOnce();
    expect(results).toEqual([{ id: expect.any(String), outcome: 'delivered' }]);
    const timeline = (await api('GET', `/api/conversations/${c.id}/messages`)).json().items;
    expect(timeline.map((m: { kind: string; direction: string; status: string }) => `${m.kind}/${m.direction}/${m.status}`)).toEqual([
      'message/inbound/received',
      'message/outbound/sent',
      'note/outbound/sent',
    ]);
    expect((await api('GET', `/api/conversations/${c.id}`)).json().unread).toBe(0);
    const types = (await listEvents(t.platform.db, workspaceId, { limit: 20, subjectId: c.id })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['message.queued', 'message.sent', 'note.added']));
  });

  it('marks a reply failed when its delivery is dead-lettered', async () => {
    const { inTransaction } = await import('../../src/platform/events/events.ts');
    const { insertChannel } = await import('../../src/channels/channels.store.ts');
    const { deliveryHooks } = await import('../../src/conversations/conversations.service.ts');
    // A channel whose provider always refuses, with the hooks every real channel sender gets.
    const broken = await inTransaction(t.platform, (tx) => insertChannel(tx, workspaceId, { type: 'test-broken', name: 'Broken', config: {}, secrets: null }, clock.now()));
    t.platform.outbox.register('channel.test-broken', { send: async () => { throw new DeliveryError('permanent', 'recipient unknown at provider'); }, ...deliveryHooks(t.platform) });
    const c = (await makeInbound(t.platform, broken)).conversation;
    const reply = (await api('POST', `/api/conversations/${c.id}/messages`, { body: 'Hallo?' })).json();
    await t.platform.outbox.drainOnce();
    const [, sent] = (await api('GET', `/api/conversations/${c.id}/messages`)).json().items;
    expect(sent).toMatchObject({ id: reply.id, status: 'failed', error: 'recipient unknown at provider' });
  });

  it('renders canned responses for the conversation', async () => {
    const supervisor = await makeUser(t.platform, workspaceId, 'supervisor');
    const supCookie = await loginCookie(t.app, supervisor.email);
    const created = await t.app.inject({ method: 'POST', url: '/api/canned-responses', headers: { cookie: supCookie }, payload: { shortcode: 'Hallo', title: 'Begroeting', body: 'Hallo {{customer.first_name}}, met {{agent.first_name}}.' } });
    expect(created.json().shortcode).toBe('hallo');
    expect((await t.app.inject({ method: 'POST', url: '/api/canned-responses', headers: { cookie: supCookie }, payload: { shortcode: 'hallo', title: 'x', body: 'y' } })).statusCode).toBe(409);
    expect((await api('POST', '/api/canned-responses', { shortcode: 'x', title: 'x', body: 'y' })).statusCode).toBe(403);
    const c = await incoming('visitor:canned');
    const items = (await api('GET', `/api/conversations/${c.id}/canned-responses?q=hal`)).json().items;
    expect(items[0].rendered).toBe(`Hallo Klant, met ${agent.name.split(' ')[0]}.`);
  });

  it('shows the customer with their conversations on every channel', async () => {
    const c = await incoming('visitor:profile');
    const customer = (await api('GET', `/api/customers/${c.customerId}`)).json();
    expect(customer).toMatchObject({ name: 'Klant Test', identities: [{ channelType: 'webchat', externalId: 'visitor:profile', verified: false }] });
    const list = (await api('GET', `/api/customers/${c.customerId}/conversations`)).json().items;
    expect(list.map((x: { id: string }) => x.id)).toEqual([c.id]);
  });

  it('stores uploads and refuses oversized ones', async () => {
    const up = await t.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie, 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('factuur mei.pdf') }, payload: Buffer.from('%PDF-1.4 test') });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ name: 'factuur mei.pdf', contentType: 'application/pdf', size: 13 });
    const down = await api('GET', `/api/attachments/${up.json().id}`);
    expect(down.body).toBe('%PDF-1.4 test');
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    const html = await t.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie, 'content-type': 'text/html', 'x-filename': 'x.html' }, payload: '<script>alert(1)</script>' });
    expect((await api('GET', `/api/attachments/${html.json().id}`)).headers['content-disposition']).toMatch(/^attachment;/);
    const c = await incoming('visitor:attach');
    const withFile = await api('POST', `/api/conversations/${c.id}/messages`, { body: '', attachmentIds: [up.json().id] });
    expect(withFile.json().attachments).toEqual([up.json()]);
    expect((await api('POST', `/api/conversations/${c.id}/messages`, { body: '  ' })).json().error.code).toBe('empty_message');
  });
});
