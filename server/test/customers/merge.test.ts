import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChannel } from '../../src/channels/channels.store.ts';
import { receiveInbound } from '../../src/conversations/receive.ts';
import { inTransaction, listEvents } from '../../src/platform/events/events.ts';
import { loginCookie, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

describe('identity resolution, merge and unmerge, GDPR export and erasure', () => {
  let t: TestContext;
  let workspaceId: string;
  const cookies: Record<string, string> = {};
  const channels: Record<string, { id: string; type: string }> = {};

  beforeAll(async () => {
    t = await makeTestApp();
    workspaceId = (await makeWorkspace(t.platform)).id;
    for (const role of ['admin', 'supervisor', 'agent'] as const) cookies[role] = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, role)).email);
    for (const type of ['whatsapp', 'email', 'sms']) {
      channels[type] = await inTransaction(t.platform, (tx) => insertChannel(tx, workspaceId, { type, provider: 'test', name: type, config: {}, secrets: null }, t.platform.clock.now()));
    }
    channels.webchat = await makeWebchatChannel(t.platform, workspaceId);
  });
  afterAll(() => t.close());

  const as = (role: string) => (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie: cookies[role]! }, payload });
  const inbound = (type: string, from: string, body: string, extra: { verified?: boolean; profile?: Record<string, string> } = {}) =>
    receiveInbound(t.platform, { workspaceId, channel: channels[type]!, providerMessageId: `pm-${randomBytes(6).toString('hex')}`, from: { externalId: from, verified: extra.verified, profile: extra.profile }, body });
  const customer = async (id: string) => (await as('agent')('GET', `/api/customers/${id}`)).json();
  const conversationsOf = async (id: string) => (await as('agent')('GET', `/api/customers/${id}/conversations`)).json().items.map((c: { id: string }) => c.id).sort();

  it('merges on its own when two channels prove the same number (WhatsApp via Meta and via Twilio)', async () => {
    const meta = await inbound('whatsapp', '31611111111', 'Hoi via Meta', { verified: true, profile: { name: 'Piet' } });
    const twilio = await inbound('whatsapp', '+31611111111', 'Hoi via Twilio', { verified: true });
    // The second message's brand-new customer was folded into the first at once.
    expect(twilio.conversation.customerId).toBe(meta.conversation.customerId);
    const c = await customer(meta.conversation.customerId);
    expect(c.identities.map((i: { externalId: string }) => i.externalId).sort()).toEqual(['+31611111111', '31611111111']);
    const { merges } = (await as('agent')('GET', `/api/customers/${c.id}/identity`)).json();
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatchObject({ survivorId: c.id, rule: 'phone', actorId: 'system:identity', identities: 1, undoneAt: null });
  });

  it('only suggests a merge on a weak signal; an agent confirms, a supervisor undoes it exactly', async () => {
    const mail = await inbound('email', 'els@example.nl', 'Mijn factuur klopt niet', { profile: { name: 'Els de Vries', email: 'els@example.nl' } });
    const chat = await inbound('webchat', `visitor:${randomBytes(4).toString('hex')}`, 'Ik mailde al over mijn factuur', { profile: { name: 'Els' } });
    const els = mail.conversation.customerId;
    const visitor = chat.conversation.customerId;
    expect(visitor).not.toBe(els);
    // The visitor types her address into the chat form (weak): a suggestion, no merge.
    const patched = await as('agent')('PATCH', `/api/customers/${visitor}`, { email: ' Els@Example.nl ', language: 'nl' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().id).toBe(visitor);
    const identity = (await as('agent')('GET', `/api/customers/${visitor}/identity`)).json();
    expect(identity.suggestions).toHaveLength(1);
    expect(identity.suggestions[0]).toMatchObject({ rule: 'email', value: 'els@example.nl', other: { id: els, name: 'Els de Vries' } });
    expect((await customer(visitor)).mergedIntoId).toBeNull();

    const decided = await as('agent')('POST', `/api/merge-suggestions/${identity.suggestions[0].id}`, { decision: 'merge', survivorId: els });
    expect(decided.statusCode, decided.body).toBe(200);
    const merge = decided.json().merge;
    expect(merge).toMatchObject({ survivorId: els, mergedId: visitor, rule: 'email', conversations: 1, identities: 1 });
    expect(await conversationsOf(els)).toEqual([mail.conversation.id, chat.conversation.id].sort());
    expect((await customer(visitor)).mergedIntoId).toBe(els);
    expect((await customer(els)).language).toBe('nl'); // taken over: Els had none
    // The visitor's next chat message lands on Els.
    const again = await inbound('webchat', (await customer(els)).identities.find((i: { channelType: string }) => i.channelType === 'webchat').externalId, 'Nog een vraag');
    expect(again.conversation.customerId).toBe(els);
    // A second decision on the same suggestion is refused.
    expect((await as('agent')('POST', `/api/merge-suggestions/${identity.suggestions[0].id}`, { decision: 'dismiss' })).statusCode).toBe(409);

    expect((await as('agent')('POST', `/api/customer-merges/${merge.id}/undo`)).statusCode).toBe(403);
    const undone = await as('supervisor')('POST', `/api/customer-merges/${merge.id}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json().undoneAt).not.toBeNull();
    expect(await conversationsOf(els)).toEqual([mail.conversation.id]);
    expect(await conversationsOf(visitor)).toEqual([chat.conversation.id]);
    expect((await customer(visitor)).mergedIntoId).toBeNull();
    expect((await customer(els)).language).toBeNull();
    expect((await as('supervisor')('POST', `/api/customer-merges/${merge.id}/undo`)).statusCode).toBe(409);
    // A person said these are two people: the same key no longer suggests them.
    await as('agent')('PATCH', `/api/customers/${visitor}`, { email: 'els@example.nl' });
    expect((await as('agent')('GET', `/api/customers/${visitor}/identity`)).json().suggestions).toEqual([]);

    const types = (await listEvents(t.platform.db, workspaceId, { limit: 500 })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['customer.merge_suggested', 'customer.merged', 'customer.unmerged', 'customer.updated']));
  });

  it('merges by hand, refusing a customer with itself or one already merged', async () => {
    const a = (await inbound('sms', '+31622222222', 'A')).conversation.customerId;
    const b = (await inbound('sms', '+31633333333', 'B')).conversation.customerId;
    expect((await as('agent')('POST', `/api/customers/${a}/merge`, { otherCustomerId: a })).statusCode).toBe(409);
    const merged = await as('agent')('POST', `/api/customers/${a}/merge`, { otherCustomerId: b });
    expect(merged.statusCode, merged.body).toBe(201);
    expect(merged.json()).toMatchObject({ survivorId: a, mergedId: b, rule: null });
    const twice = await as('agent')('POST', `/api/customers/${a}/merge`, { otherCustomerId: b });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toContain('already merged');
    // The merged customer no longer turns up in searches.
    const found = (await as('agent')('GET', '/api/customers?q=%2B3163333')).json().items;
    expect(found).toEqual([]);
  });

  it('merges on an attribute rule the admin adds (the organisation\'s customer number)', async () => {
    const bad = await as('admin')('PUT', '/api/customer-settings/identity', { defaultCountry: 'NL', rules: [{ kind: 'attribute', enabled: true, autoMerge: true }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('attribute');
    expect((await as('supervisor')('PUT', '/api/customer-settings/identity', { defaultCountry: 'NL', rules: [] })).statusCode).toBe(403);
    const rules = [
      { kind: 'email', enabled: true, autoMerge: false },
      { kind: 'phone', enabled: true, autoMerge: true },
      { kind: 'attribute', attribute: 'customerNumber', enabled: true, autoMerge: true },
    ];
    expect((await as('admin')('PUT', '/api/customer-settings/identity', { defaultCountry: 'NL', rules })).statusCode).toBe(200);
    expect((await as('supervisor')('GET', '/api/customer-settings/identity')).json().rules).toHaveLength(3);
    const a = (await inbound('email', 'jan@example.nl', 'A', { profile: { email: 'jan@example.nl' } })).conversation.customerId;
    const b = (await inbound('sms', '+31644444444', 'B')).conversation.customerId;
    expect((await as('agent')('PATCH', `/api/customers/${a}`, { attributes: { customerNumber: 'K-1001' } })).json().id).toBe(a);
    // The same number on the second customer: strong on both sides, so they merge; the older survives.
    const patched = await as('agent')('PATCH', `/api/customers/${b}`, { attributes: { customerNumber: 'K-1001' } });
    expect(patched.json().id).toBe(a);
    expect((await customer(b)).mergedIntoId).toBe(a);
    // Scores are the model's: not editable by hand.
    const scores = await as('agent')('PATCH', `/api/customers/${a}`, { attributes: { valueTier: 'platinum' } });
    expect(scores.statusCode).toBe(400);
    expect(scores.json().error.message).toContain('attributes.valueTier');
  });

  it('exports everything about a customer and erases what identifies them, keeping the figures', async () => {
    const from = 'kees@example.nl';
    const first = await inbound('email', from, 'Mijn adres is Dorpsstraat 1, Hoorn', { profile: { name: 'Kees Jansen', email: from } });
    const kees = first.conversation.customerId;
    const reply = await as('agent')('POST', `/api/conversations/${first.conversation.id}/messages`, { body: 'Dank u, meneer Jansen' });
    expect(reply.statusCode, reply.body).toBe(201);
    const order = await as('supervisor')('POST', `/api/customers/${kees}/orders`, { orderId: 'WEB-77', orderedAt: '2026-01-02', amount: '49.95', currency: 'EUR' });
    expect(order.statusCode, order.body).toBe(201);

    expect((await as('agent')('GET', `/api/customers/${kees}/export`)).statusCode).toBe(403);
    const exported = await as('supervisor')('GET', `/api/customers/${kees}/export`);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-disposition']).toContain(`customer-${kees}.json`);
    const data = exported.json();
    expect(data.customer).toMatchObject({ name: 'Kees Jansen', email: from });
    expect(data.identities).toEqual([expect.objectContaining({ channelType: 'email', externalId: from })]);
    expect(data.conversations[0].messages.map((m: { body: string }) => m.body)).toEqual(['Mijn adres is Dorpsstraat 1, Hoorn', 'Dank u, meneer Jansen']);
    expect(data.orders).toEqual([{ externalId: 'WEB-77', orderedAt: '2026-01-02T00:00:00.000Z', amountMinor: 4995, currency: 'EUR' }]);

    expect((await as('supervisor')('POST', `/api/customers/${kees}/erase`, { confirm: true })).statusCode).toBe(403);
    expect((await as('admin')('POST', `/api/customers/${kees}/erase`, {})).statusCode).toBe(400);
    const erased = await as('admin')('POST', `/api/customers/${kees}/erase`, { confirm: true });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ conversations: 1, messages: 2, identities: 1, orders: 1 });
    // The reply still waiting in the outbox is not sent with the erased text.
    expect(erased.json().canceledSends).toBe(1);

    const after = await customer(kees);
    expect(after).toMatchObject({ name: null, email: null, phone: null, identities: [] });
    expect(after.erasedAt).not.toBeNull();
    const msgs = (await as('agent')('GET', `/api/conversations/${first.conversation.id}/messages`)).json().items;
    expect(msgs.map((m: { body: string; redacted: boolean }) => [m.body, m.redacted])).toEqual([['', true], ['', true]]);
    // Figures stay: the conversation and the order's amount.
    expect((await as('agent')('GET', `/api/conversations/${first.conversation.id}`)).statusCode).toBe(200);
    const orders = (await as('agent')('GET', `/api/customers/${kees}/orders`)).json().items;
    expect(orders).toEqual([expect.objectContaining({ amount: '49.95', currency: 'EUR' })]);
    expect(JSON.stringify(orders)).not.toContain('WEB-77');
    // Nothing identifying in the whole event log of the workspace.
    const log = JSON.stringify(await listEvents(t.platform.db, workspaceId, { limit: 1000 }));
    expect(log).not.toContain('kees@example.nl');
    expect(log).not.toContain('Kees');
    expect((await listEvents(t.platform.db, workspaceId, { limit: 1000 })).some((e) => e.type === 'customer.erased' && e.subjectId === kees)).toBe(true);

    // The same address writing again is a new, unrelated customer.
    const later = await inbound('email', from, 'Hallo opnieuw', { profile: { name: 'Kees Jansen', email: from } });
    expect(later.conversation.customerId).not.toBe(kees);
    expect((await as('admin')('POST', `/api/customers/${kees}/erase`, { confirm: true })).statusCode).toBe(409);
  });
});
