import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ChannelAdapter, InboundEvent, PollState, WebhookContext } from '../contract.ts';
import { describeProviderError, joinUrl, providerFetch, type ProviderResponse } from '../http.ts';
import {
  advanceCursor,
  commentsOf,
  commentThreadList,
  commentToEvent,
  isAfterCursor,
  nextPacificMidnight,
  type CommentCursor,
  type CommentThread,
} from './youtube.parse.ts';

const config = z.object({
  /** The YouTube channel (UC…) whose videos' comments this channel answers. */
  channelId: z.string().regex(/^UC[A-Za-z0-9_-]{22}$/, 'a YouTube channel id starts with UC and has 24 characters'),
  /** Milliseconds between polls; each poll costs quota (1 unit per page). */
  intervalMs: z.number().int().min(10_000).max(86_400_000).default(60_000),
  /** Google's APIs; tests point them at a fake. */
  apiBaseUrl: z.url().default('https://www.googleapis.com'),
  oauthBaseUrl: z.url().default('https://oauth2.googleapis.com'),
});
const secrets = z.object({
  clientId: z.string().min(1, 'the OAuth client id'),
  clientSecret: z.string().min(1, 'the OAuth client secret'),
  /** A refresh token of the channel's owner with the youtube.force-ssl scope. */
  refreshToken: z.string().min(1, 'a refresh token of the channel owner'),
});
type Config = z.infer<typeof config>;
type Secrets = z.infer<typeof secrets>;
type Ctx = WebhookContext<Config, Secrets>;

/** Pages read per pass at most: a first pass imports the latest comments, not a channel's whole history. */
const MAX_PAGES_PER_PASS = 10;
/** Backoff after a per-minute rate limit (not the daily quota). */
const RATE_LIMIT_BACKOFF_MS = 5 * 60_000;

/** The daily quota is spent: nothing works until it resets at midnight Pacific time. */
class QuotaExceeded extends DeliveryError {}
/** The access token was refused: refresh it once and try again. */
class TokenRefused extends DeliveryError {}

/** Google's error body: {error: {code, message, status, errors: [{reason, domain, message}]}}. */
function classifyFor(p: Platform) {
  return (response: ProviderResponse): DeliveryError | undefined => {
    const error = (response.json as { error?: { status?: string; errors?: Array<{ reason?: string }> } } | null)?.error;
    const reasons = (error?.errors ?? []).map((e) => e.reason);
    const description = describeProviderError(response);
    if (reasons.includes('quotaExceeded') || reasons.includes('dailyLimitExceeded') || error?.status === 'RESOURCE_EXHAUSTED') {
      const now = p.clock.now();
      return new QuotaExceeded('retryable', `YouTube quota exceeded (until midnight Pacific time): ${description}`, nextPacificMidnight(now).getTime() - now.getTime());
    }
    if (reasons.includes('rateLimitExceeded') || reasons.includes('userRateLimitExceeded')) return new DeliveryError('retryable', description, RATE_LIMIT_BACKOFF_MS);
    if (response.status === 401) return new TokenRefused('auth', description);
    // The video's owner switched comments off, or the comment was deleted: retrying will not help.
    if (reasons.some((r) => r === 'commentsDisabled' || r === 'parentCommentNotFound' || r === 'commentTextTooLong' || r === 'processingFailure')) return new DeliveryError('permanent', description);
    return undefined;
  };
}

/** Access tokens per platform (a fresh platform starts without), per channel, until they expire. */
const tokens = new WeakMap<Platform, Map<string, { key: string; accessToken: string; expiresAt: number }>>();

const secretsKey = (s: Secrets) => createHash('sha256').update(`${s.clientId}\n${s.refreshToken}`).digest('hex');

