import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { listUsers } from '../../src/platform/auth/auth.store.ts';
import { listChannels } from '../../src/channels/channels.store.ts';
import { listConversations } from '../../src/conversations/conversations.store.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import * as store from '../../src/routing/routing.store.ts';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { emailAdapter } from '../../src/channels/email/index.ts';
import { DEMO_EMAIL_ADDRESS, seedDemo } from '../../src/seed/demo.ts';
import { makeInbound, makeTestApp, type TestContext } from '../helpers.ts';
import { listRules } from '../../src/automation/automation.store.ts';
import { receiveInbound } from '../../src/conversations/receive.ts';

/** A port that was free a moment ago (for a listener whose port comes from the configuration). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('the demo workspace routes chats out of the box', () => {
  const clock = new ManualClock('2026-05-04T09:00:00Z');
  let t: TestContext;
  let workspaceId: string;

  let smtpPort: number;

  beforeAll(async () => {
    smtpPort = await freePort();
    t = await makeTestApp({ clock, config: { smtpListen: { port: smtpPort, host: '127.0.0.1' } } });
    workspaceId = (await seedDemo(t.platform)).workspaceId;
  });
  afterAll(() => t.close());

  it('has three weeks of contact history that the projector turns into report figures, seeded once', async () => {
    const { projectAnalytics } = await import('../../src/analytics/projector.ts');
    const { runKpiReport } = await import('../../src/analytics/reports.ts');
    await projectAnalytics(t.platform);
    const report = await runKpiReport(t.platform, workspaceId, { from: new Date('2026-04-12T22:00:00Z'), to: new Date('2026-05-03T22:00:00Z'), interval: 'day', groupBy: 'channel' });
    const totals = report.totals;
    expect(totals.conversations).toBeGreaterThan(500);
    expect(totals.answered).toBeGreaterThan(totals.abandoned);
    expect(totals.serviceLevel).toBeGreaterThan(0.3);
    expect(totals.revenue).toBeGreaterThan(0);
    expect(totals.csatResponses).toBeGreaterThan(0);
    expect(totals.containmentRate).toBeGreaterThan(0);
    expect(new Set(report.rows.map((r) => r.key))).toEqual(new Set(['webchat', 'email', 'whatsapp', 'voice', 'sms']));
    // Seeding again adds nothing.
    const before = totals.conversations;
    await seedDemo(t.platform);
    await projectAnalytics(t.platform);
    expect((await runKpiReport(t.platform, workspaceId, { from: new Date('2026-04-12T22:00:00Z'), to: new Date('2026-05-03T22:00:00Z'), interval: 'total', groupBy: 'none' })).totals.conversations).toBe(before);
  });

  it('has customers with orders and a fitted value model, so the Klantwaarde page has something to show', async () => {
    const { tierCounts } = await import('../../src/customers/value.store.ts');
    const { latestModel } = await import('../../src/customers/value.service.ts');
    const { DEMO_CUSTOMER_COUNT } = await import('../../src/seed/demo-customers.ts');
    const model = await latestModel(t.platform.db, workspaceId);
    expect(model?.version).toBe(1);
    const tiers = await tierCounts(t.platform.db, workspaceId);
    expect(Object.values(tiers).reduce((a, b) => a + b, 0)).toBe(DEMO_CUSTOMER_COUNT);
    // Tiers by CLV quantile: 5 % platinum of the scored customers.
    expect(tiers.platinum).toBeGreaterThan(0);
    expect(tiers.gold).toBeGreaterThan(tiers.platinum);
    await seedDemo(t.platform);
    expect(Object.values(await tierCounts(t.platform.db, workspaceId)).reduce((a, b) => a + b, 0)).toBe(DEMO_CUSTOMER_COUNT);
  });

  it('has a Dutch and an English flow live, the Dutch one greeting the chatbot chat', async () => {
    const flowStore = await import('../../src/flows/flows.store.ts');
    const { DEMO_BOT_CHANNEL, DEMO_FLOWS } = await import('../../src/seed/demo-flows.ts');
    const flows = await flowStore.listFlows(t.platform.db, workspaceId);
    expect(flows.map((f) => [f.name, f.publishedVersion]).sort()).toEqual([[DEMO_FLOWS.en, 1], [DEMO_FLOWS.nl, 1]]);
    const bot = (await listChannels(t.platform.db, workspaceId)).find((c) => c.name === DEMO_BOT_CHANNEL)!;
    const nl = flows.find((f) => f.name === DEMO_FLOWS.nl)!;
    expect(await flowStore.bindingsOf(t.platform.db, workspaceId)).toEqual([{ channelId: bot.id, flowId: nl.id }]);
    await seedDemo(t.platform);
    expect(await flowStore.listFlows(t.platform.db, workspaceId)).toHaveLength(2);
  });

  it("answers a customer's question from the demo knowledge base in the demo flow (simulator)", async () => {
    const { loginCookie } = await import('../helpers.ts');
    const { DEMO_PASSWORD, DEMO_WORKSPACE } = await import('../../src/seed/demo.ts');
    const { DEMO_FLOWS } = await import('../../src/seed/demo-flows.ts');
    const flowStore = await import('../../src/flows/flows.store.ts');
    const cookie = await loginCookie(t.app, 'admin@demo.hoorn.nl', DEMO_PASSWORD, DEMO_WORKSPACE.slug);
    const flow = (await flowStore.listFlows(t.platform.db, workspaceId)).find((f) => f.name === DEMO_FLOWS.nl)!;
    const simulate = async (body: object) => {
      const res = await t.app.inject({ method: 'POST', url: `/api/flows/${flow.id}/simulate`, headers: { cookie }, payload: body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    let sim = await simulate({ channel: 'whatsapp', language: 'nl' });
    sim = await simulate({ channel: 'whatsapp', state: sim.state, input: { type: 'text', text: 'Ik heb een vraag' } });
    sim = await simulate({ channel: 'whatsapp', state: sim.state, input: { type: 'text', text: 'Hoe kan ik mijn bestelling retourneren?' } });
    const said = sim.messages.map((m: { text: string }) => m.text).join('\n');
    expect(said.toLowerCase()).toContain('retour');
    expect(said).toContain('Heeft dit je geholpen?');
  });

  it('seeds queues, a default workflow and agent skills, once', async () => {
    const again = await seedDemo(t.platform);
    expect(again).toMatchObject({ created: false, workspaceId });
    const { settings, queues, workflows } = await store.loadConfig(t.platform.db, workspaceId);
    expect(queues.map((q) => [q.name, q.eligibility, q.serviceLevelSeconds])).toEqual([
      ['Algemeen', '', 60],
      ['Facturen', 'agent.skills HAS billing', 60],
    ]);
    expect(workflows.map((w) => w.name)).toEqual(['Standaard']);
    expect(settings.defaultWorkflowId).toBe(workflows[0]!.id);
    expect(settings.skills).toEqual(['support', 'billing', 'sales']);
    expect(settings.taskFields).toMatchObject({ topic: 'string', language: 'string' });
    const agents = new Map((await store.listAgents(t.platform.db, workspaceId)).map((a) => [a.email, a]));
    expect(agents.get('fatima@demo.hoorn.nl')).toMatchObject({ skills: { support: 5, billing: 4 }, languages: ['nl', 'en', 'ar'], presence: 'offline' });
    expect(agents.get('daan@demo.hoorn.nl')).toMatchObject({ skills: { support: 2, sales: 4 }, languages: ['nl', 'en'], presence: 'offline' });
    expect(agents.get('lotte@demo.hoorn.nl')).toMatchObject({ skills: { support: 4, billing: 2 }, languages: ['nl', 'de'] });
    expect(agents.get('lotte@demo.hoorn.nl')!.capacity.cost.webchat).toBe(25);
  });

  it('offers a chat to the skilled agent first and to anyone after 30 seconds', async () => {
    const routing = routingOf(t.platform);
    const users = new Map((await listUsers(t.platform.db, workspaceId)).map((u) => [u.email, u.id]));
    const fatima = users.get('fatima@demo.hoorn.nl')!;
    const daan = users.get('daan@demo.hoorn.nl')!;
    for (const agentId of [fatima, daan]) await routing.command(workspaceId, { type: 'agent.presence', agentId, presence: 'available' });
    const channel = (await listChannels(t.platform.db, workspaceId)).find((c) => c.type === 'webchat')!;
    await makeInbound(t.platform, channel, { from: 'visitor:demo-1' });
    await routing.runPending(workspaceId);
    const [offered] = await store.offersFor(t.platform.db, workspaceId, fatima);
    expect(offered).toBeDefined();
    expect(await store.offersFor(t.platform.db, workspaceId, daan)).toHaveLength(0);

    await routing.command(workspaceId, { type: 'offer.reject', taskId: offered!.id, agentId: fatima });
    clock.advance(31_000);
    await routing.runPending(workspaceId);
    expect((await store.offersFor(t.platform.db, workspaceId, daan)).map((task) => task.id)).toEqual([offered!.id]);
    expect(await store.offersFor(t.platform.db, workspaceId, fatima)).toHaveLength(0);
  });

  it('takes mail for its support address once the mail server runs (HOORN_SMTP_PORT), and routes it', async () => {
    await emailAdapter.start!(t.platform); // what the workers do at start; stopped with the platform
    const customer = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    await customer.sendMail({ from: 'Joke Bakker <joke@example.nl>', to: DEMO_EMAIL_ADDRESS, subject: 'Retour', text: 'Hoe stuur ik mijn bestelling terug?' });
    customer.close();
    const email = (await listChannels(t.platform.db, workspaceId)).find((c) => c.type === 'email')!;
    expect(email).toMatchObject({ provider: 'smtp', enabled: true, config: expect.objectContaining({ address: DEMO_EMAIL_ADDRESS }) });
    const [mail] = await listConversations(t.platform.db, workspaceId, { channelType: 'email', limit: 5 });
    expect(mail).toMatchObject({ conversation: { subject: 'Retour' }, customer: { email: 'joke@example.nl', name: 'Joke Bakker' } });
    const tasks = await store.listTasks(t.platform.db, workspaceId, 'all');
    expect(tasks.map((task) => task.conversationId)).toContain(mail!.conversation.id);
  });

  it('raises a negative public post on a social channel by default, once seeded twice', async () => {
    await seedDemo(t.platform);
    const rules = await listRules(t.platform.db, workspaceId);
    expect(rules.map((r) => r.name)).toEqual(['Publieke klacht op social media: voorrang', 'Lage tevredenheid: terugbellen']);
    const chat = (await listChannels(t.platform.db, workspaceId)).find((c) => c.type === 'webchat')!;
    const rant = await receiveInbound(t.platform, {
      workspaceId,
      channel: { id: chat.id, type: chat.type },
      providerMessageId: 'demo-public-rant',
      from: { externalId: 'visitor:publiek', profile: { name: 'Publiek' } },
      body: 'Jullie reageren veel te traag, waardeloze service!',
      meta: { public: true },
    });
    const calm = await makeInbound(t.platform, chat, { body: 'Wat zijn jullie openingstijden?' });
    const [angry] = await listConversations(t.platform.db, workspaceId, { id: rant.conversation.id, limit: 1 });
    expect(angry!.conversation).toMatchObject({ priority: 'high', tags: ['publieke-klacht'] });
    const [quiet] = await listConversations(t.platform.db, workspaceId, { id: calm.conversation.id, limit: 1 });
    expect(quiet!.conversation.priority).toBe('normal');
  });
});
