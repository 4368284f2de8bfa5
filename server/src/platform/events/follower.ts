// A durable reader of the event log: what a module uses when something must happen for every
// event of some types, even across restarts and on several nodes (rules on a resolution, a
// webhook per event). In-process bus subscribers are for what may be missed (live pushes).
//
// Events are read by id up to the committed horizon, in batches; the handler runs in the
// transaction that moves the reader's cursor, so a batch is handled exactly once or not at all.
import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../db/client.ts';
import type { Platform } from '../platform.ts';
import { EVENTS_HORIZON_LOCK, inTransaction, type StoredEvent } from './events.ts';

/**
 * The id up to which every event is committed. Event ids come from a sequence, so a transaction
 * can commit an id lower than one already visible; on PostgreSQL, event writers hold a shared
 * advisory lock, so holding it exclusively for a moment means no writer is in flight and every
 * id up to the maximum is final. PGlite runs one transaction at a time.
 */
export async function committedHorizon(p: Platform): Promise<number> {
  return p.db.transaction(async (tx) => {
    if (p.database.kind === 'postgres') await tx.execute(sql`select pg_advisory_xact_lock(${EVENTS_HORIZON_LOCK})`);
    const [row] = await queryRows<{ max: number | string | null }>(tx, sql`select max(id) as max from events`);
    return Number(row?.max ?? 0);
  });
}

export interface FollowOptions {
  /** The reader's name: its cursor row. */
  name: string;
  /** The event types to read, or every type. */
  types: readonly string[] | '*';
  batchSize?: number;
}

interface EventRow {
  id: number | string;
  workspace_id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  payload: Record<string, unknown>;
  actor_id: string | null;
  created_at: Date | string;
}

/**
 * Starts a reader at the end of the log, in the caller's transaction (the one that creates what the
 * reader acts for: the first rule, the first endpoint), so it acts on what happens from then on,
 * not on the whole history. Does nothing when the reader exists.
 */
export async function startEventCursor(tx: Tx, name: string, now: Date): Promise<void> {
  await tx.execute(sql`insert into event_cursors (name, last_event_id, updated_at) select ${name}, coalesce(max(id), 0), ${now} from events on conflict do nothing`);
}

/**
 * Hands the events of the given types that the reader has not seen to `handle`, batch by batch, up
 * to the committed horizon. Answers the number of events handled.
 */
export async function followEventLog(p: Platform, options: FollowOptions, handle: (tx: Tx, events: StoredEvent[]) => Promise<void>): Promise<number> {
  const limit = options.batchSize ?? 500;
  // Until something asked to be followed, not even the horizon's lock is worth taking.
  const [exists] = await queryRows<{ one: number }>(p.db, sql`select 1 as one from event_cursors where name = ${options.name}`);
  if (!exists) return 0;
  const horizon = await committedHorizon(p);
  const typeFilter = options.types === '*' ? sql`` : sql` and type = any(${`{${options.types.join(',')}}`}::text[])`;
  let total = 0;
  for (;;) {
    // inTransaction: a handler may append events of its own (a rule's actions), published after commit.
    const read = await inTransaction(p, async (tx) => {
      const [cursor] = await queryRows<{ last_event_id: number | string }>(tx, sql`select last_event_id from event_cursors where name = ${options.name} for update`);
      // No cursor: nothing asked to be followed yet (see startEventCursor).
      if (!cursor) return 0;
      const after = Number(cursor.last_event_id);
      if (after >= horizon) return 0;
      const rows = await queryRows<EventRow>(
        tx,
        sql`select id, workspace_id::text, type, subject_type, subject_id, payload, actor_id, created_at from events
             where id > ${after} and id <= ${horizon}${typeFilter}
             order by id limit ${limit}`,
      );
      if (rows.length) {
        await handle(
          tx,
          rows.map((r) => ({ id: Number(r.id), workspaceId: r.workspace_id, type: r.type, subjectType: r.subject_type, subjectId: r.subject_id, payload: r.payload, actorId: r.actor_id, createdAt: new Date(r.created_at) })),
        );
      }
      const reached = rows.length === limit ? Number(rows[rows.length - 1]!.id) : horizon;
      await tx.execute(sql`update event_cursors set last_event_id = ${reached}, updated_at = ${p.clock.now()} where name = ${options.name}`);
      return rows.length;
    });
    total += read;
    if (read < limit) return total;
  }
}