async function accessToken(ctx: Ctx, forceRefresh = false): Promise<string> {
  const { p, channel, config: c, secrets: s } = ctx;
  let cache = tokens.get(p);
  if (!cache) tokens.set(p, (cache = new Map()));
  const key = secretsKey(s);
  const cached = cache.get(channel.id);
  // A minute of margin: a token must not expire between this check and the call.
  if (!forceRefresh && cached && cached.key === key && cached.expiresAt - 60_000 > p.clock.now().getTime()) return cached.accessToken;
  const res = await providerFetch(joinUrl(c.oauthBaseUrl, 'token'), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: s.clientId, client_secret: s.clientSecret, refresh_token: s.refreshToken }).toString(),
    classify: (r) => {
      const body = r.json as { error?: string; error_description?: string } | null;
      // A revoked or expired refresh token, or a wrong client: an administrator must reconnect.
      if (body?.error === 'invalid_grant' || body?.error === 'invalid_client' || body?.error === 'unauthorized_client') {
        return new DeliveryError('auth', `Google refused the refresh token: ${body.error_description ?? body.error}`);
      }
      return undefined;
    },
  });
  const body = res.json as { access_token?: string; expires_in?: number } | null;
  if (!body?.access_token) throw new DeliveryError('retryable', 'Google answered the token request without an access_token');
  cache.set(channel.id, { key, accessToken: body.access_token, expiresAt: p.clock.now().getTime() + (body.expires_in ?? 3600) * 1000 });
  return body.access_token;
}

/** A YouTube API call with the channel owner's token; a refused token is refreshed once. */
async function youtubeFetch(ctx: Ctx, pathAndQuery: string, init: { method: 'GET' | 'POST'; body?: unknown }): Promise<ProviderResponse> {
  const call = async (token: string) =>
    providerFetch(joinUrl(ctx.config.apiBaseUrl, pathAndQuery), {
      method: init.method,
      headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      classify: classifyFor(ctx.p),
    });
  try {
    return await call(await accessToken(ctx));
  } catch (error) {
    if (!(error instanceof TokenRefused)) throw error;
    return call(await accessToken(ctx, true));
  }
}

