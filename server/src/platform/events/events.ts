import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Database, Db, DbOrTx, Tx } from '../db/client.ts';
import { events } from '../db/schema.ts';
import type { EventBus } from './bus.ts';

/** One entry of the append-only event log, as modules and subscribers see it. */
export interface StoredEvent {
  id: number;
  workspaceId: string;
  /** Dotted name, `<module>.<what happened>`, e.g. `conversation.assigned`. */
  type: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
  actorId: string | null;
  createdAt: Date;
}

export interface NewEvent {
  workspaceId: string;
  type: string;
  subjectType: string;
  subjectId: string;
  payload?: Record<string, unknown>;
  /** Who caused it: a user id, `apikey:<id>`, or `system:<worker>`. */
  actorId?: string | null;
  /** Defaults to the transaction's clock. */
  at?: Date;
}

/**
 * Readers that follow the log by id (the analytics projector) must not pass an id whose
 * transaction is still in flight: ids come from a sequence, so a lower id can commit after a
 * higher one is visible. On PostgreSQL every transaction that appends takes this advisory lock
 * shared, before its first id; a reader takes it exclusively for a moment, after which every id
 * up to the maximum it sees is final.
 */
export const EVENTS_HORIZON_LOCK = 7_253_001;

/** NOTIFY channel that carries committed events to the other Hoorn nodes on the same PostgreSQL. */
export const EVENTS_CHANNEL = 'hoorn_events';

interface TxContext {
  appended: StoredEvent[];
  now: () => Date;
  notify: boolean;
  nodeId: string;
  /** The shared horizon lock is held (PostgreSQL): see EVENTS_HORIZON_LOCK. */
  horizonHeld?: boolean;
}
const openTransactions = new WeakMap<Tx, TxContext>();

export interface TransactionDeps {
  database: Database;
  bus: EventBus;
  clock: { now(): Date };
  nodeId: string;
}

/**
 * Runs `work` in one database transaction. Events appended inside it are published on the bus
 * only after the commit, so subscribers never see a change that was rolled back.
 */
export async function inTransaction<T>(deps: TransactionDeps, work: (tx: Tx) => Promise<T>): Promise<T> {
  const context: TxContext = {
    appended: [],
    now: () => deps.clock.now(),
    notify: deps.database.kind === 'postgres',
    nodeId: deps.nodeId,
  };
  const result = await deps.database.db.transaction(async (tx) => {
    openTransactions.set(tx, context);
    return work(tx);
  });
  for (const event of context.appended) deps.bus.publish(event);
  return result;
}

/**
 * Appends an event in the caller's transaction. It accepts only a transaction opened by
 * `inTransaction`, so a state change and its event commit or roll back together.
 */
export async function appendEvent(tx: Tx, input: NewEvent): Promise<StoredEvent> {
  const context = openTransactions.get(tx);
  if (!context) throw new Error('appendEvent must be called inside inTransaction(), with its transaction');
  if (context.notify && !context.horizonHeld) {
    await tx.execute(sql`select pg_advisory_xact_lock_shared(${EVENTS_HORIZON_LOCK})`);
    context.horizonHeld = true;
  }
  const [row] = await tx
    .insert(events)
    .values({
      workspaceId: input.workspaceId,
      type: input.type,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      payload: input.payload ?? {},
      actorId: input.actorId ?? null,
      createdAt: input.at ?? context.now(),
    })
    .returning();
  const stored = row as StoredEvent;
  context.appended.push(stored);
  if (context.notify) {
    // Delivered by PostgreSQL only if this transaction commits; other nodes load the event by id.
    await tx.execute(
      sqlNotify(JSON.stringify({ node: context.nodeId, id: stored.id, workspaceId: stored.workspaceId })),
    );
  }
  return stored;
}

function sqlNotify(payload: string) {
  return sql`select pg_notify(${EVENTS_CHANNEL}, ${payload})`;
}

export async function getEvent(db: DbOrTx, workspaceId: string, id: number): Promise<StoredEvent | undefined> {
  const [row] = await db.select().from(events).where(and(eq(events.workspaceId, workspaceId), eq(events.id, id)));
  return row as StoredEvent | undefined;
}

/** Newest first, paged by id. */
export async function listEvents(
  db: Db,
  workspaceId: string,
  opts: { before?: number; limit: number; type?: string; subjectType?: string; subjectId?: string },
): Promise<StoredEvent[]> {
  const conditions = [eq(events.workspaceId, workspaceId)];
  if (opts.before !== undefined) conditions.push(lt(events.id, opts.before));
  if (opts.type) conditions.push(eq(events.type, opts.type));
  if (opts.subjectType) conditions.push(eq(events.subjectType, opts.subjectType));
  if (opts.subjectId) conditions.push(eq(events.subjectId, opts.subjectId));
  const rows = await db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(desc(events.id))
    .limit(opts.limit);
  return rows as StoredEvent[];
}

/** Loads an event without knowing its workspace; only for the cross-node bridge. */
export async function loadEventForBridge(db: Db, id: number): Promise<StoredEvent | undefined> {
  const [row] = await db.select().from(events).where(eq(events.id, id));
  return row as StoredEvent | undefined;
}
