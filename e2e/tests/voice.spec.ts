import { expect, test } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { choosePresence, ok, resolveOpenConversations } from '../support/desk.ts';
import { startFakeHttp, twilioSignature, type FakeHttp } from '../support/fake-twilio.ts';
import { openChat, say } from '../support/widget.ts';

// Self-service on the phone and in web chat with one flow. A call is played as Twilio would play
// it (signed form posts to the voice endpoints): the IVR menu by keys, the balance looked up in a
// fake CRM, then "medewerker" by speech; the caller waits and hears their place in line; the agent
// goes available, accepts the call in the desk, and the fake Twilio is told to put the call
// through to her. Then the same flow, unchanged, greets a web chat on the demo shop.

const ACCOUNT = `AC${'e'.repeat(32)}`;
const TOKEN = 'e2e-voice-auth-token-0123456789ab';
const CHATBOT_CHANNEL = 'Webwinkel De Hoorn (chatbot)';

function ivr(crmUrl: string) {
  return {
    start: 'welcome',
    defaultLanguage: 'nl',
    languages: ['nl', 'en'],
    allowedHosts: ['127.0.0.1'],
    handoff: { queueId: 'Algemeen', attributes: { intent: "coalesce(intent, 'unknown')" } },
    agentRequest: { enabled: true, digit: '0' },
    nodes: [
      { id: 'welcome', type: 'say', position: { x: 0, y: 0 }, prompt: { nl: 'Welkom bij Webwinkel De Hoorn.', en: 'Welcome to Webwinkel De Hoorn.' }, exits: { next: 'menu' } },
      {
        id: 'menu',
        type: 'menu',
        position: { x: 0, y: 120 },
        prompt: { nl: 'Voor uw saldo, toets 1. Voor een vraag, toets 2.', en: 'For your balance, press 1. For a question, press 2.' },
        choices: [
          { value: 'saldo', label: { nl: 'Saldo', en: 'Balance' } },
          { value: 'vraag', label: { nl: 'Vraag', en: 'Question' } },
        ],
        exits: { saldo: 'account', vraag: 'handoff', no_input: 'handoff', no_match: 'handoff' },
      },
      {
        id: 'account',
        type: 'ask',
        kind: 'digits',
        position: { x: -200, y: 240 },
        minDigits: 6,
        maxDigits: 6,
        prompt: { nl: 'Toets of typ uw klantnummer van zes cijfers.', en: 'Enter your six digit customer number.' },
        variable: 'account.number',
        exits: { next: 'lookup', no_input: 'handoff', no_match: 'handoff' },
      },
      {
        id: 'lookup',
        type: 'lookup',
        position: { x: -200, y: 360 },
        url: `${crmUrl}/accounts/{{ account.number }}`,
        result: { 'account.balance': 'body.balance' },
        exits: { ok: 'balance', error: 'handoff', timeout: 'handoff' },
      },
      { id: 'balance', type: 'say', position: { x: -200, y: 480 }, prompt: { nl: 'Uw saldo is {{ account.balance }} euro.', en: 'Your balance is {{ account.balance }} euros.' }, exits: { next: 'menu' } },
      { id: 'handoff', type: 'handoff', position: { x: 200, y: 480 }, queueId: 'Algemeen', reason: 'ivr_handoff' },
    ],
  };
}

let twilio: FakeHttp;
let crm: FakeHttp;
test.beforeAll(async () => {
  twilio = await startFakeHttp(() => ({ status: 200, body: { sid: 'CA', status: 'in-progress' } }));
  crm = await startFakeHttp((path) => (path === '/accounts/123456' ? { status: 200, body: { balance: 42 } } : { status: 404, body: { error: 'not found' } }));
});
test.afterAll(async () => {
  await twilio?.close();
  await crm?.close();
});

