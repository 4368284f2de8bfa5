import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { messages } from '../../src/conversations/conversations.schema.ts';
import { hoornSignature, hoornSignatureHeader, verifyHoornSignature } from '../../src/channels/api/api.signature.ts';
import { parseApiInbound } from '../../src/channels/api/api.parse.ts';
import { FakeApiReceiver, signedApiPost } from '../fakes/api-receiver.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

describe('X-Hoorn-Signature', () => {
  // The worked example of docs/api-channel.md.
  const secret = 'hsk_example_4f9b2c7e1a6d3085';
  const t = 1767600000;
  const body = '{"id":"msg-1001","from":{"id":"user-42","name":"Sanne de Vries"},"text":"Waar blijft mijn bestelling?"}';
  const header = 't=1767600000,v1=6e4c0c6ec2d334bf798ba97fbe4d6f8981b460085ef137345e6836cfa0f681a2';
  const at = (iso: string) => new Date(iso).getTime();

  it('matches the documented example', () => {
    expect(hoornSignature(secret, t, body)).toBe('6e4c0c6ec2d334bf798ba97fbe4d6f8981b460085ef137345e6836cfa0f681a2');
    expect(hoornSignatureHeader(secret, t, body)).toBe(header);
    expect(verifyHoornSignature(secret, header, Buffer.from(body), at('2026-01-05T08:00:00Z'))).toEqual({ ok: true, timestamp: t });
    expect(parseApiInbound(Buffer.from(body))).toEqual([
      expect.objectContaining({ kind: 'message', providerMessageId: 'msg-1001', from: expect.objectContaining({ externalId: 'user-42' }), body: 'Waar blijft mijn bestelling?' }),
    ]);
  });

  it('accepts up to 5 minutes of clock difference either way, and refuses more (replays)', () => {
    expect(verifyHoornSignature(secret, header, Buffer.from(body), at('2026-01-05T08:05:00Z')).ok).toBe(true);
    expect(verifyHoornSignature(secret, header, Buffer.from(body), at('2026-01-05T07:55:00Z')).ok).toBe(true);
    expect(verifyHoornSignature(secret, header, Buffer.from(body), at('2026-01-05T08:05:01Z'))).toMatchObject({ ok: false, reason: expect.stringMatching(/5 minutes/) });
    expect(verifyHoornSignature(secret, header, Buffer.from(body), at('2026-01-05T07:54:59Z')).ok).toBe(false);
  });

  it('refuses a missing or malformed header, another body, another secret, or a moved timestamp', () => {
    const now = at('2026-01-05T08:00:00Z');
    expect(verifyHoornSignature(secret, undefined, Buffer.from(body), now)).toEqual({ ok: false, reason: 'Missing X-Hoorn-Signature' });
    expect(verifyHoornSignature(secret, 'v1=abc', Buffer.from(body), now).ok).toBe(false);
    expect(verifyHoornSignature(secret, header, Buffer.from(body.replace('1001', '1002')), now).ok).toBe(false);
    expect(verifyHoornSignature('another-secret-another-secret', header, Buffer.from(body), now).ok).toBe(false);
    expect(verifyHoornSignature(secret, header.replace('t=1767600000', 't=1767600001'), Buffer.from(body), now).ok).toBe(false);
    // Secret rotation: one of several v1 parts is enough.
    expect(verifyHoornSignature(secret, `t=${t},v1=${'0'.repeat(64)},v1=${hoornSignature(secret, t, body)}`, Buffer.from(body), now).ok).toBe(true);
  });
});

const SECRET = 'channel-signing-secret-0123456789abcdef';

