import { FakeServer, type FakeHandler } from './server.ts';

interface FakeComment {
  id: string;
  text: string;
  author: { channelId: string; name: string };
  publishedAt: string;
  parentId?: string;
}
interface FakeThread {
  id: string;
  videoId: string;
  top: FakeComment;
  replies: FakeComment[];
}

/**
 * The YouTube Data API v3 and Google's OAuth token endpoint as the adapter uses them:
 * commentThreads.list (order=time: threads newest-created first, paged with nextPageToken),
 * comments.insert, channels.list, POST /token (refresh_token grant). Errors use Google's
 * {error:{code, message, errors:[{message, domain, reason}], status}}. Access tokens are only
 * valid while the fake remembers them (`revokeAccessTokens` makes the next call a 401).
 */
export class FakeYouTube extends FakeServer {
  readonly threads: FakeThread[] = [];
  private readonly validTokens = new Set<string>();
  private issued = 0;
  private nextReply = 0;
  /** While true, every API call answers 403 quotaExceeded (the token endpoint still works). */
  quotaExceeded = false;

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

  constructor(
    readonly channel: { id: string; title: string },
    readonly oauth: { clientId: string; clientSecret: string; refreshToken: string },
    readonly pageSize = 100,
    /** The fake's clock: when Hoorn's replies are published. */
    readonly now: () => Date = () => new Date(),
  ) {
    super();
    this.on('POST', /^\/token$/, (r) => {
      const f = r.form ?? {};
      if (f.grant_type !== 'refresh_token' || f.client_id !== oauth.clientId || f.client_secret !== oauth.clientSecret) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
      }
      if (f.refresh_token !== oauth.refreshToken) return { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
      const token = `ya29.fake-access-token-${++this.issued}`;
      this.validTokens.add(token);
      return { body: { access_token: token, expires_in: 3599, scope: 'https://www.googleapis.com/auth/youtube.force-ssl', token_type: 'Bearer' } };
    });
    this.on('GET', /^\/youtube\/v3\/commentThreads$/, (r) => this.guard(r.headers.authorization) ?? this.list(new URL(r.url, 'http://fake').searchParams));
    this.on('POST', /^\/youtube\/v3\/comments$/, (r) => this.guard(r.headers.authorization) ?? this.insert(r.json));
    this.on('GET', /^\/youtube\/v3\/channels$/, (r) => {
      const denied = this.guard(r.headers.authorization);
      if (denied) return denied;
      const id = new URL(r.url, 'http://fake').searchParams.get('id');
      const items =
        id === channel.id
          ? [{ kind: 'youtube#channel', etag: 'etag-channel', id, snippet: { title: channel.title, description: '', customUrl: '@hoorn', publishedAt: '2015-03-01T10:00:00Z', thumbnails: {}, localized: { title: channel.title, description: '' } } }]
          : [];
      return { body: { kind: 'youtube#channelListResponse', etag: 'etag-channels', pageInfo: { totalResults: items.length, resultsPerPage: 5 }, items } };
    });
  }

  get tokensIssued(): number {
    return this.issued;
  }

  revokeAccessTokens(): void {
    this.validTokens.clear();
  }

  /** A new top-level comment (a new thread) on a video. */
  addComment(c: { id: string; text: string; author: { channelId: string; name: string }; publishedAt: string; videoId?: string }): void {
    this.threads.push({ id: c.id, videoId: c.videoId ?? 'dQw4w9WgXcQ', top: { id: c.id, text: c.text, author: c.author, publishedAt: c.publishedAt }, replies: [] });
  }

  addReply(threadId: string, c: { id: string; text: string; author: { channelId: string; name: string }; publishedAt: string }): void {
    this.threads.find((t) => t.id === threadId)!.replies.push({ ...c, parentId: threadId });
  }

