// The visitor's WebSocket: reconnects with exponential backoff and equal jitter (1 s doubling,
// capped at 30 s), at once when the browser comes back online or the tab becomes visible.
export class Live {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;

  constructor(
    private readonly url: () => string,
    private readonly on: { open(): void; message(data: unknown): void },
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    addEventListener('online', this.kick);
    document.addEventListener('visibilitychange', this.kick);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    removeEventListener('online', this.kick);
    document.removeEventListener('visibilitychange', this.kick);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  send(data: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(data));
  }

  private readonly kick = (): void => {
    if (this.stopped || this.ws || document.visibilityState === 'hidden') return;
    this.attempt = 0;
    this.connect();
  };

  private connect(): void {
    clearTimeout(this.timer);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.on.open();
    };
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      let data: unknown;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      this.on.message(data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    const base = Math.min(30_000, 1000 * 2 ** this.attempt++);
    this.timer = setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
  }
}
