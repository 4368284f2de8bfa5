import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ManualClock } from '../../src/platform/clock.ts';
import { listEvents } from '../../src/platform/events/events.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { loginCookie, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

type Frame = { type: string; callId?: string; code?: string; forUserId?: string; signal?: { kind: string; sdp?: string }; call?: { id: string; state: string; agent: { name: string } | null; recording: boolean; iceServers: unknown[] } };

/** A socket that keeps every frame it gets; `until` waits for one (the timeout only guards against hanging). */
function socket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const frames: Frame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  const opened = new Promise((resolve, reject) => {
    ws.on('open', resolve);
    ws.on('error', reject);
  });
  const until = async (predicate: (f: Frame) => boolean): Promise<Frame> => {
    for (let i = 0; i < 500; i++) {
      const found = frames.find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames.map((f) => f.type))}`);
  };
  return { ws, frames, opened, until, send: (frame: unknown) => ws.send(JSON.stringify(frame)) };
}

describe('video calls on a web chat', () => {
  const clock = new ManualClock('2026-05-04T09:00:00Z');
  let t: TestContext;
  let base: string;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let admin: { id: string; email: string };
  let agent: { id: string; email: string; name: string };
  let stranger: { id: string; email: string };
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    t = await makeTestApp({ clock, config: { iceServers: [{ urls: 'stun:stun.example.nl:3478' }] } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    admin = await makeUser(t.platform, workspaceId, 'admin');
    agent = await makeUser(t.platform, workspaceId, 'agent');
    stranger = await makeUser(t.platform, workspaceId, 'agent');
    for (const u of [admin, agent, stranger]) cookies[u.id] = await loginCookie(t.app, u.email);
  });
  afterAll(() => t.close());

  const as = (user: { id: string }) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookies[user.id]! }, payload });
  const visitorApi = (token: string, method: 'GET' | 'POST', path: string, payload?: object) =>
    t.app.inject({ method, url: `/channels/webchat/${channel.id}${path}`, headers: { authorization: `Bearer ${token}` }, payload });
  const route = () => routingOf(t.platform).runPending(workspaceId);

  async function visitorWithChat(name: string, body: string) {
    const session = (await t.app.inject({ method: 'POST', url: `/channels/webchat/${channel.id}/sessions`, payload: { name } })).json();
    const sent = await visitorApi(session.visitorToken, 'POST', '/messages', { clientMessageId: `client-${name}-0001`, body });
    expect(sent.statusCode).toBe(201);
    const { conversationId } = (await t.app.inject({ method: 'POST', url: `/channels/webchat/${channel.id}/sessions`, payload: { visitorToken: session.visitorToken } })).json();
    return { token: session.visitorToken as string, conversationId: conversationId as string };
  }
  const offersOf = async (user: { id: string }) =>
    (await as(user)('GET', '/api/routing/me')).json().offers as Array<{ taskId: string; conversationId: string | null; channel: string; customerName: string | null }>;
  const liveVideoTasks = async () => (await tasks()).filter((task) => task.channel === 'video' && !['completed', 'canceled'].includes(task.state));
  /** An agent's upload through the desk's ordinary attachment route. */
  const upload = async (user: { id: string }, contentType: string, data: Buffer) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie: cookies[user.id]!, 'content-type': contentType, 'x-filename': 'opname.webm' }, payload: data });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const tasks = async () => (await as(admin)('GET', '/api/routing/tasks?state=all')).json().items as Array<{ id: string; channel: string; state: string; agentId: string | null }>;

  let first: { token: string; conversationId: string };
  let second: { token: string; conversationId: string };

  it('routes chats as usual before any call', async () => {
    const queue = (await as(admin)('POST', '/api/routing/queues', { name: 'Support', eligibility: '', order: 'fifo' })).json();
    expect((await as(admin)('POST', '/api/routing/workflows', { name: 'Standard', filters: [], defaultSteps: [{ queueId: queue.id }] })).statusCode).toBe(201);
    const capacity = { total: 100, cost: { webchat: 25, video: 100 }, exclusive: ['video'] };
    for (const u of [agent, stranger]) expect((await as(admin)('PUT', `/api/routing/agents/${u.id}`, { skills: {}, languages: [], attributes: {}, capacity })).statusCode).toBe(200);
    expect((await as(agent)('PUT', '/api/routing/me/presence', { presence: 'available' })).statusCode).toBe(200);

    first = await visitorWithChat('Anna', 'Kunt u meekijken?');
    await route();
    const [offer] = await offersOf(agent);
    expect(offer?.conversationId).toBe(first.conversationId);
    expect((await as(agent)('POST', `/api/routing/tasks/${offer!.taskId}/accept`)).statusCode).toBe(200);
  });

  it('runs a call from offer to hang-up, relays signalling only between its two parties, and blocks other work meanwhile', async () => {
    const desk = socket(`ws://${base}/api/realtime`, { cookie: cookies[agent.id]! });
    const strangerDesk = socket(`ws://${base}/api/realtime`, { cookie: cookies[stranger.id]! });
    const customer = socket(`ws://${base}/channels/webchat/${channel.id}/ws?token=${first.token}`);
    await Promise.all([desk.opened, strangerDesk.opened, customer.opened]);
    await desk.until((f) => f.type === 'hello');
    await strangerDesk.until((f) => f.type === 'hello');

    // Only the agent who holds the chat may ring the customer.
    expect((await as(stranger)('POST', `/api/conversations/${first.conversationId}/calls`, {})).json().error.code).toBe('not_your_conversation');
    const offered = await as(agent)('POST', `/api/conversations/${first.conversationId}/calls`, {});
    expect(offered.statusCode, offered.body).toBe(201);
    const callId = offered.json().id as string;
    expect(offered.json()).toMatchObject({ state: 'offered', offeredBy: 'agent', agent: { id: agent.id, name: agent.name }, recording: false, iceServers: [{ urls: 'stun:stun.example.nl:3478' }] });
    expect((await as(agent)('POST', `/api/conversations/${first.conversationId}/calls`, {})).json().error.code).toBe('call_in_progress');
    // The customer sees who is calling.
    const ringing = await customer.until((f) => f.type === 'call' && f.call?.id === callId);
    expect(ringing.call).toMatchObject({ state: 'offered', agent: { name: agent.name } });

    // The call is a routing task of channel video, held by the agent straight away.
    await route();
    const videoTask = (await tasks()).find((task) => task.channel === 'video');
    expect(videoTask).toMatchObject({ state: 'assigned', agentId: agent.id });
    // A new chat arrives while the call rings: the agent is not offered it.
    second = await visitorWithChat('Bram', 'Ik wacht ook');
    await route();
    expect(await offersOf(agent)).toEqual([]);

    // Signalling before the customer said yes is refused.
    desk.send({ type: 'call_signal', callId, signal: { kind: 'offer', sdp: 'v=0 too-early' } });
    expect((await desk.until((f) => f.type === 'call_error')).code).toBe('call_not_live');

    const accepted = await visitorApi(first.token, 'POST', `/calls/${callId}/accept`, { recordingConsent: true });
    expect(accepted.statusCode, accepted.body).toBe(200);
    // Recording stays off: the workspace did not enable it, whatever the customer ticked.
    expect(accepted.json()).toMatchObject({ state: 'accepted', recording: false });
    await desk.until((f) => f.type === 'call' && f.call?.state === 'accepted');

    desk.send({ type: 'call_signal', callId, signal: { kind: 'offer', sdp: 'v=0 agent-offer' } });
    expect((await customer.until((f) => f.type === 'call_signal')).signal).toEqual({ kind: 'offer', sdp: 'v=0 agent-offer' });
    customer.send({ type: 'call_signal', callId, signal: { kind: 'answer', sdp: 'v=0 customer-answer' } });
    await desk.until((f) => f.type === 'call_signal' && f.signal?.kind === 'answer');
    await desk.until((f) => f.type === 'call' && f.call?.state === 'connected');

    // Without the customer's consent the desk cannot announce a recording; the customer never can.
    desk.send({ type: 'call_signal', callId, signal: { kind: 'recording', active: true } });
    expect((await desk.until((f) => f.type === 'call_error' && f.code === 'recording_not_consented')).callId).toBe(callId);
    customer.send({ type: 'call_signal', callId, signal: { kind: 'recording', active: false } });
    expect((await customer.until((f) => f.type === 'call_error')).code).toBe('recording_not_consented');

    // (a) An agent of the workspace who is not in the call.
    strangerDesk.send({ type: 'call_signal', callId, signal: { kind: 'offer', sdp: 'v=0 injected-by-agent' } });
    expect((await strangerDesk.until((f) => f.type === 'call_error')).code).toBe('not_a_party');
    // (b) The customer of another conversation, with their own valid token.
    const other = socket(`ws://${base}/channels/webchat/${channel.id}/ws?token=${second.token}`);
    await other.opened;
    other.send({ type: 'call_signal', callId, signal: { kind: 'answer', sdp: 'v=0 injected-by-customer' } });
    expect((await other.until((f) => f.type === 'call_error')).code).toBe('not_a_party');
    // What each party gets next proves nothing of the strangers came before it (a socket keeps order).
    desk.send({ type: 'call_signal', callId, signal: { kind: 'ice', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } } });
    await customer.until((f) => f.type === 'call_signal' && f.signal?.kind === 'ice');
    customer.send({ type: 'call_signal', callId, signal: { kind: 'renegotiate' } });
    await desk.until((f) => f.type === 'call_signal' && f.signal?.kind === 'renegotiate');
    const seen = JSON.stringify([desk.frames, customer.frames]);
    expect(seen).not.toContain('injected');
    expect([...desk.frames, ...customer.frames].some((f) => f.type === 'call_signal' && f.signal?.kind === 'recording')).toBe(false);
    // Nor does another agent's desk get the call's signalling.
    expect(strangerDesk.frames.some((f) => f.type === 'call_signal' || f.type === 'call')).toBe(false);

    clock.advance(133_000);
    const ended = await as(agent)('POST', `/api/video-calls/${callId}/hangup`);
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ state: 'ended', durationSeconds: 133, endReason: 'agent_hung_up' });
    await customer.until((f) => f.type === 'call' && f.call?.state === 'ended');

    // (c) A signal for the ended call, from its own customer.
    const before = desk.frames.length;
    customer.send({ type: 'call_signal', callId, signal: { kind: 'ice', candidate: { candidate: 'candidate:late' } } });
    expect((await customer.until((f) => f.type === 'call_error' && f.code === 'call_not_live')).callId).toBe(callId);
    desk.send({ type: 'call_signal', callId, signal: { kind: 'offer', sdp: 'v=0 after-the-end' } });
    expect((await desk.until((f) => f.type === 'call_error' && f.code === 'call_not_live')).callId).toBe(callId);
    expect(desk.frames.slice(before).some((f) => f.type === 'call_signal')).toBe(false);
    expect(customer.frames.some((f) => f.type === 'call_signal' && f.signal?.sdp === 'v=0 after-the-end')).toBe(false);

    // The call's events, and the line on the timeline.
    const events = (await listEvents(t.platform.db, workspaceId, { limit: 500 })).filter((e) => e.type.startsWith('video.')).reverse();
    expect(events.map((e) => e.type)).toEqual(['video.call_offered', 'video.call_accepted', 'video.call_connected', 'video.call_ended']);
    expect(events.at(-1)).toMatchObject({ subjectId: first.conversationId, payload: { callId, durationSeconds: 133, endReason: 'agent_hung_up' } });
    const messages = (await as(agent)('GET', `/api/conversations/${first.conversationId}/messages`)).json().items as Array<{ body: string; authorType: string }>;
    expect(messages.some((m) => m.authorType === 'system' && m.body === 'Videogesprek, 2:13')).toBe(true);
    expect((await as(agent)('GET', `/api/conversations/${first.conversationId}/calls`)).json().items[0]).toMatchObject({ id: callId, state: 'ended', durationSeconds: 133 });

    // Hung up: the task ends and the waiting chat goes to the agent.
    await route();
    expect((await tasks()).find((task) => task.id === videoTask!.id)?.state).toBe('completed');
    expect((await offersOf(agent)).map((o) => o.conversationId)).toEqual([second.conversationId]);
    for (const s of [desk, strangerDesk, customer, other]) s.ws.close();
  });

  it("lets the customer decline, ask for a call only where allowed, and records only with the workspace's and the customer's yes", async () => {
    const declined = await as(agent)('POST', `/api/conversations/${first.conversationId}/calls`, { audioOnly: true });
    expect(declined.statusCode).toBe(201);
    // Another visitor cannot answer or decline it: to them the call does not exist.
    expect((await visitorApi(second.token, 'POST', `/calls/${declined.json().id}/accept`, {})).statusCode).toBe(404);
    const no = await visitorApi(first.token, 'POST', `/calls/${declined.json().id}/decline`);
    expect(no.json()).toMatchObject({ state: 'declined', endReason: 'customer_declined' });

    const current = (await visitorApi(first.token, 'GET', '/calls/current')).json();
    expect(current).toMatchObject({ call: null, customerMayStart: false, recordingEnabled: false });
    expect((await visitorApi(first.token, 'POST', '/calls', {})).json().error.code).toBe('video_not_allowed');
    expect((await as(agent)('PUT', '/api/video/settings', { customerMayStart: true, recordingEnabled: true })).statusCode).toBe(403);
    expect((await as(admin)('PUT', '/api/video/settings', { customerMayStart: true, recordingEnabled: true })).statusCode).toBe(200);

    const asked = await visitorApi(first.token, 'POST', '/calls', {});
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json()).toMatchObject({ state: 'ringing', offeredBy: 'customer', agent: null, recording: false });
    // The chat has an agent: the request rings her, with no task until she takes it; it can be withdrawn.
    await route();
    expect(await liveVideoTasks()).toHaveLength(0);
    expect((await visitorApi(first.token, 'POST', `/calls/${asked.json().id}/hangup`)).json()).toMatchObject({ state: 'ended', endReason: 'customer_hung_up', durationSeconds: 0 });

    // Asked again, consenting to a recording: only the chat's agent takes it, and its task is hers from then on.
    const again = await visitorApi(first.token, 'POST', '/calls', { recordingConsent: true });
    expect(again.json()).toMatchObject({ state: 'ringing', recordingAllowed: true, recording: true });
    expect((await as(stranger)('POST', `/api/video-calls/${again.json().id}/accept`)).json().error.code).toBe('not_your_conversation');
    const taken = await as(agent)('POST', `/api/video-calls/${again.json().id}/accept`);
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json()).toMatchObject({ state: 'accepted', agent: { id: agent.id }, recording: true });
    await route();
    expect(await liveVideoTasks()).toEqual([expect.objectContaining({ state: 'assigned', agentId: agent.id })]);
    expect((await as(agent)('POST', `/api/video-calls/${again.json().id}/hangup`)).json()).toMatchObject({ state: 'ended', endReason: 'agent_hung_up' });
    await route();
    expect(await liveVideoTasks()).toHaveLength(0);

    const withoutConsent = (await as(agent)('POST', `/api/conversations/${first.conversationId}/calls`, {})).json();
    expect((await visitorApi(first.token, 'POST', `/calls/${withoutConsent.id}/accept`, {})).json()).toMatchObject({ recordingAllowed: true, recording: false });
    expect((await as(agent)('POST', `/api/video-calls/${withoutConsent.id}/hangup`)).statusCode).toBe(200);
    const withConsent = (await as(agent)('POST', `/api/conversations/${first.conversationId}/calls`, {})).json();
    expect((await visitorApi(first.token, 'POST', `/calls/${withConsent.id}/accept`, { recordingConsent: true, audioOnly: true })).json()).toMatchObject({ recording: true, audioOnly: true });
    // Another agent cannot end someone else's call.
    expect((await as(stranger)('POST', `/api/video-calls/${withConsent.id}/hangup`)).json().error.code).toBe('not_your_call');
    expect((await as(agent)('POST', `/api/video-calls/${withConsent.id}/hangup`)).statusCode).toBe(200);
  });

  it("links the desk's recording only to a call recorded with consent, and shows it to agents alone", async () => {
    const webm = Buffer.from('1a45dfa3 recording of the call');
    const recording = await upload(agent, 'video/webm', webm);
    const recordingPath = (id: string) => `/api/video-calls/${id}/recording`;

    // Offered and answered with consent (the workspace allows recording since the test before).
    const call = (await as(agent)('POST', `/api/conversations/${first.conversationId}/calls`, {})).json();
    expect((await as(agent)('POST', recordingPath(call.id), { attachmentId: recording })).json().error.code).toBe('call_not_answered');
    expect((await visitorApi(first.token, 'POST', `/calls/${call.id}/accept`, { recordingConsent: true })).json()).toMatchObject({ recording: true });

    // Someone else's call, someone else's upload, or a file that is no recording: refused.
    expect((await as(stranger)('POST', recordingPath(call.id), { attachmentId: recording })).json().error.code).toBe('not_your_call');
    const strangersFile = await upload(stranger, 'video/webm', webm);
    expect((await as(agent)('POST', recordingPath(call.id), { attachmentId: strangersFile })).statusCode).toBe(404);
    const pdf = await upload(agent, 'application/pdf', Buffer.from('%PDF-1.4'));
    expect((await as(agent)('POST', recordingPath(call.id), { attachmentId: pdf })).json().error.code).toBe('not_a_recording');

    clock.advance(5_000);
    expect((await as(agent)('POST', `/api/video-calls/${call.id}/hangup`)).statusCode).toBe(200);
    // At hang-up the desk uploads and links it; once.
    const linked = await as(agent)('POST', recordingPath(call.id), { attachmentId: recording });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ state: 'ended', recordingAttachment: { id: recording, contentType: 'video/webm', size: webm.length } });
    expect((await as(agent)('POST', recordingPath(call.id), { attachmentId: recording })).json().error.code).toBe('recording_exists');
    const events = (await listEvents(t.platform.db, workspaceId, { limit: 50 })).filter((e) => e.type === 'video.call_recorded');
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ callId: call.id, attachmentId: recording, size: webm.length })]);

    // The desk finds the recording by the call's line on the timeline.
    const listed = (await as(agent)('GET', `/api/conversations/${first.conversationId}/calls`)).json().items[0];
    expect(listed).toMatchObject({ id: call.id, recordingAttachment: { id: recording } });
    const messages = (await as(agent)('GET', `/api/conversations/${first.conversationId}/messages`)).json().items as Array<{ id: string; body: string; authorType: string }>;
    expect(messages.find((m) => m.id === listed.endMessageId)).toMatchObject({ authorType: 'system', body: 'Videogesprek, 0:00' });
    expect((await as(agent)('GET', `/api/attachments/${recording}`)).rawPayload.equals(webm)).toBe(true);
    // The customer's side holds no way to the file.
    expect((await visitorApi(first.token, 'GET', `/attachments/${recording}`)).statusCode).toBe(404);
    expect((await visitorApi(first.token, 'GET', '/messages')).body).not.toContain(recording);

    // Answered without consent: no recording, whatever the desk sends.
    const unconsented = (await as(agent)('POST', `/api/conversations/${first.conversationId}/calls`, {})).json();
    expect((await visitorApi(first.token, 'POST', `/calls/${unconsented.id}/accept`, {})).json()).toMatchObject({ recording: false });
    const other = await upload(agent, 'video/webm', webm);
    const refused = await as(agent)('POST', recordingPath(unconsented.id), { attachmentId: other });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('recording_not_consented');
    expect((await as(agent)('POST', `/api/video-calls/${unconsented.id}/hangup`)).statusCode).toBe(200);
    expect((await as(agent)('GET', `/api/conversations/${first.conversationId}/calls`)).json().items[0]).toMatchObject({ id: unconsented.id, recordingAttachment: null });
  });

  it("offers a request on a chat nobody holds to a free agent, naming the call's conversation and customer", async () => {
    // This agent takes no chats, only calls: the waiting chat cannot fill her capacity first.
    const callsOnly = { total: 100, cost: { webchat: 25, video: 100 }, exclusive: ['video'], maxPerChannel: { webchat: 0 } };
    expect((await as(admin)('PUT', `/api/routing/agents/${stranger.id}`, { skills: {}, languages: [], attributes: {}, capacity: callsOnly })).statusCode).toBe(200);
    expect((await as(stranger)('PUT', '/api/routing/me/presence', { presence: 'available' })).statusCode).toBe(200);
    const third = await visitorWithChat('Cas', 'Mag ik u even zien?');
    const asked = (await visitorApi(third.token, 'POST', '/calls', {})).json();
    expect(asked).toMatchObject({ state: 'ringing', agent: null });
    await route();
    const videoOffer = (await offersOf(stranger)).find((o) => o.channel === 'video');
    expect(videoOffer).toMatchObject({ conversationId: third.conversationId, customerName: 'Cas', channel: 'video' });
    const taken = await as(stranger)('POST', `/api/video-calls/${asked.id}/accept`);
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json()).toMatchObject({ state: 'accepted', agent: { id: stranger.id } });
    expect((await as(stranger)('POST', `/api/video-calls/${asked.id}/hangup`)).statusCode).toBe(200);
    expect((await as(stranger)('PUT', '/api/routing/me/presence', { presence: 'offline' })).statusCode).toBe(200);
  });

  it('lets an unanswered offer ring out as missed', async () => {
    const offered = (await as(agent)('POST', `/api/conversations/${first.conversationId}/calls`, {})).json();
    const { expireUnanswered } = await import('../../src/channels/video/video.service.ts');
    clock.advance(59_000);
    expect(await expireUnanswered(t.platform)).toBe(0);
    clock.advance(2_000);
    expect(await expireUnanswered(t.platform)).toBe(1);
    const [latest] = (await as(agent)('GET', `/api/conversations/${first.conversationId}/calls`)).json().items;
    expect(latest).toMatchObject({ id: offered.id, state: 'missed', endReason: 'timeout' });
  });
});
