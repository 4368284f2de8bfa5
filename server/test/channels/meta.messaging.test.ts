import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { fb, FakeMetaGraph, metaDelivery } from '../fakes/meta.ts';
import { loginCookie } from '../helpers.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

const TOKEN = 'EAAGm0PX4ZCpsBApage-access-token-for-tests';
const APP_SECRET = 'messenger-app-secret-99';
const VERIFY = 'hoorn-verify-token';
const PAGE = '104785398212345';
const IG = '17841400000000001';
const PSID = '6254338001234567';
const IGSID = '1282783012345678';

describe('Messenger and Instagram channels (Meta)', () => {
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  let h: ChannelHarness;
  let fake: FakeMetaGraph;
  let messenger: { id: string; webhookUrl: string | null };
  let instagram: { id: string; webhookUrl: string | null };

  beforeAll(async () => {
    h = await channelHarness({ clock });
    fake = await new FakeMetaGraph(TOKEN, { pageId: PAGE, instagramAccountId: IG }).start();
    // Several conversations at once: each costs 1 of the agent's 100 (the harness's default is a whole agent).
    const profile = await h.api('PUT', `/api/routing/agents/${h.agent.id}`, { skills: {}, languages: ['nl', 'en'], attributes: {}, capacity: { total: 100, cost: { messenger: 1, instagram: 1 } } });
    expect(profile.statusCode, profile.body).toBe(200);
    const secrets = { accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY };
    messenger = await h.connect({ type: 'messenger', provider: 'meta', name: 'Facebook', config: { graphBaseUrl: fake.baseUrl, pageId: PAGE }, secrets });
    instagram = await h.connect({ type: 'instagram', provider: 'meta', name: 'Instagram', config: { graphBaseUrl: fake.baseUrl, instagramAccountId: IG }, secrets });
  });
  afterAll(async () => {
    await h.close();
    await fake.stop();
  });

  const post = (channel: { webhookUrl: string | null }, body: unknown, secret: string | null = APP_SECRET) => {
    const delivery = metaDelivery(body, secret);
    return h.app.inject({ method: 'POST', url: new URL(channel.webhookUrl!).pathname, headers: delivery.headers, payload: delivery.payload });
  };
  const page = (messaging: unknown[], changes?: unknown[]) => fb.envelope('page', [{ id: PAGE, messaging, ...(changes ? { changes } : {}) }]);
  const insta = (messaging: unknown[], changes?: unknown[]) => fb.envelope('instagram', [{ id: IG, messaging, ...(changes ? { changes } : {}) }]);
  /** The conversation holding a message with this body. */
  const conversationWith = async (body: string) => {
    for (const c of await h.conversations()) if ((await h.messages(c.id)).some((m) => m.body === body)) return c;
    throw new Error(`no conversation with "${body}"`);
  };
  const relogin = async () => {
    const email = (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: h.agent.cookie } })).json().user.email;
    return async () => {
      h.agent.cookie = await loginCookie(h.app, email);
    };
  };

  it('answers the handshake, tests the connection, and refuses unsigned deliveries without storing them', async () => {
    const url = new URL(messenger.webhookUrl!).pathname;
    const ok = await h.app.inject({ method: 'GET', url: `${url}?hub.mode=subscribe&hub.challenge=42&hub.verify_token=${VERIFY}` });
    expect([ok.statusCode, ok.body]).toEqual([200, '42']);
    expect((await h.app.inject({ method: 'GET', url: `${url}?hub.mode=subscribe&hub.challenge=42&hub.verify_token=nope` })).statusCode).toBe(403);
    expect((await h.api('POST', `/api/channels/${messenger.id}/test`)).json()).toEqual({ ok: true, detail: 'Connected to the Page Hoorn Webwinkel' });
    expect((await h.api('POST', `/api/channels/${instagram.id}/test`)).json()).toEqual({ ok: true, detail: 'Connected to @hoorn.webwinkel' });

    const message = page([fb.message({ from: PSID, to: PAGE, mid: 'm_unsigned', at: clock.now(), text: 'Hallo' })]);
    expect((await post(messenger, message, null)).statusCode).toBe(401);
    expect((await post(messenger, message, 'wrong-secret')).statusCode).toBe(401);
    expect((await post(instagram, insta([fb.message({ from: IGSID, to: IG, mid: 'ig_unsigned', at: clock.now(), text: 'Hoi' })]), null)).statusCode).toBe(401);
    expect(await h.conversations()).toEqual([]);
  });

  it('Messenger: a DM in, routed, the reply out through the Send API, delivered and then read by watermark', async () => {
    const at = clock.now();
    const first = page([
      fb.message({ from: PSID, to: PAGE, mid: 'm_AbC1', at, text: 'Kan ik mijn bestelling nog wijzigen? Groet, Zoë' }),
      fb.message({ from: PSID, to: PAGE, mid: 'm_echo', at, text: 'an earlier answer from the Page inbox', echo: true }),
    ]);
    expect((await post(messenger, first)).statusCode).toBe(200);
    expect((await post(messenger, first)).statusCode).toBe(200);
    const conversation = await conversationWith('Kan ik mijn bestelling nog wijzigen? Groet, Zoë');
    expect(conversation.channelType).toBe('messenger');
    expect((await h.messages(conversation.id)).map((m) => m.body)).toEqual(['Kan ik mijn bestelling nog wijzigen? Groet, Zoë']);

    await h.routeToAgent(conversation.id);
    const reply = await h.reply(conversation.id, 'Ja hoor, wat wil je wijzigen?');
    const [sent] = fake.to(/^\/v21\.0\/me\/messages$/);
    expect(sent!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent!.json).toEqual({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Ja hoor, wat wil je wijzigen?' } });
    const status = async () => (await h.messages(conversation.id)).find((m) => m.id === reply.id)!.status;
    expect(await status()).toBe('sent');

    expect((await post(messenger, page([fb.delivery({ from: PSID, to: PAGE, mids: [fake.issued.at(-1)!], watermark: clock.now().getTime() })]))).statusCode).toBe(200);
    expect(await status()).toBe('delivered');
    clock.advance(60_000);
    expect((await post(messenger, page([fb.read({ from: PSID, to: PAGE, watermark: clock.now().getTime(), at: clock.now() })]))).statusCode).toBe(200);
    expect(await status()).toBe('read');
    await post(messenger, page([fb.delivery({ from: PSID, to: PAGE, mids: [fake.issued.at(-1)!], watermark: clock.now().getTime() })]));
    expect(await status()).toBe('read');

    // A file goes up through the Attachment Upload API, then out by its attachment id, before the text.
    const upload = await h.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie: h.agent.cookie, 'content-type': 'application/pdf', 'x-filename': 'factuur.pdf' }, payload: Buffer.from('%PDF-1.4 factuur') });
    expect(upload.statusCode, upload.body).toBe(201);
    const before = fake.to(/^\/v21\.0\/me\/messages$/).length;
    await h.reply(conversation.id, 'Hierbij de factuur.', { attachmentIds: [upload.json().id] });
    const [uploaded] = fake.to(/^\/v21\.0\/me\/message_attachments$/);
    const multipart = uploaded!.body.toString('latin1');
    expect(multipart).toContain('{"attachment":{"type":"file","payload":{"is_reusable":false}}}');
    expect(multipart).toMatch(/name="filedata"; filename="factuur.pdf"\r\nContent-Type: application\/pdf\r\n\r\n%PDF-1.4 factuur/);
    const [file, text] = fake.to(/^\/v21\.0\/me\/messages$/).slice(before);
    expect(file!.json.message).toEqual({ attachment: { type: 'file', payload: { attachment_id: expect.stringMatching(/^\d+0\d+$/) } } });
    expect(text!.json.message).toEqual({ text: 'Hierbij de factuur.' });
  });

  it('Messenger: a partly duplicated batch stores only the new items; postbacks read as their title; attachments are fetched', async () => {
    fake.media.set('photo-1.jpg', { data: Buffer.from('jpegdata'), mimeType: 'image/jpeg' });
    const at = clock.now();
    const batch = fb.envelope('page', [
      { id: PAGE, messaging: [fb.message({ from: PSID, to: PAGE, mid: 'm_AbC1', at, text: 'Kan ik mijn bestelling nog wijzigen? Groet, Zoë' }), fb.message({ from: PSID, to: PAGE, mid: 'm_AbC2', at, text: 'Het adres klopt niet' })] },
      { id: PAGE, messaging: [fb.postback({ from: PSID, to: PAGE, mid: 'm_AbC3', at, title: 'Praat met een medewerker', payload: 'HUMAN' })] },
      { id: PAGE, messaging: [fb.message({ from: PSID, to: PAGE, mid: 'm_AbC4', at, text: 'Zo ziet het eruit', attachments: [{ type: 'image', payload: { url: `${fake.baseUrl}/cdn/photo-1.jpg` } }] })] },
    ]);
    expect((await post(messenger, batch)).statusCode).toBe(200);
    expect((await post(messenger, batch)).statusCode).toBe(200);
    await h.t.platform.outbox.drainOnce();
    const conversation = await conversationWith('Het adres klopt niet');
    const inbound = (await h.messages(conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.body)).toEqual(['Kan ik mijn bestelling nog wijzigen? Groet, Zoë', 'Het adres klopt niet', 'Praat met een medewerker', 'Zo ziet het eruit']);
    expect(inbound[3]!.attachments).toEqual([expect.objectContaining({ name: 'image-1.jpg', contentType: 'image/jpeg', size: 8 })]);
  });

  it('Messenger: a comment opens its own conversation and the reply goes out as a public comment reply', async () => {
    const at = clock.now();
    const comment = fb.feedComment({ pageId: PAGE, postId: '555000111', commentId: '777', from: { id: PSID, name: 'Zoë Jansen' }, message: 'Is deze jas ook in het blauw?', at });
    const own = fb.feedComment({ pageId: PAGE, postId: '555000111', commentId: '778', from: { id: PAGE, name: 'Hoorn Webwinkel' }, message: 'Nieuwe collectie!', at });
    expect((await post(messenger, page([], [comment, own]))).statusCode).toBe(200);
    expect((await post(messenger, page([], [comment]))).statusCode).toBe(200);
    const conversation = await conversationWith('Is deze jas ook in het blauw?');
    expect(conversation.id).not.toBe((await conversationWith('Het adres klopt niet')).id);
    expect((await h.messages(conversation.id)).map((m) => m.body)).toEqual(['Is deze jas ook in het blauw?']);

    await h.routeToAgent(conversation.id);
    const dms = fake.to(/\/me\/messages$/).length;
    const reply = await h.reply(conversation.id, 'Ja, vanaf volgende week!');
    const [sent] = fake.to(/^\/v21\.0\/555000111_777\/comments$/);
    expect(sent!.json).toEqual({ message: 'Ja, vanaf volgende week!' });
    expect(sent!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(fake.to(/\/me\/messages$/)).toHaveLength(dms);
    expect((await h.messages(conversation.id)).find((m) => m.id === reply.id)!.status).toBe('sent');

    // The customer answers the Page's public reply: it belongs with the same conversation.
    const answer = fb.feedComment({ pageId: PAGE, postId: '555000111', commentId: '779', from: { id: PSID, name: 'Zoë Jansen' }, message: 'Top, dank je', at, parentId: fake.issued.at(-1)! });
    expect((await post(messenger, page([], [answer]))).statusCode).toBe(200);
    expect((await h.messages(conversation.id)).map((m) => m.body)).toEqual(['Is deze jas ook in het blauw?', 'Ja, vanaf volgende week!', 'Top, dank je']);
  });

  it('Instagram: a DM round trip through /me/messages, marked read by the seen event', async () => {
    const dm = insta([fb.message({ from: IGSID, to: IG, mid: 'aWdfZAG1faXRlbToxOklH', at: clock.now(), text: 'Hebben jullie maat M nog?' })]);
    expect((await post(instagram, dm)).statusCode).toBe(200);
    expect((await post(instagram, dm)).statusCode).toBe(200);
    const conversation = await conversationWith('Hebben jullie maat M nog?');
    expect(conversation.channelType).toBe('instagram');
    await h.routeToAgent(conversation.id);
    const reply = await h.reply(conversation.id, 'Ja, nog twee stuks.');
    expect(fake.to(/\/me\/messages$/).at(-1)!.json).toEqual({ recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { text: 'Ja, nog twee stuks.' } });
    expect((await post(instagram, insta([fb.read({ from: IGSID, to: IG, mid: fake.issued.at(-1)!, at: clock.now() })]))).statusCode).toBe(200);
    expect((await h.messages(conversation.id)).find((m) => m.id === reply.id)!.status).toBe('read');
  });

  it('Instagram: a comment on a post, answered as a public reply', async () => {
    const comment = fb.igComment({ commentId: '17865799348089039', mediaId: '17895695668004550', from: { id: IGSID, username: 'zoe.jansen' }, text: 'Wat kost deze?' });
    const own = fb.igComment({ commentId: '17865799348089040', mediaId: '17895695668004550', from: { id: IG, username: 'hoorn.webwinkel' }, text: 'Link in bio' });
    expect((await post(instagram, insta([], [comment, own]))).statusCode).toBe(200);
    expect((await post(instagram, insta([], [comment]))).statusCode).toBe(200);
    const conversation = await conversationWith('Wat kost deze?');
    expect(conversation.id).not.toBe((await conversationWith('Hebben jullie maat M nog?')).id);
    expect((await h.messages(conversation.id)).map((m) => m.body)).toEqual(['Wat kost deze?']);
    await h.routeToAgent(conversation.id);
    const reply = await h.reply(conversation.id, '€ 89,95');
    const [sent] = fake.to(/^\/v21\.0\/17865799348089039\/replies$/);
    expect(sent!.json).toEqual({ message: '€ 89,95' });
    expect((await h.messages(conversation.id)).find((m) => m.id === reply.id)!.status).toBe('sent');
  });

  it('answers malformed deliveries (validly signed) with 200 or a clear 400, never a 500', async () => {
    const bad = await post(messenger, '{"object":"page","entry":[{"id":"' + PAGE + '","messaging":[{"sender":{},"recipient":{"id":"1"}}]}]}');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/sender\.id/);
    const item = fc.record(
      {
        sender: fc.oneof(fc.constant({ id: PSID }), fc.jsonValue()),
        recipient: fc.oneof(fc.constant({ id: PAGE }), fc.jsonValue()),
        timestamp: fc.oneof(fc.integer(), fc.double(), fc.string()),
        message: fc.oneof(fc.record({ mid: fc.oneof(fc.string(), fc.integer()), text: fc.jsonValue(), attachments: fc.jsonValue(), is_echo: fc.jsonValue() }, { requiredKeys: [] }), fc.jsonValue()),
        postback: fc.jsonValue(),
        read: fc.oneof(fc.record({ watermark: fc.oneof(fc.integer(), fc.double(), fc.string()), mid: fc.jsonValue() }, { requiredKeys: [] }), fc.jsonValue()),
        delivery: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    const change = fc.record({ field: fc.constantFrom('feed', 'comments', 'other'), value: fc.oneof(fc.jsonValue(), fc.record({ item: fc.constantFrom('comment', 'like'), verb: fc.constantFrom('add', 'edited'), comment_id: fc.jsonValue(), post_id: fc.jsonValue(), from: fc.jsonValue(), created_time: fc.jsonValue() }, { requiredKeys: [] })) });
    const body = (object: string, id: string) =>
      fc.record({ object: fc.oneof(fc.constant(object), fc.string()), entry: fc.oneof(fc.array(fc.record({ id: fc.oneof(fc.constant(id), fc.string()), messaging: fc.array(item), changes: fc.array(change) }, { requiredKeys: ['id'] })), fc.jsonValue()) }, { requiredKeys: [] }).map((b) => JSON.stringify(b));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), body('page', PAGE)), async (payload) => {
        const res = await post(messenger, payload);
        expect([200, 400], res.body).toContain(res.statusCode);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), body('instagram', IG)), async (payload) => {
        const res = await post(instagram, payload);
        expect([200, 400], res.body).toContain(res.statusCode);
      }),
      { numRuns: 25 },
    );
  });

  it('Messenger: after 24 hours replies go out with the HUMAN_AGENT tag; after 7 days the desk refuses (409)', async () => {
    const conversation = await conversationWith('Het adres klopt niet');
    const login = await relogin();
    clock.advance(30 * 3_600_000);
    await login();
    await h.reply(conversation.id, 'Sorry voor het late antwoord: het adres is aangepast.');
    expect(fake.to(/\/me\/messages$/).at(-1)!.json).toEqual({ recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Sorry voor het late antwoord: het adres is aangepast.' } });

    clock.advance(6 * 24 * 3_600_000);
    await login();
    const refused = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversation.id}/messages`, headers: { cookie: h.agent.cookie }, payload: { body: 'Nog iets?' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('reply_window_closed');
  });
});
