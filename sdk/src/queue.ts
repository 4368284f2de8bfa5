// The offline queue: what the customer wrote, kept in storage until the server has confirmed it.
//
// Guarantees (the server stores one message per clientMessageId, so a resend is harmless):
// - every message gets a clientMessageId and is written to storage before the first attempt;
// - messages go out one at a time, in the order they were written;
// - no answer, 5xx, 408 or 429: the message stays and is sent again with the same id, after a
//   backoff (2 s doubling, capped at 30 s) or at once on `retryNow()` (reconnect);
// - a message leaves the queue only when the server confirmed it (its answer, or the message
//   with that clientMessageId seen in the history); any other 4xx marks it failed;
// - a new process with the same storage picks up where the old one stopped.
import { ApiError, isRetryable } from './http.js';
import { realTimers, type Timers } from './live.js';
import type { KeyValueStorage } from './storage.js';
import type { Attachment, VisitorMessage } from './types.js';

export interface QueuedMessage {
  clientMessageId: string;
  body: string;
  attachmentIds: string[];
  /** What the attachments look like, to show them before the server confirmed. */
  attachments: Attachment[];
  createdAt: string;
  /** The value of the bot's button this answers. */
  choice?: string;
  failed?: boolean;
  error?: string;
}

export interface QueueOptions {
  storage: KeyValueStorage;
  /** The storage key of the list. */
  key?: string;
  send(message: QueuedMessage): Promise<VisitorMessage>;
  /** Whether sending makes sense now (there is a session). */
  ready(): boolean;
  /** The server has the message (once per message). */
  confirmed?(message: QueuedMessage, server: VisitorMessage): void;
  /** The list or a message's state changed. */
  changed?(): void;
  /** The session is no longer valid (401): sending stops until `flush()` is called again. */
  unauthorized?(): void;
  /** A retryable failure; the next attempt is in `delayMs`. */
  retrying?(error: unknown, delayMs: number): void;
  timers?: Timers;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export function newClientMessageId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string; getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const isQueued = (m: unknown): m is QueuedMessage =>
  !!m && typeof (m as QueuedMessage).clientMessageId === 'string' && typeof (m as QueuedMessage).body === 'string' && Array.isArray((m as QueuedMessage).attachmentIds);

export class MessageQueue {
  private list: QueuedMessage[] = [];
  private flushing: Promise<void> | null = null;
  private again = false;
  private delay = 0;
  private timer: unknown;
  /** A retry is scheduled: new messages wait for it instead of hammering a server that is away. */
  private backingOff = false;
  private writes: Promise<void> = Promise.resolve();
  private readonly timers: Timers;
  private readonly key: string;

  constructor(private readonly opts: QueueOptions) {
    this.timers = opts.timers ?? realTimers;
    this.key = opts.key ?? 'queue';
  }

  /** The messages not confirmed yet, in order (failed ones included). */
  get items(): readonly QueuedMessage[] {
    return this.list;
  }

  /** Reads what an earlier run left in storage (kept ahead of anything added since). */
  async load(): Promise<void> {
    let stored: unknown = [];
    try {
      const raw = await this.opts.storage.getItem(this.key);
      stored = raw ? JSON.parse(raw) : [];
    } catch {
      stored = [];
    }
    const known = new Set(this.list.map((m) => m.clientMessageId));
    // Lists written by the widget before it used this package named the id `cid`.
    const upgraded: unknown[] = (Array.isArray(stored) ? (stored as Array<Record<string, unknown>>) : []).map((m) => (m && typeof m.cid === 'string' && !m.clientMessageId ? { ...m, clientMessageId: m.cid } : m));
    const earlier = upgraded.filter(isQueued).filter((m) => !known.has(m.clientMessageId));
    if (earlier.length === 0) return;
    this.list = [...earlier, ...this.list];
    this.opts.changed?.();
  }

