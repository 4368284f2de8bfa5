import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowInput } from '../../src/flows/flow.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { twilioSignature } from '../../src/channels/twilio/twilio.signature.ts';
import { listEvents } from '../../src/platform/events/events.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';
import { FakeServer } from '../fakes/server.ts';

const ACCOUNT = `AC${'a'.repeat(32)}`;
const TOKEN = 'voice-auth-token-0123456789abcdef';

/** The IVR: a menu by keys, the balance from the CRM by account number, and a person on request. */
function ivr(crm: string): FlowInput {
  return {
    id: 'ivr',
    name: 'Telefoonmenu',
    version: 1,
    start: 'welcome',
    allowedHosts: [new URL(crm).hostname],
    handoff: { queueId: 'Klantenservice', attributes: { intent: "coalesce(intent, 'unknown')", valueTier: "coalesce(customer.valueTier, 'none')" } },
    agentRequest: { enabled: true, digit: '0' },
    nodes: [
      { id: 'welcome', type: 'say', prompt: { nl: 'Welkom bij Webwinkel De Hoorn.', en: 'Welcome to Webwinkel De Hoorn.' }, exits: { next: 'menu' } },
      {
        id: 'menu',
        type: 'menu',
        prompt: { nl: 'Voor uw saldo, toets 1. Voor een vraag, toets 2.', en: 'For your balance, press 1. For a question, press 2.' },
        choices: [
          { value: 'saldo', label: { nl: 'Saldo', en: 'Balance' } },
          { value: 'vraag', label: { nl: 'Vraag', en: 'Question' } },
        ],
        exits: { saldo: 'account', vraag: 'set_question', no_input: 'handoff', no_match: 'handoff' },
      },
      {
        id: 'account',
        type: 'ask',
        kind: 'digits',
        minDigits: 6,
        maxDigits: 6,
        prompt: { nl: 'Toets uw klantnummer van zes cijfers.', en: 'Enter your six digit customer number.' },
        variable: 'account.number',
        exits: { next: 'lookup', no_input: 'handoff', no_match: 'handoff' },
      },
      {
        id: 'lookup',
        type: 'lookup',
        url: `${crm}/accounts/{{ account.number }}`,
        result: { 'account.balance': 'body.balance', 'customer.valueTier': 'body.tier' },
        exits: { ok: 'balance', error: 'handoff', timeout: 'handoff' },
      },
      { id: 'balance', type: 'say', prompt: { nl: 'Uw saldo is {{ account.balance }} euro.', en: 'Your balance is {{ account.balance }} euros.' }, exits: { next: 'menu' } },
      { id: 'set_question', type: 'set', assignments: [{ variable: 'intent', value: "'question'" }], exits: { next: 'handoff' } },
      { id: 'handoff', type: 'handoff', queueId: 'Klantenservice', reason: 'ivr_handoff', prompt: { nl: 'U wordt doorverbonden.', en: 'Connecting you.' } },
    ],
  };
}