  private guard(authorization: string | string[] | undefined) {
    const token = typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
    if (!this.validTokens.has(token)) {
      return {
        status: 401,
        body: {
          error: {
            code: 401,
            message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
            errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }],
            status: 'UNAUTHENTICATED',
          },
        },
      };
    }
    if (this.quotaExceeded) {
      const message = 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.';
      return { status: 403, body: { error: { code: 403, message, errors: [{ message, domain: 'youtube.quota', reason: 'quotaExceeded' }] } } };
    }
    return undefined;
  }

  private resource(thread: FakeThread, c: FakeComment) {
    return {
      kind: 'youtube#comment',
      etag: `etag-${c.id}`,
      id: c.id,
      snippet: {
        channelId: this.channel.id,
        videoId: thread.videoId,
        textDisplay: c.text,
        textOriginal: c.text,
        ...(c.parentId ? { parentId: c.parentId } : {}),
        authorDisplayName: c.author.name,
        authorProfileImageUrl: 'https://yt3.ggpht.com/a/default-user=s48-c-k-c0x00ffffff-no-rj',
        authorChannelUrl: `http://www.youtube.com/channel/${c.author.channelId}`,
        authorChannelId: { value: c.author.channelId },
        canRate: true,
        viewerRating: 'none',
        likeCount: 0,
        publishedAt: c.publishedAt,
        updatedAt: c.publishedAt,
      },
    };
  }

  private list(query: URLSearchParams) {
    if (query.get('allThreadsRelatedToChannelId') !== this.channel.id) {
      return { status: 400, body: { error: { code: 400, message: 'unexpected filter', errors: [{ message: 'unexpected filter', domain: 'youtube.parameter', reason: 'invalidParameter' }] } } };
    }
    const withReplies = (query.get('part') ?? '').split(',').includes('replies');
    const size = Math.min(Number(query.get('maxResults') ?? 20), this.pageSize);
    const offset = query.get('pageToken') ? Number(Buffer.from(query.get('pageToken')!, 'base64url').toString()) : 0;
    const sorted = [...this.threads].sort((a, b) => Date.parse(b.top.publishedAt) - Date.parse(a.top.publishedAt));
    const page = sorted.slice(offset, offset + size);
    const more = offset + size < sorted.length;
    return {
      body: {
        kind: 'youtube#commentThreadListResponse',
        etag: `etag-list-${offset}`,
        ...(more ? { nextPageToken: Buffer.from(String(offset + size)).toString('base64url') } : {}),
        pageInfo: { totalResults: page.length, resultsPerPage: size },
        items: page.map((t) => ({
          kind: 'youtube#commentThread',
          etag: `etag-thread-${t.id}`,
          id: t.id,
          snippet: { channelId: this.channel.id, videoId: t.videoId, topLevelComment: this.resource(t, t.top), canReply: true, totalReplyCount: t.replies.length, isPublic: true },
          ...(withReplies && t.replies.length ? { replies: { comments: [...t.replies].reverse().map((c) => this.resource(t, c)) } } : {}),
        })),
      },
    };
  }

  private insert(body: { snippet?: { parentId?: string; textOriginal?: string } } | null) {
    const thread = this.threads.find((t) => t.top.id === body?.snippet?.parentId);
    if (!thread || !body?.snippet?.textOriginal) {
      return { status: 404, body: { error: { code: 404, message: 'The parent comment could not be found.', errors: [{ message: 'The parent comment could not be found.', domain: 'youtube.comment', reason: 'parentCommentNotFound' }] } } };
    }
    const reply: FakeComment = {
      id: `${thread.top.id}.9${String(++this.nextReply).padStart(21, '0')}`,
      text: body.snippet.textOriginal,
      author: { channelId: this.channel.id, name: this.channel.title },
      publishedAt: this.now().toISOString().replace(/\.\d+Z$/, 'Z'),
      parentId: thread.top.id,
    };
    thread.replies.push(reply);
    return { body: this.resource(thread, reply) };
  }
}