describe('API channel round trip', () => {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  let h: ChannelHarness;
  let receiver: FakeApiReceiver;
  let channel: { id: string; webhookUrl: string | null };
  let path: string;

  beforeAll(async () => {
    h = await channelHarness({ clock });
    receiver = await new FakeApiReceiver(SECRET, () => clock.now().getTime()).start();
    channel = await h.connect({ type: 'api', provider: 'hoorn', name: 'Onze app', config: { callbackUrl: receiver.url }, secrets: { signingSecret: SECRET } });
    path = new URL(channel.webhookUrl!).pathname;
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.stop();
  });

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const post = (document: unknown, opts: { secret?: string; t?: number; header?: string | null } = {}) => {
    const signed = signedApiPost(opts.secret ?? SECRET, document, opts.t ?? now());
    const headers: Record<string, string> = { ...signed.headers };
    if (opts.header === null) delete headers['x-hoorn-signature'];
    else if (opts.header) headers['x-hoorn-signature'] = opts.header;
    return h.app.inject({ method: 'POST', url: path, headers, payload: signed.payload });
  };
  const providerIdOf = async (messageId: string) => (await h.t.platform.db.select({ id: messages.providerMessageId }).from(messages).where(eq(messages.id, messageId)))[0]!.id;
  const message = (id: string, text: string, extra: Record<string, unknown> = {}) => ({ id, from: { id: 'user-42', name: 'Sanne de Vries', email: 'sanne@example.nl' }, text, ...extra });

  it('tests the connection with a signed ping the receiver verifies', async () => {
    expect((await h.api('POST', `/api/channels/${channel.id}/test`)).json()).toEqual({ ok: true, detail: 'The callback URL answered the signed ping with HTTP 204' });
    expect(receiver.received.at(-1)!.document).toEqual({ type: 'ping', sentAt: '2026-03-02T09:00:00.000Z' });
    expect(receiver.rejected).toEqual([]);
  });

  it('refuses a missing or wrong signature and a stale or future timestamp (401), storing nothing', async () => {
    const m = message('m-0', 'Hallo');
    expect((await post(m, { header: null })).statusCode).toBe(401);
    expect((await post(m, { secret: 'not-the-secret-not-the-secret' })).statusCode).toBe(401);
    expect((await post(m, { t: now() - 301 })).statusCode).toBe(401);
    expect((await post(m, { t: now() + 301 })).statusCode).toBe(401);
    expect((await post(m, { header: `t=${now()},v1=${'a'.repeat(64)}` })).statusCode).toBe(401);
    expect(await h.conversations()).toEqual([]);
  });

  it('takes a message in, routes it, and delivers the signed reply; status updates move it to delivered and read', async () => {
    const res = await post(message('m-1', 'Waar blijft mijn bestelling?', { sentAt: '2026-03-02T08:59:58+01:00' }));
    expect(res.statusCode, res.body).toBe(200);
    expect((await post(message('m-1', 'Waar blijft mijn bestelling?'))).statusCode).toBe(200); // a repeat adds nothing
    const [conversation] = await h.conversations();
    expect(conversation).toMatchObject({ channelType: 'api', customer: { name: 'Sanne de Vries' } });
    expect((await h.messages(conversation!.id)).map((m) => m.body)).toEqual(['Waar blijft mijn bestelling?']);

    await h.routeToAgent(conversation!.id);
    const reply = await h.reply(conversation!.id, 'Hij wordt morgen bezorgd.');
    expect(receiver.rejected).toEqual([]);
    const delivered = receiver.received.at(-1)!;
    expect(delivered.document).toEqual({
      type: 'message',
      id: reply.id,
      conversationId: conversation!.id,
      to: { id: 'user-42' },
      text: 'Hij wordt morgen bezorgd.',
      attachments: [],
      sentAt: '2026-03-02T09:00:00.000Z',
    });
    expect(delivered.request.headers['idempotency-key']).toBe(reply.id);
    expect((await h.messages(conversation!.id)).find((m) => m.id === reply.id)!.status).toBe('sent');
    expect(await providerIdOf(reply.id)).toBe('out:rcv-1');

    // The receiver's ids may collide with the user's message ids: still no replay either way.
    expect((await post(message('rcv-1', 'Dank je!'))).statusCode).toBe(200);
    expect((await post({ type: 'status', messageId: 'rcv-1', status: 'delivered' })).statusCode).toBe(200);
    expect((await h.messages(conversation!.id)).find((m) => m.id === reply.id)!.status).toBe('delivered');
    expect((await post({ type: 'status', messageId: 'rcv-1', status: 'read' })).statusCode).toBe(200);
    expect((await post({ type: 'status', messageId: 'rcv-1', status: 'delivered' })).statusCode).toBe(200);
    expect((await h.messages(conversation!.id)).map((m) => [m.body, m.status])).toEqual([
      ['Waar blijft mijn bestelling?', 'received'],
      ['Hij wordt morgen bezorgd.', 'read'],
      ['Dank je!', 'received'],
    ]);
  });

  it('sends attachments as links the integrator can download without logging in', async () => {
    const [conversation] = await h.conversations();
    const upload = await h.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie: h.agent.cookie, 'content-type': 'application/pdf', 'x-filename': 'label.pdf' }, payload: Buffer.from('%PDF-1.4 label') });
    expect(upload.statusCode, upload.body).toBe(201);
    await h.reply(conversation!.id, 'Hier is het retourlabel', { attachmentIds: [upload.json().id] });
    const [file] = receiver.received.at(-1)!.document.attachments;
    expect(file).toMatchObject({ name: 'label.pdf', contentType: 'application/pdf', size: 14 });
    const link = new URL(file.url);
    expect(link.pathname).toBe(`/channels/api/${channel.id}/files/${upload.json().id}`);
    const fetched = await h.app.inject({ method: 'GET', url: link.pathname + link.search });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.body).toBe('%PDF-1.4 label');
    expect((await h.app.inject({ method: 'GET', url: link.pathname + link.search.replace(/expires=(\d+)/, (_m, e) => `expires=${Number(e) + 1}`) })).statusCode).toBe(404);
  });

  it('keeps threads apart, and matches status updates by Hoorn’s id when the receiver answers none', async () => {
    expect((await post(message('m-2', 'Over bestelling A-1002', { thread: 'order-A1002' }))).statusCode).toBe(200);
    const threads = await h.conversations();
    expect(threads.length).toBe(2);
    const second = threads.find((c) => c.id !== threads.at(-1)!.id)!;
    receiver.failures.push({ status: 202, body: '' });
    const reply = await h.api('POST', `/api/conversations/${second.id}/messages`, { body: 'Die is al onderweg.' });
    expect(reply.statusCode, reply.body).toBe(201);
    await h.t.platform.outbox.drainOnce();
    expect(await providerIdOf(reply.json().id)).toBe(`out:${reply.json().id}`);
    expect((await post({ type: 'status', messageId: reply.json().id, status: 'failed', error: 'app uninstalled' })).statusCode).toBe(200);
    expect((await h.messages(second.id)).find((m) => m.id === reply.json().id)).toMatchObject({ status: 'failed', error: 'app uninstalled' });
  });

  it('retries a 503 from the callback, and fails a 400 with the receiver’s message', async () => {
    const [conversation] = (await h.conversations()).filter((c) => c.subject === null).slice(-1);
    receiver.failures.push({ status: 503, body: { error: { message: 'maintenance' } } });
    const later = await h.reply(conversation!.id, 'Nog even geduld');
    expect((await h.messages(conversation!.id)).find((m) => m.id === later.id)!.status).toBe('queued');
    clock.advance(60_000);
    await h.t.platform.outbox.drainOnce();
    expect((await h.messages(conversation!.id)).find((m) => m.id === later.id)!.status).toBe('sent');

    receiver.failures.push({ status: 400, body: { message: 'unknown user' } });
    const refused = await h.reply(conversation!.id, 'Hallo?');
    expect((await h.messages(conversation!.id)).find((m) => m.id === refused.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/HTTP 400.*unknown user/) });
  });

  it('answers malformed (validly signed) bodies with 200 or a clear 400, never a 500', async () => {
    const bad = await post({ id: 'm-x', from: { id: '' }, text: 'hoi' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/from\.id/);
    const before = (await h.conversations()).length;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.record({ id: fc.oneof(fc.string(), fc.integer()), from: fc.oneof(fc.jsonValue(), fc.record({ id: fc.string({ maxLength: 3 }), email: fc.string() })), text: fc.oneof(fc.string(), fc.constant(null)) }, { requiredKeys: [] }),
          fc.record({ type: fc.constant('status'), messageId: fc.string(), status: fc.string() }),
        ),
        async (document) => {
          const res = await post(typeof document === 'string' ? document : JSON.stringify(document));
          expect([200, 400]).toContain(res.statusCode);
        },
      ),
      { numRuns: 80 },
    );
    // Random ids that happened to be valid messages may have opened conversations; nothing crashed.
    expect((await h.conversations()).length).toBeGreaterThanOrEqual(before);
  });
});
