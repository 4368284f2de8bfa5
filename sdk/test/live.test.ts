import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Live, reconnectDelay, type WebSocketLike } from '../src/index.js';

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: unknown = null;
  onmessage: unknown = null;
  onclose: unknown = null;
  onerror: unknown = null;
  sent: string[] = [];
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    (this.onopen as () => void)();
  }
  drop() {
    this.readyState = 3;
    (this.onclose as () => void)();
  }
  receive(data: string) {
    (this.onmessage as (e: { data: unknown }) => void)({ data });
  }
}

describe('reconnect delay', () => {
  it('doubles from 1 s to a 30 s cap, with half of each step random', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => reconnectDelay(a, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    expect([0, 1, 5].map((a) => reconnectDelay(a, () => 0.999999))).toEqual([expect.closeTo(1000, 0), expect.closeTo(2000, 0), expect.closeTo(30000, 0)]);
  });
});

describe('the live connection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const events: string[] = [];
    const frames: unknown[] = [];
    const live = new Live(() => `ws://hoorn/ws?n=${FakeSocket.all.length}`, {
      open: () => events.push('open'),
      close: () => events.push('close'),
      message: (d) => frames.push(d),
    }, { WebSocket: FakeSocket, browserHooks: false, random: () => 0 });
    return { live, events, frames };
  };

  it('reconnects with backoff while the server is away, and resets it once connected', async () => {
    const { live, events } = make();
    live.start();
    expect(FakeSocket.all).toHaveLength(1);
    FakeSocket.all[0]!.drop();
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.drop();
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.all[2]!.drop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeSocket.all).toHaveLength(4);
    FakeSocket.all[3]!.open();
    expect(live.connected).toBe(true);
    FakeSocket.all[3]!.drop();
    await vi.advanceTimersByTimeAsync(500); // back to the first step
    expect(FakeSocket.all).toHaveLength(5);
    expect(events).toEqual(['close', 'close', 'close', 'open', 'close']);
    live.stop();
  });

  it('parses frames, sends only while open, and stays down after stop', async () => {
    const { live, frames } = make();
    live.start();
    const ws = FakeSocket.all[0]!;
    expect(live.send({ type: 'typing', typing: true })).toBe(false);
    ws.open();
    expect(live.send({ type: 'typing', typing: true })).toBe(true);
    expect(ws.sent).toEqual(['{"type":"typing","typing":true}']);
    ws.receive('{"type":"message","message":{"id":"m1"}}');
    ws.receive('not json');
    expect(frames).toEqual([{ type: 'message', message: { id: 'm1' } }]);
    live.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('kick() reconnects at once instead of waiting', async () => {
    const { live } = make();
    live.start();
    FakeSocket.all[0]!.drop();
    FakeSocket.all.length; // waiting 500 ms now
    live.kick();
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeSocket.all).toHaveLength(2); // the pending timer was replaced
    live.stop();
  });
});
