import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users, events } from '../../../src/platform/db/schema.ts';
import { appendEvent, inTransaction, listEvents, type StoredEvent } from '../../../src/platform/events/events.ts';
import { insertUser } from '../../../src/platform/auth/auth.store.ts';
import { makeTestApp, makeWorkspace, type TestContext } from '../../helpers.ts';

describe('event log', () => {
  let t: TestContext;
  let workspaceId: string;
  beforeAll(async () => {
    t = await makeTestApp();
    workspaceId = (await makeWorkspace(t.platform)).id;
  });
  afterAll(() => t.close());

  const newUser = (email: string) => ({ email, name: 'X', role: 'agent' as const, passwordHash: 'x' });

  it('commits a change and its event together, and publishes only after the commit', async () => {
    const seen: StoredEvent[] = [];
    const unsubscribe = t.platform.bus.subscribe({ types: ['user.created'], workspaceId }, (e) => { seen.push(e); });
    let seenInsideTransaction = -1;
    const user = await inTransaction(t.platform, async (tx) => {
      const row = await insertUser(tx, workspaceId, newUser('atomic-ok@example.nl'), t.platform.clock.now());
      await appendEvent(tx, { workspaceId, type: 'user.created', subjectType: 'user', subjectId: row.id });
      seenInsideTransaction = seen.length;
      return row;
    });
    unsubscribe();
    expect(seenInsideTransaction).toBe(0);
    expect(seen.map((e) => e.subjectId)).toEqual([user.id]);
    const stored = await listEvents(t.platform.db, workspaceId, { limit: 10, subjectId: user.id });
    expect(stored).toHaveLength(1);
    expect(await t.platform.db.select().from(users).where(eq(users.id, user.id))).toHaveLength(1);
  });

  it('leaves neither the change nor its event when the transaction fails', async () => {
    const seen: StoredEvent[] = [];
    const unsubscribe = t.platform.bus.subscribe({ types: '*', workspaceId }, (e) => { seen.push(e); });
    const before = await t.platform.db.select({ n: sql<number>`count(*)::int` }).from(events);
    let userId = '';
    await expect(
      inTransaction(t.platform, async (tx) => {
        const row = await insertUser(tx, workspaceId, newUser('atomic-fail@example.nl'), t.platform.clock.now());
        userId = row.id;
        await appendEvent(tx, { workspaceId, type: 'user.created', subjectType: 'user', subjectId: row.id });
        throw new Error('boom after both writes');
      }),
    ).rejects.toThrow('boom after both writes');
    unsubscribe();
    expect(userId).not.toBe('');
    expect(await t.platform.db.select().from(users).where(eq(users.id, userId))).toHaveLength(0);
    const after = await t.platform.db.select({ n: sql<number>`count(*)::int` }).from(events);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(seen).toHaveLength(0);
  });

  it('refuses an event written outside inTransaction', async () => {
    await expect(
      t.platform.db.transaction(async (tx) => appendEvent(tx, { workspaceId, type: 'x.y', subjectType: 'x', subjectId: '1' })),
    ).rejects.toThrow(/inside inTransaction/);
  });

  it('is append-only: updates and deletes are refused by the database', async () => {
    const event = await inTransaction(t.platform, (tx) => appendEvent(tx, { workspaceId, type: 'test.kept', subjectType: 'test', subjectId: '1' }));
    // Drizzle wraps the driver's error; the database's own message is its cause.
    const refusal = (e: unknown) => /append-only/.test(String((e as { cause?: Error }).cause?.message));
    await expect(t.platform.db.update(events).set({ type: 'test.changed' }).where(eq(events.id, event.id))).rejects.toSatisfy(refusal);
    await expect(t.platform.db.delete(events).where(eq(events.id, event.id))).rejects.toSatisfy(refusal);
    const [kept] = await listEvents(t.platform.db, workspaceId, { limit: 1, subjectId: '1', type: 'test.kept' });
    expect(kept?.type).toBe('test.kept');
  });

  it('keeps delivering to other subscribers when one throws', async () => {
    const got: string[] = [];
    const u1 = t.platform.bus.subscribe({ types: ['test.fanout'] }, () => { throw new Error('bad subscriber'); });
    const u2 = t.platform.bus.subscribe({ types: ['test.fanout'] }, (e) => { got.push(e.subjectId); });
    await inTransaction(t.platform, (tx) => appendEvent(tx, { workspaceId, type: 'test.fanout', subjectType: 'test', subjectId: 'f1' }));
    u1();
    u2();
    expect(got).toEqual(['f1']);
  });
});
