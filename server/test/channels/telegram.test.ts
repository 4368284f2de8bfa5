import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../fakes/telegram.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

const TOKEN = '123456:AAE-test-token-for-hoorn-abcdefgh';
const SECRET = 'webhook-secret-of-this-bot';

describe('Telegram channel', () => {
  let h: ChannelHarness;
  let fake: FakeTelegram;
  let channel: { id: string; webhookUrl: string | null };
  let path: string;

  beforeAll(async () => {
    h = await channelHarness();
    fake = await new FakeTelegram(TOKEN).start();
    channel = await h.connect({ type: 'telegram', provider: 'telegram', name: 'Telegram', config: { apiBaseUrl: fake.baseUrl }, secrets: { botToken: TOKEN, webhookSecret: SECRET } });
    path = new URL(channel.webhookUrl!).pathname;
  });
  afterAll(async () => {
    await h.close();
    await fake.stop();
  });

  const post = (body: unknown, secret: string | null = SECRET) =>
    h.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) }, payload: typeof body === 'string' ? body : JSON.stringify(body) });

  it('never returns the secrets, and tests the connection with getMe', async () => {
    const listed = (await h.api('GET', '/api/channels')).json().items.find((c: { id: string }) => c.id === channel.id);
    expect(listed.secretsSet.sort()).toEqual(['botToken', 'webhookSecret']);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    const test = await h.api('POST', `/api/channels/${channel.id}/test`);
    expect(test.json()).toEqual({ ok: true, detail: 'Connected as @hoorn_test_bot' });
    const wrong = await h.connect({ type: 'telegram', provider: 'telegram', config: { apiBaseUrl: fake.baseUrl }, secrets: { botToken: '999:wrong-token-wrong-token-xx', webhookSecret: SECRET } });
    const failed = (await h.api('POST', `/api/channels/${wrong.id}/test`)).json();
    expect(failed.ok).toBe(false);
    expect(failed.detail).toMatch(/HTTP 401.*Unauthorized/);
  });

  it('refuses a delivery without the secret token (401) and stores nothing', async () => {
    expect((await post(FakeTelegram.update(1), null)).statusCode).toBe(401);
    expect((await post(FakeTelegram.update(1), 'not-the-secret-token')).statusCode).toBe(401);
    expect(await h.conversations()).toEqual([]);
  });

  it('runs a message in, through routing to the agent, and the reply out as sendMessage', async () => {
    const res = await post(FakeTelegram.update(10, { text: 'Hallo, mijn bestelling is niet aangekomen' }));
    expect(res.statusCode, res.body).toBe(200);
    expect((await post(FakeTelegram.update(10))).statusCode).toBe(200); // Telegram's retry: nothing new
    const [conversation] = await h.conversations();
    expect(conversation).toMatchObject({ channelType: 'telegram', customer: { name: 'Sanne de Vries' } });
    expect((await h.messages(conversation!.id)).map((m) => m.body)).toEqual(['Hallo, mijn bestelling is niet aangekomen']);

    await h.routeToAgent(conversation!.id);
    const reply = await h.reply(conversation!.id, 'Dag Sanne, ik zoek het voor je uit.');
    const [sent] = fake.to(/\/sendMessage$/);
    expect(sent!.json).toEqual({ chat_id: 777000111, text: 'Dag Sanne, ik zoek het voor je uit.' });
    const stored = (await h.messages(conversation!.id)).find((m) => m.id === reply.id)!;
    expect(stored.status).toBe('sent');
  });

  it('fetches a photo after answering, and attaches it to the message', async () => {
    expect((await post(FakeTelegram.update(11, { photo: true, text: 'Zo ziet de doos eruit' }))).statusCode).toBe(200);
    await h.t.platform.outbox.drainOnce();
    const [conversation] = await h.conversations();
    const photo = (await h.messages(conversation!.id)).find((m) => m.body === 'Zo ziet de doos eruit')!;
    expect(photo.attachments).toEqual([expect.objectContaining({ name: 'photo-11.jpg', contentType: 'image/jpeg', size: 7 })]);
    expect(fake.to(/\/getFile$/)[0]!.url).toContain('file_id=large');
  });

  it('dead-letters a send the user blocked (403) with Telegram’s reason, and sends it again on retry', async () => {
    const [conversation] = await h.conversations();
    fake.failures.push({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } });
    const reply = await h.reply(conversation!.id, 'Bent u er nog?');
    const failed = (await h.messages(conversation!.id)).find((m) => m.id === reply.id)!;
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed.error).toMatch(/blocked by the user/);
    const retried = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversation!.id}/messages/${reply.id}/retry`, headers: { cookie: h.agent.cookie } });
    expect(retried.statusCode, retried.body).toBe(200);
    await h.t.platform.outbox.drainOnce();
    expect((await h.messages(conversation!.id)).find((m) => m.id === reply.id)!.status).toBe('sent');
  });

  it('answers malformed deliveries with a clear 400, keeps them, and never crashes', async () => {
    const bad = await post('{"update_id": "seven"}');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/update_id/);
    const kept = (await h.api('GET', `/api/channels/${channel.id}/rejects`)).json().items;
    expect(kept[0]).toMatchObject({ body: '{"update_id": "seven"}' });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ update_id: 5, message: v }))), async (body) => {
        const res = await post(body);
        expect([200, 400]).toContain(res.statusCode);
      }),
      { numRuns: 60 },
    );
  });
});
