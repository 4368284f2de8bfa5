import { z } from 'zod';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import type { ChannelAdapter, SendContext } from '../contract.ts';
import { WebhookError } from '../contract.ts';
import { describeProviderError, joinUrl, providerFetch, type ProviderResponse } from '../http.ts';
import { withUserToken } from './x.oauth.ts';
import { crcResponseToken, MAX_TWEET_LENGTH, parseAccountActivity, tweetLength, verifyDeliverySignature } from './x.parse.ts';

const config = z.object({
  /** The numeric user id of the account whose DMs and mentions this channel serves (for_user_id). */
  accountUserId: z.string().regex(/^\d{1,25}$/, 'the numeric user id of the account'),
  /** X's API; tests point it at a fake. */
  apiBaseUrl: z.url().default('https://api.x.com'),
  /** The app's OAuth 2.0 client id, to renew the user token with the refresh token. */
  oauthClientId: z.string().trim().min(1).optional(),
});
const secrets = z.object({
  /** The app's consumer secret (API key secret): it signs the CRC and every delivery. */
  consumerSecret: z.string().min(10, 'the consumer secret of the X app'),
  /** An OAuth 2.0 user-context access token of the account (dm.write, tweet.write, users.read). */
  userAccessToken: z.string().min(10, 'an OAuth 2.0 user access token of the account'),
  /** From the offline.access scope: renews the access token (which lasts two hours) and rotates. */
  refreshToken: z.string().min(10).optional(),
  oauthClientSecret: z.string().min(10).optional(),
  /** Written by Hoorn when it renews the token. */
  userAccessTokenExpiresAt: z.iso.datetime().optional(),
});
type Config = z.infer<typeof config>;
type Secrets = z.infer<typeof secrets>;

/**
 * X API v2 answers errors as problem JSON {title, detail, type, status}; a 429 says in
 * x-rate-limit-reset (epoch seconds) when the window reopens.
 */
function classify(response: ProviderResponse): DeliveryError | undefined {
  if (response.status !== 429) return undefined;
  const reset = Number(response.headers.get('x-rate-limit-reset'));
  const waitMs = Number.isFinite(reset) && reset > 0 ? Math.max(1000, reset * 1000 - Date.now()) : undefined;
  return new DeliveryError('retryable', describeProviderError(response), waitMs);
}

const post = (ctx: SendContext<Config, Secrets>, url: string, body: unknown) =>
  withUserToken(ctx, (token) => providerFetch(url, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body), classify }));

/** A public thread (a mention or reply) is answered with a tweet; everything else is a DM. */
const isPublicThread = (ctx: SendContext<Config, Secrets>) =>
  (ctx.conversation.channelContext as { kind?: string } | null)?.kind === 'mention' || Boolean(ctx.conversation.threadKey?.startsWith('tweet:'));

