import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { userHashFor, verifyUserHash } from '../../src/channels/webchat/identity.ts';
import { loginCookie, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

const SECRET = 'site-secret-for-tests';

describe('web chat identity hash', () => {
  it('accepts the HMAC of the user id and nothing else', () => {
    const hash = userHashFor(SECRET, 'klant-42');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyUserHash(SECRET, 'klant-42', hash)).toBe(true);
    expect(verifyUserHash(SECRET, 'klant-43', hash)).toBe(false);
    expect(verifyUserHash('other secret', 'klant-42', hash)).toBe(false);
    expect(verifyUserHash(SECRET, 'klant-42', 'nonsense')).toBe(false);
  });
});

describe('web chat visitor API', () => {
  let t: TestContext;
  let base: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let agentCookie: string;
  let url: (path: string) => string;

  beforeAll(async () => {
    t = await makeTestApp();
    const workspace = await makeWorkspace(t.platform);
    channel = await makeWebchatChannel(t.platform, workspace.id, { attachments: { maxBytes: 1000, types: ['image/*', 'text/plain'] } }, SECRET);
    agentCookie = await loginCookie(t.app, (await makeUser(t.platform, workspace.id, 'agent')).email);
    url = (path) => `/channels/webchat/${channel.id}${path}`;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => t.close());

  const startSession = async (payload: object = {}) => (await t.app.inject({ method: 'POST', url: url('/sessions'), payload })).json();
  const send = (token: string, clientMessageId: string, body: string) =>
    t.app.inject({ method: 'POST', url: url('/messages'), headers: { authorization: `Bearer ${token}` }, payload: { clientMessageId, body } });
  const history = async (token: string) => (await t.app.inject({ url: url('/messages'), headers: { authorization: `Bearer ${token}` } })).json().items;

  it('answers 404 for channels that do not exist', async () => {
    expect((await t.app.inject({ url: '/channels/webchat/00000000-0000-4000-8000-000000000000/config' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/channels/webchat/not-a-uuid/config' })).statusCode).toBe(404);
  });

  it('starts, resumes and keeps history; a replayed message is stored once', async () => {
    const session = await startSession({ name: 'Anna', email: 'anna@example.nl', consent: true, language: 'nl' });
    expect(session).toMatchObject({ customer: { name: 'Anna', email: 'anna@example.nl' }, conversationId: null });
    const first = await send(session.visitorToken, 'client-0000001', 'Hallo, ik heb een vraag');
    expect(first.statusCode).toBe(201);
    expect(first.json().clientMessageId).toBe('client-0000001');
    const replay = await send(session.visitorToken, 'client-0000001', 'Hallo, ik heb een vraag');
    expect(replay.statusCode).toBe(200);
    expect(replay.json().id).toBe(first.json().id);
    expect(await history(session.visitorToken)).toHaveLength(1);
    // No routing set up in this workspace: the chat is not in a line.
    const wait = await t.app.inject({ url: url('/wait'), headers: { authorization: `Bearer ${session.visitorToken}` } });
    expect(wait.json()).toEqual({ state: 'none', position: null, estimatedWaitSeconds: null });
    expect((await t.app.inject({ url: url('/wait') })).statusCode).toBe(401);

    const resumed = await startSession({ visitorToken: session.visitorToken });
    expect(resumed.visitorToken).toBe(session.visitorToken);
    expect(resumed.customer.id).toBe(session.customer.id);
    expect(resumed.conversationId).toEqual(expect.any(String));
  });

  it('shows the visitor replies but never internal notes', async () => {
    const session = await startSession();
    await send(session.visitorToken, 'client-0000002', 'Is dit op voorraad?');
    const { conversationId } = await startSession({ visitorToken: session.visitorToken });
    const post = (payload: object) => t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: { cookie: agentCookie }, payload });
    await post({ body: 'Ja, nog 3 stuks.' });
    await post({ body: 'Interne notitie: klant is twijfelaar', kind: 'note' });
    const items = await history(session.visitorToken);
    expect(items.map((m: { body: string }) => m.body)).toEqual(['Is dit op voorraad?', 'Ja, nog 3 stuks.']);
    expect(JSON.stringify(items)).not.toContain('Interne notitie');
  });

  it('makes a verified site user one customer on every device, and refuses a forged hash', async () => {
    const hash = userHashFor(SECRET, 'klant-42');
    const laptop = await startSession({ userId: 'klant-42', userHash: hash, name: 'Jan' });
    const phone = await startSession({ userId: 'klant-42', userHash: hash });
    expect(phone.visitorToken).not.toBe(laptop.visitorToken);
    expect(phone.customer.id).toBe(laptop.customer.id);
    await send(laptop.visitorToken, 'client-laptop-1', 'Vanaf mijn laptop');
    expect((await history(phone.visitorToken)).map((m: { body: string }) => m.body)).toEqual(['Vanaf mijn laptop']);

    const forged = await t.app.inject({ method: 'POST', url: url('/sessions'), payload: { userId: 'klant-42', userHash: userHashFor('guess', 'klant-42') } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('invalid_user_hash');
  });

  it("keeps visitors apart: a token reads only its own history, and client ids don't collide", async () => {
    const a = await startSession();
    const b = await startSession();
    await send(a.visitorToken, 'same-client-id', 'geheim van A');
    const fromB = await send(b.visitorToken, 'same-client-id', 'bericht van B');
    expect(fromB.statusCode).toBe(201);
    expect(fromB.json().body).toBe('bericht van B');
    expect(JSON.stringify(await history(b.visitorToken))).not.toContain('geheim van A');
    expect((await t.app.inject({ url: url('/messages'), headers: { authorization: 'Bearer wv_forged' } })).statusCode).toBe(401);
  });

  it('checks attachment size and type, and lets only the conversation download them', async () => {
    const a = await startSession();
    const upload = (contentType: string, payload: string | Buffer) =>
      t.app.inject({ method: 'POST', url: url('/attachments'), headers: { authorization: `Bearer ${a.visitorToken}`, 'content-type': contentType, 'x-filename': 'foto.png' }, payload });
    expect((await upload('image/png', Buffer.alloc(2000, 1))).statusCode).toBe(413);
    expect((await upload('application/zip', 'PK')).statusCode).toBe(415);
    const ok = await upload('image/png', Buffer.from([137, 80, 78, 71]));
    expect(ok.statusCode).toBe(201);
    const sent = await t.app.inject({ method: 'POST', url: url('/messages'), headers: { authorization: `Bearer ${a.visitorToken}` }, payload: { clientMessageId: 'client-attach-1', attachmentIds: [ok.json().id] } });
    expect(sent.json().attachments).toEqual([ok.json()]);
    expect((await t.app.inject({ url: url(`/attachments/${ok.json().id}?token=${a.visitorToken}`) })).statusCode).toBe(200);
    const b = await startSession();
    expect((await t.app.inject({ url: url(`/attachments/${ok.json().id}?token=${b.visitorToken}`) })).statusCode).toBe(404);
    // Another visitor cannot attach A's upload to their own message either.
    const steal = await t.app.inject({ method: 'POST', url: url('/messages'), headers: { authorization: `Bearer ${b.visitorToken}` }, payload: { clientMessageId: 'client-steal-1', attachmentIds: [ok.json().id] } });
    expect(steal.json().error.code).toBe('unknown_attachment');
  });

  it('turns an offline message into an email conversation', async () => {
    const res = await t.app.inject({ method: 'POST', url: url('/offline'), payload: { name: 'Els', email: 'els@example.nl', body: 'Bel me terug a.u.b.', consent: true } });
    expect(res.statusCode).toBe(201);
    const conversation = (await t.app.inject({ url: `/api/conversations/${res.json().conversationId}`, headers: { cookie: agentCookie } })).json();
    expect(conversation).toMatchObject({ attributes: { replyBy: 'email', replyTo: 'els@example.nl' }, customer: { email: 'els@example.nl' } });
    const noConsent = await t.app.inject({ method: 'POST', url: url('/offline'), payload: { name: 'Els', email: 'els@example.nl', body: 'x', consent: false } });
    expect(noConsent.statusCode).toBe(400);
  });

  it('answers CORS preflights for the embedding site', async () => {
    const res = await t.app.inject({ method: 'OPTIONS', url: url('/messages'), headers: { origin: 'https://shop.example.nl', 'access-control-request-method': 'POST' } });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example.nl');
    expect(res.headers['access-control-allow-headers']).toContain('authorization');
  });

  it('is online while an agent is connected, pushes replies and typing live', async () => {
    expect((await t.app.inject({ url: url('/config') })).json().online).toBe(false);
    const desk = new WebSocket(`ws://${base}/api/realtime`, { headers: { cookie: agentCookie } });
    const deskMessages: Array<{ type: string; conversationId?: string; typing?: boolean }> = [];
    desk.on('message', (data) => deskMessages.push(JSON.parse(String(data))));
    await new Promise((resolve) => desk.on('open', resolve));
    const waitUntil = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(check()).toBe(true);
    };
    await waitUntil(() => deskMessages.some((m) => m.type === 'hello'));
    expect((await t.app.inject({ url: url('/config') })).json().online).toBe(true);

    const session = await startSession({ name: 'Piet' });
    await send(session.visitorToken, 'client-live-01', 'Hallo?');
    const { conversationId } = await startSession({ visitorToken: session.visitorToken });
    const visitor = new WebSocket(`ws://${base}${url(`/ws?token=${session.visitorToken}`)}`);
    const visitorMessages: Array<{ type: string; message?: { body: string; authorName: string | null }; typing?: boolean }> = [];
    visitor.on('message', (data) => visitorMessages.push(JSON.parse(String(data))));
    await new Promise((resolve) => visitor.on('open', resolve));

    visitor.send(JSON.stringify({ type: 'typing', typing: true }));
    await waitUntil(() => deskMessages.some((m) => m.type === 'customer_typing' && m.conversationId === conversationId && m.typing === true));

    desk.send(JSON.stringify({ type: 'presence', conversationId, state: 'typing' }));
    await waitUntil(() => visitorMessages.some((m) => m.type === 'agent_typing' && m.typing === true));
    await waitUntil(() => deskMessages.some((m) => m.type === 'presence' && m.conversationId === conversationId));

    await t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: { cookie: agentCookie }, payload: { body: 'Goedemiddag Piet!' } });
    await t.platform.outbox.drainOnce();
    await waitUntil(() => visitorMessages.some((m) => m.type === 'message' && m.message?.body === 'Goedemiddag Piet!'));
    visitor.close();
    desk.close();
    await waitUntil(() => t.platform.hub.agentsOnline(channel.workspaceId) === 0);
  });
});
