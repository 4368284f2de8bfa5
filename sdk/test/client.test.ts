import { describe, expect, it } from 'vitest';
import { createClient, memoryStorage, type FetchLike, type VisitorMessage, type WebSocketLike } from '../src/index.js';

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: unknown = null;
  onmessage: unknown = null;
  onclose: unknown = null;
  onerror: unknown = null;
  sent: unknown[] = [];
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    (this.onopen as () => void)();
  }
  receive(frame: unknown) {
    (this.onmessage as (e: { data: unknown }) => void)({ data: JSON.stringify(frame) });
  }
}

const json = (status: number, body: unknown) => ({ ok: status < 400, status, statusText: '', json: async () => body });
const message = (over: Partial<VisitorMessage>): VisitorMessage => ({ id: 'm1', seq: 1, direction: 'inbound', authorType: 'customer', authorName: null, body: '', attachments: [], createdAt: '2026-01-01T00:00:00Z', status: 'received', ...over });
const settle = async () => {
  for (let i = 0; i < 30; i++) await new Promise((r) => setTimeout(r, 0));
};

/** A tiny visitor API: sessions, a history page, and POST /messages failing while `online` is false. */
function fakeApi() {
  const state = { online: true, history: [] as VisitorMessage[], posts: [] as Array<{ clientMessageId: string; body: string }>, requests: [] as string[], reads: [] as string[] };
  const fetch: FetchLike = async (url, init) => {
    const path = url.replace(/^.*\/channels\/webchat\/[^/]+/, '');
    state.requests.push(`${init.method} ${path}`);
    if (path === '/sessions') return json(200, { visitorToken: 'wv_token', customer: { id: 'c1', name: null, email: null }, conversationId: null });
    if (path.startsWith('/messages') && init.method === 'GET') return json(200, { items: state.history, nextCursor: null });
    if (path === '/messages' && init.method === 'POST') {
      if (!state.online) throw new TypeError('offline');
      const body = JSON.parse(init.body as string) as { clientMessageId: string; body: string };
      state.posts.push(body);
      return json(201, message({ id: `m${state.posts.length}`, seq: state.posts.length, body: body.body, clientMessageId: body.clientMessageId }));
    }
    if (path === '/read' && init.method === 'POST') {
      state.reads.push((JSON.parse(init.body as string) as { messageId: string }).messageId);
      return json(200, { read: 1 });
    }
    return json(404, { error: { code: 'not_found', message: '' } });
  };
  return { state, fetch };
}

describe('the client', () => {
  it('identifies, goes live, and turns frames into typed events', async () => {
    FakeSocket.all = [];
    const api = fakeApi();
    const storage = memoryStorage();
    const client = createClient({ baseUrl: 'https://hoorn.test/', channelId: 'ch1', storage, fetch: api.fetch, WebSocket: FakeSocket, browserHooks: false });
    const events: string[] = [];
    client.on('agentTyping', (t) => events.push(`typing:${t.typing}:${t.agentName}`));
    client.on('frame', (f) => events.push(`frame:${String(f.type)}`));
    client.on('message', (m) => events.push(`message:${m.body}`));
    const session = await client.identify({ userId: 'u1', userHash: 'a'.repeat(64) });
    expect(session.visitorToken).toBe('wv_token');
    expect(storage.data.get('hoorn.ch1.token')).toBe('wv_token');
    expect(storage.data.get('hoorn.ch1.user')).toBe('u1');
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toBe('wss://hoorn.test/channels/webchat/ch1/ws?token=wv_token');
    expect(client.sendFrame({ type: 'call_signal' })).toBe(false);
    ws.open();
    expect(client.sendFrame({ type: 'call_signal', data: 1 })).toBe(true);
    ws.receive({ type: 'agent_typing', typing: true, agentName: 'Sanne' });
    ws.receive({ type: 'call', state: 'ringing' });
    ws.receive({ type: 'message', message: message({ id: 'r1', direction: 'outbound', authorType: 'agent', body: 'Hallo!' }) });
    expect(events).toEqual(['frame:agent_typing', 'typing:true:Sanne', 'frame:call', 'frame:message', 'message:Hallo!']);
    client.typing(true);
    client.typing(true); // throttled
    client.typing(false);
    expect(ws.sent).toEqual([{ type: 'call_signal', data: 1 }, { type: 'typing', typing: true }, { type: 'typing', typing: false }]);
    client.close();
  });

  it('on reconnect drops a queued message the history shows the server already has', async () => {
    FakeSocket.all = [];
    const api = fakeApi();
    const client = createClient({ baseUrl: 'https://hoorn.test', channelId: 'ch1', storage: memoryStorage(), fetch: api.fetch, WebSocket: FakeSocket, browserHooks: false });
    await client.identify({ userId: 'u1', userHash: 'a'.repeat(64) });
    api.state.online = false;
    const queued = await client.send('hallo');
    await settle();
    expect(client.queue.items).toHaveLength(1);
    // The request had reached the server before the connection dropped: the history has it.
    api.state.history = [message({ id: 'm9', seq: 9, body: 'hallo', clientMessageId: queued.clientMessageId })];
    api.state.online = true;
    FakeSocket.all[0]!.open(); // reconnect: refill, then the queue
    await settle();
    expect(client.queue.items).toEqual([]);
    expect(api.state.posts).toEqual([]);
    expect(client.list().map((m) => m.id)).toEqual(['m9']);
    client.close();
  });

  it('a different user on this device drops the previous session and its unsent messages', async () => {
    FakeSocket.all = [];
    const api = fakeApi();
    api.state.online = false;
    const storage = memoryStorage();
    const first = createClient({ baseUrl: 'https://hoorn.test', channelId: 'ch1', storage, fetch: api.fetch, WebSocket: FakeSocket, browserHooks: false });
    await first.identify({ userId: 'u1', userHash: 'a'.repeat(64) });
    await first.send('van u1');
    first.close();
    expect(storage.data.has('hoorn.ch1.queue')).toBe(true);
    const second = createClient({ baseUrl: 'https://hoorn.test', channelId: 'ch1', storage, fetch: api.fetch, WebSocket: FakeSocket, browserHooks: false });
    await second.identify({ userId: 'u2', userHash: 'b'.repeat(64) });
    expect(second.queue.items).toEqual([]);
    expect(storage.data.has('hoorn.ch1.queue')).toBe(false);
    expect(storage.data.get('hoorn.ch1.user')).toBe('u2');
    second.close();
  });

  it('sends a read receipt for the newest agent message, once, and nothing when there is nothing new', async () => {
    const api = fakeApi();
    api.state.history = [
      message({ id: 'a1', seq: 1, direction: 'inbound' }),
      message({ id: 'a2', seq: 2, direction: 'outbound', authorType: 'agent', status: 'sent' }),
      message({ id: 'a3', seq: 3, direction: 'outbound', authorType: 'bot', status: 'sent' }),
      message({ id: 'a4', seq: 4, direction: 'outbound', authorType: 'system', status: 'sent' }),
    ];
    const client = createClient({ baseUrl: 'https://hoorn.test', channelId: 'ch1', storage: memoryStorage(), fetch: api.fetch, WebSocket: FakeSocket, browserHooks: false });
    expect(await client.markRead()).toBe(false);
    await client.startSession({ consent: true });
    await client.refill();
    expect(await client.markRead()).toBe(true);
    expect(await client.markRead()).toBe(false);
    // The bot's message is the newest one a person would read; a system line is not.
    expect(api.state.reads).toEqual(['a3']);
    client.close();
  });
});
