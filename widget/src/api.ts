// The visitor API of a webchat channel (docs/conversations-api.md, "Web chat visitor API").

export type Lang = 'nl' | 'en';

export interface WidgetConfig {
  channelId: string;
  name: string;
  greeting: Record<Lang, string>;
  color: string;
  online: boolean;
  requireEmail: boolean;
  consentText: Record<Lang, string>;
  attachments: { maxBytes: number; types: string[] };
}

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export interface VisitorMessage {
  id: string;
  seq: number;
  direction: 'inbound' | 'outbound';
  authorType: 'customer' | 'agent' | 'bot' | 'system';
  authorName: string | null;
  body: string;
  attachments: Attachment[];
  createdAt: string;
  status: MessageStatus;
  /** A bot question's choices, answered with a tap. */
  buttons?: Array<{ label: string; value: string }>;
}

export interface WaitInfo {
  state: 'waiting' | 'assigned' | 'none';
  position: number | null;
  estimatedWaitSeconds: number | null;
}

export interface Session {
  visitorToken: string;
  customer: { id: string; name: string | null; email: string | null };
  conversationId: string | null;
}

export interface SessionRequest {
  visitorToken?: string;
  name?: string;
  email?: string;
  consent?: boolean;
  language?: Lang;
  userId?: string;
  userHash?: string;
}

/** The server answered with an error status (`{ error: { code, message } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request did not get an answer (offline, DNS, CORS, timeout). */
export class NetworkError extends Error {}

/** Worth sending again later: no answer, a server error, a timeout or rate limit. */
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

export class Api {
  readonly base: string;
  token: string | null = null;

  constructor(
    readonly origin: string,
    channelId: string,
  ) {
    this.base = `${origin}/channels/webchat/${encodeURIComponent(channelId)}`;
  }

  config(): Promise<WidgetConfig> {
    return this.call('GET', '/config', { auth: false });
  }

  session(body: SessionRequest): Promise<Session> {
    return this.call('POST', '/sessions', { json: body, auth: false });
  }

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

  upload(file: File): Promise<Attachment> {
    return this.call('POST', '/attachments', {
      body: file,
      headers: { 'content-type': file.type || 'application/octet-stream', 'x-filename': encodeURIComponent(file.name) },
      timeout: 120_000,
    });
  }

  offline(body: { name: string; email: string; body: string; consent: boolean; language: Lang }): Promise<{ visitorToken: string; conversationId: string }> {
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
    let body: BodyInit | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), opts.timeout ?? 20_000);
    try {
      let res: Response;
      try {
        res = await fetch(this.base + path, { method, headers, body, signal: abort.signal, credentials: 'omit', cache: 'no-store' });
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
        throw new NetworkError('bad body');
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
