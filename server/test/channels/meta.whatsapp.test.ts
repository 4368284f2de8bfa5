import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { FakeMetaGraph, metaDelivery, wa } from '../fakes/meta.ts';
import { loginCookie } from '../helpers.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

const TOKEN = 'EAAGm0PX4ZCpsBAwhatsapp-system-user-token';
const APP_SECRET = 'whatsapp-app-secret-1234';
const VERIFY = 'hoorn-verify-token';
const PHONE = '106540352242922';
const TEMPLATES = [{ name: 'order_update', language: 'nl', body: 'Hallo {{1}}, uw bestelling {{2}} is onderweg.', parameters: 2 }];

describe('WhatsApp Cloud API channel (Meta)', () => {
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  let h: ChannelHarness;
  let fake: FakeMetaGraph;
  let channel: { id: string; webhookUrl: string | null };
  let path: string;

  beforeAll(async () => {
    h = await channelHarness({ clock });
    fake = await new FakeMetaGraph(TOKEN, { phoneNumberId: PHONE }).start();
    channel = await h.connect({
      type: 'whatsapp',
      provider: 'meta',
      name: 'WhatsApp',
      config: { graphBaseUrl: fake.baseUrl, phoneNumberId: PHONE, templates: TEMPLATES },
      secrets: { accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY },
    });
    path = new URL(channel.webhookUrl!).pathname;
  });
  afterAll(async () => {
    await h.close();
    await fake.stop();
  });

  const post = (body: unknown, secret: string | null = APP_SECRET) => {
    const delivery = metaDelivery(body, secret);
    return h.app.inject({ method: 'POST', url: path, headers: delivery.headers, payload: delivery.payload });
  };
  const text = (id: string, body: string, at = clock.now()) => wa.envelope([wa.message(PHONE, { id, at, content: { type: 'text', text: { body } } })]);
  const allMessages = async () => (await Promise.all((await h.conversations()).map((c) => h.messages(c.id)))).flat();

  it('answers Meta’s verification handshake with the challenge, and 403 for a wrong token', async () => {
    const ok = await h.app.inject({ method: 'GET', url: `${path}?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444` });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.body).toBe('1158201444');
    const wrong = await h.app.inject({ method: 'GET', url: `${path}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444` });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).not.toContain('1158201444');
  });

  it('tests the connection with the phone number look-up, and reports a bad token', async () => {
    const listed = (await h.api('GET', '/api/channels')).json().items.find((c: { id: string }) => c.id === channel.id);
    expect(listed.secretsSet.sort()).toEqual(['accessToken', 'appSecret', 'verifyToken']);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    expect((await h.api('POST', `/api/channels/${channel.id}/test`)).json()).toEqual({ ok: true, detail: 'Connected to +31 20 123 4567 (Hoorn Webwinkel, quality GREEN)' });
    const wrong = await h.connect({ type: 'whatsapp', provider: 'meta', config: { graphBaseUrl: fake.baseUrl, phoneNumberId: PHONE }, secrets: { accessToken: 'EAA-not-the-token', appSecret: APP_SECRET, verifyToken: VERIFY } });
    const failed = (await h.api('POST', `/api/channels/${wrong.id}/test`)).json();
    expect(failed.ok).toBe(false);
    expect(failed.detail).toMatch(/code 190.*Invalid OAuth access token/);
  });

  it('refuses a delivery with a missing or wrong signature (401) and stores nothing', async () => {
    expect((await post(text('wamid.unsigned', 'Hallo'), null)).statusCode).toBe(401);
    expect((await post(text('wamid.unsigned', 'Hallo'), 'not-the-app-secret')).statusCode).toBe(401);
    const tampered = metaDelivery(text('wamid.unsigned', 'Hallo'), APP_SECRET);
    const res = await h.app.inject({ method: 'POST', url: path, headers: tampered.headers, payload: tampered.payload.replace('Hallo', 'Hallo!') });
    expect(res.statusCode).toBe(401);
    expect(await h.conversations()).toEqual([]);
  });

  it('runs a message in (non-ASCII, signed over Meta’s escaped bytes), routes it, sends the reply, and follows its statuses forward only', async () => {
    const body = text('wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQTc', 'Wanneer wordt mijn pakket bezorgd? Ik ben vrijdag niet thuis — groetjes 😊');
    const delivery = metaDelivery(body, APP_SECRET);
    expect(delivery.payload).toContain('\\ud83d\\ude0a');
    expect((await post(body)).statusCode).toBe(200);
    expect((await post(body)).statusCode).toBe(200); // Meta's retry: nothing new
    const [conversation] = await h.conversations();
    expect(conversation).toMatchObject({ channelType: 'whatsapp', customer: { name: 'Jürgen Bakker' } });
    expect((await h.messages(conversation!.id)).map((m) => m.body)).toEqual(['Wanneer wordt mijn pakket bezorgd? Ik ben vrijdag niet thuis — groetjes 😊']);

    await h.routeToAgent(conversation!.id);
    const reply = await h.reply(conversation!.id, 'Dag Jürgen, ik kijk het na.');
    const [sent] = fake.to(new RegExp(`^/v21.0/${PHONE}/messages$`));
    expect(sent!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent!.json).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '31612345678', type: 'text', text: { preview_url: false, body: 'Dag Jürgen, ik kijk het na.' } });
    const stored = async () => (await h.messages(conversation!.id)).find((m) => m.id === reply.id)!;
    expect((await stored()).status).toBe('sent');

    const wamid = fake.issued.at(-1)!;
    const status = (s: string) => post(wa.envelope([wa.status(PHONE, { id: wamid, status: s, at: clock.now() })]));
    expect((await status('delivered')).statusCode).toBe(200);
    expect((await stored()).status).toBe('delivered');
    expect((await status('read')).statusCode).toBe(200);
    expect((await stored()).status).toBe('read');
    await status('delivered'); // out of order
    await status('sent');
    expect((await stored()).status).toBe('read');
  });

  it('stores only the new messages of a partly duplicated batch, and ignores another phone number', async () => {
    const at = clock.now();
    const batch = wa.envelope([
      wa.message(PHONE, { id: 'wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQTc', at, content: { type: 'text', text: { body: 'Wanneer wordt mijn pakket bezorgd? Ik ben vrijdag niet thuis — groetjes 😊' } } }),
      wa.message(PHONE, { id: 'wamid.batch-1', at, content: { type: 'text', text: { body: 'Mijn ordernummer is 4711' } } }),
      wa.message(PHONE, { id: 'wamid.batch-2', at, content: { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'deliver-saturday', title: 'Zaterdag bezorgen' } } } }),
      wa.message('999999999999999', { id: 'wamid.other-number', at }),
    ]);
    batch.entry.push({ id: '102290129340398', changes: [{ value: wa.message(PHONE, { id: 'wamid.batch-3', at, content: { type: 'location', location: { latitude: 52.3731, longitude: 4.8926, name: 'Dam' } } }), field: 'messages' }] });
    expect((await post(batch)).statusCode).toBe(200);
    expect((await post(batch)).statusCode).toBe(200);
    const [conversation] = await h.conversations();
    expect((await h.messages(conversation!.id)).filter((m) => m.direction === 'inbound').map((m) => m.body)).toEqual([
      'Wanneer wordt mijn pakket bezorgd? Ik ben vrijdag niet thuis — groetjes 😊',
      'Mijn ordernummer is 4711',
      'Zaterdag bezorgen',
      '📍 52.3731,4.8926 Dam',
    ]);
    expect((await allMessages()).some((m) => m.body === 'Hallo')).toBe(false);
  });

  it('fetches an image after answering: the media id look-up, then the download with the token', async () => {
    fake.media.set('1479537139650973', { data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9, 9, 9]), mimeType: 'image/jpeg' });
    const image = wa.envelope([wa.message(PHONE, { id: 'wamid.image', at: clock.now(), content: { type: 'image', image: { id: '1479537139650973', mime_type: 'image/jpeg', sha256: 'abc', caption: 'Zo kwam hij aan' } } })]);
    expect((await post(image)).statusCode).toBe(200);
    await h.t.platform.outbox.drainOnce();
    const [conversation] = await h.conversations();
    const message = (await h.messages(conversation!.id)).find((m) => m.body === 'Zo kwam hij aan')!;
    expect(message.attachments).toEqual([expect.objectContaining({ name: 'image-537139650973.jpg', contentType: 'image/jpeg', size: 8 })]);
    expect(fake.to(/^\/download\/1479537139650973$/)[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('sends an agent’s file: uploaded to /media, then sent by its media id, then the text', async () => {
    const [conversation] = await h.conversations();
    const up = await h.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie: h.agent.cookie, 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('factuur 4711.pdf') }, payload: Buffer.from('%PDF-1.4 factuur') });
    expect(up.statusCode, up.body).toBe(201);
    const before = fake.requests.length;
    const reply = await h.reply(conversation!.id, 'Hierbij de factuur.', { attachmentIds: [up.json().id] });
    const calls = fake.requests.slice(before);
    expect(calls.map((r) => r.url)).toEqual([`/v21.0/${PHONE}/media`, `/v21.0/${PHONE}/messages`, `/v21.0/${PHONE}/messages`]);
    const upload = calls[0]!.body.toString('latin1');
    expect(upload).toMatch(/name="messaging_product"\r\n\r\nwhatsapp/);
    expect(upload).toMatch(/name="file"; filename="factuur 4711.pdf"/);
    expect(upload).toContain('%PDF-1.4 factuur');
    const mediaId = calls[1]!.json.document.id;
    expect(calls[1]!.json).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '31612345678', type: 'document', document: { id: mediaId, filename: 'factuur 4711.pdf' } });
    expect(calls[2]!.json.text).toEqual({ preview_url: false, body: 'Hierbij de factuur.' });
    expect((await h.messages(conversation!.id)).find((m) => m.id === reply.id)!.status).toBe('sent');
  });

  it('dead-letters a send Meta refuses as outside the window (131047) with a clear message', async () => {
    const [conversation] = await h.conversations();
    fake.failures.push({ status: 400, body: FakeMetaGraph.error(131047, 'Re-engagement message', 'OAuthException') });
    const reply = await h.reply(conversation!.id, 'Nog een vraag?');
    const failed = (await h.messages(conversation!.id)).find((m) => m.id === reply.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/24 hours.*template.*131047/);
  });

  it('after 24 hours refuses free text (409) and sends an approved template', async () => {
    const [conversation] = await h.conversations();
    const agentEmail = (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: h.agent.cookie } })).json().user.email;
    clock.advance(25 * 3_600_000);
    h.agent.cookie = await loginCookie(h.app, agentEmail); // sessions last 12 hours
    const refused = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversation!.id}/messages`, headers: { cookie: h.agent.cookie }, payload: { body: 'Bent u er nog?' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('reply_window_closed');
    const unknown = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversation!.id}/messages`, headers: { cookie: h.agent.cookie }, payload: { body: '', template: { name: 'nope', language: 'nl', parameters: [] } } });
    expect(unknown.statusCode).toBe(400);

    const before = fake.to(/\/messages$/).length;
    const reply = await h.reply(conversation!.id, '', { template: { name: 'order_update', language: 'nl', parameters: ['Jürgen', '4711'] } });
    const sent = fake.to(/\/messages$/).slice(before);
    expect(sent.map((r) => r.json)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '31612345678',
        type: 'template',
        template: { name: 'order_update', language: { code: 'nl' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Jürgen' }, { type: 'text', text: '4711' }] }] },
      },
    ]);
    expect((await h.messages(conversation!.id)).find((m) => m.id === reply.id)!.status).toBe('sent');
  });

  it('answers malformed deliveries (validly signed) with 200 or a clear 400, never a 500', async () => {
    const bad = await post('{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":5}}}]}]}');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/phone_number_id/);
    const message = fc.record({ from: fc.oneof(fc.string(), fc.integer()), id: fc.oneof(fc.string(), fc.constant(null)), timestamp: fc.oneof(fc.string(), fc.integer(), fc.double()), type: fc.oneof(fc.constantFrom('text', 'image', 'interactive', 'location', 'reaction', 'button'), fc.string()) }, { requiredKeys: [] });
    const value = fc.record({ metadata: fc.oneof(fc.constant({ phone_number_id: PHONE }), fc.jsonValue()), messages: fc.oneof(fc.array(fc.tuple(message, fc.dictionary(fc.constantFrom('text', 'image', 'interactive', 'location', 'reaction', 'button', 'context'), fc.jsonValue())).map(([m, extra]) => ({ ...extra, ...m }))), fc.jsonValue()), statuses: fc.jsonValue() }, { requiredKeys: [] });
    const envelope = fc.record({ object: fc.oneof(fc.constant('whatsapp_business_account'), fc.string()), entry: fc.oneof(fc.array(fc.record({ id: fc.oneof(fc.string(), fc.integer()), changes: fc.array(fc.record({ field: fc.constantFrom('messages', 'other'), value })) })), fc.jsonValue()) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), envelope.map((e) => JSON.stringify(e))), async (body) => {
        const res = await post(body);
        expect([200, 400], res.body).toContain(res.statusCode);
      }),
      { numRuns: 80 },
    );
  });
});
