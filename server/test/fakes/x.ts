import { createHmac } from 'node:crypto';
import { FakeServer, type FakeHandler } from './server.ts';

/**
 * X's API v2 as the adapter uses it: DM sends answer {data:{dm_conversation_id, dm_event_id}},
 * tweets {data:{id, text, edit_history_tweet_ids}}, /2/users/me {data:{id, name, username}};
 * errors are problem JSON {title, detail, type, status}. `failures` answers the next sends.
 */
export class FakeX extends FakeServer {
  private nextId = 1_800_000_000_000_000_000n;
  readonly failures: Array<{ status: number; headers?: Record<string, string>; body: unknown }> = [];

  /**
   * Every answer closes its connection: a test that idles past the server's keep-alive timeout
   * would otherwise race the client reusing a socket the server is closing (ECONNRESET).
   */
  override on(method: string, path: RegExp, handler: FakeHandler): this {
    return super.on(method, path, async (request) => {
      const answer = await handler(request);
      return { ...answer, headers: { connection: 'close', ...answer.headers } };
    });
  }

  /** The refresh token X will accept next (it rotates on every refresh). */
  refreshToken: string | undefined;

  constructor(
    readonly account: { id: string; username: string; name: string },
    public token: string,
  ) {
    super();
    const authorized = (headers: Record<string, unknown>) => headers.authorization === `Bearer ${this.token}`;
    const unauthorized = { status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } };
    const answer = (make: () => unknown) => (r: { headers: Record<string, unknown> }) => {
      if (!authorized(r.headers)) return unauthorized;
      const failure = this.failures.shift();
      if (failure) return failure;
      return { status: 201, body: make() };
    };
    this.on('POST', /^\/2\/dm_conversations\/with\/\d+\/messages$/, (r) =>
      answer(() => ({ data: { dm_conversation_id: `${account.id}-${r.url.split('/')[4]}`, dm_event_id: String(++this.nextId) } }))(r),
    );
    this.on('POST', /^\/2\/tweets$/, (r) =>
      answer(() => {
        const id = String(++this.nextId);
        return { data: { id, text: r.json?.text, edit_history_tweet_ids: [id] } };
      })(r),
    );
    // OAuth 2.0 refresh: a form post; the answer carries a new access token and a new refresh token.
    this.on('POST', /^\/2\/oauth2\/token$/, (r) => {
      const f = r.form ?? {};
      if (f.grant_type !== 'refresh_token' || !this.refreshToken || f.refresh_token !== this.refreshToken || !f.client_id) {
        return { status: 400, body: { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' } };
      }
      this.token = `${this.token}-renewed`;
      this.refreshToken = `${this.refreshToken}-rotated`;
      return { status: 200, body: { token_type: 'bearer', expires_in: 7200, access_token: this.token, scope: 'tweet.read tweet.write users.read dm.read dm.write offline.access', refresh_token: this.refreshToken } };
    });
    this.on('GET', /^\/2\/users\/me$/, (r) => (authorized(r.headers) ? { body: { data: { id: account.id, name: account.name, username: account.username } } } : unauthorized));
  }

  /** The x-twitter-webhooks-signature X computes for a delivery body. */
  static sign(consumerSecret: string, body: string): string {
    return `sha256=${createHmac('sha256', consumerSecret).update(body).digest('base64')}`;
  }

  /** A delivery with one direct message, as the Account Activity API posts it. */
  static dm(forUserId: string, opts: { id: string; senderId: string; text: string; name?: string; screenName?: string }) {
    return {
      for_user_id: forUserId,
      direct_message_events: [
        {
          type: 'message_create',
          id: opts.id,
          created_timestamp: '1795000000000',
          message_create: { target: { recipient_id: opts.senderId === forUserId ? '9999' : forUserId }, sender_id: opts.senderId, source_app_id: '268278', message_data: { text: opts.text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } },
        },
      ],
      users: {
        [opts.senderId]: { id: opts.senderId, created_timestamp: '1422556069340', name: opts.name ?? 'Sanne de Vries', screen_name: opts.screenName ?? 'sannedv', protected: false, verified: false, followers_count: 12, friends_count: 40, statuses_count: 300, profile_image_url_https: 'https://pbs.twimg.com/profile_images/1/a.jpg' },
        [forUserId]: { id: forUserId, created_timestamp: '1322556069340', name: 'Hoorn Support', screen_name: 'hoornsupport', protected: false, verified: false, followers_count: 1000, friends_count: 1, statuses_count: 50 },
      },
    };
  }

  /** A delivery with one tweet (a mention or a reply), in the v1.1 Tweet format the Account Activity API uses. */
  static tweet(forUserId: string, opts: { id: string; userId: string; text: string; inReplyTo?: string; name?: string; screenName?: string }) {
    return {
      for_user_id: forUserId,
      tweet_create_events: [
        {
          created_at: 'Wed Nov 18 09:15:00 +0000 2026',
          id: Number(opts.id),
          id_str: opts.id,
          text: opts.text,
          source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
          truncated: false,
          in_reply_to_status_id: opts.inReplyTo ? Number(opts.inReplyTo) : null,
          in_reply_to_status_id_str: opts.inReplyTo ?? null,
          in_reply_to_user_id: opts.inReplyTo ? Number(forUserId) : null,
          in_reply_to_user_id_str: opts.inReplyTo ? forUserId : null,
          in_reply_to_screen_name: opts.inReplyTo ? 'hoornsupport' : null,
          user: { id: Number(opts.userId), id_str: opts.userId, name: opts.name ?? 'Pieter Jansen', screen_name: opts.screenName ?? 'pjansen', location: null, followers_count: 5 },
          is_quote_status: false,
          entities: { hashtags: [], urls: [], user_mentions: [{ screen_name: 'hoornsupport', name: 'Hoorn Support', id: Number(forUserId), id_str: forUserId, indices: [0, 13] }], symbols: [] },
          lang: 'nl',
          timestamp_ms: '1795000000000',
        },
      ],
    };
  }
}