  /** Adds a message; it is in storage when this resolves, and sending has started. */
  async add(input: Omit<QueuedMessage, 'clientMessageId' | 'createdAt' | 'attachments' | 'attachmentIds'> & Partial<QueuedMessage>): Promise<QueuedMessage> {
    const message: QueuedMessage = {
      clientMessageId: input.clientMessageId ?? newClientMessageId(),
      body: input.body,
      attachmentIds: input.attachmentIds ?? [],
      attachments: input.attachments ?? [],
      createdAt: input.createdAt ?? new Date().toISOString(),
      ...(input.choice ? { choice: input.choice } : {}),
    };
    this.list.push(message);
    this.opts.changed?.();
    await this.save();
    if (!this.backingOff) void this.flush();
    return message;
  }

  /** The server has this message (seen in the history or live): it leaves the queue. */
  confirm(server: VisitorMessage): boolean {
    const cid = server.clientMessageId;
    if (!cid) return false;
    const message = this.list.find((m) => m.clientMessageId === cid);
    if (!message) return false;
    this.list = this.list.filter((m) => m !== message);
    void this.save();
    this.opts.confirmed?.(message, server);
    this.opts.changed?.();
    return true;
  }

  /** Sends a failed message again. */
  retry(clientMessageId: string): void {
    const message = this.list.find((m) => m.clientMessageId === clientMessageId);
    if (!message) return;
    delete message.failed;
    delete message.error;
    void this.save();
    this.opts.changed?.();
    this.retryNow();
  }

  /** Try now instead of after the backoff (the connection is back). */
  retryNow(): void {
    this.delay = 0;
    this.backingOff = false;
    this.timers.clearTimeout(this.timer);
    void this.flush();
  }

  /** Forgets everything (a logout). */
  async clear(): Promise<void> {
    this.backingOff = false;
    this.timers.clearTimeout(this.timer);
    this.list = [];
    this.opts.changed?.();
    await this.save();
  }

  stop(): void {
    this.backingOff = false;
    this.timers.clearTimeout(this.timer);
  }

  /** Sends what waits, one by one and in order; resolves when the queue is empty or stuck. */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
        } while (this.again && !this.backingOff);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  private async drain(): Promise<void> {
    this.backingOff = false;
    this.timers.clearTimeout(this.timer);
    for (;;) {
      const message = this.list.find((m) => !m.failed);
      if (!message || !this.opts.ready()) return;
      let server: VisitorMessage;
      try {
        server = await this.opts.send(message);
      } catch (e) {
        if (!this.list.includes(message)) continue; // confirmed meanwhile (seen in the history)
        if (isRetryable(e)) {
          this.delay = Math.min(this.opts.maxDelayMs ?? 30_000, Math.max(this.opts.initialDelayMs ?? 2000, this.delay * 2));
          this.backingOff = true;
          this.timer = this.timers.setTimeout(() => {
            this.backingOff = false;
            void this.flush();
          }, this.delay);
          this.opts.retrying?.(e, this.delay);
          return;
        }
        if (e instanceof ApiError && e.status === 401) {
          this.opts.unauthorized?.();
          return;
        }
        message.failed = true;
        message.error = e instanceof ApiError ? e.code : String(e);
        await this.save();
        this.opts.changed?.();
        continue;
      }
      this.delay = 0;
      if (this.list.includes(message)) {
        this.list = this.list.filter((m) => m !== message);
        await this.save();
        this.opts.confirmed?.(message, server);
        this.opts.changed?.();
      }
    }
  }

  /** Writes are chained, so an async storage never ends up with an older list than the last one. */
  private save(): Promise<void> {
    const snapshot = this.list.map(({ clientMessageId, body, attachmentIds, attachments, createdAt, choice, failed, error }) => ({ clientMessageId, body, attachmentIds, attachments, createdAt, choice, failed, error }));
    this.writes = this.writes
      .then(async () => {
        if (snapshot.length) await this.opts.storage.setItem(this.key, JSON.stringify(snapshot));
        else await this.opts.storage.removeItem(this.key);
      })
      .catch(() => undefined);
    return this.writes;
  }
}
