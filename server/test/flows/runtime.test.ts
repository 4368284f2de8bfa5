import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provideKnowledgeAnswers } from '../../src/flows/effects.ts';
import type { FlowInput } from '../../src/flows/flow.ts';
import { starterFlow } from '../../src/flows/starter.ts';
import { routingTasks } from '../../src/routing/routing.schema.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { channelHarness, type ChannelHarness } from '../channels/harness.ts';
import { FakeServer } from '../fakes/server.ts';
import { makeInbound, makeWebchatChannel } from '../helpers.ts';

/** An order-status bot: asks the order number, looks it up at the shop, answers or hands off. */
function orderFlow(shop: string): FlowInput {
  const host = new URL(shop).host.split(':')[0]!;
  return {
    id: 'x',
    name: 'Bestelstatus',
    version: 1,
    start: 'ask_order',
    allowedHosts: [host],
    handoff: { queueId: 'Klantenservice', attributes: { intent: "coalesce(intent, 'unknown')", valueTier: "coalesce(customer.valueTier, 'none')" } },
    nodes: [
      {
        id: 'ask_order',
        type: 'ask',
        kind: 'text',
        format: 'number',
        prompt: { nl: 'Wat is je bestelnummer?', en: 'What is your order number?' },
        variable: 'order.number',
        exits: { next: 'lookup', no_input: 'handoff', no_match: 'handoff' },
      },
      {
        id: 'lookup',
        type: 'lookup',
        method: 'GET',
        url: `${shop}/orders/{{ order.number }}`,
        timeoutMs: 2000,
        result: { 'order.status': 'body.status' },
        exits: { ok: 'say_status', error: 'set_intent', timeout: 'set_intent' },
      },
      { id: 'say_status', type: 'say', prompt: { nl: 'Je bestelling is {{ order.status }}.', en: 'Your order is {{ order.status }}.' }, exits: { next: 'done' } },
      { id: 'done', type: 'end', reason: 'order_status_given' },
      { id: 'set_intent', type: 'set', assignments: [{ variable: 'intent', value: "'order_problem'" }], exits: { next: 'handoff' } },
      { id: 'handoff', type: 'handoff', queueId: 'Klantenservice', reason: 'order_not_found', prompt: { nl: 'Ik verbind je door.', en: 'Connecting you.' } },
    ],
  };
}

