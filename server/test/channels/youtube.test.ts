import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getChannel, getChannelState } from '../../src/channels/channels.store.ts';
import { pollChannelOnce } from '../../src/channels/pollers.ts';
import { youtubeAdapter } from '../../src/channels/youtube/index.ts';
import { advanceCursor, isAfterCursor, nextPacificMidnight, type CommentCursor } from '../../src/channels/youtube/youtube.parse.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { createPlatform } from '../../src/platform/create.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { FakeYouTube } from '../fakes/youtube.ts';
import { testConfig } from '../helpers.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

/** A YouTube channel id: UC and 22 more characters. */
const ytId = (name: string) => `UC${name}${'_'.repeat(22)}`.slice(0, 24);
const OWNER = { id: ytId('hoorn_support'), title: 'Hoorn' };
const OAUTH = { clientId: '1234-hoorn.apps.googleusercontent.com', clientSecret: 'GOCSPX-client-secret', refreshToken: '1//refresh-token-of-the-owner' };
const person = (name: string) => ({ channelId: ytId(name.toLowerCase()), name });

describe('YouTube polling cursor and quota reset (pure)', () => {
  it('takes a second comment of the same second, but not the first again', () => {
    const cursor = advanceCursor(undefined, [{ id: 'a', publishedAt: '2026-01-05T08:40:00Z' }, { id: 'b', publishedAt: '2026-01-05T08:30:00Z' }]);
    expect(cursor).toEqual({ publishedAt: '2026-01-05T08:40:00Z', idsAtPublishedAt: ['a'] });
    expect(isAfterCursor(cursor, { id: 'a', publishedAt: '2026-01-05T08:40:00Z' })).toBe(false);
    expect(isAfterCursor(cursor, { id: 'c', publishedAt: '2026-01-05T08:40:00Z' })).toBe(true);
    expect(isAfterCursor(cursor, { id: 'd', publishedAt: '2026-01-05T08:39:59Z' })).toBe(false);
    expect(advanceCursor(cursor, [{ id: 'c', publishedAt: '2026-01-05T08:40:00Z' }])).toEqual({ publishedAt: '2026-01-05T08:40:00Z', idsAtPublishedAt: ['a', 'c'] });
    expect(advanceCursor(cursor, [{ id: 'e', publishedAt: '2026-01-05T08:41:00Z' }])).toEqual({ publishedAt: '2026-01-05T08:41:00Z', idsAtPublishedAt: ['e'] });
  });

  it('takes every comment exactly once, however the comments (many in one second) spread over passes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 40 }), fc.array(fc.nat(40), { maxLength: 8 }), (seconds, cuts) => {
        const comments = [...seconds].sort((a, b) => a - b).map((s, i) => ({ id: `c${i}`, publishedAt: new Date(Date.UTC(2026, 0, 5, 8, 0, s)).toISOString() }));
        const ends = [...new Set([...cuts.map((c) => Math.min(c, comments.length)), comments.length])].sort((a, b) => a - b);
        let cursor: CommentCursor | undefined;
        const taken: string[] = [];
        for (const end of ends) {
          // Each pass sees everything published so far, newest first, as the list does.
          const fresh = comments.slice(0, end).reverse().filter((c) => isAfterCursor(cursor, c));
          taken.push(...fresh.map((c) => c.id));
          cursor = advanceCursor(cursor, fresh);
        }
        expect(taken.sort()).toEqual(comments.map((c) => c.id).sort());
      }),
      { numRuns: 200 },
    );
  });

  it('finds the next midnight in California, in winter, in summer and on the day the clocks change', () => {
    expect(nextPacificMidnight(new Date('2026-01-05T09:00:00Z')).toISOString()).toBe('2026-01-06T08:00:00.000Z');
    expect(nextPacificMidnight(new Date('2026-01-05T07:59:00Z')).toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(nextPacificMidnight(new Date('2026-07-01T12:00:00Z')).toISOString()).toBe('2026-07-02T07:00:00.000Z');
    expect(nextPacificMidnight(new Date('2026-03-08T09:00:00Z')).toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(nextPacificMidnight(new Date('2026-11-01T07:30:00Z')).toISOString()).toBe('2026-11-02T08:00:00.000Z');
  });
});

