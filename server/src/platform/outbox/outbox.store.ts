import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db, type DbOrTx, type Tx } from '../db/client.ts';
import { outbox, type OutboxStatus } from '../db/schema.ts';

export type OutboxItem = typeof outbox.$inferSelect;

export interface NewOutboxItem {
  workspaceId: string;
  kind: string;
  payload: Record<string, unknown>;
  maxAttempts: number;
  dedupeKey?: string;
  /** Earliest time to send; defaults to now. */
  notBefore?: Date;
}

/**
 * Adds a message to the outbox in the caller's transaction, so it is sent if and only if the
 * change that caused it commits. With a dedupe key, enqueuing twice keeps the first row.
 */
export async function enqueueOutbox(tx: Tx, item: NewOutboxItem, now: Date): Promise<OutboxItem> {
  const inserted = await tx
    .insert(outbox)
    .values({
      id: randomUUID(),
      workspaceId: item.workspaceId,
      kind: item.kind,
      payload: item.payload,
      maxAttempts: item.maxAttempts,
      nextAttemptAt: item.notBefore ?? now,
      dedupeKey: item.dedupeKey ?? null,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return inserted[0];
  const [existing] = await tx
    .select()
    .from(outbox)
    .where(and(eq(outbox.workspaceId, item.workspaceId), eq(outbox.dedupeKey, item.dedupeKey ?? '')));
  if (!existing) throw new Error('outbox insert conflicted but no row was found');
  return existing;
}

/**
 * Claims up to `limit` due messages for one worker: pending ones whose time has come, and
 * `sending` ones whose lease ran out (their worker died). SKIP LOCKED lets several nodes drain
 * the same table without handing one message to two of them.
 */
export async function claimDue(db: Db, now: Date, leaseMs: number, limit: number): Promise<OutboxItem[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  const claimed = await queryRows<{ id: string }>(db, sql`
    update ${outbox} set status = 'sending', attempts = ${outbox.attempts} + 1, locked_until = ${leaseEnd.toISOString()}::timestamptz
    where ${outbox.id} in (
      select ${outbox.id} from ${outbox}
      where (${outbox.status} = 'pending' and ${outbox.nextAttemptAt} <= ${now.toISOString()}::timestamptz)
         or (${outbox.status} = 'sending' and ${outbox.lockedUntil} < ${now.toISOString()}::timestamptz)
      order by ${outbox.nextAttemptAt}
      limit ${limit}
      for update skip locked
    )
    returning ${outbox.id}`);
  const ids = claimed.map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = await db.select().from(outbox).where(sql`${outbox.id} in ${ids}`);
  return rows.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
}

export async function markDelivered(tx: Tx, id: string, now: Date): Promise<void> {
  await tx
    .update(outbox)
    .set({ status: 'delivered', deliveredAt: now, lockedUntil: null, lastError: null, lastErrorKind: null })
    .where(eq(outbox.id, id));
}

export async function markFailed(
  tx: Tx,
  id: string,
  update: { status: 'pending' | 'dead'; nextAttemptAt?: Date; error: string; errorKind: string },
): Promise<void> {
  await tx
    .update(outbox)
    .set({
      status: update.status,
      lockedUntil: null,
      lastError: update.error.slice(0, 2000),
      lastErrorKind: update.errorKind,
      ...(update.nextAttemptAt ? { nextAttemptAt: update.nextAttemptAt } : {}),
    })
    .where(eq(outbox.id, id));
}

export async function getOutboxItem(db: DbOrTx, workspaceId: string, id: string): Promise<OutboxItem | undefined> {
  const [row] = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.workspaceId, workspaceId), eq(outbox.id, id)));
  return row;
}

/** Newest first; the cursor is the created time and id of the last row seen. */
export async function listOutbox(
  db: Db,
  workspaceId: string,
  opts: { status?: OutboxStatus; before?: { createdAt: Date; id: string }; limit: number },
): Promise<OutboxItem[]> {
  const conditions = [eq(outbox.workspaceId, workspaceId)];
  if (opts.status) conditions.push(eq(outbox.status, opts.status));
  if (opts.before) {
    conditions.push(
      sql`(${outbox.createdAt}, ${outbox.id}) < (${opts.before.createdAt.toISOString()}::timestamptz, ${opts.before.id}::uuid)`,
    );
  }
  return db
    .select()
    .from(outbox)
    .where(and(...conditions))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(opts.limit);
}

/** Puts a dead message back in line with a fresh set of attempts. */
export async function requeue(tx: Tx, workspaceId: string, id: string, now: Date): Promise<OutboxItem | undefined> {
  const [row] = await tx
    .update(outbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null })
    .where(and(eq(outbox.workspaceId, workspaceId), eq(outbox.id, id), eq(outbox.status, 'dead')))
    .returning();
  return row;
}

export async function countByStatus(db: Db): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .select({ status: outbox.status, n: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.status);
  const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, delivered: 0, dead: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

