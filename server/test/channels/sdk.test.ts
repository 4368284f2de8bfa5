// The client package (@hoorn/sdk) against a real, listening Hoorn: a verified app user writes
// while the network is down, and after reconnecting every message is stored exactly once and in
// order; replies arrive live; with the app closed a reply becomes exactly one signed push notice.
import http from 'node:http';
import { eq } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, memoryStorage, type FetchLike, type HoornClient, type QueuedMessage, type VisitorMessage } from '@hoorn/sdk';
import { signatureOf } from '../../src/automation/signing.ts';
import { insertChannel } from '../../src/channels/channels.store.ts';
import { userHashFor } from '../../src/channels/webchat/identity.ts';
import { hasOpenConnection, PUSH_OUTBOX_KIND } from '../../src/channels/webchat/push.ts';
import { parseWebchatConfig } from '../../src/channels/webchat/webchat.config.ts';
import { outbox } from '../../src/platform/db/schema.ts';
import { inTransaction } from '../../src/platform/events/events.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

const IDENTITY_SECRET = 'site-secret-for-tests';
const PUSH_SECRET = 'push-secret-for-the-app-server';

/** Waits for a condition the system reaches on its own (sockets, backoff), then asserts it. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(await check(), what).toBe(true);
}

/**
 * The app's network: while `online` is false nothing reaches the server (fetch throws as it does
 * in airplane mode, sockets cannot connect); `loseAnswerOf` lets a request reach the server and
 * then drops the answer, as a connection cut at the wrong moment does.
 */
function flakyNetwork() {
  const net = {
    online: true,
    loseAnswerOf: new Set<string>(),
    lostAnswers: 0,
    attempts: new Map<string, number>(),
    sockets: new Set<WebSocket>(),
  };
  const fetchImpl: FetchLike = async (url, init) => {
    const cid = init.method === 'POST' && typeof init.body === 'string' && url.endsWith('/messages') ? (JSON.parse(init.body) as { clientMessageId?: string }).clientMessageId : undefined;
    if (cid) net.attempts.set(cid, (net.attempts.get(cid) ?? 0) + 1);
    if (!net.online) throw new TypeError('fetch failed');
    const res = await fetch(url, init);
    if (cid && net.loseAnswerOf.delete(cid)) {
      await res.arrayBuffer();
      net.lostAnswers++;
      throw new TypeError('fetch failed: other side closed');
    }
    return res;
  };
  class AppSocket extends WebSocket {
    constructor(url: string) {
      // Offline: nothing listens there, so the attempt fails and the client backs off.
      super(net.online ? url : 'ws://127.0.0.1:9/');
      net.sockets.add(this);
      this.on('close', () => net.sockets.delete(this));
    }
  }
  return {
    net,
    fetch: fetchImpl,
    WebSocket: AppSocket,
    goOffline() {
      net.online = false;
      for (const s of net.sockets) s.terminate();
    },
    goOnline() {
      net.online = true;
    },
  };
}

