import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, isNull, lte, ne, or } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { conversations } from '../conversations/conversations.schema.ts';
import { events } from '../platform/db/schema.ts';
import { slaCalendars, slaClocks, slaPolicies } from './sla.schema.ts';

export type CalendarRow = typeof slaCalendars.$inferSelect;
export type PolicyRow = typeof slaPolicies.$inferSelect;
export type ClockRow = typeof slaClocks.$inferSelect;
export type CalendarInput = Pick<CalendarRow, 'name' | 'timeZone' | 'alwaysOpen' | 'week' | 'holidays'>;
export type PolicyInput = Pick<PolicyRow, 'name' | 'position' | 'enabled' | 'conditions' | 'targets' | 'warning' | 'calendarId' | 'escalation'>;

// Calendars.

export async function listCalendars(db: DbOrTx, workspaceId: string): Promise<CalendarRow[]> {
  return db.select().from(slaCalendars).where(eq(slaCalendars.workspaceId, workspaceId)).orderBy(asc(slaCalendars.name));
}

export async function getCalendar(db: DbOrTx, workspaceId: string, id: string): Promise<CalendarRow | undefined> {
  const [row] = await db.select().from(slaCalendars).where(and(eq(slaCalendars.workspaceId, workspaceId), eq(slaCalendars.id, id)));
  return row;
}

