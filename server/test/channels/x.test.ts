import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages } from '../../src/conversations/conversations.schema.ts';
import { WebhookError } from '../../src/channels/contract.ts';
import { crcResponseToken, deliverySignature, parseAccountActivity, tweetLength, verifyDeliverySignature } from '../../src/channels/x/x.parse.ts';
import { getChannel } from '../../src/channels/channels.store.ts';
import { FakeX } from '../fakes/x.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

const ACCOUNT = { id: '1234567890', username: 'hoornsupport', name: 'Hoorn Support' };
const CONSUMER_SECRET = 'consumer-secret-of-the-hoorn-x-app';
const TOKEN = 'oauth2-user-access-token-of-hoornsupport';

describe('X signatures (pure)', () => {
  it('counts a tweet as X does: CJK and emoji twice, an emoji sequence once, every URL as 23', () => {
    expect(tweetLength('Bedankt voor uw geduld!')).toBe(23);
    expect(tweetLength('héllo')).toBe(5);
    expect(tweetLength('日本語')).toBe(6);
    expect(tweetLength('👍')).toBe(2);
    expect(tweetLength('👨‍👩‍👧')).toBe(2);
    expect(tweetLength('zie https://example.nl/a/very/long/path?x=1 ok')).toBe(4 + 23 + 3);
  });

  it('answers the CRC vector of channels.md', () => {
    expect(crcResponseToken('z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu', '9b4507b3-9040-4669-9ca3-6b94edb50553')).toBe('sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=');
  });

  it('verifies a delivery signature over the exact bytes, and refuses a missing or altered one', () => {
    const body = Buffer.from('{"for_user_id":"1234567890","tweet_create_events":[]}');
    const header = `sha256=${createHmac('sha256', CONSUMER_SECRET).update(body).digest('base64')}`;
    expect(deliverySignature(CONSUMER_SECRET, body)).toBe(header);
    expect(() => verifyDeliverySignature(CONSUMER_SECRET, body, header)).not.toThrow();
    expect(() => verifyDeliverySignature(CONSUMER_SECRET, body, undefined)).toThrow(WebhookError);
    expect(() => verifyDeliverySignature(CONSUMER_SECRET, Buffer.from(`${body} `), header)).toThrow(/Wrong/);
    expect(() => verifyDeliverySignature('another-consumer-secret', body, header)).toThrow(WebhookError);
  });

  it('ignores deliveries for another account and the account’s own messages and tweets', () => {
    const own = JSON.stringify(FakeX.dm(ACCOUNT.id, { id: '1', senderId: ACCOUNT.id, text: 'ours' }));
    expect(parseAccountActivity(Buffer.from(own), ACCOUNT.id)).toEqual([]);
    const ownTweet = JSON.stringify(FakeX.tweet(ACCOUNT.id, { id: '2', userId: ACCOUNT.id, text: 'our tweet' }));
    expect(parseAccountActivity(Buffer.from(ownTweet), ACCOUNT.id)).toEqual([]);
    const other = JSON.stringify(FakeX.dm('555', { id: '3', senderId: '777', text: 'for someone else' }));
    expect(parseAccountActivity(Buffer.from(other), ACCOUNT.id)).toEqual([]);
  });
});