describe('@hoorn/sdk against a running Hoorn', () => {
  let t: TestContext;
  let origin: string;
  let channelId: string;
  let workspaceId: string;
  let agentCookie: string;
  let agentName: string;
  let receiver: http.Server;
  const pushes: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const clients: HoornClient[] = [];
  const userId = 'app-user-4711';
  const identity = { userId, userHash: userHashFor(IDENTITY_SECRET, userId), name: 'Fatima' };
  const storage = memoryStorage();

  beforeAll(async () => {
    // The push receiver listens on loopback, which only a test setup allows.
    t = await makeTestApp({ config: { webhooksAllowPrivate: true } });
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        pushes.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const pushUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/push`;

    const workspace = await makeWorkspace(t.platform);
    workspaceId = workspace.id;
    const channel = await inTransaction(t.platform, (tx) =>
      insertChannel(tx, workspace.id, { type: 'webchat', name: 'App', config: parseWebchatConfig({ pushUrl }), secrets: t.platform.secrets.seal({ identitySecret: IDENTITY_SECRET, pushSecret: PUSH_SECRET }) }, t.platform.clock.now()),
    );
    channelId = channel.id;
    const agent = await makeUser(t.platform, workspace.id, 'agent');
    agentName = agent.name;
    agentCookie = await loginCookie(t.app, agent.email);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await new Promise((resolve) => receiver.close(resolve));
    await t.close();
  });

  const makeClient = (network: ReturnType<typeof flakyNetwork>) => {
    const client = createClient({ baseUrl: origin, channelId, storage, fetch: network.fetch, WebSocket: network.WebSocket, browserHooks: false, language: 'nl', random: () => 0 });
    clients.push(client);
    return client;
  };
  const visitorHistory = async (token: string): Promise<VisitorMessage[]> =>
    (await t.app.inject({ url: `/channels/webchat/${channelId}/messages`, headers: { authorization: `Bearer ${token}` } })).json().items;
  const conversationIdOf = async (token: string): Promise<string> =>
    (await t.app.inject({ method: 'POST', url: `/channels/webchat/${channelId}/sessions`, payload: { visitorToken: token } })).json().conversationId;
  const agentReply = async (conversationId: string, body: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: { cookie: agentCookie }, payload: { body } });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const pushRows = () => t.platform.db.select().from(outbox).where(eq(outbox.kind, PUSH_OUTBOX_KIND));

  let token: string;
  let conversationId: string;

  it('sends what was written offline exactly once and in order after reconnecting, even when an answer was lost', async () => {
    const network = flakyNetwork();
    const client = makeClient(network);
    const connection: string[] = [];
    client.on('connection', (state) => connection.push(state));
    const session = await client.identify(identity);
    token = session.visitorToken;
    await until(() => client.connected, 'the live connection opens');

    network.goOffline();
    await until(() => connection.at(-1) !== 'open', 'the app notices the connection is gone');
    const queued: QueuedMessage[] = [];
    for (let i = 1; i <= 5; i++) queued.push(await client.send(`bericht ${i}`));
    await until(() => (network.net.attempts.get(queued[0]!.clientMessageId) ?? 0) >= 1, 'the first message was tried');
    expect(client.queue.items.map((m) => m.body)).toEqual(['bericht 1', 'bericht 2', 'bericht 3', 'bericht 4', 'bericht 5']);
    expect(await visitorHistory(token)).toEqual([]);

    // The third message will reach the server but its answer will not reach the app.
    network.net.loseAnswerOf.add(queued[2]!.clientMessageId);
    network.goOnline();
    client.kick();
    await until(() => client.queue.items.length === 0, 'the queue empties');

    const inbound = (await visitorHistory(token)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.body)).toEqual(['bericht 1', 'bericht 2', 'bericht 3', 'bericht 4', 'bericht 5']);
    expect(inbound.map((m) => m.clientMessageId)).toEqual(queued.map((q) => q.clientMessageId));
    expect(network.net.lostAnswers).toBe(1);
    expect(network.net.attempts.get(queued[2]!.clientMessageId)).toBeGreaterThanOrEqual(2);
    await until(() => client.connected, 'the live connection is back');
    conversationId = await conversationIdOf(token);
    expect(conversationId).toBeTruthy();
    client.close();
  });

  it('keeps unsent messages across a restart of the app (same storage) and sends them once', async () => {
    const offline = flakyNetwork();
    offline.goOffline();
    const before = makeClient(offline);
    await before.resume(); // offline: carries on with the stored session
    await before.send('na herstart 1');
    await before.send('na herstart 2');
    before.close(); // the app is killed before anything went out

    const network = flakyNetwork();
    const after = makeClient(network);
    await after.identify(identity);
    await until(() => after.queue.items.length === 0, 'the restarted app sent what was left');
    const bodies = (await visitorHistory(token)).filter((m) => m.direction === 'inbound').map((m) => m.body);
    expect(bodies).toEqual(['bericht 1', 'bericht 2', 'bericht 3', 'bericht 4', 'bericht 5', 'na herstart 1', 'na herstart 2']);
    after.close();
  });

  it("delivers an agent's reply live, and pushes nothing while the app is connected", async () => {
    const network = flakyNetwork();
    const client = makeClient(network);
    const live: VisitorMessage[] = [];
    client.on('message', (m) => live.push(m));
    await client.identify(identity);
    await until(() => client.connected, 'the live connection opens');
    await until(() => hasOpenConnection(t.platform.db, channelId, (client.session!).customer.id, t.platform.clock.now()), 'the connection is recorded');

    const id = await agentReply(conversationId, 'Dag Fatima, we kijken ernaar.');
    await t.platform.outbox.drainOnce();
    await until(() => live.some((m) => m.id === id && m.authorName === agentName), 'the reply arrives on the socket');
    await t.platform.outbox.drainOnce();
    expect(pushes).toEqual([]);
    expect(await pushRows()).toEqual([]);
    client.close();
    await until(async () => !(await hasOpenConnection(t.platform.db, channelId, client.session!.customer.id, t.platform.clock.now())), 'the closed connection is forgotten');
  });

  it('pushes exactly one signed notice for a reply while the app is closed, and the app gets the reply on reconnect', async () => {
    const id = await agentReply(conversationId, 'Uw pakket is onderweg en komt morgen.');
    await t.platform.outbox.drainOnce(); // the reply: no socket, so a push notice is queued
    await t.platform.outbox.drainOnce(); // the push notice
    await t.platform.outbox.drainOnce(); // nothing more
    expect(pushes).toHaveLength(1);
    const [push] = pushes;
    const timestamp = Number(push!.headers['x-hoorn-timestamp']);
    expect(Number.isInteger(timestamp)).toBe(true);
    expect(push!.headers['x-hoorn-signature']).toBe(`sha256=${signatureOf(PUSH_SECRET, timestamp, push!.body)}`);
    expect(push!.headers['x-hoorn-signature']).not.toBe(`sha256=${signatureOf('another secret', timestamp, push!.body)}`);
    expect(JSON.parse(push!.body)).toMatchObject({
      type: 'message',
      workspaceId,
      channelId,
      appUserId: userId,
      verified: true,
      conversationId,
      message: { id, authorType: 'agent', authorName: agentName, preview: 'Uw pakket is onderweg en komt morgen.', attachments: 0 },
    });
    expect((await pushRows()).map((r) => r.status)).toEqual(['delivered']);

    const network = flakyNetwork();
    const client = makeClient(network);
    const seen: VisitorMessage[] = [];
    client.on('message', (m) => seen.push(m));
    await client.identify(identity);
    await until(() => seen.some((m) => m.id === id), 'the reply is in the history the app fills on connecting');
    expect(pushes).toHaveLength(1);
    client.close();
  });
});

describe('push endpoint addresses', () => {
  let t: TestContext;
  afterAll(() => t.close());

  it('refuses a push endpoint on a private address unless HOORN_WEBHOOKS_ALLOW_PRIVATE is set', async () => {
    t = await makeTestApp();
    const workspace = await makeWorkspace(t.platform);
    const channel = await inTransaction(t.platform, (tx) =>
      insertChannel(tx, workspace.id, { type: 'webchat', name: 'App', config: parseWebchatConfig({ pushUrl: 'http://127.0.0.1:9/push' }), secrets: t.platform.secrets.seal({ identitySecret: IDENTITY_SECRET, pushSecret: PUSH_SECRET }) }, t.platform.clock.now()),
    );
    const inbound = await makeInbound(t.platform, channel, { from: 'user:app-user-1' });
    const agent = await makeUser(t.platform, workspace.id, 'agent');
    const cookie = await loginCookie(t.app, agent.email);
    const reply = await t.app.inject({ method: 'POST', url: `/api/conversations/${inbound.conversation.id}/messages`, headers: { cookie }, payload: { body: 'Hallo' } });
    expect(reply.statusCode).toBe(201);
    await t.platform.outbox.drainOnce();
    await t.platform.outbox.drainOnce();
    const rows = await t.platform.db.select().from(outbox).where(eq(outbox.kind, PUSH_OUTBOX_KIND));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'dead', lastErrorKind: 'permanent' });
    expect(rows[0]!.lastError).toContain('not a public address');
  });
});
