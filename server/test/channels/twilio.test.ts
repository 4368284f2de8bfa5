import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { ManualClock } from '../../src/platform/clock.ts';
import { customerIdentities } from '../../src/customers/customers.schema.ts';
import { messages } from '../../src/conversations/conversations.schema.ts';
import { twilioSignature, urlVariants, verifyTwilioRequest } from '../../src/channels/twilio/twilio.signature.ts';
import { optOutChange, parseTwilioWebhook, readTwilioForm } from '../../src/channels/twilio/twilio.parse.ts';
import { FakeTwilio, signedTwilioPost, twilioSid } from '../fakes/twilio.ts';
import { FakeServer } from '../fakes/server.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

describe('Twilio request signature (channels.md vectors)', () => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = (caller: string): Array<[string, string]> => [
    ['CallSid', 'CA1234567890ABCDE'],
    ['Caller', caller],
    ['Digits', '1234'],
    ['From', caller],
    ['To', '+18005551212'],
  ];
  const form = (pairs: Array<[string, string]>) => Buffer.from(new URLSearchParams(pairs).toString());

  it('signs a form post as Twilio does', () => {
    expect(twilioSignature('12345', url, params('+12349013030'))).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(twilioSignature('12345', url, params('+14158675310'))).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    // Order of the body does not matter; the decoded values (+, not %2B) are signed.
    const shuffled = [...params('+12349013030')].reverse();
    const verdict = verifyTwilioRequest({ authToken: '12345', url, contentType: 'application/x-www-form-urlencoded', rawBody: form(shuffled), signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' });
    expect(verdict).toEqual({ ok: true });
    expect(form(shuffled).toString()).toContain('%2B1234');
  });

  it('verifies the JSON-body variant: bodySHA256 in the URL and the signature over the URL alone', () => {
    const body = Buffer.from('{"property": "value", "boolean": true}');
    const signedUrl = `${url}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
    expect(createHash('sha256').update(body).digest('hex')).toBe('0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620');
    expect(twilioSignature('12345', signedUrl)).toBe('a9nBmqA0ju/hNViExpshrM61xv4=');
    expect(verifyTwilioRequest({ authToken: '12345', url: signedUrl, contentType: 'application/json', rawBody: body, signature: 'a9nBmqA0ju/hNViExpshrM61xv4=' })).toEqual({ ok: true });
    const tampered = Buffer.from('{"property": "other", "boolean": true}');
    expect(verifyTwilioRequest({ authToken: '12345', url: signedUrl, contentType: 'application/json', rawBody: tampered, signature: 'a9nBmqA0ju/hNViExpshrM61xv4=' }).ok).toBe(false);
  });

  it('refuses a missing signature, a wrong token, another URL and a changed parameter', () => {
    const good = { authToken: '12345', url, contentType: 'application/x-www-form-urlencoded', rawBody: form(params('+12349013030')), signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' };
    expect(verifyTwilioRequest({ ...good, signature: undefined })).toEqual({ ok: false, reason: 'Missing X-Twilio-Signature' });
    expect(verifyTwilioRequest({ ...good, authToken: '54321' }).ok).toBe(false);
    expect(verifyTwilioRequest({ ...good, url: 'https://mycompany.com/myapp.php?foo=1&bar=3' }).ok).toBe(false);
    expect(verifyTwilioRequest({ ...good, rawBody: form([...params('+12349013030'), ['Digits', '9']]) }).ok).toBe(false);
  });

  it('accepts the URL with or without the default port', () => {
    expect(urlVariants('https://example.com/a?b=1')).toEqual(['https://example.com/a?b=1', 'https://example.com:443/a?b=1']);
    expect(urlVariants('https://example.com:443/a')).toEqual(['https://example.com:443/a', 'https://example.com/a']);
    expect(urlVariants('http://127.0.0.1:8080/a')).toEqual(['http://127.0.0.1:8080/a']);
  });
});

describe('Twilio webhook parsing', () => {
  const sid = 'SM' + 'a'.repeat(32);
  const parse = (params: Record<string, string>) => parseTwilioWebhook(readTwilioForm(Buffer.from(new URLSearchParams(params).toString()), 'application/x-www-form-urlencoded'));

  it('maps status callbacks; in-flight statuses report nothing; 21610 means opted out', () => {
    expect(parse({ MessageSid: sid, MessageStatus: 'sending' })).toEqual([]);
    expect(parse({ MessageSid: sid, MessageStatus: 'delivered' })).toEqual([{ kind: 'status', providerMessageId: sid, status: 'delivered' }]);
    expect(parse({ MessageSid: sid, MessageStatus: 'read' })[0]).toMatchObject({ status: 'read' });
    expect(parse({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' })[0]).toMatchObject({ status: 'failed', error: 'Twilio: undelivered (error 30003)' });
    expect(parse({ MessageSid: sid, MessageStatus: 'failed', ErrorCode: '21610' })[0]).toMatchObject({ status: 'failed', error: 'Twilio: failed (error 21610)' });
  });

  it('knows the opt-out keywords, whole-body only', () => {
    for (const word of ['STOP', 'stop', ' Stop ', 'STOPALL', 'unsubscribe', 'CANCEL', 'END', 'QUIT', 'afmelden']) expect(optOutChange(word)).toBe('stop');
    for (const word of ['START', 'unstop']) expect(optOutChange(word)).toBe('start');
    expect(optOutChange('stop met die herrie')).toBeNull();
    expect(optOutChange('hello', 'STOP')).toBe('stop');
  });

  it('refuses what is not a Twilio message with a clear 400', () => {
    expect(() => parse({ Body: 'hi' })).toThrow(/MessageSid/);
    expect(() => parse({ MessageSid: sid, Body: 'hi' })).toThrow(/From/);
    expect(() => parse({ MessageSid: sid, From: '+31612345678', NumMedia: '2', MediaUrl0: 'https://x/y' })).toThrow(/MediaUrl1/);
    expect(() => readTwilioForm(Buffer.from('{}'), 'application/json')).toThrow(/form post/);
  });
});

const ACCOUNT = 'AC' + '0123456789abcdef'.repeat(2);
const TOKEN = 'f'.repeat(8) + '0123456789abcdef0123456789ab';
const SMS_NUMBER = '+3197010203040';
const CUSTOMER = '+31612345678';

// One workspace (and one fake Twilio account) carries both channels: setting up a platform is the slow part.
const clock = new ManualClock('2026-03-02T09:00:00Z');
let h: ChannelHarness;
let fake: FakeTwilio;
beforeAll(async () => {
  h = await channelHarness({ clock });
  fake = await new FakeTwilio(ACCOUNT, TOKEN).start();
});
afterAll(async () => {
  await h?.close();
  await fake?.stop();
});

describe('SMS through Twilio', () => {
  let channel: { id: string; webhookUrl: string | null };
  let url: string;

  beforeAll(async () => {
    channel = await h.connect({ type: 'sms', provider: 'twilio', name: 'SMS', config: { accountSid: ACCOUNT, from: SMS_NUMBER, apiBaseUrl: fake.baseUrl }, secrets: { authToken: TOKEN } });
    url = channel.webhookUrl!;
  });

  const post = (params: Record<string, string>, opts: { token?: string; signature?: string | null } = {}) => {
    const signed = signedTwilioPost(opts.token ?? TOKEN, url, params);
    const headers = { ...signed.headers };
    if (opts.signature === null) delete (headers as Record<string, string>)['x-twilio-signature'];
    else if (opts.signature) headers['x-twilio-signature'] = opts.signature;
    return h.app.inject({ method: 'POST', url: new URL(url).pathname, headers, payload: signed.payload });
  };
  const identity = async () => {
    const [row] = await h.t.platform.db.select().from(customerIdentities).where(and(eq(customerIdentities.workspaceId, h.workspaceId), eq(customerIdentities.channelType, 'sms'), eq(customerIdentities.externalId, CUSTOMER)));
    return row;
  };

  it('tests the connection with the account fetch, and never shows the token', async () => {
    expect((await h.api('POST', `/api/channels/${channel.id}/test`)).json()).toEqual({ ok: true, detail: 'Twilio account “Hoorn test account” is active' });
    const listed = (await h.api('GET', '/api/channels')).json().items.find((c: { id: string }) => c.id === channel.id);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    const wrong = await h.connect({ type: 'sms', provider: 'twilio', config: { accountSid: ACCOUNT, from: SMS_NUMBER, apiBaseUrl: fake.baseUrl }, secrets: { authToken: 'x'.repeat(32) } });
    const failed = (await h.api('POST', `/api/channels/${wrong.id}/test`)).json();
    expect(failed).toMatchObject({ ok: false });
    expect(failed.detail).toMatch(/20003.*Authenticate/);
  });

  it('refuses a missing or wrong signature (401) and another account (403), storing nothing', async () => {
    const message = fake.inbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'Hallo' });
    expect((await post(message, { signature: null })).statusCode).toBe(401);
    expect((await post(message, { token: 'not-the-token-not-the-token-0000' })).statusCode).toBe(401);
    expect((await post(message, { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' })).statusCode).toBe(401);
    expect((await post({ ...message, AccountSid: 'AC' + '9'.repeat(32) })).statusCode).toBe(403);
    expect(await h.conversations()).toEqual([]);
  });

  it('runs an SMS in, to the agent, the reply out through Messages.json, and the status callback to delivered', async () => {
    const message = fake.inbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'Mijn pakket is kapot aangekomen' });
    const res = await post(message);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect((await post(message)).statusCode).toBe(200); // Twilio's retry: nothing new
    const [conversation] = await h.conversations();
    expect(conversation).toMatchObject({ channelType: 'sms' });
    expect((await h.messages(conversation!.id)).map((m) => m.body)).toEqual(['Mijn pakket is kapot aangekomen']);
    expect((await identity())?.externalId).toBe(CUSTOMER);

    await h.routeToAgent(conversation!.id);
    const reply = await h.reply(conversation!.id, 'Wat vervelend! Ik stuur een nieuwe.');
    const [sent] = fake.to(/\/Messages\.json$/);
    expect(sent!.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    expect(sent!.form).toEqual({ To: CUSTOMER, From: SMS_NUMBER, Body: 'Wat vervelend! Ik stuur een nieuwe.', StatusCallback: url });
    expect((await h.messages(conversation!.id)).find((m) => m.id === reply.id)!.status).toBe('sent');

    const sid = await providerIdOf(h, reply.id);
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    // Out of order: delivered overtakes sent, and sent never moves it back.
    expect((await post(fake.status(sid, 'delivered', { from: SMS_NUMBER, to: CUSTOMER }))).statusCode).toBe(200);
    expect((await post(fake.status(sid, 'sent', { from: SMS_NUMBER, to: CUSTOMER }))).statusCode).toBe(200);
    expect((await h.messages(conversation!.id)).find((m) => m.id === reply.id)!.status).toBe('delivered');
    expect((await h.messages(conversation!.id)).length).toBe(2);
  });

  it('keeps a status report that overtakes the send (undelivered before the create was answered) and applies it when the send commits', async () => {
    const [conversation] = await h.conversations();
    fake.beforeAnswer = async (sid) => {
      const early = await post(fake.status(sid, 'undelivered', { from: SMS_NUMBER, to: CUSTOMER, errorCode: '30003' }));
      expect(early.statusCode).toBe(200);
    };
    const reply = await h.reply(conversation!.id, 'Is dit nummer nog bereikbaar?');
    fake.beforeAnswer = undefined;
    const stored = (await h.messages(conversation!.id)).find((m) => m.id === reply.id)!;
    expect(stored.status).toBe('failed');
    expect(stored.error).toMatch(/undelivered.*30003/);
  });

  it('downloads MMS media with the account credentials after answering', async () => {
    const sid = twilioSid('MM');
    const mediaUrl = fake.addMedia(sid, 'image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9]));
    expect((await post(fake.inbound({ sid, from: CUSTOMER, to: SMS_NUMBER, body: 'Zo ziet het eruit', media: [{ url: mediaUrl, contentType: 'image/jpeg' }] }))).statusCode).toBe(200);
    await h.t.platform.outbox.drainOnce();
    const [conversation] = await h.conversations();
    const photo = (await h.messages(conversation!.id)).find((m) => m.body === 'Zo ziet het eruit')!;
    expect(photo.attachments).toEqual([expect.objectContaining({ name: `${sid}-0.jpeg`, contentType: 'image/jpeg', size: 6 })]);
    expect(fake.to(/\/Media\//).at(-1)!.headers.authorization).toMatch(/^Basic /);

    // A media URL on any other origin (here: another port) gets no credentials.
    const elsewhere = await new FakeServer().on('GET', /^\/cdn\/x\.png$/, () => ({ headers: { 'content-type': 'image/png' }, body: Buffer.from([1, 2]) })).start();
    try {
      expect((await post(fake.inbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'Nog een', media: [{ url: `${elsewhere.baseUrl}/cdn/x.png`, contentType: 'image/png' }] }))).statusCode).toBe(200);
      await h.t.platform.outbox.drainOnce();
      expect(elsewhere.requests.length).toBe(1);
      expect(elsewhere.requests[0]!.headers.authorization).toBeUndefined();
    } finally {
      await elsewhere.stop();
    }
  });

  it('sends an agent attachment as a MediaUrl that Twilio can fetch without a session, until it expires', async () => {
    const [conversation] = await h.conversations();
    const upload = await h.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie: h.agent.cookie, 'content-type': 'image/png', 'x-filename': 'label.png' }, payload: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
    expect(upload.statusCode, upload.body).toBe(201);
    await h.reply(conversation!.id, 'Hier is het retourlabel', { attachmentIds: [upload.json().id] });
    const sent = fake.to(/\/Messages\.json$/).at(-1)!;
    const link = new URL(sent.form!.MediaUrl!);
    const fetched = await h.app.inject({ method: 'GET', url: link.pathname + link.search });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.rawPayload).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const forged = link.search.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect((await h.app.inject({ method: 'GET', url: link.pathname + forged })).statusCode).toBe(404);
    const now = clock.now();
    clock.advance(8 * 24 * 3_600_000);
    expect((await h.app.inject({ method: 'GET', url: link.pathname + link.search })).statusCode).toBe(404);
    clock.set(now); // the agent's session would have expired as well
  });

  it('retries a 429 later, and dead-letters an invalid number (21211) with Twilio’s message', async () => {
    const [conversation] = await h.conversations();
    fake.failNext(429, 20429, 'Too Many Requests');
    const busy = await h.reply(conversation!.id, 'Nog even geduld');
    expect((await h.messages(conversation!.id)).find((m) => m.id === busy.id)!.status).toBe('queued');
    clock.advance(3_600_000);
    await h.t.platform.outbox.drainOnce();
    expect((await h.messages(conversation!.id)).find((m) => m.id === busy.id)!.status).toBe('sent');

    fake.failNext(400, 21211, "The 'To' number is not a valid phone number.");
    const invalid = await h.reply(conversation!.id, 'Hallo?');
    const failed = (await h.messages(conversation!.id)).find((m) => m.id === invalid.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/21211.*not a valid phone number/);
  });

  it('records STOP as an opt-out (the message is still stored), refuses the next reply with 409, and START clears it', async () => {
    const [conversation] = await h.conversations();
    const stop = fake.inbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'Stop' });
    expect((await post(stop)).statusCode).toBe(200);
    expect((await h.messages(conversation!.id)).at(-1)!.body).toBe('Stop');
    expect((await identity())?.optedOutAt).toEqual(clock.now());
    expect((await h.api('GET', `/api/conversations/${conversation!.id}/reply-options`)).json().optedOut).toBe(true);
    const refused = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversation!.id}/messages`, headers: { cookie: h.agent.cookie }, payload: { body: 'Jammer!' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('opted_out');

    expect((await post(fake.inbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'START' }))).statusCode).toBe(200);
    expect((await identity())?.optedOutAt).toBeNull();
    expect((await post(stop)).statusCode).toBe(200); // Twilio retrying the old STOP: it stays cleared
    expect((await identity())?.optedOutAt).toBeNull();
    await h.reply(conversation!.id, 'Welkom terug');
    expect(fake.to(/\/Messages\.json$/).at(-1)!.form!.Body).toBe('Welkom terug');
  });

  it('records an opt-out when Twilio refuses a send with 21610 or reports it in a status callback', async () => {
    const [conversation] = await h.conversations();
    fake.failNext(400, 21610, 'Attempt to send to unsubscribed recipient');
    const reply = await h.reply(conversation!.id, 'Nog één vraag');
    expect((await h.messages(conversation!.id)).find((m) => m.id === reply.id)!.status).toBe('failed');
    expect((await identity())?.optedOutAt).not.toBeNull();
    expect((await post(fake.inbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'start' }))).statusCode).toBe(200);
    expect((await identity())?.optedOutAt).toBeNull();

    const again = await h.reply(conversation!.id, 'Nog één vraag');
    const sid = await providerIdOf(h, again.id);
    expect((await post(fake.status(sid, 'undelivered', { from: SMS_NUMBER, to: CUSTOMER, errorCode: '21610' }))).statusCode).toBe(200);
    expect((await h.messages(conversation!.id)).find((m) => m.id === again.id)).toMatchObject({ status: 'failed', error: 'Twilio: undelivered (error 21610)' });
    expect((await identity())?.optedOutAt).not.toBeNull();
    await post(fake.inbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'START' }));
  });

  it('answers malformed (validly signed) posts with 200 or a clear 400, never a 500', async () => {
    const before = (await h.conversations()).length;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('MessageSid', 'AccountSid', 'From', 'Body', 'NumMedia', 'MediaUrl0', 'MessageStatus', 'ErrorCode', 'OptOutType', 'x'), fc.string()), fc.boolean(), async (params, ours) => {
        const res = await post(ours ? { ...params, AccountSid: ACCOUNT } : params);
        expect([200, 400, 403]).toContain(res.statusCode);
        if (!ours && params.AccountSid !== ACCOUNT) expect(res.statusCode).toBe(403);
      }),
      { numRuns: 80 },
    );
    expect((await h.conversations()).length).toBe(before);
    const bad = await post({ AccountSid: ACCOUNT, Body: 'no sid' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/MessageSid/);
    // A JSON body signed the JSON way verifies, but is not a messaging webhook.
    const json = '{"MessageSid":"x"}';
    const signedUrl = `${url}?bodySHA256=${createHash('sha256').update(json).digest('hex')}`;
    const path = new URL(signedUrl);
    const res = await h.app.inject({ method: 'POST', url: path.pathname + path.search, headers: { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature(TOKEN, signedUrl) }, payload: json });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toMatch(/form post/);
    const unsigned = await h.app.inject({ method: 'POST', url: path.pathname + path.search, headers: { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature('wrong-token-wrong-token', signedUrl) }, payload: json });
    expect(unsigned.statusCode).toBe(401);
  });
});

