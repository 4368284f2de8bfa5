import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { analyticsSettings } from './analytics.schema.ts';
import { reportSchedules } from './benchmark.schema.ts';

export type ReportScheduleRow = typeof reportSchedules.$inferSelect;
export type ScheduleFields = Pick<
  ReportScheduleRow,
  'name' | 'recipients' | 'frequency' | 'hour' | 'weekday' | 'dayOfMonth' | 'timeZone' | 'range' | 'interval' | 'groupBy' | 'language' | 'enabled'
>;

/** The zone the workspace reports in (analytics settings), for schedules that name none. */
export async function workspaceTimeZone(db: DbOrTx, workspaceId: string): Promise<string | undefined> {
  const [row] = await db.select({ timeZone: analyticsSettings.timeZone }).from(analyticsSettings).where(eq(analyticsSettings.workspaceId, workspaceId));
  return row?.timeZone;
}

export async function listSchedules(db: DbOrTx, workspaceId: string): Promise<ReportScheduleRow[]> {
  return db.select().from(reportSchedules).where(eq(reportSchedules.workspaceId, workspaceId)).orderBy(asc(reportSchedules.createdAt), asc(reportSchedules.id));
}

export async function getSchedule(db: DbOrTx, workspaceId: string, id: string): Promise<ReportScheduleRow | undefined> {
  const [row] = await db.select().from(reportSchedules).where(and(eq(reportSchedules.workspaceId, workspaceId), eq(reportSchedules.id, id)));
  return row;
}

export async function insertSchedule(tx: Tx, workspaceId: string, fields: ScheduleFields & { nextRunAt: Date | null; createdBy: string }, now: Date): Promise<ReportScheduleRow> {
  const [row] = await tx.insert(reportSchedules).values({ id: randomUUID(), workspaceId, ...fields, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function updateSchedule(tx: Tx, workspaceId: string, id: string, fields: ScheduleFields & { nextRunAt: Date | null }, now: Date): Promise<ReportScheduleRow | undefined> {
  const [row] = await tx
    .update(reportSchedules)
    .set({ ...fields, updatedAt: now })
    .where(and(eq(reportSchedules.workspaceId, workspaceId), eq(reportSchedules.id, id)))
    .returning();
  return row;
}

export async function deleteSchedule(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(reportSchedules).where(and(eq(reportSchedules.workspaceId, workspaceId), eq(reportSchedules.id, id))).returning({ id: reportSchedules.id });
  return rows.length > 0;
}

/**
 * Claims every due schedule for this node with one conditional UPDATE: a row is taken only if it
 * is due and not leased, and the lease is set in the same statement. A second node running the
 * same UPDATE at the same moment waits for the row lock, re-checks the condition against the
 * leased row and skips it, so a run is sent once. A node that dies mid-run leaves the lease,
 * which expires after `leaseMs` and lets another node take the run.
 */
export async function claimDueSchedules(db: DbOrTx, now: Date, leaseMs: number): Promise<ReportScheduleRow[]> {
  return db
    .update(reportSchedules)
    .set({ lockedUntil: new Date(now.getTime() + leaseMs) })
    .where(
      and(
        eq(reportSchedules.enabled, true),
        lte(reportSchedules.nextRunAt, now),
        or(isNull(reportSchedules.lockedUntil), lte(reportSchedules.lockedUntil, now)),
      ),
    )
    .returning();
}

/**
 * Records how a run went and releases the lease. The next run is set only if nobody changed the
 * schedule during the run (same `updated_at`): an edit already computed the new next run.
 */
export async function finishRun(
  tx: Tx,
  claimed: ReportScheduleRow,
  result: { at: Date; error: string | null; nextRunAt: Date | null },
): Promise<void> {
  const outcome = { lastRunAt: result.at, lastError: result.error, lockedUntil: null, runs: sql`${reportSchedules.runs} + 1` };
  const unchanged = await tx
    .update(reportSchedules)
    .set({ ...outcome, nextRunAt: result.nextRunAt })
    .where(and(eq(reportSchedules.id, claimed.id), eq(reportSchedules.updatedAt, claimed.updatedAt)))
    .returning({ id: reportSchedules.id });
  if (unchanged.length === 0) await tx.update(reportSchedules).set(outcome).where(eq(reportSchedules.id, claimed.id));
}

/** Records a run started by hand ("send now"); the schedule's next run stays. */
export async function recordManualRun(tx: Tx, workspaceId: string, id: string, at: Date, error: string | null): Promise<ReportScheduleRow | undefined> {
  const [row] = await tx
    .update(reportSchedules)
    .set({ lastRunAt: at, lastError: error, runs: sql`${reportSchedules.runs} + 1` })
    .where(and(eq(reportSchedules.workspaceId, workspaceId), eq(reportSchedules.id, id)))
    .returning();
  return row;
}
