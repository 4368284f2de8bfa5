// createClient(): the visitor API with a session, a live connection and the offline queue.
import { Api, ApiError, isRetryable, type FetchLike } from './http.js';
import { Live, type Timers, type WebSocketConstructor } from './live.js';
import { MessageQueue, type QueuedMessage } from './queue.js';
import { defaultStorage, prefixed, type KeyValueStorage } from './storage.js';
import type { Attachment, Identity, Lang, OfflineForm, Session, SessionRequest, VisitorMessage, WaitInfo, WidgetConfig } from './types.js';

export interface ClientOptions {
  /** Hoorn's origin, e.g. `https://hoorn.example.nl`. */
  baseUrl: string;
  channelId: string;
  /** Where the session and unsent messages are kept; localStorage in a browser, else memory. */
  storage?: KeyValueStorage;
  fetch?: FetchLike;
  WebSocket?: WebSocketConstructor;
  language?: Lang;
  /** Reconnect on the browser's `online` and `visibilitychange` (default: where they exist). */
  browserHooks?: boolean;
  timers?: Timers;
  random?: () => number;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ClientEvents {
  /** A message new to this client, or one whose content or status changed. */
  message: VisitorMessage;
  status: { messageId: string; status: VisitorMessage['status'] };
  agentTyping: { typing: boolean; agentName: string | null };
  connection: ConnectionState;
  /** Every frame the server sends, including ones this package does not know (a video call's). */
  frame: Record<string, unknown> & { type?: string };
  /** The queue of unconfirmed messages changed. */
  queue: readonly QueuedMessage[];
  /** A queued message was confirmed by the server. */
  sent: { queued: QueuedMessage; message: VisitorMessage };
  session: Session | null;
  /** The server refused the stored session (401); it was forgotten. */
  sessionLost: ApiError;
}

type Listener<T> = (value: T) => void;

const TYPING_EVERY_MS = 2000;

export class HoornClient {
  readonly api: Api;
  /** Every message this client has seen, by id. */
  readonly messages = new Map<string, VisitorMessage>();
  readonly queue: MessageQueue;
  private readonly storage: KeyValueStorage;
  private readonly listeners = new Map<keyof ClientEvents, Set<Listener<never>>>();
  private live: Live | null = null;
  private current: Session | null = null;
  private loaded: Promise<void> | null = null;
  private typingOn = false;
  private typingSentAt = 0;
  private identity: Identity = {};

  /** Messages a read receipt named already. */
  private readonly readReported = new Set<string>();

  constructor(private readonly opts: ClientOptions) {
    this.api = new Api(opts.baseUrl, opts.channelId, { fetch: opts.fetch });
    this.storage = prefixed(opts.storage ?? defaultStorage(), `hoorn.${opts.channelId}.`);
    this.queue = new MessageQueue({
      storage: this.storage,
      send: (m) =>
        this.api.send({ clientMessageId: m.clientMessageId, body: m.body, ...(m.attachmentIds.length ? { attachmentIds: m.attachmentIds } : {}), ...(m.choice ? { choice: m.choice } : {}) }),
      ready: () => !!this.api.token,
      confirmed: (queued, message) => {
        this.merge([message]);
        this.emit('sent', { queued, message });
      },
      changed: () => this.emit('queue', this.queue.items),
      unauthorized: () => void this.lose(new ApiError(401, 'unauthenticated', 'session not known')),
      timers: opts.timers,
    });
  }

  // ------------------------------------------------------------------ events

