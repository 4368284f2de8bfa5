import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.ts';
import { inTransaction, listEvents } from '../../../src/platform/events/events.ts';
import { DeliveryError } from '../../../src/platform/outbox/outbox.ts';
import { claimDue, enqueueOutbox, getOutboxItem } from '../../../src/platform/outbox/outbox.store.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../../helpers.ts';

describe('outbox delivery worker', () => {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  let t: TestContext;
  let workspaceId: string;
  let cookie: string;
  const calls = new Map<string, number>();
  /** Fails the first `failures` attempts of each message, then succeeds. */
  const flaky = (failures: number) => async (item: { id: string }) => {
    const n = (calls.get(item.id) ?? 0) + 1;
    calls.set(item.id, n);
    if (n <= failures) throw new Error(`provider 503 (attempt ${n})`);
  };

  beforeAll(async () => {
    t = await makeTestApp({ clock, random: () => 0.5 });
    workspaceId = (await makeWorkspace(t.platform)).id;
    const supervisor = await makeUser(t.platform, workspaceId, 'supervisor');
    cookie = await loginCookie(t.app, supervisor.email);
    t.platform.outbox.register('test.flaky2', flaky(2));
    t.platform.outbox.register('test.down', flaky(Infinity));
    t.platform.outbox.register('test.rejects', async () => {
      throw new DeliveryError('permanent', 'recipient does not exist');
    });
  });
  afterAll(() => t.close());

  const enqueue = (kind: string, maxAttempts = 4) =>
    inTransaction(t.platform, (tx) => enqueueOutbox(tx, { workspaceId, kind, payload: { to: 'x' }, maxAttempts }, clock.now()));

  it('retries a failing sender with backoff until it succeeds', async () => {
    const item = await enqueue('test.flaky2');
    expect(await t.platform.outbox.drainOnce()).toEqual([{ id: item.id, outcome: 'retry' }]);
    // Not due yet: the first retry waits 1.5 s (half of 2 s plus half the jitter range at random 0.5).
    clock.advance(1_000);
    expect(await t.platform.outbox.drainOnce()).toEqual([]);
    clock.advance(500);
    expect(await t.platform.outbox.drainOnce()).toEqual([{ id: item.id, outcome: 'retry' }]);
    clock.advance(3_000);
    expect(await t.platform.outbox.drainOnce()).toEqual([{ id: item.id, outcome: 'delivered' }]);
    const row = await getOutboxItem(t.platform.db, workspaceId, item.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastError: null });
    const types = (await listEvents(t.platform.db, workspaceId, { limit: 10, subjectId: item.id })).map((e) => e.type);
    expect(types).toEqual(['outbox.delivered', 'outbox.retry_scheduled', 'outbox.retry_scheduled']);
  });

  it('dead-letters after the attempt limit, shows it in the API, and retries it on request', async () => {
    const item = await enqueue('test.down', 3);
    for (let i = 0; i < 3; i++) {
      await t.platform.outbox.drainOnce();
      clock.advance(60_000);
    }
    const row = await getOutboxItem(t.platform.db, workspaceId, item.id);
    expect(row).toMatchObject({ status: 'dead', attempts: 3, lastErrorKind: 'retryable' });
    expect(row?.lastError).toContain('provider 503 (attempt 3)');
    clock.advance(3_600_000);
    expect(await t.platform.outbox.drainOnce()).toEqual([]);

    const dead = await t.app.inject({ url: '/api/outbox?status=dead', headers: { cookie } });
    expect(dead.statusCode).toBe(200);
    expect(dead.json().items.map((i: { id: string }) => i.id)).toContain(item.id);

    const retried = await t.app.inject({ method: 'POST', url: `/api/outbox/${item.id}/retry`, headers: { cookie } });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
    const again = await t.app.inject({ method: 'POST', url: `/api/outbox/${item.id}/retry`, headers: { cookie } });
    expect(again.statusCode).toBe(409);
    expect(await t.platform.outbox.drainOnce()).toEqual([{ id: item.id, outcome: 'retry' }]);
  });

  it('dead-letters a permanent failure at once, and a message nobody can send', async () => {
    const rejected = await enqueue('test.rejects');
    const orphan = await enqueue('test.no-such-sender');
    const results = await t.platform.outbox.drainOnce();
    expect(results).toEqual(expect.arrayContaining([{ id: rejected.id, outcome: 'dead' }, { id: orphan.id, outcome: 'dead' }]));
    expect((await getOutboxItem(t.platform.db, workspaceId, orphan.id))?.lastError).toMatch(/no sender is registered/);
  });

  it('keeps one row for one dedupe key', async () => {
    const make = () =>
      inTransaction(t.platform, (tx) =>
        enqueueOutbox(tx, { workspaceId, kind: 'test.flaky2', payload: {}, maxAttempts: 3, dedupeKey: 'reply-42' }, clock.now()),
      );
    const a = await make();
    const b = await make();
    expect(b.id).toBe(a.id);
  });

  it('takes back a message whose worker died mid-delivery once its lease ends', async () => {
    let hang!: () => void;
    t.platform.outbox.register('test.hangs', () => new Promise<void>((resolve) => { hang = resolve; }));
    const item = await enqueue('test.hangs');
    // Claim it, then "crash": leave the delivery hanging.
    const stuck = t.platform.outbox.drainOnce();
    await new Promise((r) => setTimeout(r, 50));
    try {
      expect((await getOutboxItem(t.platform.db, workspaceId, item.id))?.status).toBe('sending');
      // Another worker does not get it while the lease runs, and takes it once the lease has run out.
      const claimedBy = async () => (await claimDue(t.platform.db, clock.now(), 60_000, 50)).filter((r) => r.id === item.id);
      expect(await claimedBy()).toEqual([]);
      clock.advance(61_000);
      expect((await claimedBy()).map((r) => r.attempts)).toEqual([2]);
    } finally {
      hang();
      await stuck;
    }
  });
});