/** X (Twitter): Account Activity webhooks in; v2 direct messages and public replies out. */
export const xAdapter: ChannelAdapter<Config, Secrets> = {
  type: 'x',
  provider: 'x',
  label: 'X (Twitter)',
  config,
  secrets,
  fields: [
    {
      key: 'accountUserId',
      kind: 'text',
      required: true,
      label: { nl: 'Gebruikers-id van het account', en: 'User id of the account' },
      help: { nl: 'Het numerieke id (niet de @naam) van het account dat u koppelt.', en: 'The numeric id (not the @handle) of the account you connect.' },
      placeholder: '1234567890',
    },
    {
      key: 'consumerSecret',
      kind: 'secret',
      required: true,
      label: { nl: 'Consumer secret (API key secret) van de app', en: 'Consumer secret (API key secret) of the app' },
      help: { nl: 'Hiermee worden de CRC en elke webhook ondertekend.', en: 'It signs the CRC and every webhook delivery.' },
    },
    {
      key: 'userAccessToken',
      kind: 'secret',
      required: true,
      label: { nl: 'OAuth 2.0-toegangstoken van het account', en: 'OAuth 2.0 access token of the account' },
      help: { nl: 'Met de rechten dm.read, dm.write, tweet.read, tweet.write en users.read.', en: 'With the scopes dm.read, dm.write, tweet.read, tweet.write and users.read.' },
    },
    {
      key: 'refreshToken',
      kind: 'secret',
      label: { nl: 'Verversingstoken (offline.access)', en: 'Refresh token (offline.access)' },
      help: { nl: 'Hiermee vernieuwt Hoorn het toegangstoken, dat twee uur geldig is.', en: 'Hoorn renews the access token, valid for two hours, with it.' },
    },
    { key: 'oauthClientId', kind: 'text', label: { nl: 'OAuth 2.0-client-id van de app', en: 'OAuth 2.0 client id of the app' } },
    { key: 'oauthClientSecret', kind: 'secret', label: { nl: 'OAuth 2.0-clientgeheim (vertrouwelijke app)', en: 'OAuth 2.0 client secret (confidential app)' } },
    { key: 'apiBaseUrl', kind: 'url', label: { nl: 'API-adres', en: 'API address' }, placeholder: 'https://api.x.com' },
  ],
  // DMs carry 10,000 characters; a public reply 280 as X weighs them (send checks it again).
  limits: (_channel, _config, conversation) => ({
    maxTextLength: conversation?.channelContext.kind === 'mention' ? MAX_TWEET_LENGTH : 10_000,
    ...(conversation?.channelContext.kind === 'mention' ? { textLength: tweetLength } : {}),
    attachments: null,
    replyWindowHours: null,
  }),
  webhook: {
    handshake({ secrets: s }, request) {
      const token = request.query.crc_token;
      if (!token) throw new WebhookError(400, 'Missing crc_token');
      return { status: 200, contentType: 'application/json', body: JSON.stringify({ response_token: crcResponseToken(s.consumerSecret, token) }) };
    },
    verify({ secrets: s }, request) {
      verifyDeliverySignature(s.consumerSecret, request.rawBody, request.headers['x-twitter-webhooks-signature']);
    },
    parse: ({ config: c }, request) => parseAccountActivity(request.rawBody, c.accountUserId),
  },
  async send(ctx, message) {
    const { config: c, recipient, lastInbound } = ctx;
    if (!message.body.trim()) throw new DeliveryError('permanent', 'X cannot send an empty message (attachments are not supported yet)');
    if (isPublicThread(ctx)) {
      const tweetId = (lastInbound?.meta as { tweetId?: string } | null)?.tweetId;
      if (!tweetId) throw new DeliveryError('permanent', 'no tweet of the customer to reply to in this conversation');
      const length = tweetLength(message.body);
      if (length > MAX_TWEET_LENGTH) {
        throw new DeliveryError('permanent', `a public reply on X carries at most ${MAX_TWEET_LENGTH} characters; this one has ${length}: shorten it or answer by DM`);
      }
      const res = await post(ctx, joinUrl(c.apiBaseUrl, '2/tweets'), { text: message.body, reply: { in_reply_to_tweet_id: tweetId } });
      const id = (res.json as { data?: { id?: string } } | null)?.data?.id;
      if (!id) throw new DeliveryError('retryable', 'X answered without the new tweet id');
      return { providerMessageId: id, meta: { tweetId: id, public: true, inReplyToTweetId: tweetId } };
    }
    const res = await post(ctx, joinUrl(c.apiBaseUrl, `2/dm_conversations/with/${encodeURIComponent(recipient.externalId)}/messages`), { text: message.body });
    const data = (res.json as { data?: { dm_conversation_id?: string; dm_event_id?: string } } | null)?.data;
    if (!data?.dm_event_id) throw new DeliveryError('retryable', 'X answered without the dm_event_id');
    return { providerMessageId: data.dm_event_id, meta: { dmConversationId: data.dm_conversation_id ?? null } };
  },
  async testConnection(ctx) {
    const c = ctx.config;
    const res = await withUserToken(ctx, (token) => providerFetch(joinUrl(c.apiBaseUrl, '2/users/me'), { method: 'GET', headers: { authorization: `Bearer ${token}` }, classify }));
    const me = (res.json as { data?: { id?: string; username?: string } } | null)?.data;
    if (me?.id && me.id !== c.accountUserId) return { ok: false, detail: `The token belongs to @${me.username ?? '?'} (${me.id}), not to user ${c.accountUserId}` };
    return { ok: true, detail: `Connected as @${me?.username ?? 'unknown'}` };
  },
};