test('a call through the IVR to an agent in the desk, and the same flow in web chat', async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const adminPage = await browser.newContext().then((c) => c.newPage());
  await logIn(adminPage, demo.admin);
  const api = adminPage.request;
  await resolveOpenConversations(api);

  // ---- a phone number, and one flow for it and for the demo shop's chatbot chat
  const suffix = Date.now().toString(36);
  const channel = await ok<{ id: string; inboundAddress: string }>(
    api.post('/api/channels', { data: { type: 'voice', provider: 'twilio', name: `Telefoon ${suffix}`, config: { accountSid: ACCOUNT, number: '+31201234567', apiBaseUrl: twilio.url }, secrets: { authToken: TOKEN } } }),
    201,
  );
  const chats = (await ok<{ items: Array<{ id: string; name: string }> }>(api.get('/api/channels'))).items;
  const chatbot = chats.find((c) => c.name === CHATBOT_CHANNEL)!;
  const flows = (await ok<{ items: Array<{ id: string; channelIds: string[] }> }>(api.get('/api/flows'))).items;
  const demoFlow = flows.find((f) => f.channelIds.includes(chatbot.id));
  const flow = await ok<{ id: string }>(api.post('/api/flows', { data: { name: `IVR ${suffix}`, definition: ivr(crm.url) } }), 201);
  await ok(api.post(`/api/flows/${flow.id}/publish`));
  await ok(api.put(`/api/flows/${flow.id}/channels`, { data: { channelIds: [channel.id, chatbot.id] } }));

  const fatima = await browser.newContext().then((c) => c.newPage());
  await logIn(fatima, demo.agent);
  await fatima.getByTestId('nav-inbox').click();
  await choosePresence(fatima, 'break');
  const me = await ok<{ user: { id: string } }>(fatima.request.get('/api/auth/me'));

  const callSid = `CA${suffix.padEnd(32, '0').slice(0, 32)}`;
  const twiml = async (endpoint: string, fields: Record<string, string> = {}) => {
    const path = `/channels/voice/${channel.id}/${endpoint}`;
    const form = { AccountSid: ACCOUNT, CallSid: callSid, From: '+31655501234', To: '+31201234567', ...fields };
    const res = await fetch(`${baseURL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(TOKEN, `${baseURL}${path}`, form) },
      body: new URLSearchParams(form).toString(),
    });
    expect(res.status, path).toBe(200);
    return res.text();
  };

  try {
    // ---- the call: menu by keys, balance from the CRM, "medewerker" by speech
    const welcome = await twiml('call', { CallStatus: 'ringing' });
    expect(welcome).toContain('Welkom bij Webwinkel De Hoorn.');
    expect(welcome).toMatch(/<Gather[^>]*input="dtmf speech"[^>]*language="nl-NL"/);
    expect(await twiml('gather', { Digits: '1' })).toContain('klantnummer van zes cijfers');
    const balance = await twiml('gather', { Digits: '123456' });
    expect(balance).toContain('Uw saldo is 42 euro.');
    expect(crm.requests.map((r) => r.path)).toContain('/accounts/123456');
    const queued = await twiml('gather', { SpeechResult: 'medewerker', Confidence: '0.9' });
    expect(queued).toMatch(/<Enqueue waitUrl="[^"]+\/wait"/);

    // ---- waiting: the hold loop says the place in line
    await expect.poll(async () => twiml('wait', { QueuePosition: '1' }), { timeout: 10_000 }).toContain('U bent nummer 1 in de wachtrij.');

    // ---- the agent becomes available, gets the call offered, accepts it, and Twilio is told to put it through
    await choosePresence(fatima, 'available');
    const offer = fatima.getByTestId('offer-card').filter({ has: fatima.getByTestId('offer-customer').filter({ hasText: '+31655501234' }) });
    await expect(offer).toBeVisible({ timeout: 15_000 });
    await offer.getByTestId('offer-accept').click();
    await expect(fatima).toHaveURL(/\/inbox\/[0-9a-f-]{36}$/);
    await expect(fatima.getByTestId('call-bar')).toHaveAttribute('data-live', 'true');
    await expect(fatima.getByTestId('timeline')).toContainText('Uw saldo is 42 euro.');
    await expect.poll(() => twilio.requests.filter((r) => r.path === `/2010-04-01/Accounts/${ACCOUNT}/Calls/${callSid}.json`).length, { timeout: 10_000 }).toBe(1);
    const update = twilio.requests.find((r) => r.path.endsWith(`/Calls/${callSid}.json`))!;
    expect(update.form.Twiml).toContain(`<Client>hoorn-agent-${me.user.id}</Client>`);

    // ---- the call ends; the desk shows its length
    await twiml('status', { CallStatus: 'completed', CallDuration: '95' });
    await fatima.reload();
    await expect(fatima.getByTestId('call-bar')).toHaveAttribute('data-live', 'false');
    await expect(fatima.getByTestId('call-duration')).toHaveText('1:35');
    await ok(fatima.request.patch(`/api/conversations/${fatima.url().split('/').pop()}`, { data: { status: 'resolved' } }));

    // ---- the same flow greets a web chat: buttons for the menu, the balance, then a person
    const customer = await browser.newContext().then((c) => c.newPage());
    const name = `Bellen ${suffix}`;
    await openChat(customer, name, '/demo?bot=1');
    await say(customer, 'Hallo');
    await expect(customer.getByTestId('message').filter({ hasText: 'Welkom bij Webwinkel De Hoorn.' })).toBeVisible();
    await customer.getByTestId('choice-button').filter({ hasText: 'Saldo' }).click();
    await expect(customer.getByTestId('message').filter({ hasText: 'klantnummer van zes cijfers' })).toBeVisible();
    await say(customer, '123456');
    await expect(customer.getByTestId('message').filter({ hasText: 'Uw saldo is 42 euro.' })).toBeVisible();
    await say(customer, 'medewerker');
    const chatOffer = fatima.getByTestId('offer-card').filter({ has: fatima.getByTestId('offer-customer').filter({ hasText: name }) });
    await expect(chatOffer).toBeVisible({ timeout: 15_000 });
    await chatOffer.getByTestId('offer-accept').click();
    await expect(fatima.getByTestId('timeline')).toContainText('Uw saldo is 42 euro.');
    await customer.context().close();
  } finally {
    // Back to the demo: its flow on the chatbot chat, the phone number off, nobody waiting.
    if (demoFlow) await ok(api.put(`/api/flows/${demoFlow.id}/channels`, { data: { channelIds: [...demoFlow.channelIds] } }));
    await ok(api.put(`/api/flows/${flow.id}/channels`, { data: { channelIds: [] } }));
    await ok(api.patch(`/api/channels/${channel.id}`, { data: { enabled: false } }));
    await ok(fatima.request.put('/api/routing/me/presence', { data: { presence: 'offline' } }));
    await resolveOpenConversations(api);
    await fatima.context().close();
    await adminPage.context().close();
  }
});