describe('WhatsApp through Twilio', () => {
  const WA_NUMBER = '+3197010203050';
  const CONTENT_SID = 'HX' + 'b'.repeat(32);
  let channel: { id: string; webhookUrl: string | null };
  const conversation_ = async () => (await h.conversations()).filter((c) => c.channelType === 'whatsapp');

  beforeAll(async () => {
    // The agent has room for one conversation: the SMS one is done.
    for (const c of await h.conversations()) expect((await h.api('PATCH', `/api/conversations/${c.id}`, { status: 'resolved' })).statusCode).toBe(200);
    channel = await h.connect({
      type: 'whatsapp',
      provider: 'twilio',
      name: 'WhatsApp',
      config: {
        accountSid: ACCOUNT,
        from: `whatsapp:${WA_NUMBER}`,
        apiBaseUrl: fake.baseUrl,
        templates: [{ name: 'order_update', language: 'nl', body: 'Hoi {{1}}, uw bestelling {{2}} is onderweg.', parameters: 2, contentSid: CONTENT_SID }],
      },
      secrets: { authToken: TOKEN },
    });
  });

  const post = (params: Record<string, string>) => {
    const signed = signedTwilioPost(TOKEN, channel.webhookUrl!, params);
    return h.app.inject({ method: 'POST', url: new URL(channel.webhookUrl!).pathname, headers: signed.headers, payload: signed.payload });
  };

  it('keys the customer on the bare number, replies with whatsapp: addresses, and follows the read receipt', async () => {
    const first = fake.inbound({ from: `whatsapp:${CUSTOMER}`, to: `whatsapp:${WA_NUMBER}`, body: 'Hoi! Waar blijft mijn bestelling?', profileName: 'Sanne' });
    expect((await post(first)).statusCode).toBe(200);
    expect((await post(first)).statusCode).toBe(200);
    const [conversation] = await conversation_();
    expect(conversation).toMatchObject({ channelType: 'whatsapp', customer: { name: 'Sanne' } });
    const [row] = await h.t.platform.db.select().from(customerIdentities).where(and(eq(customerIdentities.workspaceId, h.workspaceId), eq(customerIdentities.channelType, 'whatsapp')));
    expect(row).toMatchObject({ channelType: 'whatsapp', externalId: CUSTOMER, verified: true });
    // "STOP" is not a carrier keyword on WhatsApp: no opt-out.
    expect((await post(fake.inbound({ from: `whatsapp:${CUSTOMER}`, to: `whatsapp:${WA_NUMBER}`, body: 'STOP' }))).statusCode).toBe(200);
    expect((await conversation_()).length).toBe(1);

    await h.routeToAgent(conversation!.id);
    const reply = await h.reply(conversation!.id, 'Hij wordt morgen bezorgd.');
    const sent = fake.to(/\/Messages\.json$/).at(-1)!;
    expect(sent.form).toEqual({ To: `whatsapp:${CUSTOMER}`, From: `whatsapp:${WA_NUMBER}`, Body: 'Hij wordt morgen bezorgd.', StatusCallback: channel.webhookUrl });
    const sid = await providerIdOf(h, reply.id);
    await post(fake.status(sid, 'read', { from: `whatsapp:${WA_NUMBER}`, to: `whatsapp:${CUSTOMER}` }));
    expect((await h.messages(conversation!.id)).find((m) => m.id === reply.id)!.status).toBe('read');
  });

  it('sends one file per WhatsApp message: the first with the text, the others after it', async () => {
    const [conversation] = await conversation_();
    const ids: string[] = [];
    for (const name of ['a.png', 'b.png']) {
      const upload = await h.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie: h.agent.cookie, 'content-type': 'image/png', 'x-filename': name }, payload: Buffer.from(name) });
      ids.push(upload.json().id);
    }
    const before = fake.to(/\/Messages\.json$/).length;
    await h.reply(conversation!.id, 'Twee foto’s', { attachmentIds: ids });
    const [first, second] = fake.to(/\/Messages\.json$/).slice(before);
    expect(first!.form).toMatchObject({ Body: 'Twee foto’s', MediaUrl: expect.stringContaining(`/channels/whatsapp/${channel.id}/files/`) });
    expect(second!.form).toEqual({ To: `whatsapp:${CUSTOMER}`, From: `whatsapp:${WA_NUMBER}`, MediaUrl: expect.stringContaining(`/channels/whatsapp/${channel.id}/files/`) });
    const sentIds = [first!, second!].map((r) => /\/files\/([^?]+)\?/.exec(r.form!.MediaUrl!)![1]);
    expect(sentIds.sort()).toEqual([...ids].sort());
  });

  it('closes the 24-hour window, offers the templates, and sends a template as ContentSid + ContentVariables', async () => {
    const [conversation] = await conversation_();
    const open = (await h.api('GET', `/api/conversations/${conversation!.id}/reply-options`)).json();
    expect(open).toMatchObject({ maxTextLength: 1600, window: { hours: 24, open: true }, templates: [{ name: 'order_update', language: 'nl', parameters: 2 }] });
    // The customer's last message was 25 hours ago (moving the clock would end the agent's session too).
    await h.t.platform.db.update(messages).set({ createdAt: new Date(clock.now().getTime() - 25 * 3_600_000) }).where(eq(messages.conversationId, conversation!.id));
    const closed = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversation!.id}/messages`, headers: { cookie: h.agent.cookie }, payload: { body: 'Nog vragen?' } });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('reply_window_closed');

    const templated = await h.reply(conversation!.id, '', { template: { name: 'order_update', language: 'nl', parameters: ['Sanne', 'A-1001'] } });
    const [stored] = await h.t.platform.db.select({ meta: messages.meta, status: messages.status }).from(messages).where(eq(messages.id, templated.id));
    expect(stored).toMatchObject({ status: 'sent', meta: { templateText: 'Hoi Sanne, uw bestelling A-1001 is onderweg.' } });
    const sent = fake.to(/\/Messages\.json$/).at(-1)!;
    expect(sent.form).toEqual({
      To: `whatsapp:${CUSTOMER}`,
      From: `whatsapp:${WA_NUMBER}`,
      ContentSid: CONTENT_SID,
      ContentVariables: '{"1":"Sanne","2":"A-1001"}',
      StatusCallback: channel.webhookUrl,
    });
  });
});

async function providerIdOf(h: ChannelHarness, messageId: string): Promise<string> {
  const [row] = await h.t.platform.db.select({ id: messages.providerMessageId }).from(messages).where(eq(messages.id, messageId));
  return row!.id!;
}