  on<K extends keyof ClientEvents>(type: K, listener: Listener<ClientEvents[K]>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  private emit<K extends keyof ClientEvents>(type: K, value: ClientEvents[K]): void {
    for (const fn of this.listeners.get(type) ?? []) {
      try {
        (fn as Listener<ClientEvents[K]>)(value);
      } catch (e) {
        console.error('[hoorn] listener failed', e);
      }
    }
  }

  // ------------------------------------------------------------------ session

  get session(): Session | null {
    return this.current;
  }

  get connected(): boolean {
    return this.live?.connected ?? false;
  }

  config(): Promise<WidgetConfig> {
    return this.api.config();
  }

  /**
   * A verified app user (userId + userHash from the app's back end). Resumes this device's
   * session when it belongs to the same user; another user's session on this device is dropped
   * first, unsent messages included (they were someone else's).
   */
  async identify(identity: Identity, options: { consent?: boolean } = {}): Promise<Session> {
    const storedUser = await this.storage.getItem('user');
    if (storedUser && identity.userId && storedUser !== identity.userId) await this.reset();
    this.identity = { ...identity };
    const token = await this.storage.getItem('token');
    // Consent is recorded only when the app says the user gave it (its own terms, a checkbox).
    return this.startSession({ ...(token ? { visitorToken: token } : {}), ...this.profile(), ...(options.consent !== undefined ? { consent: options.consent } : {}) });
  }

  /** Starts (or, with `visitorToken`, resumes) a session and goes live. */
  async startSession(request: SessionRequest = {}): Promise<Session> {
    const session = await this.api.session({ ...(this.opts.language ? { language: this.opts.language } : {}), ...request });
    await this.adopt(session);
    return session;
  }

  /** Resumes the session stored on this device, if any; stays usable offline (queue, reconnects). */
  async resume(): Promise<Session | null> {
    const token = await this.storage.getItem('token');
    if (!token) return null;
    try {
      return await this.startSession({ visitorToken: token, ...this.profile(false) });
    } catch (e) {
      if (!isRetryable(e)) {
        if (e instanceof ApiError) await this.lose(e);
        throw e;
      }
      // Offline or server trouble: carry on with the stored token; the socket reconnects and the
      // queue sends once the server answers again.
      this.api.token = token;
      await this.ensureQueue();
      this.connect();
      return null;
    }
  }

  private profile(withContact = true): SessionRequest {
    const { userId, userHash, name, email } = this.identity;
    const out: SessionRequest = userId && userHash ? { userId, userHash } : {};
    if (withContact && name) out.name = name;
    if (withContact && email) out.email = email;
    return out;
  }

  private async adopt(session: Session): Promise<void> {
    const changed = session.visitorToken !== this.api.token;
    this.current = session;
    this.api.token = session.visitorToken;
    await this.storage.setItem('token', session.visitorToken);
    await this.storage.setItem('customer', session.customer.id);
    if (this.identity.userId && this.identity.userHash) await this.storage.setItem('user', this.identity.userId);
    if (changed) {
      this.messages.clear();
      this.live?.stop();
      this.live = null;
    }
    this.emit('session', session);
    await this.ensureQueue();
    this.connect();
    this.queue.retryNow();
  }

  private ensureQueue(): Promise<void> {
    this.loaded ??= this.queue.load();
    return this.loaded;
  }

  private async lose(error: ApiError): Promise<void> {
    await this.forget(false);
    this.emit('sessionLost', error);
  }

  /** Forgets this device's session; `all` also drops unsent messages and the stored user (logout). */
  private async forget(all: boolean): Promise<void> {
    this.disconnect();
    this.api.token = null;
    this.current = null;
    this.messages.clear();
    for (const k of ['token', 'customer']) await this.storage.removeItem(k);
    if (all) {
      await this.ensureQueue();
      await this.queue.clear();
      await this.storage.removeItem('user');
    }
    this.emit('session', null);
  }

  /** Forget the visitor on this device (an app's logout): session, unsent messages, user. */
  reset(): Promise<void> {
    this.identity = {};
    return this.forget(true);
  }

  // ------------------------------------------------------------------ live

  /** Opens the live connection (done by the session calls); reconnects until `disconnect()`. */
  connect(): void {
    if (this.live || !this.api.token) return;
    this.live = new Live(() => this.api.wsUrl(), {
      connecting: () => this.emit('connection', 'connecting'),
      open: () => {
        this.emit('connection', 'open');
        // Fill whatever was missed while disconnected, then send what waited.
        void this.refill().finally(() => this.queue.retryNow());
      },
      close: () => this.emit('connection', 'closed'),
      message: (d) => this.onFrame(d as Record<string, unknown>),
    }, { WebSocket: this.opts.WebSocket, browserHooks: this.opts.browserHooks, timers: this.opts.timers, random: this.opts.random });
    this.live.start();
  }

  disconnect(): void {
    this.live?.stop();
    if (this.live) this.emit('connection', 'closed');
    this.live = null;
    this.typingOn = false;
  }

  /** Reconnect now (React Native: from NetInfo or AppState), and send what waits. */
  kick(): void {
    this.live?.kick();
    this.queue.retryNow();
  }

  /** Sends any frame on the live connection (e.g. a video call's signalling); false if not connected. */
  sendFrame(frame: Record<string, unknown>): boolean {
    return this.live?.send(frame) ?? false;
  }

  private onFrame(d: Record<string, unknown>): void {
    if (!d || typeof d !== 'object') return;
    this.emit('frame', d);
    if (d.type === 'message' && d.message && typeof d.message === 'object') {
      this.merge([d.message as VisitorMessage]);
    } else if (d.type === 'agent_typing') {
      this.emit('agentTyping', { typing: d.typing === true, agentName: typeof d.agentName === 'string' ? d.agentName : null });
    } else if (d.type === 'status' && typeof d.messageId === 'string' && typeof d.status === 'string') {
      const status = d.status as VisitorMessage['status'];
      const m = this.messages.get(d.messageId);
      if (m) m.status = status;
      this.emit('status', { messageId: d.messageId, status });
    }
  }

  // ------------------------------------------------------------------ messages

  /** Adds server messages; emits `message` for new or changed ones and confirms queued ones. */
  merge(items: VisitorMessage[]): VisitorMessage[] {
    const fresh: VisitorMessage[] = [];
    for (const m of items) {
      if (!m || typeof m.id !== 'string') continue;
      m.attachments ??= [];
      const before = this.messages.get(m.id);
      this.messages.set(m.id, m);
      if (m.clientMessageId) this.queue.confirm(m);
      if (!before || before.status !== m.status || before.body !== m.body) {
        fresh.push(m);
        this.emit('message', m);
      }
    }
    return fresh;
  }

  /** The newest page of history, merged (what a reconnect does to fill gaps). */
  async refill(): Promise<{ items: VisitorMessage[]; nextCursor: string | null } | null> {
    if (!this.api.token) return null;
    try {
      const page = await this.api.messages();
      this.merge(page.items);
      return page;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) await this.lose(e);
      return null;
    }
  }

