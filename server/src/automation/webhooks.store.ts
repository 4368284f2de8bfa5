// Queries of outbound webhooks. Every function that a request reaches takes the workspace id and
// filters by it; the sender and the dispatcher, which serve all workspaces, say so in their names.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db, type DbOrTx, type Tx } from '../platform/db/client.ts';
import { webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints, type WebhookDeliverySource, type WebhookDeliveryStatus } from './webhooks.schema.ts';

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids that come from outside a validated route (a rule's action) may be anything; a uuid column refuses non-uuids loudly. */
export const isUuid = (value: string) => UUID.test(value);

export async function insertEndpoint(tx: Tx, row: typeof webhookEndpoints.$inferInsert): Promise<WebhookEndpointRow> {
  const [inserted] = await tx.insert(webhookEndpoints).values(row).returning();
  return inserted!;
}

export async function getEndpoint(db: DbOrTx, workspaceId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)));
  return row;
}

export async function listEndpoints(db: DbOrTx, workspaceId: string): Promise<WebhookEndpointRow[]> {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, workspaceId)).orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
}

export async function updateEndpoint(
  tx: Tx,
  workspaceId: string,
  id: string,
  patch: Partial<Pick<WebhookEndpointRow, 'name' | 'url' | 'eventTypes' | 'enabled' | 'disabledReason' | 'secrets' | 'previousSecretExpiresAt' | 'updatedAt'>>,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await tx
    .update(webhookEndpoints)
    .set(patch)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)))
    .returning();
  return row;
}

export async function deleteEndpoint(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/** The dispatcher's view, across workspaces: every endpoint that is switched on. */
export async function enabledEndpointsOfAllWorkspaces(db: DbOrTx): Promise<WebhookEndpointRow[]> {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.enabled, true));
}

/** Inserts a delivery unless this endpoint already has one for this event from this source; answers the row either way. */
export async function insertDeliveryOnce(tx: Tx, row: typeof webhookDeliveries.$inferInsert): Promise<{ row: WebhookDeliveryRow; created: boolean }> {
  const [inserted] = await tx.insert(webhookDeliveries).values(row).onConflictDoNothing().returning();
  if (inserted) return { row: inserted, created: true };
  const [existing] = await tx
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, row.endpointId), eq(webhookDeliveries.eventId, row.eventId), eq(webhookDeliveries.source, row.source)));
  if (!existing) throw new Error('webhook delivery insert conflicted but no row was found');
  return { row: existing, created: false };
}

export async function setDeliveryOutbox(tx: Tx, id: string, outboxId: string, status: WebhookDeliveryStatus): Promise<void> {
  await tx.update(webhookDeliveries).set({ outboxId, status }).where(eq(webhookDeliveries.id, id));
}

export async function getDelivery(db: DbOrTx, workspaceId: string, endpointId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.id, id)));
  return row;
}

/** For the outbox sender, which knows the workspace from the outbox row. */
export async function getDeliveryWithEndpoint(db: DbOrTx, workspaceId: string, id: string): Promise<{ delivery: WebhookDeliveryRow; endpoint: WebhookEndpointRow } | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.id, id)));
  return row;
}

/** Newest first; the cursor is the created time and id of the last row seen. */
export async function listDeliveries(
  db: Db,
  workspaceId: string,
  endpointId: string,
  opts: { status?: WebhookDeliveryStatus; before?: { createdAt: Date; id: string }; limit: number },
): Promise<WebhookDeliveryRow[]> {
  const conditions = [eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.endpointId, endpointId)];
  if (opts.status) conditions.push(eq(webhookDeliveries.status, opts.status));
  if (opts.before) {
    conditions.push(
      sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${opts.before.createdAt.toISOString()}::timestamptz, ${opts.before.id}::uuid)`,
    );
  }
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(opts.limit);
}

/** Records one attempt's outcome on the delivery (the outbox row keeps its own count). */
export async function recordAttempt(
  db: DbOrTx,
  id: string,
  attempt: { at: Date; statusCode: number | null; error: string | null; status: WebhookDeliveryStatus },
): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastAttemptAt: attempt.at,
      lastStatusCode: attempt.statusCode,
      lastError: attempt.error?.slice(0, 1000) ?? null,
      status: attempt.status,
      ...(attempt.status === 'delivered' ? { deliveredAt: attempt.at } : {}),
    })
    .where(eq(webhookDeliveries.id, id));
}

export type WebhookDeliveryAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;
/** The most of a receiver's answer the attempt log keeps. */
export const RESPONSE_EXCERPT_BYTES = 1024;

/** Keeps one attempt in the delivery's attempt log (numbered over the delivery's life; a repeat of a number is ignored). */
export async function insertAttempt(
  db: DbOrTx,
  workspaceId: string,
  deliveryId: string,
  attempt: { attempt: number; at: Date; statusCode: number | null; error: string | null; durationMs: number; responseExcerpt: string | null },
): Promise<void> {
  const excerpt = attempt.responseExcerpt === null ? null : Buffer.from(attempt.responseExcerpt, 'utf8').subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').replace(/\uFFFD$/, '');
  await db
    .insert(webhookDeliveryAttempts)
    .values({ id: randomUUID(), workspaceId, deliveryId, ...attempt, error: attempt.error?.slice(0, 1000) ?? null, durationMs: Math.max(0, Math.round(attempt.durationMs)), responseExcerpt: excerpt })
    .onConflictDoNothing();
}

/** A delivery's attempts, first to last. */
export async function listAttempts(db: DbOrTx, workspaceId: string, deliveryId: string): Promise<WebhookDeliveryAttemptRow[]> {
  return db
    .select()
    .from(webhookDeliveryAttempts)
    .where(and(eq(webhookDeliveryAttempts.workspaceId, workspaceId), eq(webhookDeliveryAttempts.deliveryId, deliveryId)))
    .orderBy(asc(webhookDeliveryAttempts.attempt));
}

/** Sets the status; with an error, also the last error (a failure found before any request was made). */
export async function setDeliveryStatus(tx: Tx, id: string, status: WebhookDeliveryStatus, error?: string): Promise<void> {
  await tx
    .update(webhookDeliveries)
    .set({ status, ...(error !== undefined ? { lastError: error.slice(0, 1000) } : {}) })
    .where(eq(webhookDeliveries.id, id));
}

/** The newest event id visible now (0 for an empty log). */
export async function lastEventId(tx: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ max: number | string | null }>(tx, sql`select max(id) as max from events`);
  return Number(row?.max ?? 0);
}

export type { WebhookDeliverySource, WebhookDeliveryStatus };