async function listThreads(ctx: Ctx, pageToken: string | undefined) {
  const query = new URLSearchParams({ part: 'snippet,replies', allThreadsRelatedToChannelId: ctx.config.channelId, order: 'time', maxResults: '100', textFormat: 'plainText' });
  if (pageToken) query.set('pageToken', pageToken);
  const res = await youtubeFetch(ctx, `youtube/v3/commentThreads?${query}`, { method: 'GET' });
  const parsed = commentThreadList.safeParse(res.json);
  if (!parsed.success) throw new DeliveryError('retryable', `YouTube answered an unexpected commentThreads list: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * One polling pass: new comments since the cursor, newest pages first, until a page reaches
 * comments the cursor has passed. The quota running out pauses polling (backoffUntil) rather
 * than burning the next day's quota on retries.
 */
async function pollComments(ctx: Ctx, state: PollState): Promise<InboundEvent[]> {
  const now = ctx.p.clock.now();
  const backoffUntil = await state.get<string>('backoffUntil');
  if (backoffUntil && Date.parse(backoffUntil) > now.getTime()) return [];
  const cursor = await state.get<CommentCursor>('cursor');
  const threads: CommentThread[] = [];
  let pageToken: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES_PER_PASS; page++) {
      const list = await listThreads(ctx, pageToken);
      threads.push(...list.items);
      pageToken = list.nextPageToken;
      // order=time lists threads by their creation, newest first: past a thread older than the
      // cursor every thread is older (new replies deep in old threads are not seen this way).
      const reachedCursor = cursor && list.items.some((t) => Date.parse(t.snippet.topLevelComment.snippet.publishedAt) < Date.parse(cursor.publishedAt));
      if (!pageToken || reachedCursor) break;
    }
  } catch (error) {
    if (error instanceof DeliveryError && error.kind === 'retryable' && error.retryAfterMs) {
      await state.set('backoffUntil', new Date(now.getTime() + error.retryAfterMs).toISOString());
      ctx.p.log.warn({ channelId: ctx.channel.id, reason: error.message }, 'YouTube polling paused');
      return [];
    }
    throw error;
  }

  const events: InboundEvent[] = [];
  const seen: Array<{ id: string; publishedAt: string }> = [];
  // The list is newest first; store oldest first, so each conversation reads in order.
  for (const thread of threads.reverse()) {
    for (const { comment, isTop } of commentsOf(thread)) {
      const at = { id: comment.id, publishedAt: comment.snippet.publishedAt };
      if (!isAfterCursor(cursor, at)) continue;
      seen.push(at);
      // The channel's own answers (Hoorn's replies among them) are not customer messages.
      if (comment.snippet.authorChannelId?.value === ctx.config.channelId) continue;
      const event = commentToEvent(thread, comment, isTop);
      if (event) events.push(event);
    }
  }
  const next = advanceCursor(cursor, seen);
  if (next) await state.set('cursor', next);
  return events;
}

/** YouTube: comments on the channel's videos by polling; replies as comments under the thread. */
export const youtubeAdapter: ChannelAdapter<Config, Secrets> = {
  type: 'youtube',
  provider: 'google',
  label: 'YouTube',
  config,
  secrets,
  fields: [
    { key: 'channelId', kind: 'text', required: true, label: { nl: 'YouTube-kanaal-id', en: 'YouTube channel id' }, placeholder: 'UC…' },
    {
      key: 'intervalMs',
      kind: 'number',
      label: { nl: 'Pollinterval (milliseconden)', en: 'Polling interval (milliseconds)' },
      help: { nl: 'Elke controle kost quotum; standaard 60000 (een minuut).', en: 'Each check costs quota; default 60000 (one minute).' },
      placeholder: '60000',
    },
    { key: 'clientId', kind: 'secret', required: true, label: { nl: 'OAuth-client-id', en: 'OAuth client id' } },
    { key: 'clientSecret', kind: 'secret', required: true, label: { nl: 'OAuth-clientgeheim', en: 'OAuth client secret' } },
    {
      key: 'refreshToken',
      kind: 'secret',
      required: true,
      label: { nl: 'Vernieuwingstoken van de kanaaleigenaar', en: 'Refresh token of the channel owner' },
      help: { nl: 'Met het bereik youtube.force-ssl (reacties lezen en plaatsen).', en: 'With the youtube.force-ssl scope (read and post comments).' },
    },
    { key: 'apiBaseUrl', kind: 'url', label: { nl: 'API-adres', en: 'API address' }, placeholder: 'https://www.googleapis.com' },
    { key: 'oauthBaseUrl', kind: 'url', label: { nl: 'OAuth-adres', en: 'OAuth address' }, placeholder: 'https://oauth2.googleapis.com' },
  ],
  limits: () => ({ maxTextLength: 10_000, attachments: null, replyWindowHours: null }),
  poll: {
    intervalMs: (c) => c.intervalMs,
    run: pollComments,
  },
  async send(ctx, message) {
    const context = (ctx.conversation.channelContext ?? {}) as { topCommentId?: string };
    if (!context.topCommentId) throw new DeliveryError('permanent', 'this conversation has no YouTube comment thread to reply in');
    if (!message.body.trim()) throw new DeliveryError('permanent', 'YouTube cannot post an empty comment');
    const res = await youtubeFetch(ctx, 'youtube/v3/comments?part=snippet', { method: 'POST', body: { snippet: { parentId: context.topCommentId, textOriginal: message.body } } });
    const id = (res.json as { id?: string } | null)?.id;
    if (!id) throw new DeliveryError('retryable', 'YouTube answered without the new comment id');
    return { providerMessageId: id, meta: { commentId: id, parentId: context.topCommentId } };
  },
  async testConnection(ctx) {
    const res = await youtubeFetch(ctx, `youtube/v3/channels?${new URLSearchParams({ part: 'snippet', id: ctx.config.channelId })}`, { method: 'GET' });
    const title = (res.json as { items?: Array<{ snippet?: { title?: string } }> } | null)?.items?.[0]?.snippet?.title;
    if (!title) return { ok: false, detail: `YouTube knows no channel ${ctx.config.channelId}` };
    return { ok: true, detail: `Connected to the YouTube channel “${title}”` };
  },
};