describe('flows in live conversations', () => {
  let h: ChannelHarness;
  let shop: FakeServer;
  let channel: { id: string; workspaceId: string; type: string };
  let flowId: string;

  beforeAll(async () => {
    h = await channelHarness();
    shop = await new FakeServer()
      .on('GET', /^\/orders\/12345$/, () => ({ body: { status: 'onderweg' } }))
      .on('GET', /^\/orders\//, () => ({ status: 404, body: { error: 'not found' } }))
      .start();
    channel = await makeWebchatChannel(h.t.platform, h.workspaceId);
    provideKnowledgeAnswers(h.t.platform, async (_ws, effect) =>
      /retour/i.test(effect.query) ? { answer: 'Je kunt binnen 30 dagen gratis retourneren.', confidence: 0.9, articleId: 'a1', title: 'Retourneren' } : { answer: null, confidence: 0.1 },
    );
  });
  afterAll(async () => {
    await shop.stop();
    await h.close();
  });

  const drain = async () => {
    for (let i = 0; i < 5; i++) await h.t.platform.outbox.drainOnce();
  };
  const bodies = async (conversationId: string) => (await h.messages(conversationId)).map((m) => `${m.direction === 'inbound' ? '>' : '<'} ${m.body}`);

  it('creates, validates, refuses to publish a broken flow, publishes, and binds it to a channel', async () => {
    const created = await h.api('POST', '/api/flows', { name: 'Bestelstatus', definition: orderFlow(shop.baseUrl) });
    expect(created.statusCode, created.body).toBe(201);
    flowId = created.json().id;
    expect(created.json()).toMatchObject({ publishedVersion: null, valid: true });
    // The fake shop speaks plain http on loopback: a warning, not an error.
    expect(created.json().issues).toEqual([expect.objectContaining({ nodeId: 'lookup', severity: 'warning' })]);

    const broken = { ...orderFlow(shop.baseUrl), nodes: orderFlow(shop.baseUrl).nodes.filter((n) => n.id !== 'done') };
    expect((await h.api('PUT', `/api/flows/${flowId}`, { definition: broken })).json().valid).toBe(false);
    const refused = await h.api('POST', `/api/flows/${flowId}/publish`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('flow_invalid');
    expect(JSON.stringify(refused.json().error.details)).toContain('say_status');

    expect((await h.api('PUT', `/api/flows/${flowId}`, { definition: orderFlow(shop.baseUrl) })).statusCode).toBe(200);
    const published = await h.api('POST', `/api/flows/${flowId}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ publishedVersion: 1, versions: [{ version: 1 }] });
    const bound = await h.api('PUT', `/api/flows/${flowId}/channels`, { channelIds: [channel.id] });
    expect(bound.json().channelIds).toEqual([channel.id]);
    expect((await h.api('PUT', `/api/flows/${flowId}/channels`, { channelIds: ['00000000-0000-4000-8000-000000000000'] })).statusCode).toBe(400);
  });

  it('answers an order question from the shop and resolves the conversation (contained)', async () => {
    const { conversation } = await makeInbound(h.t.platform, channel, { from: 'visitor:piet', body: 'Hallo, waar is mijn pakket?' });
    await drain();
    // No routing task while the bot talks.
    await routingOf(h.t.platform).runPending(h.workspaceId);
    expect((await h.api('GET', '/api/routing/tasks?state=all')).json().items.filter((t: { conversationId: string }) => t.conversationId === conversation.id)).toEqual([]);
    await makeInbound(h.t.platform, channel, { from: 'visitor:piet', body: '12345' });
    await drain();
    expect(await bodies(conversation.id)).toEqual(['> Hallo, waar is mijn pakket?', '< Wat is je bestelnummer?', '> 12345', '< Je bestelling is onderweg.']);
    expect(shop.requests.map((r) => r.url)).toEqual(['/orders/12345']);
    const view = (await h.api('GET', `/api/conversations/${conversation.id}`)).json();
    expect(view.status).toBe('resolved');
    expect(view.attributes.selfService).toBe('contained');
    // An agent reopening it starts no new run: the bot greets customers, not agents.
    expect((await h.api('PATCH', `/api/conversations/${conversation.id}`, { status: 'open' })).statusCode).toBe(200);
    await drain();
    expect((await bodies(conversation.id)).length).toBe(4);
  });

  it('hands off to routing with the intent and value tier when the lookup fails', async () => {
    const { conversation } = await makeInbound(h.t.platform, channel, { from: 'visitor:els', body: 'Bestelling kwijt' });
    await drain();
    await makeInbound(h.t.platform, channel, { from: 'visitor:els', body: '999' });
    await drain();
    expect((await bodies(conversation.id)).at(-1)).toBe('< Ik verbind je door.');
    const view = (await h.api('GET', `/api/conversations/${conversation.id}`)).json();
    expect(view).toMatchObject({ status: 'open', queue: 'Klantenservice', attributes: { intent: 'order_problem', valueTier: 'none', selfService: 'handed_off' } });
    await routingOf(h.t.platform).runPending(h.workspaceId);
    const tasks = (await h.t.platform.db.select().from(routingTasks)).filter((t) => t.conversationId === conversation.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.attributes).toMatchObject({ intent: 'order_problem', valueTier: 'none', language: 'nl', queue: 'Klantenservice' });
    await h.routeToAgent(conversation.id);
  });

  it('hands off at once when the customer asks for a person, and an agent taking over ends a run', async () => {
    const { conversation } = await makeInbound(h.t.platform, channel, { from: 'visitor:jan', body: 'Goedemiddag' });
    await drain();
    await makeInbound(h.t.platform, channel, { from: 'visitor:jan', body: 'medewerker' });
    await drain();
    const view = (await h.api('GET', `/api/conversations/${conversation.id}`)).json();
    expect(view.attributes.selfService).toBe('handed_off');

    const second = await makeInbound(h.t.platform, channel, { from: 'visitor:kim', body: 'Hoi' });
    await drain();
    expect((await h.api('PATCH', `/api/conversations/${second.conversation.id}`, { assigneeId: h.agent.id })).statusCode).toBe(200);
    expect((await h.api('GET', `/api/conversations/${second.conversation.id}`)).json().attributes.selfService).toBe('handed_off');
    // A message after the takeover reaches the agent only: the bot says nothing more.
    await makeInbound(h.t.platform, channel, { from: 'visitor:kim', body: '12345' });
    await drain();
    expect(await bodies(second.conversation.id)).toEqual(['> Hoi', '< Wat is je bestelnummer?', '> 12345']);
  });

  it('reports containment per flow and channel', async () => {
    const stats = (await h.api('GET', '/api/flows/stats')).json().items;
    expect(stats).toEqual([
      {
        flowId,
        channelType: 'webchat',
        runs: 4,
        running: 0,
        contained: 1,
        handedOff: 3,
        containment: 0.25,
        reasons: { order_status_given: 1, order_not_found: 1, customer_asked_for_agent: 1, agent_took_over: 1 },
      },
    ]);
  });

  it('simulates the draft with real lookups and knowledge answers, without touching conversations', async () => {
    const starter = await h.api('POST', '/api/flows', { name: 'Demo-bot' });
    expect(starter.statusCode, starter.body).toBe(201);
    expect(starter.json().issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    const id = starter.json().id;
    let sim = (await h.api('POST', `/api/flows/${id}/simulate`, { channel: 'sms', language: 'nl' })).json();
    expect(sim.messages[0].text).toContain('digitale assistent');
    expect(sim.messages[0].text).toContain('1. Ik heb een vraag');
    sim = (await h.api('POST', `/api/flows/${id}/simulate`, { channel: 'sms', state: sim.state, input: { type: 'text', text: '1' } })).json();
    sim = (await h.api('POST', `/api/flows/${id}/simulate`, { channel: 'sms', state: sim.state, input: { type: 'text', text: 'Hoe werkt retourneren?' } })).json();
    expect(sim.messages[0].text).toContain('30 dagen gratis retourneren');
    expect(sim.await).toMatchObject({ type: 'input' });
    const voice = (await h.api('POST', `/api/flows/${id}/simulate`, { channel: 'voice', language: 'en' })).json();
    expect(voice.twiml).toContain('<Gather');
    expect(voice.twiml).toContain('Polly.Joanna');
    expect((await h.api('POST', `/api/flows/${id}/simulate`, { channel: 'sms', state: { run: { bogus: true }, await: {} }, input: { type: 'text', text: 'x' } })).statusCode).toBe(400);
    expect(starterFlow().nodes.length).toBeGreaterThan(5);
  });
});
