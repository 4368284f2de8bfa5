// Read receipts on web chat: the visitor reports how far they read (the desk sees the agent's
// messages turn `read`), and the agent who has the conversation open reads the visitor's messages
// (the visitor's widget is told). Nobody reads another visitor's conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubMessage } from '../../src/platform/realtime/hub.ts';
import { visitorTopic } from '../../src/platform/realtime/hub.ts';
import { listEvents } from '../../src/platform/events/events.ts';
import { loginCookie, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

describe('web chat read receipts', () => {
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let agent: { id: string; name: string; email: string };
  let agentCookie: string;
  const url = (path: string) => `/channels/webchat/${channel.id}${path}`;

  beforeAll(async () => {
    t = await makeTestApp();
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    agent = await makeUser(t.platform, workspaceId, 'agent');
    agentCookie = await loginCookie(t.app, agent.email);
  });
  afterAll(() => t.close());

  const startSession = async (payload: object = {}) => (await t.app.inject({ method: 'POST', url: url('/sessions'), payload })).json() as { visitorToken: string; conversationId: string | null; customer: { id: string } };
  const send = (token: string, clientMessageId: string, body: string) =>
    t.app.inject({ method: 'POST', url: url('/messages'), headers: { authorization: `Bearer ${token}` }, payload: { clientMessageId, body } });
  const history = async (token: string) => (await t.app.inject({ url: url('/messages'), headers: { authorization: `Bearer ${token}` } })).json().items as Array<{ id: string; body: string; direction: string; status: string }>;
  const read = (token: string, messageId: string) => t.app.inject({ method: 'POST', url: url('/read'), headers: { authorization: `Bearer ${token}` }, payload: { messageId } });
  const deskMessages = async (conversationId: string) =>
    (await t.app.inject({ url: `/api/conversations/${conversationId}/messages`, headers: { cookie: agentCookie } })).json().items as Array<{ id: string; body: string; status: string }>;
  const reply = (conversationId: string, body: string) => t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: { cookie: agentCookie }, payload: { body } });
  const viewing = async (conversationId: string, user: { id: string; name: string }) => {
    for (const relay of t.platform.hub.presenceRelays) await relay({ workspaceId, conversationId, user, state: 'viewing' });
  };

  it("marks the agent's messages read up to the one the visitor names, with an event for each", async () => {
    const visitor = await startSession();
    await send(visitor.visitorToken, 'client-r000001', 'Waar blijft mijn pakket?');
    const { conversationId } = await startSession({ visitorToken: visitor.visitorToken });
    for (const body of ['Even kijken.', 'Het is onderweg.', 'Morgen bezorgd.']) expect((await reply(conversationId!, body)).statusCode).toBe(201);
    const outbound = (await history(visitor.visitorToken)).filter((m) => m.direction === 'outbound');
    expect(outbound).toHaveLength(3);

    const res = await read(visitor.visitorToken, outbound[1]!.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ read: 2 });
    const statuses = Object.fromEntries((await deskMessages(conversationId!)).map((m) => [m.body, m.status]));
    expect(statuses['Even kijken.']).toBe('read');
    expect(statuses['Het is onderweg.']).toBe('read');
    expect(statuses['Morgen bezorgd.']).not.toBe('read');
    // The visitor's own message is not theirs to mark read.
    expect(statuses['Waar blijft mijn pakket?']).not.toBe('read');
    const events = await listEvents(t.platform.db, workspaceId, { type: 'message.status_changed', subjectId: conversationId!, limit: 10 });
    expect(events.map((e) => e.payload)).toEqual(expect.arrayContaining([{ messageId: outbound[0]!.id, status: 'read' }, { messageId: outbound[1]!.id, status: 'read' }]));
    // Reading again marks nothing twice.
    expect((await read(visitor.visitorToken, outbound[1]!.id)).json()).toEqual({ read: 0 });

    // Another visitor cannot name this conversation's message.
    const stranger = await startSession();
    expect((await read(stranger.visitorToken, outbound[2]!.id)).statusCode).toBe(404);
    expect((await read('not-a-token', outbound[2]!.id)).statusCode).toBe(401);
  });

  it("tells the visitor when the agent who has the chat opens it, and not when someone else looks in", async () => {
    const visitor = await startSession();
    await send(visitor.visitorToken, 'client-r000002', 'Hallo?');
    await send(visitor.visitorToken, 'client-r000003', 'Is daar iemand?');
    const { conversationId } = await startSession({ visitorToken: visitor.visitorToken });
    const frames: HubMessage[] = [];
    const unsubscribe = t.platform.hub.subscribe(visitorTopic(channel.id, visitor.customer.id), (m) => {
      if (m.type === 'status') frames.push(m);
    });
    try {
      // Unassigned: a look is not a read.
      await viewing(conversationId!, { id: agent.id, name: agent.name });
      expect(frames).toEqual([]);
      expect((await t.app.inject({ method: 'PATCH', url: `/api/conversations/${conversationId}`, headers: { cookie: agentCookie }, payload: { assigneeId: agent.id } })).statusCode).toBe(200);
      const other = await makeUser(t.platform, workspaceId, 'supervisor');
      await viewing(conversationId!, { id: other.id, name: other.name });
      expect(frames).toEqual([]);
      await viewing(conversationId!, { id: agent.id, name: agent.name });
      const mine = (await history(visitor.visitorToken)).filter((m) => m.direction === 'inbound');
      expect(frames.map((f) => f.messageId).sort()).toEqual(mine.map((m) => m.id).sort());
      expect(frames.every((f) => f.status === 'read')).toBe(true);
      expect((await history(visitor.visitorToken)).filter((m) => m.direction === 'inbound').map((m) => m.status)).toEqual(['read', 'read']);
      // Looking again tells nothing new.
      await viewing(conversationId!, { id: agent.id, name: agent.name });
      expect(frames).toHaveLength(2);
    } finally {
      unsubscribe();
    }
  });
});