describe('YouTube channel', () => {
  const clock = new ManualClock('2026-01-05T07:00:00Z');
  let h: ChannelHarness;
  let fake: FakeYouTube;
  let channel: { id: string };

  const pollOnce = async (p: Platform = h.t.platform) => pollChannelOnce(p, youtubeAdapter, (await getChannel(p.db, h.workspaceId, channel.id))!);
  const listCalls = () => fake.to(/^\/youtube\/v3\/commentThreads$/).length;
  const conversationByName = async (name: string) => (await h.conversations()).find((c) => c.customer.name === name)!;

  beforeAll(async () => {
    h = await channelHarness({ clock });
    fake = await new FakeYouTube(OWNER, OAUTH, 2, () => clock.now()).start();
    fake.addComment({ id: 'UgzAnna', text: 'Waar vind ik de handleiding?', author: person('Anna'), publishedAt: '2026-01-05T06:00:00Z' });
    fake.addComment({ id: 'UgzBram', text: 'Werkt dit ook op de Mk2?', author: person('Bram'), publishedAt: '2026-01-05T06:10:00Z' });
    fake.addReply('UgzBram', { id: 'UgzBram.carla', text: 'Ja, bij mij wel', author: person('Carla'), publishedAt: '2026-01-05T06:20:00Z' });
    fake.addReply('UgzBram', { id: 'UgzBram.owner', text: 'Ja, vanaf versie 2.1', author: { channelId: OWNER.id, name: OWNER.title }, publishedAt: '2026-01-05T06:30:00Z' });
    fake.addComment({ id: 'UgzDirk', text: 'Top video!', author: person('Dirk'), publishedAt: '2026-01-05T06:40:00Z' });
    fake.addComment({ id: 'UgzEva', text: 'Wanneer komt deel 2?', author: person('Eva'), publishedAt: '2026-01-05T06:40:00Z' });
    // Older threads: a first pass reads three pages of two.
    fake.addComment({ id: 'UgzKees', text: 'Mooi gemaakt', author: person('Kees'), publishedAt: '2026-01-05T05:00:00Z' });
    fake.addComment({ id: 'UgzLot', text: 'Wat kost dit?', author: person('Lot'), publishedAt: '2026-01-05T05:10:00Z' });
    channel = await h.connect({
      type: 'youtube',
      provider: 'google',
      name: 'YouTube',
      config: { channelId: OWNER.id, apiBaseUrl: fake.baseUrl, oauthBaseUrl: fake.baseUrl },
      secrets: OAUTH,
    });
  });
  afterAll(async () => {
    await h.close();
    await fake.stop();
  });

  it('tests the connection with channels.list, getting a token with the refresh token first', async () => {
    expect((await h.api('POST', `/api/channels/${channel.id}/test`)).json()).toEqual({ ok: true, detail: 'Connected to the YouTube channel “Hoorn”' });
    const [token] = fake.to(/^\/token$/);
    expect(token!.form).toEqual({ grant_type: 'refresh_token', client_id: OAUTH.clientId, client_secret: OAUTH.clientSecret, refresh_token: OAUTH.refreshToken });
    const wrong = await h.connect({ type: 'youtube', provider: 'google', config: { channelId: OWNER.id, apiBaseUrl: fake.baseUrl, oauthBaseUrl: fake.baseUrl }, secrets: { ...OAUTH, refreshToken: 'revoked' } });
    const failed = (await h.api('POST', `/api/channels/${wrong.id}/test`)).json();
    expect(failed).toEqual({ ok: false, detail: 'Google refused the refresh token: Token has been expired or revoked.' });
  });

  it('imports every comment on the first pass: a conversation per thread, replies by others in it, our own skipped', async () => {
    expect(await pollOnce()).toBe(7);
    expect(listCalls()).toBe(3);
    const [first] = fake.to(/^\/youtube\/v3\/commentThreads$/);
    const query = Object.fromEntries(new URL(first!.url, 'http://x').searchParams);
    expect(query).toMatchObject({ part: 'snippet,replies', allThreadsRelatedToChannelId: OWNER.id, order: 'time', maxResults: '100' });
    expect(first!.headers.authorization).toMatch(/^Bearer ya29\.fake-access-token-\d+$/);
    expect(new URL(fake.to(/^\/youtube\/v3\/commentThreads$/)[1]!.url, 'http://x').searchParams.get('pageToken')).toBeTruthy();

    const conversations = await h.conversations();
    expect(conversations.map((c) => c.customer.name).sort()).toEqual(['Anna', 'Bram', 'Dirk', 'Eva', 'Kees', 'Lot']);
    const bram = await conversationByName('Bram');
    expect((await h.messages(bram.id)).map((m) => m.body)).toEqual(['Werkt dit ook op de Mk2?', 'Ja, bij mij wel']);
  });

  it('imports nothing on a pass with nothing new, reading only until the cursor', async () => {
    const before = listCalls();
    expect(await pollOnce()).toBe(0);
    expect(listCalls() - before).toBe(2); // the second page reaches older threads
  });

  it('imports only what is new: a new thread, and a reply in an older thread', async () => {
    clock.advance(5 * 60_000);
    fake.addComment({ id: 'UgzFrank', text: 'Geluid valt weg na 3 minuten', author: person('Frank'), publishedAt: '2026-01-05T07:05:00Z' });
    fake.addReply('UgzEva', { id: 'UgzEva.gijs', text: 'Dat vraag ik me ook af', author: person('Gijs'), publishedAt: '2026-01-05T07:06:00Z' });
    expect(await pollOnce()).toBe(2);
    const eva = await conversationByName('Eva');
    expect((await h.messages(eva.id)).map((m) => m.body)).toEqual(['Wanneer komt deel 2?', 'Dat vraag ik me ook af']);
    expect((await h.conversations()).length).toBe(7);
  });

  it('after a restart (a fresh platform on the same database) repeats nothing and takes only the new', async () => {
    fake.addComment({ id: 'UgzHanna', text: 'Is er een Nederlandse versie?', author: person('Hanna'), publishedAt: '2026-01-05T07:10:00Z' });
    const restarted = await createPlatform(testConfig(), { database: { ...h.t.platform.database, close: async () => {} }, clock, log: pino({ level: 'silent' }) });
    try {
      const tokensBefore = fake.tokensIssued;
      expect(await pollOnce(restarted)).toBe(1);
      expect(fake.tokensIssued).toBe(tokensBefore + 1); // nothing of the old process's memory
      expect(await pollOnce(restarted)).toBe(0);
    } finally {
      await restarted.close();
    }
    expect((await h.conversations()).map((c) => c.customer.name)).toContain('Hanna');
    expect(await pollOnce()).toBe(0);
  });

  it('refreshes the access token once when YouTube refuses it', async () => {
    fake.revokeAccessTokens();
    const tokensBefore = fake.tokensIssued;
    expect(await pollOnce()).toBe(0);
    expect(fake.tokensIssued).toBe(tokensBefore + 1);
  });

  it('stops polling until midnight Pacific time when the quota is spent, then catches up', async () => {
    fake.quotaExceeded = true;
    fake.addComment({ id: 'UgzIlse', text: 'Kan ik dit retourneren?', author: person('Ilse'), publishedAt: '2026-01-05T07:20:00Z' });
    clock.set('2026-01-05T07:30:00Z'); // 23:30 in California
    expect(await pollOnce()).toBe(0);
    expect(await getChannelState(h.t.platform.db, channel.id, 'backoffUntil')).toBe('2026-01-05T08:00:00.000Z');
    const calls = fake.requests.length;
    clock.set('2026-01-05T07:59:00Z');
    expect(await pollOnce()).toBe(0);
    expect(fake.requests.length).toBe(calls); // no quota spent while waiting

    clock.set('2026-01-05T08:00:01Z');
    fake.quotaExceeded = false;
    expect(await pollOnce()).toBe(1);
    expect((await h.conversations()).map((c) => c.customer.name)).toContain('Ilse');
  });

  it('routes a comment to the agent and posts the reply under the thread’s top comment', async () => {
    // Routing offers the oldest waiting conversation first: Kees's comment.
    const kees = await conversationByName('Kees');
    await h.routeToAgent(kees.id);
    const reply = await h.reply(kees.id, 'Dank je wel, Kees!');
    const [insert] = fake.to(/^\/youtube\/v3\/comments$/);
    expect(insert!.url).toBe('/youtube/v3/comments?part=snippet');
    expect(insert!.json).toEqual({ snippet: { parentId: 'UgzKees', textOriginal: 'Dank je wel, Kees!' } });
    expect(insert!.headers.authorization).toMatch(/^Bearer ya29\./);
    expect((await h.messages(kees.id)).find((m) => m.id === reply.id)!.status).toBe('sent');

    // A reply under a comment YouTube no longer has cannot succeed later: it fails at once, with the reason.
    fake.threads.splice(fake.threads.findIndex((t) => t.id === 'UgzKees'), 1);
    const orphan = await h.reply(kees.id, 'Nog een vraag?');
    const failed = (await h.messages(kees.id)).find((m) => m.id === orphan.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/HTTP 404.*parent comment could not be found/);

    // Our reply shows up in the next list as the channel's own comment: not imported.
    clock.advance(60_000);
    expect(await pollOnce()).toBe(0);
    expect((await h.messages(kees.id)).map((m) => m.direction)).toEqual(['inbound', 'outbound', 'outbound']);
  });
});