export async function insertCalendar(tx: Tx, workspaceId: string, input: CalendarInput, now: Date, id: string = randomUUID()): Promise<CalendarRow> {
  const [row] = await tx.insert(slaCalendars).values({ id, workspaceId, ...input, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function updateCalendar(tx: Tx, workspaceId: string, id: string, input: CalendarInput, now: Date): Promise<CalendarRow | undefined> {
  const [row] = await tx
    .update(slaCalendars)
    .set({ ...input, updatedAt: now })
    .where(and(eq(slaCalendars.workspaceId, workspaceId), eq(slaCalendars.id, id)))
    .returning();
  return row;
}

export async function deleteCalendar(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(slaCalendars).where(and(eq(slaCalendars.workspaceId, workspaceId), eq(slaCalendars.id, id))).returning({ id: slaCalendars.id });
  return rows.length > 0;
}

export async function policiesUsingCalendar(db: DbOrTx, workspaceId: string, calendarId: string): Promise<string[]> {
  const rows = await db.select({ name: slaPolicies.name }).from(slaPolicies).where(and(eq(slaPolicies.workspaceId, workspaceId), eq(slaPolicies.calendarId, calendarId)));
  return rows.map((r) => r.name);
}

// Policies.

export async function listPolicies(db: DbOrTx, workspaceId: string): Promise<PolicyRow[]> {
  return db.select().from(slaPolicies).where(eq(slaPolicies.workspaceId, workspaceId)).orderBy(asc(slaPolicies.position), asc(slaPolicies.name));
}

export async function getPolicy(db: DbOrTx, workspaceId: string, id: string): Promise<PolicyRow | undefined> {
  const [row] = await db.select().from(slaPolicies).where(and(eq(slaPolicies.workspaceId, workspaceId), eq(slaPolicies.id, id)));
  return row;
}

export async function insertPolicy(tx: Tx, workspaceId: string, input: PolicyInput, now: Date, id: string = randomUUID()): Promise<PolicyRow> {
  const [row] = await tx.insert(slaPolicies).values({ id, workspaceId, ...input, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function updatePolicy(tx: Tx, workspaceId: string, id: string, input: PolicyInput, now: Date): Promise<PolicyRow | undefined> {
  const [row] = await tx
    .update(slaPolicies)
    .set({ ...input, updatedAt: now })
    .where(and(eq(slaPolicies.workspaceId, workspaceId), eq(slaPolicies.id, id)))
    .returning();
  return row;
}

export async function deletePolicy(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(slaPolicies).where(and(eq(slaPolicies.workspaceId, workspaceId), eq(slaPolicies.id, id))).returning({ id: slaPolicies.id });
  return rows.length > 0;
}

export async function hasEnabledPolicy(db: DbOrTx, workspaceId: string): Promise<boolean> {
  const rows = await db.select({ id: slaPolicies.id }).from(slaPolicies).where(and(eq(slaPolicies.workspaceId, workspaceId), eq(slaPolicies.enabled, true))).limit(1);
  return rows.length > 0;
}

// Clocks.

export async function hasClocks(db: DbOrTx, workspaceId: string, conversationId: string): Promise<boolean> {
  const rows = await db.select({ id: slaClocks.id }).from(slaClocks).where(and(eq(slaClocks.workspaceId, workspaceId), eq(slaClocks.conversationId, conversationId))).limit(1);
  return rows.length > 0;
}

export async function clocksOf(db: DbOrTx, workspaceId: string, conversationId: string): Promise<ClockRow[]> {
  return db
    .select()
    .from(slaClocks)
    .where(and(eq(slaClocks.workspaceId, workspaceId), eq(slaClocks.conversationId, conversationId)))
    .orderBy(asc(slaClocks.startedAt), asc(slaClocks.metric), asc(slaClocks.cycle));
}

export type ClockValues = Omit<ClockRow, 'id' | 'workspaceId' | 'conversationId' | 'warnedAt' | 'breachedAt'>;

export async function insertClock(tx: Tx, workspaceId: string, conversationId: string, values: ClockValues): Promise<ClockRow> {
  const [row] = await tx.insert(slaClocks).values({ id: randomUUID(), workspaceId, conversationId, ...values }).returning();
  return row!;
}

export async function updateClock(tx: Tx, workspaceId: string, id: string, values: Partial<Omit<ClockRow, 'id' | 'workspaceId' | 'conversationId'>>): Promise<ClockRow> {
  const [row] = await tx.update(slaClocks).set(values).where(and(eq(slaClocks.workspaceId, workspaceId), eq(slaClocks.id, id))).returning();
  return row!;
}

export async function deleteClocks(tx: Tx, workspaceId: string, ids: string[]): Promise<void> {
  if (ids.length) await tx.delete(slaClocks).where(and(eq(slaClocks.workspaceId, workspaceId), inArray(slaClocks.id, ids)));
}

/** Conversations with a clock whose warning or breach is due (any workspace; the job's query, by the partial indexes). */
export async function dueConversations(db: DbOrTx, now: Date, limit: number): Promise<Array<{ workspaceId: string; conversationId: string }>> {
  const due = db
    .select({ workspaceId: slaClocks.workspaceId, conversationId: slaClocks.conversationId })
    .from(slaClocks)
    .where(and(isNull(slaClocks.completedAt), isNull(slaClocks.breachedAt), lte(slaClocks.dueAt, now)))
    .limit(limit);
  const warn = db
    .select({ workspaceId: slaClocks.workspaceId, conversationId: slaClocks.conversationId })
    .from(slaClocks)
    .where(and(isNull(slaClocks.completedAt), isNull(slaClocks.warnedAt), lte(slaClocks.warnAt, now)))
    .limit(limit);
  return uniqueConversations([...(await due), ...(await warn)]);
}

/**
 * Conversations whose open clocks disagree with the conversation's status (paused while it is
 * open, running while it waits): a change whose recompute was lost (a node stopped right after
 * the commit). The job recomputes them.
 */
export async function strayConversations(db: DbOrTx, notTouchedSince: Date, limit: number): Promise<Array<{ workspaceId: string; conversationId: string }>> {
  const rows = await db
    .select({ workspaceId: slaClocks.workspaceId, conversationId: slaClocks.conversationId })
    .from(slaClocks)
    .innerJoin(conversations, and(eq(conversations.workspaceId, slaClocks.workspaceId), eq(conversations.id, slaClocks.conversationId)))
    .where(
      and(
        isNull(slaClocks.completedAt),
        // Not one a recompute is about to reach (just committed), nor one healed a moment ago.
        lte(slaClocks.updatedAt, notTouchedSince),
        // A clock counts exactly when it has a due time; it should count exactly while the conversation is open.
        or(
          and(isNull(slaClocks.dueAt), eq(conversations.status, 'open')),
          and(isNotNull(slaClocks.dueAt), ne(conversations.status, 'open')),
          eq(conversations.status, 'resolved'),
        ),
      ),
    )
    .limit(limit);
  return uniqueConversations(rows);
}

/** Marks a conversation's open clocks as looked at now (the job re-checks a stray at most once a minute). */
export async function touchOpenClocks(tx: Tx, workspaceId: string, conversationId: string, now: Date): Promise<void> {
  await tx
    .update(slaClocks)
    .set({ updatedAt: now })
    .where(and(eq(slaClocks.workspaceId, workspaceId), eq(slaClocks.conversationId, conversationId), isNull(slaClocks.completedAt)));
}

/** Conversations of a workspace with clocks still counting or paused: recomputed after a policy or calendar change. */
export async function conversationsWithOpenClocks(db: DbOrTx, workspaceId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ conversationId: slaClocks.conversationId })
    .from(slaClocks)
    .where(and(eq(slaClocks.workspaceId, workspaceId), isNull(slaClocks.completedAt)))
    .limit(limit);
  return rows.map((r) => r.conversationId);
}

function uniqueConversations(rows: Array<{ workspaceId: string; conversationId: string }>) {
  const seen = new Map<string, { workspaceId: string; conversationId: string }>();
  for (const row of rows) seen.set(`${row.workspaceId}/${row.conversationId}`, row);
  return [...seen.values()];
}

/** A conversation's events that move its clocks, oldest first (by the events_subject index). */
export async function clockEventsOf(db: DbOrTx, workspaceId: string, conversationId: string, types: string[]) {
  return db
    .select({ type: events.type, payload: events.payload, actorId: events.actorId, createdAt: events.createdAt })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), eq(events.subjectType, 'conversation'), eq(events.subjectId, conversationId), inArray(events.type, types)))
    .orderBy(asc(events.id));
}

/**
 * The workspace's own business hours where nothing more specific applies (automation's "business
 * hours", the workforce forecast's holidays): the calendar of the first enabled SLA policy that
 * names one, else the first calendar by name; undefined when the workspace has none.
 */
export async function defaultCalendar(db: DbOrTx, workspaceId: string): Promise<CalendarRow | undefined> {
  const calendars = await listCalendars(db, workspaceId);
  if (calendars.length === 0) return undefined;
  const chosenId = (await listPolicies(db, workspaceId)).find((p) => p.enabled && p.calendarId)?.calendarId;
  return calendars.find((c) => c.id === chosenId) ?? calendars[0];
}