describe('voice: an IVR call from the fake Twilio to an agent in the desk', () => {
  let h: ChannelHarness;
  let twilio: FakeServer;
  let crm: FakeServer;
  let channelId: string;
  const callSid = `CA${'1'.repeat(32)}`;

  beforeAll(async () => {
    h = await channelHarness();
    twilio = await new FakeServer().on('POST', /\/Calls\/CA\w+\.json$/, (r) => ({ body: { sid: r.url.split('/').pop()!.replace('.json', ''), status: 'in-progress' } })).start();
    crm = await new FakeServer().on('GET', /^\/accounts\/123456$/, () => ({ body: { balance: 42, tier: 'gold' } })).start();
    const channel = await h.connect({ type: 'voice', provider: 'twilio', name: 'Klantenservice 020', config: { accountSid: ACCOUNT, number: '+31201234567', apiBaseUrl: twilio.baseUrl }, secrets: { authToken: TOKEN } });
    channelId = channel.id;
    expect(channel.inboundAddress).toBe(`${h.t.platform.config.publicUrl}/channels/voice/${channelId}/call`);
    const flow = (await h.api('POST', '/api/flows', { name: 'IVR', definition: ivr(crm.baseUrl) })).json();
    expect((await h.api('POST', `/api/flows/${flow.id}/publish`)).statusCode).toBe(200);
    expect((await h.api('PUT', `/api/flows/${flow.id}/channels`, { channelIds: [channelId] })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await twilio.stop();
    await crm.stop();
    await h.close();
  });

  /** Twilio's form post to one of the voice endpoints, signed as Twilio signs it. */
  const post = (endpoint: string, fields: Record<string, string>, token = TOKEN) => {
    const url = `/channels/voice/${channelId}/${endpoint}`;
    const form = { AccountSid: ACCOUNT, CallSid: callSid, From: '+31612345678', To: '+31201234567', ...fields };
    return signedPost(url, form, token);
  };
  const signedPost = (url: string, form: Record<string, string>, token = TOKEN) => {
    const signature = twilioSignature(token, `${h.t.platform.config.publicUrl}${url}`, Object.entries(form));
    return h.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: new URLSearchParams(form).toString() });
  };

  it('refuses an unsigned or wrongly signed call', async () => {
    const refused = await post('call', { CallStatus: 'ringing' }, 'some-other-token-0123456789abcdef');
    expect(refused.statusCode, refused.body).toBe(401);
  });

  it('plays the menu, reads the balance from the CRM, and queues the caller who asks for a person', async () => {
    const answer = await post('call', { CallStatus: 'ringing' });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toContain('text/xml');
    expect(answer.body).toContain('Welkom bij Webwinkel De Hoorn.');
    expect(answer.body).toMatch(/<Gather[^>]*input="dtmf speech"/);
    expect(answer.body).toContain('language="nl-NL"');

    const menu = await post('gather', { Digits: '1' });
    expect(menu.body).toContain('Toets uw klantnummer van zes cijfers.');
    const balance = await post('gather', { Digits: '123456' });
    expect(balance.body).toContain('Uw saldo is 42 euro.');
    expect(balance.body).toContain('Voor uw saldo, toets 1.');
    expect(crm.requests.map((r) => r.url)).toEqual(['/accounts/123456']);

    // Nobody free yet: the caller will wait.
    expect((await h.api('PUT', `/api/routing/agents/${h.agent.id}/presence`, { presence: 'break' })).statusCode).toBe(200);
    const agent = await post('gather', { SpeechResult: 'Ik wil een medewerker', Confidence: '0.92' });
    // Asking for a person at any question hands off at once (the flow's agent request).
    expect(agent.body).toMatch(/<Enqueue waitUrl="[^"]+\/wait"[^>]*>hoorn-[0-9a-f-]+<\/Enqueue>/);

    const conversation = (await h.conversations()).find((c) => c.channelType === 'voice')!;
    const view = (await h.api('GET', `/api/conversations/${conversation.id}`)).json();
    expect(view.attributes).toMatchObject({ selfService: 'handed_off', intent: 'unknown', valueTier: 'gold' });
    // The transcript: keys and speech in, the bot's words out.
    expect((await h.messages(conversation.id)).map((m) => m.body)).toEqual([
      '',
      'Welkom bij Webwinkel De Hoorn.',
      'Voor uw saldo, toets 1. Voor een vraag, toets 2.',
      '1',
      'Toets uw klantnummer van zes cijfers.',
      '123456',
      'Uw saldo is 42 euro.',
      'Voor uw saldo, toets 1. Voor een vraag, toets 2.',
      'Ik wil een medewerker',
    ]);

    await routingOf(h.t.platform).runPending(h.workspaceId);
    const hold = await post('wait', { QueuePosition: '1', QueueTime: '5' });
    expect(hold.body).toContain('U bent nummer 1 in de wachtrij.');
    expect(hold.body).toMatch(/<Gather input="dtmf" numDigits="1"[^>]*action="[^"]+\/callback"/);
  });

  it('puts the call through to the agent who accepts it in the desk, and records its end', async () => {
    expect((await h.api('PUT', `/api/routing/agents/${h.agent.id}/presence`, { presence: 'available' })).statusCode).toBe(200);
    const conversation = (await h.conversations()).find((c) => c.channelType === 'voice')!;
    await h.routeToAgent(conversation.id);
    for (let i = 0; i < 20 && twilio.requests.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      await h.t.platform.outbox.drainOnce();
    }
    expect(twilio.requests).toHaveLength(1);
    const update = twilio.requests[0]!;
    expect(update.url).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Calls/${callSid}.json`);
    expect(update.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    expect(update.form?.Twiml).toContain(`<Dial><Client>hoorn-agent-${h.agent.id}</Client></Dial>`);
    expect((await post('wait', {})).body).toContain('<Pause');

    const ended = await post('status', { CallStatus: 'completed', CallDuration: '125' });
    expect(ended.statusCode).toBe(200);
    expect((await h.messages(conversation.id)).at(-1)!.body).toBe('Telefoongesprek beëindigd, duur 2:05');
    const events = await listEvents(h.t.platform.db, h.workspaceId, { limit: 500 });
    expect(events.find((e) => e.type === 'call.ended')?.payload).toMatchObject({ durationSeconds: 125, answered: true, status: 'completed' });
    // Twilio may call twice; the end is recorded once.
    await post('status', { CallStatus: 'completed', CallDuration: '125' });
    expect((await h.messages(conversation.id)).filter((m) => m.body.startsWith('Telefoongesprek')).length).toBe(1);
  });

  it('lets a waiting caller ask for a callback, keeping the place in line, and hangs up from the desk', async () => {
    const second = `CA${'2'.repeat(32)}`;
    const call = (endpoint: string, fields: Record<string, string> = {}) =>
      signedPost(`/channels/voice/${channelId}/${endpoint}`, { AccountSid: ACCOUNT, CallSid: second, From: '+31687654321', To: '+31201234567', ...fields });
    expect((await h.api('PUT', `/api/routing/agents/${h.agent.id}/presence`, { presence: 'break' })).statusCode).toBe(200);
    expect((await call('call')).body).toContain('<Gather');
    // The agent key (0) at the menu: straight to the queue.
    expect((await call('gather', { Digits: '0' })).body).toContain('<Enqueue');
    await routingOf(h.t.platform).runPending(h.workspaceId);
    expect((await call('wait')).body).toContain('Toets dan 1.');
    const confirmed = await call('callback', { Digits: '1' });
    expect(confirmed.body).toContain('We bellen u terug');
    expect(confirmed.body).toContain('<Leave/>');
    const conversation = (await h.conversations()).find((c) => c.channelType === 'voice' && c.status === 'open' && c.id !== undefined && c.customer.name === null)!;
    const view = (await h.api('GET', `/api/conversations/${conversation.id}`)).json();
    expect(view.attributes.callback).toMatchObject({ phone: '+31687654321' });
    expect(view.call).toMatchObject({ from: '+31687654321', endedAt: null });
    // The caller leaves; the callback task stays in line.
    await call('status', { CallStatus: 'completed', CallDuration: '40' });
    const tasks = (await h.api('GET', '/api/routing/tasks?state=all')).json().items.filter((t: { conversationId: string }) => t.conversationId === conversation.id);
    expect(tasks).toEqual([expect.objectContaining({ callback: true, endedAt: null })]);
    expect((await h.api('POST', `/api/conversations/${conversation.id}/call`, { action: 'hangup' })).statusCode).toBe(409);

    // A live call hung up from the desk: Twilio's call update with Status=completed.
    const third = `CA${'3'.repeat(32)}`;
    await signedPost(`/channels/voice/${channelId}/call`, { AccountSid: ACCOUNT, CallSid: third, From: '+31611112222', To: '+31201234567' });
    const live = (await h.conversations()).find((c) => c.channelType === 'voice' && (c as { call?: { from: string } }).call?.from === '+31611112222')!;
    const before = twilio.requests.length;
    expect((await h.api('POST', `/api/conversations/${live.id}/call`, { action: 'hangup' })).statusCode).toBe(204);
    expect(twilio.requests.slice(before).map((r) => [r.url, r.form?.Status])).toEqual([[`/2010-04-01/Accounts/${ACCOUNT}/Calls/${third}.json`, 'completed']]);
  });
});