describe('X channel', () => {
  let h: ChannelHarness;
  let fake: FakeX;
  let channel: { id: string; webhookUrl: string | null };
  let path: string;

  beforeAll(async () => {
    h = await channelHarness();
    fake = await new FakeX(ACCOUNT, TOKEN).start();
    channel = await h.connect({ type: 'x', provider: 'x', name: 'X', config: { accountUserId: ACCOUNT.id, apiBaseUrl: fake.baseUrl }, secrets: { consumerSecret: CONSUMER_SECRET, userAccessToken: TOKEN } });
    path = new URL(channel.webhookUrl!).pathname;
  });
  const messageRow = async (id: string) => (await h.t.platform.db.select().from(messages).where(eq(messages.id, id)))[0]!;
  const conversationRow = async (id: string) => (await h.t.platform.db.select().from(conversations).where(eq(conversations.id, id)))[0]!;
  afterAll(async () => {
    await h.close();
    await fake.stop();
  });

  /** Posts a delivery signed as X signs it (or with the given header, or none). */
  const post = (body: unknown, signature?: string | null) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const header = signature === undefined ? FakeX.sign(CONSUMER_SECRET, raw) : signature;
    return h.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json; charset=utf-8', ...(header ? { 'x-twitter-webhooks-signature': header } : {}) }, payload: raw });
  };

  it('answers the CRC with the response_token, and a GET without crc_token with 400', async () => {
    const crc = await h.app.inject({ method: 'GET', url: `${path}?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553` });
    expect(crc.statusCode).toBe(200);
    expect(crc.headers['content-type']).toMatch(/application\/json/);
    expect(crc.json()).toEqual({ response_token: `sha256=${createHmac('sha256', CONSUMER_SECRET).update('9b4507b3-9040-4669-9ca3-6b94edb50553').digest('base64')}` });
    expect((await h.app.inject({ method: 'GET', url: path })).statusCode).toBe(400);
  });

  it('tests the connection with /2/users/me, and reports a refused token', async () => {
    expect((await h.api('POST', `/api/channels/${channel.id}/test`)).json()).toEqual({ ok: true, detail: 'Connected as @hoornsupport' });
    expect(fake.to(/^\/2\/users\/me$/)[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const wrong = await h.connect({ type: 'x', provider: 'x', config: { accountUserId: ACCOUNT.id, apiBaseUrl: fake.baseUrl }, secrets: { consumerSecret: CONSUMER_SECRET, userAccessToken: 'a-token-x-does-not-know' } });
    const failed = (await h.api('POST', `/api/channels/${wrong.id}/test`)).json();
    expect(failed.ok).toBe(false);
    expect(failed.detail).toMatch(/HTTP 401.*Unauthorized/);
  });

  it('refuses a delivery with a missing or wrong signature (401) and stores nothing', async () => {
    const body = FakeX.dm(ACCOUNT.id, { id: '1500000000000000001', senderId: '3001969357', text: 'Hallo?' });
    expect((await post(body, null)).statusCode).toBe(401);
    expect((await post(body, FakeX.sign('not-the-consumer-secret', JSON.stringify(body)))).statusCode).toBe(401);
    expect((await post(body, 'sha256=')).statusCode).toBe(401);
    expect(await h.conversations()).toEqual([]);
  });

  it('runs a DM in, through routing to the agent, the reply out as a v2 DM, and the read receipt back', async () => {
    const dm = FakeX.dm(ACCOUNT.id, { id: '1500000000000000010', senderId: '3001969357', text: 'Mijn pakket is niet aangekomen' });
    const res = await post(dm);
    expect(res.statusCode, res.body).toBe(200);
    expect((await post(dm)).statusCode).toBe(200); // X's redelivery: nothing new
    const conversations = await h.conversations();
    expect(conversations).toHaveLength(1);
    const conversation = conversations[0]!;
    expect(conversation).toMatchObject({ channelType: 'x', customer: { name: 'Sanne de Vries' } });
    expect((await h.messages(conversation.id)).map((m) => m.body)).toEqual(['Mijn pakket is niet aangekomen']);

    // Our own DM coming back through the webhook is not a customer message.
    expect((await post(FakeX.dm(ACCOUNT.id, { id: '1500000000000000011', senderId: ACCOUNT.id, text: 'echo' }))).statusCode).toBe(200);
    expect(await h.messages(conversation.id)).toHaveLength(1);
    // The customer's next DM joins the same conversation (one DM conversation per customer).
    expect((await post(FakeX.dm(ACCOUNT.id, { id: '1500000000000000012', senderId: '3001969357', text: 'Ordernummer 4711' }))).statusCode).toBe(200);
    expect((await h.messages(conversation.id)).map((m) => m.body)).toEqual(['Mijn pakket is niet aangekomen', 'Ordernummer 4711']);
    expect(await h.conversations()).toHaveLength(1);

    await h.routeToAgent(conversation.id);
    const reply = await h.reply(conversation.id, 'Dag Sanne, ik zoek het voor je uit.');
    const [sent] = fake.to(/^\/2\/dm_conversations\/with\/3001969357\/messages$/);
    expect(sent!.json).toEqual({ text: 'Dag Sanne, ik zoek het voor je uit.' });
    expect(sent!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent!.headers['content-type']).toBe('application/json');
    const stored = (await h.messages(conversation.id)).find((m) => m.id === reply.id)!;
    expect(stored.status).toBe('sent');

    const dmEventId = (await messageRow(reply.id)).providerMessageId!;
    expect(dmEventId).toMatch(/^\d+$/);
    const read = { for_user_id: ACCOUNT.id, direct_message_mark_read_events: [{ created_timestamp: '1795000100000', sender_id: '3001969357', target: { recipient_id: ACCOUNT.id }, last_read_event_id: dmEventId }], users: {} };
    expect((await post(read)).statusCode).toBe(200);
    expect((await h.messages(conversation.id)).find((m) => m.id === reply.id)!.status).toBe('read');
  });

  it('keeps a DM send that hit the rate limit queued for a retry', async () => {
    const [conversation] = (await h.conversations()).filter((c) => c.channelType === 'x');
    const reset = Math.floor(Date.now() / 1000) + 900;
    fake.failures.push({ status: 429, headers: { 'x-rate-limit-reset': String(reset) }, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 } });
    const reply = await h.reply(conversation!.id, 'Nog even geduld.');
    const stored = (await h.messages(conversation!.id)).find((m) => m.id === reply.id)!;
    expect(stored.status).toBe('queued');
    // The retry waits until X's rate-limit window reopens.
    const [pending] = (await h.api('GET', '/api/outbox?status=pending')).json().items;
    expect(pending).toMatchObject({ kind: 'channel.x', attempts: 1, lastErrorKind: 'retryable', lastError: 'HTTP 429: Too Many Requests' });
    expect(Date.parse(pending.nextAttemptAt)).toBeGreaterThanOrEqual(reset * 1000 - 2000);
  });

  it('runs a mention in as a public thread, and answers it with a reply tweet', async () => {
    // The agent's capacity holds one X conversation: finish the DM first.
    const [dm] = await h.conversations();
    expect((await h.api('PATCH', `/api/conversations/${dm!.id}`, { status: 'resolved' })).statusCode).toBe(200);
    const mention = FakeX.tweet(ACCOUNT.id, { id: '1600000000000000001', userId: '44196397', text: '@hoornsupport mijn bestelling is kapot aangekomen' });
    expect((await post(mention)).statusCode).toBe(200);
    expect((await post(mention)).statusCode).toBe(200);
    const conversation = (await h.conversations()).find((c) => c.customer.name === 'Pieter Jansen')!;
    expect(conversation).toBeTruthy();
    const row = await conversationRow(conversation.id);
    expect(row.threadKey).toBe('tweet:1600000000000000001');
    expect(row.channelContext).toEqual({ kind: 'mention', rootTweetId: '1600000000000000001' });

    await h.routeToAgent(conversation.id);
    const reply = await h.reply(conversation.id, 'Wat vervelend! Stuur ons een DM met je ordernummer.');
    const [tweet] = fake.to(/^\/2\/tweets$/);
    expect(tweet!.json).toEqual({ text: 'Wat vervelend! Stuur ons een DM met je ordernummer.', reply: { in_reply_to_tweet_id: '1600000000000000001' } });
    expect(tweet!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect((await h.messages(conversation.id)).find((m) => m.id === reply.id)!.status).toBe('sent');

    // The customer answers our reply: the same conversation, and our next reply answers that tweet.
    const ourTweetId = (await messageRow(reply.id)).providerMessageId!;
    expect((await post(FakeX.tweet(ACCOUNT.id, { id: '1600000000000000002', userId: '44196397', text: '@hoornsupport gedaan!', inReplyTo: ourTweetId }))).statusCode).toBe(200);
    expect((await h.messages(conversation.id)).map((m) => m.body)).toContain('@hoornsupport gedaan!');
    await h.reply(conversation.id, 'Dank je, we kijken ernaar.');
    expect(fake.to(/^\/2\/tweets$/)[1]!.json.reply).toEqual({ in_reply_to_tweet_id: '1600000000000000002' });
    expect((await h.t.platform.db.select().from(conversations).where(eq(conversations.channelId, channel.id))).length).toBe(2);
  });

  it('refuses a public reply over 280 characters before storing it (a DM may be longer), without calling X', async () => {
    const conversation = (await h.conversations()).find((c) => c.customer.name === 'Pieter Jansen')!;
    const options = (await h.app.inject({ url: `/api/conversations/${conversation.id}/reply-options`, headers: { cookie: h.agent.cookie } })).json();
    expect(options.maxTextLength).toBe(280);
    const before = fake.to(/^\/2\/tweets$/).length;
    const count = (await h.messages(conversation.id)).length;
    const refused = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversation.id}/messages`, headers: { cookie: h.agent.cookie }, payload: { body: 'x'.repeat(281) } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'message_too_long', message: expect.stringMatching(/at most 280 characters; this reply has 281/) });
    expect((await h.messages(conversation.id)).length).toBe(count);
    expect(fake.to(/^\/2\/tweets$/).length).toBe(before);
  });

  it('renews the two-hour user token with the refresh token when X refuses it, stores the rotated pair, and sends', async () => {
    expect((await post(FakeX.dm(ACCOUNT.id, { id: '1500000000000000090', senderId: '3001969399', text: 'Waar blijft mijn retour?', name: 'Kees Visser', screenName: 'keesv' }))).statusCode).toBe(200);
    const conversation = (await h.conversations()).find((c) => c.customer.name === 'Kees Visser')!;
    await h.routeToAgent(conversation.id);
    fake.refreshToken = 'refresh-token-issued-with-offline-access';
    const patched = await h.api('PATCH', `/api/channels/${channel.id}`, { config: { oauthClientId: 'hoorn-x-client-id' }, secrets: { refreshToken: 'refresh-token-issued-with-offline-access' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const secretsNow = async () => h.t.platform.secrets.open<Record<string, string>>((await getChannel(h.t.platform.db, h.workspaceId, channel.id))!.secrets!);

    fake.token = 'the-token-x-knows-now'; // the stored one expired
    const first = await h.reply(conversation.id, 'Uw pakket is onderweg.');
    expect((await h.messages(conversation.id)).find((m) => m.id === first.id)!.status).toBe('sent');
    const refresh = fake.to(/^\/2\/oauth2\/token$/);
    expect(refresh).toHaveLength(1);
    expect(refresh[0]!.form).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-token-issued-with-offline-access', client_id: 'hoorn-x-client-id' });
    expect(fake.to(/^\/2\/dm_conversations\/with\/3001969399\/messages$/).at(-1)!.headers.authorization).toBe('Bearer the-token-x-knows-now-renewed');
    expect(await secretsNow()).toMatchObject({ userAccessToken: 'the-token-x-knows-now-renewed', refreshToken: 'refresh-token-issued-with-offline-access-rotated', userAccessTokenExpiresAt: expect.any(String) });

    // The next renewal uses the rotated refresh token that was stored.
    fake.token = 'expired-again';
    const second = await h.reply(conversation.id, 'Hij wordt morgen bezorgd.');
    expect((await h.messages(conversation.id)).find((m) => m.id === second.id)!.status).toBe('sent');
    expect(fake.to(/^\/2\/oauth2\/token$/).at(-1)!.form!.refresh_token).toBe('refresh-token-issued-with-offline-access-rotated');
  });

  it('answers malformed deliveries with a clear 400 or 200, never a crash', async () => {
    const bad = await post('{"for_user_id": 1234567890}');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/for_user_id/);
    const count = async () => (await h.t.platform.db.select().from(messages)).length;
    const before = await count();
    const events = fc.oneof(
      fc.jsonValue().map((v) => ({ for_user_id: ACCOUNT.id, direct_message_events: v })),
      fc.jsonValue().map((v) => ({ for_user_id: ACCOUNT.id, tweet_create_events: [v] })),
      fc.jsonValue().map((v) => ({ for_user_id: ACCOUNT.id, direct_message_events: [{ type: 'message_create', id: '42', message_create: v }] })),
      fc.jsonValue().map((v) => ({ for_user_id: ACCOUNT.id, direct_message_mark_read_events: v })),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), events.map((v) => JSON.stringify(v))), async (body) => {
        const res = await post(body);
        expect([200, 400]).toContain(res.statusCode);
      }),
      { numRuns: 60 },
    );
    expect(await count()).toBeGreaterThanOrEqual(before);
  });
});
