// The visitor API over HTTP. fetch is injectable (React Native, Node, tests); nothing else is needed.
import type { Attachment, OfflineForm, Session, SessionRequest, VisitorMessage, WaitInfo, WidgetConfig } from './types.js';

export interface RequestInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string | Blob;
  signal?: AbortSignal;
  credentials?: 'omit';
  cache?: 'no-store';
}

export interface ResponseLike {
  ok: boolean;
  status: number;
  statusText: string;
  json(): Promise<unknown>;
}

export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

/** The server answered with an error status (`{ error: { code, message } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request did not get an answer (offline, DNS, CORS, timeout, a cut connection). */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/** Worth sending again later: no answer, a server error, a timeout or a rate limit. */
export function isRetryable(e: unknown): boolean {
  return e instanceof NetworkError || (e instanceof ApiError && (e.status >= 500 || e.status === 408 || e.status === 429));
}

interface CallOptions {
  json?: unknown;
  body?: Blob;
  headers?: Record<string, string>;
  auth?: boolean;
  timeout?: number;
}

export interface ApiOptions {
  fetch?: FetchLike;
}

export class Api {
  /** `{origin}/channels/webchat/{channelId}` */
  readonly base: string;
  token: string | null = null;
  private readonly fetch: FetchLike;

  constructor(
    readonly origin: string,
    channelId: string,
    options: ApiOptions = {},
  ) {
    this.base = `${origin.replace(/\/+$/, '')}/channels/webchat/${encodeURIComponent(channelId)}`;
    const global = (globalThis as { fetch?: FetchLike }).fetch;
    const chosen = options.fetch ?? (global ? (url, init) => global(url, init) : undefined);
    if (!chosen) throw new Error('@hoorn/sdk: no fetch here; pass one in the options');
    this.fetch = chosen;
  }

  config(): Promise<WidgetConfig> {
    return this.call('GET', '/config', { auth: false });
  }

  session(body: SessionRequest): Promise<Session> {
    return this.call('POST', '/sessions', { json: body, auth: false });
  }

  /** A page of history, oldest first; without a cursor the newest page. */
  messages(cursor?: string | null): Promise<{ items: VisitorMessage[]; nextCursor: string | null }> {
    return this.call('GET', `/messages${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
  }

  /** Place in line and estimated wait while no agent has the chat. */
  wait(): Promise<WaitInfo> {
    return this.call('GET', '/wait');
  }

  send(body: { clientMessageId: string; body: string; attachmentIds?: string[]; choice?: string }): Promise<VisitorMessage> {
    return this.call('POST', '/messages', { json: body });
  }

  /** Uploads a file (a browser File, or any Blob with a name given). */
  upload(file: Blob, name?: string): Promise<Attachment> {
    const fileName = name ?? (file as Blob & { name?: string }).name ?? 'file';
    return this.call('POST', '/attachments', {
      body: file,
      headers: { 'content-type': file.type || 'application/octet-stream', 'x-filename': encodeURIComponent(fileName) },
      timeout: 120_000,
    });
  }

  /** A read receipt: the agent's and bot's messages up to this one have been seen. */
  read(messageId: string): Promise<{ read: number }> {
    return this.call('POST', '/read', { json: { messageId } });
  }

  offline(body: OfflineForm): Promise<{ visitorToken: string; conversationId: string }> {
    return this.call('POST', '/offline', { json: body, auth: false });
  }

  attachmentUrl(id: string): string {
    return `${this.base}/attachments/${encodeURIComponent(id)}?token=${encodeURIComponent(this.token ?? '')}`;
  }

  wsUrl(): string {
    return `${this.base.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(this.token ?? '')}`;
  }

  private async call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.auth !== false && this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | Blob | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), opts.timeout ?? 20_000);
    try {
      let res: ResponseLike;
      try {
        res = await this.fetch(this.base + path, { method, headers, body, signal: abort.signal, credentials: 'omit', cache: 'no-store' });
      } catch {
        throw new NetworkError('network');
      }
      if (!res.ok) {
        let code = `http_${res.status}`;
        let message = res.statusText;
        try {
          const j = (await res.json()) as { error?: { code?: string; message?: string } };
          code = j.error?.code ?? code;
          message = j.error?.message ?? message;
        } catch {
          // not JSON: keep the status
        }
        throw new ApiError(res.status, code, message);
      }
      try {
        return (await res.json()) as T;
      } catch {
        // The answer was cut off: whether the server acted is unknown, so it counts as no answer.
        throw new NetworkError('bad body');
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
