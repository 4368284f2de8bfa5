import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChannel } from '../../src/channels/channels.store.ts';
import { receiveInbound } from '../../src/conversations/receive.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { inTransaction, listEvents } from '../../src/platform/events/events.ts';
import { loginCookie, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

type User = { id: string; email: string };
type Survey = { id: string; kind: string; status: string; score: number | null; agentId: string | null };

describe('CSAT and NPS surveys after resolution', () => {
  const clock = new ManualClock('2026-11-23T10:00:00Z');
  let t: TestContext;
  let workspaceId: string;
  let chat: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let sms: { id: string; workspaceId: string; type: string };
  let admin: User;
  let agent: User;
  const cookies: Record<string, string> = {};
  let counter = 0;

  const as = (user: User) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookies[user.id]! }, payload });
  const events = async (type: string) => (await listEvents(t.platform.db, workspaceId, { limit: 500 })).filter((e) => e.type === type);
  const conversationOf = async (id: string) => (await as(agent)('GET', `/api/conversations/${id}`)).json();
  const surveysOf = async (id: string) => (await as(agent)('GET', `/api/conversations/${id}/wrap-up`)).json().surveys as Survey[];
  const tasksOf = async (id: string) =>
    ((await as(admin)('GET', '/api/routing/tasks?state=all')).json().items as Array<{ conversationId: string }>).filter((task) => task.conversationId === id);
  /** The agent takes the conversation and resolves it. */
  async function handleAndResolve(conversationId: string) {
    expect((await as(agent)('PATCH', `/api/conversations/${conversationId}`, { assigneeId: agent.id })).statusCode).toBe(200);
    expect((await as(agent)('PATCH', `/api/conversations/${conversationId}`, { status: 'resolved' })).statusCode).toBe(200);
  }
  const smsFrom = (from: string, body: string) =>
    receiveInbound(t.platform, { workspaceId, channel: { id: sms.id, type: 'sms' }, providerMessageId: `SM${++counter}`, from: { externalId: from }, body });
  async function setSurvey(channelType: string, kind: 'csat' | 'nps', windowHours = 24) {
    const settings = (await as(admin)('GET', '/api/outcomes/settings')).json();
    const res = await as(admin)('PUT', '/api/outcomes/settings', { ...settings, surveys: { ...settings.surveys, [channelType]: { enabled: true, kind, question: { nl: '', en: '' }, windowHours } } });
    expect(res.statusCode, res.body).toBe(200);
  }

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    workspaceId = (await makeWorkspace(t.platform)).id;
    chat = await makeWebchatChannel(t.platform, workspaceId);
    sms = await inTransaction(t.platform, (tx) => insertChannel(tx, workspaceId, { type: 'sms', provider: 'twilio', name: 'SMS', config: {}, secrets: null }, clock.now()));
    admin = await makeUser(t.platform, workspaceId, 'admin');
    agent = await makeUser(t.platform, workspaceId, 'agent');
    for (const u of [admin, agent]) cookies[u.id] = await loginCookie(t.app, u.email);
    // Routing on, nobody available: a reopened or new conversation shows up as a task.
    const queue = (await as(admin)('POST', '/api/routing/queues', { name: 'Webshop', eligibility: '', order: 'fifo' })).json();
    expect((await as(admin)('POST', '/api/routing/workflows', { name: 'Standaard', filters: [], defaultSteps: [{ queueId: queue.id }] })).statusCode).toBe(201);
  });
  afterAll(() => t.close());

  it('sends nothing where no survey is enabled', async () => {
    const { conversation } = await smsFrom('+31611111111', 'Hallo');
    await handleAndResolve(conversation.id);
    expect(await surveysOf(conversation.id)).toEqual([]);
    expect((await as(admin)('PUT', '/api/outcomes/settings', { wrapUp: { mode: 'optional', maxSeconds: 120 }, surveys: { voice: { enabled: true, kind: 'csat', question: { nl: '', en: '' }, windowHours: 1 } } })).statusCode).toBe(400);
  });

  it('web chat: asks with buttons, and a button press is the score without reopening anything', async () => {
    await setSurvey('webchat', 'csat');
    const url = (path: string) => `/channels/webchat/${chat.id}${path}`;
    const session = (await t.app.inject({ method: 'POST', url: url('/sessions'), payload: { name: 'Sanne', language: 'nl' } })).json();
    const auth = { authorization: `Bearer ${session.visitorToken}` };
    const send = (payload: object) => t.app.inject({ method: 'POST', url: url('/messages'), headers: auth, payload });
    expect((await send({ clientMessageId: 'visitor-msg-1', body: 'Past deze jas ook in maat L?' })).statusCode).toBe(201);
    const conversationId = (await t.app.inject({ method: 'POST', url: url('/sessions'), payload: { visitorToken: session.visitorToken } })).json().conversationId;
    const tasksBefore = (await tasksOf(conversationId)).length;
    await handleAndResolve(conversationId);

    const history = (await t.app.inject({ url: url('/messages'), headers: auth })).json().items;
    const question = history.at(-1);
    expect(question).toMatchObject({ direction: 'outbound', authorType: 'bot', body: 'Hoe tevreden bent u over onze hulp?' });
    expect(question.buttons.map((b: { value: string }) => b.value)).toEqual(['survey:1', 'survey:2', 'survey:3', 'survey:4', 'survey:5']);
    const [pending] = await surveysOf(conversationId);
    expect(pending).toMatchObject({ kind: 'csat', status: 'pending', agentId: agent.id });

    const receivedBefore = (await events('message.received')).length;
    expect((await send({ clientMessageId: 'visitor-msg-2', body: '4', choice: 'survey:4' })).statusCode).toBe(201);
    expect(await conversationOf(conversationId)).toMatchObject({ status: 'resolved' });
    expect(await tasksOf(conversationId)).toHaveLength(tasksBefore);
    expect((await events('message.received')).length).toBe(receivedBefore);
    expect((await events('survey.answered')).map((e) => ({ subject: e.subjectId, payload: e.payload }))).toEqual([
      { subject: conversationId, payload: { conversationId, surveyId: pending!.id, kind: 'csat', score: 4, agentId: agent.id } },
    ]);
    expect(await surveysOf(conversationId)).toMatchObject([{ status: 'answered', score: 4 }]);
    // The answer stays in the resolved conversation's timeline.
    const timeline = (await as(agent)('GET', `/api/conversations/${conversationId}/messages`)).json().items as Array<{ body: string }>;
    expect(timeline.map((m) => m.body)).toContain('4');
  });

  it('a text channel: the question names the scale, and "8/10" is an NPS score', async () => {
    await setSurvey('sms', 'nps');
    const { conversation } = await smsFrom('+31622222222', 'Mijn bestelling is beschadigd');
    await handleAndResolve(conversation.id);
    const timeline = (await as(agent)('GET', `/api/conversations/${conversation.id}/messages`)).json().items as Array<{ body: string; authorType: string }>;
    expect(timeline.at(-1)).toMatchObject({ authorType: 'bot' });
    expect(timeline.at(-1)!.body).toContain('Antwoord met een cijfer van 0 tot 10');

    const answer = await smsFrom('+31622222222', ' 8/10 ');
    expect(answer.conversation.id).toBe(conversation.id);
    expect(answer.conversation.status).toBe('resolved');
    const [answered] = await surveysOf(conversation.id);
    expect(answered).toMatchObject({ kind: 'nps', status: 'answered', score: 8 });
    const event = (await events('survey.answered')).find((e) => e.payload.surveyId === answered!.id);
    expect(event!.payload).toEqual({ conversationId: conversation.id, surveyId: answered!.id, kind: 'nps', score: 8, agentId: agent.id });
  });

  it('asks nobody who cannot be reached on the channel (opted out, erased)', async () => {
    await setSurvey('sms', 'nps');
    const { conversation } = await smsFrom('+31699999999', 'Hallo');
    const { customerIdentities } = await import('../../src/customers/customers.schema.ts');
    const { eq } = await import('drizzle-orm');
    await t.platform.db.update(customerIdentities).set({ optedOutAt: clock.now() }).where(eq(customerIdentities.customerId, conversation.customerId));
    await handleAndResolve(conversation.id);
    expect(await surveysOf(conversation.id)).toEqual([]);
  });

  it('a reply that is not a score goes its usual way (a reply to an e-mail reopens it), and the survey expires', async () => {
    await setSurvey('sms', 'csat');
    await setSurvey('email', 'csat');
    const email = await inTransaction(t.platform, (tx) => insertChannel(tx, workspaceId, { type: 'email', provider: 'smtp', name: 'Mail', config: {}, secrets: null }, clock.now()));
    const mail = (providerMessageId: string, body: string, inReplyTo?: string[]) =>
      receiveInbound(t.platform, { workspaceId, channel: { id: email.id, type: 'email' }, providerMessageId, from: { externalId: 'klant@example.nl' }, body, threadKey: 'thread-1', inReplyTo });
    const { conversation } = await mail('<m1@example.nl>', 'Waar is mijn pakket?');
    await handleAndResolve(conversation.id);

    const reply = await mail('<m2@example.nl>', 'Ik heb nog een vraag over order 3', ['<m1@example.nl>']);
    expect(reply.conversation.id).toBe(conversation.id);
    expect(reply.conversation.status).toBe('open');
    // Back with its agent, as any reply to a resolved e-mail thread.
    expect(reply.conversation.assigneeId).toBe(agent.id);
    expect((await events('conversation.status_changed')).some((e) => e.subjectId === conversation.id && e.payload.reason === 'customer replied')).toBe(true);
    expect(await surveysOf(conversation.id)).toMatchObject([{ status: 'expired', score: null }]);
    expect((await events('survey.expired')).some((e) => e.subjectId === conversation.id && e.payload.reason === 'not_an_answer')).toBe(true);

    // On SMS the usual way is a new conversation, routed like any other.
    const { conversation: texted } = await smsFrom('+31633333333', 'Waar is mijn pakket?');
    await handleAndResolve(texted.id);
    const other = await smsFrom('+31633333333', 'Bedankt, maar hij is er nog niet');
    expect(other.conversation.id).not.toBe(texted.id);
    expect(await tasksOf(other.conversation.id)).toHaveLength(1);
    expect(await surveysOf(texted.id)).toMatchObject([{ status: 'expired' }]);
    // A later "5" is an ordinary message now: nothing is pending any more.
    const later = await smsFrom('+31633333333', '5');
    expect(later.conversation.id).toBe(other.conversation.id);
    expect((await events('survey.answered')).some((e) => e.subjectId === texted.id)).toBe(false);
  });

  it('an answer after the window is an ordinary message: it opens a new conversation', async () => {
    await setSurvey('sms', 'csat', 2);
    const { conversation } = await smsFrom('+31644444444', 'Kan ik retourneren?');
    await handleAndResolve(conversation.id);
    clock.advance(2 * 3_600_000 + 1_000);
    const late = await smsFrom('+31644444444', '5');
    expect(late.conversation.id).not.toBe(conversation.id);
    expect(late.conversation.status).toBe('open');
    expect(await tasksOf(late.conversation.id)).toHaveLength(1);
    expect(await conversationOf(conversation.id)).toMatchObject({ status: 'resolved' });
    expect(await surveysOf(conversation.id)).toMatchObject([{ status: 'expired', score: null }]);
    expect((await events('survey.expired')).some((e) => e.subjectId === conversation.id && e.payload.reason === 'window_passed')).toBe(true);
  });

  it('asks once when a conversation is resolved twice within the window', async () => {
    await setSurvey('sms', 'csat');
    const { conversation } = await smsFrom('+31655555555', 'Hallo');
    await handleAndResolve(conversation.id);
    expect((await as(agent)('PATCH', `/api/conversations/${conversation.id}`, { status: 'open' })).statusCode).toBe(200);
    expect((await as(agent)('PATCH', `/api/conversations/${conversation.id}`, { status: 'resolved' })).statusCode).toBe(200);
    expect(await surveysOf(conversation.id)).toHaveLength(1);
  });
});

describe('the demo set', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(() => t.close());

  it('seeds Dutch web-shop codes, optional wrap-up and a web chat CSAT, once', async () => {
    const { seedDemoOutcomes, DEMO_DISPOSITIONS } = await import('../../src/seed/demo-outcomes.ts');
    const { listDispositions, getSettings } = await import('../../src/outcomes/outcomes.store.ts');
    const workspaceId = (await makeWorkspace(t.platform)).id;
    await seedDemoOutcomes(t.platform, workspaceId);
    await seedDemoOutcomes(t.platform, workspaceId);
    const codes = await listDispositions(t.platform.db, workspaceId);
    expect(codes.map((c) => c.code)).toEqual(DEMO_DISPOSITIONS.map((d) => d.code));
    expect(codes.find((c) => c.code === 'bestelling-geplaatst')).toMatchObject({ outcome: 'sale', labelNl: 'Bestelling geplaatst', active: true });
    const settings = await getSettings(t.platform.db, workspaceId);
    expect(settings.wrapUp.mode).toBe('optional');
    expect(settings.surveys.webchat).toMatchObject({ enabled: true, kind: 'csat' });
  });
});