  /** An older page of history (cursor from the previous page), merged. */
  async history(cursor?: string | null): Promise<{ items: VisitorMessage[]; nextCursor: string | null }> {
    const page = await this.api.messages(cursor);
    this.merge(page.items);
    return page;
  }

  /** All messages seen so far, in conversation order. */
  list(): VisitorMessage[] {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq || a.createdAt.localeCompare(b.createdAt));
  }

  /** Queues a text message (in storage before anything is sent) and sends it as soon as possible. */
  send(body: string, options: { choice?: string; clientMessageId?: string } = {}): Promise<QueuedMessage> {
    this.typing(false);
    return this.ensureQueue().then(() => this.queue.add({ body, ...options }));
  }

  /** Uploads a file, then queues a message carrying it. Upload errors are thrown (ApiError 413/415). */
  async sendAttachment(file: Blob, name?: string, body = ''): Promise<QueuedMessage> {
    const attachment: Attachment = await this.api.upload(file, name);
    await this.ensureQueue();
    return this.queue.add({ body, attachmentIds: [attachment.id], attachments: [attachment] });
  }

  /** Sends a failed message again. */
  retry(clientMessageId: string): void {
    this.queue.retry(clientMessageId);
  }

  /** The customer types (`true`, throttled to one frame per 2 s) or stopped (`false`). */
  typing(on: boolean): void {
    const now = Date.now();
    if (on) {
      if (this.typingOn && now - this.typingSentAt < TYPING_EVERY_MS) return;
      if (this.sendFrame({ type: 'typing', typing: true })) {
        this.typingOn = true;
        this.typingSentAt = now;
      }
    } else if (this.typingOn) {
      this.typingOn = false;
      this.sendFrame({ type: 'typing', typing: false });
    }
  }

  wait(): Promise<WaitInfo> {
    return this.api.wait();
  }

  /**
   * A read receipt: call it when the customer has seen the conversation (the chat is open and
   * visible). It names the newest agent or bot message not yet reported, so the desk shows it read;
   * nothing is sent when there is nothing new. A receipt that fails is not retried: the next one
   * covers it.
   */
  async markRead(): Promise<boolean> {
    const newest = this.list()
      .filter((m) => m.direction === 'outbound' && m.authorType !== 'system')
      .at(-1);
    if (!newest || !this.api.token || this.readReported.has(newest.id) || newest.status === 'read') return false;
    this.readReported.add(newest.id);
    try {
      await this.api.read(newest.id);
      return true;
    } catch {
      this.readReported.delete(newest.id);
      return false;
    }
  }

  /** Nobody online: leave a message to be answered by email; the client then listens for a reply. */
  async offline(form: OfflineForm): Promise<{ visitorToken: string; conversationId: string }> {
    const r = await this.api.offline(form);
    this.api.token = r.visitorToken;
    await this.storage.setItem('token', r.visitorToken);
    this.connect();
    void this.refill();
    return r;
  }

  attachmentUrl(id: string): string {
    return this.api.attachmentUrl(id);
  }

  /** Stops timers and the connection (the queue stays in storage). */
  close(): void {
    this.disconnect();
    this.queue.stop();
  }
}

export function createClient(options: ClientOptions): HoornClient {
  return new HoornClient(options);
}
