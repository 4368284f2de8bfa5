// The visitor's WebSocket: reconnects with exponential backoff and equal jitter (1 s doubling,
// capped at 30 s). In a browser it also reconnects at once when the device comes back online or
// the page becomes visible again; elsewhere (React Native, Node) the app calls `kick()` itself,
// e.g. from NetInfo or AppState.

/** What the client needs of a WebSocket (the browser's, React Native's, or the `ws` package's). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: unknown;
  onmessage: unknown;
  onclose: unknown;
  onerror: unknown;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The wait before reconnect attempt `attempt` (0-based): half the step fixed, half random. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(30_000, 1000 * 2 ** attempt);
  return step / 2 + random() * (step / 2);
}

export interface LiveHandlers {
  open(): void;
  message(data: unknown): void;
  /** The socket closed (it reconnects unless stopped). */
  close?(): void;
  /** A connection attempt starts. */
  connecting?(): void;
}

export interface LiveOptions {
  WebSocket?: WebSocketConstructor;
  /** Listen to the browser's `online` and `visibilitychange`; on by default where they exist. */
  browserHooks?: boolean;
  timers?: Timers;
  random?: () => number;
}

interface EventTargetish {
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
}

export class Live {
  private ws: WebSocketLike | null = null;
  private attempt = 0;
  private timer: unknown;
  private stopped = true;
  private readonly Ws: WebSocketConstructor;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly win: EventTargetish | undefined;
  private readonly doc: (EventTargetish & { visibilityState?: string }) | undefined;

  constructor(
    private readonly url: () => string,
    private readonly on: LiveHandlers,
    options: LiveOptions = {},
  ) {
    const g = globalThis as { WebSocket?: WebSocketConstructor; document?: EventTargetish & { visibilityState?: string }; addEventListener?: unknown };
    const Ws = options.WebSocket ?? g.WebSocket;
    if (!Ws) throw new Error('@hoorn/sdk: no WebSocket here; pass one in the options (in Node: the `ws` package)');
    this.Ws = Ws;
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    const hooks = options.browserHooks ?? (typeof g.addEventListener === 'function' && !!g.document);
    this.win = hooks && typeof g.addEventListener === 'function' ? (globalThis as unknown as EventTargetish) : undefined;
    this.doc = hooks ? g.document : undefined;
  }

  get connected(): boolean {
    return this.ws?.readyState === OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.win?.addEventListener('online', this.kick);
    this.doc?.addEventListener('visibilitychange', this.kick);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
    this.win?.removeEventListener('online', this.kick);
    this.doc?.removeEventListener('visibilitychange', this.kick);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  /** Sends a frame if the socket is open; answers whether it went. */
  send(data: unknown): boolean {
    if (this.ws?.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(data));
    return true;
  }

  /** Reconnect now instead of waiting for the backoff (the network is back, the app is in front). */
  readonly kick = (): void => {
    if (this.stopped || this.ws || this.doc?.visibilityState === 'hidden') return;
    this.attempt = 0;
    this.connect();
  };

  private connect(): void {
    this.timers.clearTimeout(this.timer);
    this.on.connecting?.();
    let ws: WebSocketLike;
    try {
      ws = new this.Ws(this.url());
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.on.open();
    };
    ws.onmessage = (e: { data: unknown }) => {
      if (this.ws !== ws) return;
      const raw = typeof e.data === 'string' ? e.data : e.data instanceof Uint8Array ? new TextDecoder().decode(e.data) : null;
      if (raw == null) return;
      let data: unknown;
      try {
        data = JSON.parse(raw);
      } catch {
        return;
      }
      this.on.message(data);
    };
    ws.onerror = () => {
      // onclose follows; the retry happens there
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.on.close?.();
      this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => this.connect(), reconnectDelay(this.attempt++, this.random));
  }
}
