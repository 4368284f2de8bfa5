import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, MessageQueue, memoryStorage, NetworkError, type KeyValueStorage, type QueuedMessage, type VisitorMessage } from '../src/index.js';

/** A stand-in for the server: stores one message per clientMessageId, as the real one does. */
function fakeServer() {
  const stored: Array<{ clientMessageId: string; body: string }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const accept = (m: QueuedMessage): VisitorMessage => {
    let row = stored.find((s) => s.clientMessageId === m.clientMessageId);
    if (!row) stored.push((row = { clientMessageId: m.clientMessageId, body: m.body }));
    const seq = stored.indexOf(row) + 1;
    return { id: `m${seq}`, seq, direction: 'inbound', authorType: 'customer', authorName: null, body: row.body, attachments: [], createdAt: new Date(0).toISOString(), status: 'received', clientMessageId: m.clientMessageId };
  };
  return {
    stored,
    get maxInFlight() {
      return maxInFlight;
    },
    accept,
    /** Runs `fn` as one request: counts concurrency and yields so overlapping sends would show. */
    async request<T>(fn: () => T): Promise<T> {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await Promise.resolve();
        return fn();
      } finally {
        inFlight--;
      }
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('the offline queue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends in order, one at a time, once it may', async () => {
    const server = fakeServer();
    let ready = false;
    const queue = new MessageQueue({ storage: memoryStorage(), ready: () => ready, send: (m) => server.request(() => server.accept(m)) });
    for (const body of ['een', 'twee', 'drie', 'vier']) await queue.add({ body });
    await settle();
    expect(server.stored).toEqual([]);
    expect(queue.items.map((m) => m.body)).toEqual(['een', 'twee', 'drie', 'vier']);
    ready = true;
    await queue.flush();
    expect(server.stored.map((m) => m.body)).toEqual(['een', 'twee', 'drie', 'vier']);
    expect(server.maxInFlight).toBe(1);
    expect(queue.items).toEqual([]);
  });

  it('writes a message to storage before the first attempt', async () => {
    const storage = memoryStorage();
    const seenInStorage: boolean[] = [];
    const queue = new MessageQueue({
      storage,
      ready: () => true,
      send: async (m) => {
        seenInStorage.push((storage.getItem('queue') ?? '').includes(m.clientMessageId));
        throw new NetworkError('offline');
      },
    });
    await queue.add({ body: 'hallo' });
    await settle();
    expect(seenInStorage).toEqual([true]);
    queue.stop();
  });

  it.each([
    ['no answer', () => new NetworkError('offline')],
    ['a server error', () => new ApiError(503, 'unavailable', 'down')],
    ['a timeout', () => new ApiError(408, 'timeout', 'slow')],
    ['a rate limit', () => new ApiError(429, 'rate_limited', 'slow down')],
  ])('keeps a message after %s and sends it again after the backoff', async (_label, failure) => {
    const server = fakeServer();
    let failures = 2;
    const delays: number[] = [];
    const queue = new MessageQueue({
      storage: memoryStorage(),
      ready: () => true,
      send: (m) => server.request(() => {
        if (failures-- > 0) throw failure();
        return server.accept(m);
      }),
      retrying: (_e, ms) => delays.push(ms),
    });
    await queue.add({ body: 'eerst' });
    await queue.add({ body: 'daarna' });
    await settle();
    expect(server.stored).toEqual([]);
    expect(delays).toEqual([2000]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(delays).toEqual([2000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(delays).toEqual([2000, 4000]);
    await vi.advanceTimersByTimeAsync(4000);
    expect(server.stored.map((m) => m.body)).toEqual(['eerst', 'daarna']);
    expect(queue.items).toEqual([]);
  });

  it('caps the backoff at 30 seconds and retries at once when told the connection is back', async () => {
    const delays: number[] = [];
    let online = false;
    const server = fakeServer();
    const queue = new MessageQueue({
      storage: memoryStorage(),
      ready: () => true,
      send: (m) => server.request(() => {
        if (!online) throw new NetworkError('offline');
        return server.accept(m);
      }),
      retrying: (_e, ms) => delays.push(ms),
    });
    await queue.add({ body: 'hallo' });
    await vi.advanceTimersByTimeAsync(200_000);
    expect(delays.slice(0, 6)).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
    online = true;
    queue.retryNow();
    await settle();
    expect(server.stored.map((m) => m.body)).toEqual(['hallo']);
  });

  it('marks a message failed on another 4xx and goes on with the next; retry sends it', async () => {
    const server = fakeServer();
    let refuse = true;
    const queue = new MessageQueue({
      storage: memoryStorage(),
      ready: () => true,
      send: (m) => server.request(() => {
        if (m.body === 'te lang' && refuse) throw new ApiError(400, 'validation_failed', 'too long');
        return server.accept(m);
      }),
    });
    await queue.add({ body: 'te lang' });
    await queue.add({ body: 'kort' });
    await queue.flush();
    expect(server.stored.map((m) => m.body)).toEqual(['kort']);
    expect(queue.items).toMatchObject([{ body: 'te lang', failed: true, error: 'validation_failed' }]);
    refuse = false;
    queue.retry(queue.items[0]!.clientMessageId);
    await queue.flush();
    expect(server.stored.map((m) => m.body)).toEqual(['kort', 'te lang']);
    expect(queue.items).toEqual([]);
  });

  it('stops on 401 and keeps the message', async () => {
    const unauthorized = vi.fn();
    const queue = new MessageQueue({ storage: memoryStorage(), ready: () => true, send: async () => Promise.reject(new ApiError(401, 'unauthenticated', 'who?')), unauthorized });
    await queue.add({ body: 'hallo' });
    await queue.flush();
    expect(unauthorized).toHaveBeenCalled();
    expect(queue.items).toMatchObject([{ body: 'hallo' }]);
    expect(queue.items[0]!.failed).toBeUndefined();
  });

  it('survives a restart: a new queue on the same storage sends what the old one could not, in order', async () => {
    const storage = memoryStorage();
    const first = new MessageQueue({ storage, ready: () => true, send: async () => Promise.reject(new NetworkError('offline')) });
    for (const body of ['1', '2', '3']) await first.add({ body });
    first.stop(); // the app is killed

    const server = fakeServer();
    const second = new MessageQueue({ storage, ready: () => true, send: (m) => server.request(() => server.accept(m)) });
    await second.load();
    expect(second.items.map((m) => m.body)).toEqual(['1', '2', '3']);
    await second.add({ body: '4' });
    await second.flush();
    expect(server.stored.map((m) => m.body)).toEqual(['1', '2', '3', '4']);
    expect(storage.getItem('queue')).toBeNull();
  });

  it('does not duplicate a message whose answer was lost', async () => {
    const server = fakeServer();
    let loseNextAnswer = true;
    const queue = new MessageQueue({
      storage: memoryStorage(),
      ready: () => true,
      send: (m) => server.request(() => {
        const answer = server.accept(m); // the server stored it...
        if (loseNextAnswer) {
          loseNextAnswer = false;
          throw new NetworkError('connection reset'); // ...but the answer never arrived
        }
        return answer;
      }),
    });
    await queue.add({ body: 'een' });
    await queue.add({ body: 'twee' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.stored.map((m) => m.body)).toEqual(['een', 'twee']);
    expect(queue.items).toEqual([]);
  });

  it('drops a message the history shows the server has, without sending it again', async () => {
    const send = vi.fn(async () => Promise.reject(new NetworkError('offline')));
    const confirmed = vi.fn();
    const queue = new MessageQueue({ storage: memoryStorage(), ready: () => true, send, confirmed });
    const m = await queue.add({ body: 'hallo' });
    await settle();
    expect(send).toHaveBeenCalledTimes(1);
    const server = fakeServer().accept(m);
    expect(queue.confirm(server)).toBe(true);
    expect(queue.confirm(server)).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(confirmed).toHaveBeenCalledTimes(1);
    expect(queue.items).toEqual([]);
  });

  it('works with an async storage (React Native AsyncStorage) and keeps the last write', async () => {
    const data = new Map<string, string>();
    const storage: KeyValueStorage = {
      getItem: async (k) => data.get(k) ?? null,
      // Writes finish out of order unless the queue chains them.
      setItem: (k, v) => new Promise<void>((resolve) => setTimeout(() => (data.set(k, v), resolve()), 10 - data.size)),
      removeItem: async (k) => void data.delete(k),
    };
    const queue = new MessageQueue({ storage, ready: () => false, send: async () => Promise.reject(new NetworkError('x')) });
    const adding = Promise.all(['a', 'b', 'c'].map((body) => queue.add({ body })));
    await vi.advanceTimersByTimeAsync(100);
    await adding;
    expect((JSON.parse(data.get('queue')!) as QueuedMessage[]).map((m) => m.body)).toEqual(['a', 'b', 'c']);
  });

  it('reads a list the widget wrote before it used this package', async () => {
    const storage = memoryStorage({ queue: JSON.stringify([{ cid: 'old-client-id-1', body: 'oud', attachmentIds: [], attachments: [], createdAt: '2026-01-01T00:00:00Z' }]) });
    const queue = new MessageQueue({ storage, ready: () => false, send: async () => Promise.reject(new NetworkError('x')) });
    await queue.load();
    expect(queue.items).toMatchObject([{ clientMessageId: 'old-client-id-1', body: 'oud' }]);
  });
});
