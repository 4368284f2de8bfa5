import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client.ts';
import { inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import { customerIdentities, customers } from './customers.schema.ts';
import { parseOrdersCsv, type CustomerRef, type LineError, type OrderLine } from './orders.parse.ts';
import { customerOrders } from './value.schema.ts';

export type OrderRow = typeof customerOrders.$inferSelect;

export interface ImportReport {
  /** Orders written now. */
  imported: number;
  /** Valid lines whose order_id was already stored (or repeated in the file): left unchanged. */
  skipped: number;
  errors: LineError[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHUNK = 500;

/**
 * Customer ids for the references of an import, in bulk. An email or key that names more than one
 * customer is an error, never a silent pick (joining customers is identity resolution's job).
 */
async function resolveCustomers(db: DbOrTx, workspaceId: string, refs: CustomerRef[]): Promise<Map<string, string | { error: string }>> {
  const out = new Map<string, string | { error: string }>();
  const byKind = (kind: CustomerRef['kind']) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.value))];
  const put = (kind: string, value: string, ids: string[], what: string) => {
    const unique = [...new Set(ids)];
    out.set(`${kind}:${value}`, unique.length === 1 ? unique[0]! : { error: unique.length === 0 ? `no customer with ${what} "${value}"` : `${unique.length} customers have ${what} "${value}"; use customer_id` });
  };
  const ids = byKind('id');
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const valid = chunk.filter((id) => UUID.test(id));
    const found = valid.length ? await db.select({ id: customers.id }).from(customers).where(and(eq(customers.workspaceId, workspaceId), inArray(customers.id, valid))) : [];
    const known = new Set(found.map((r) => r.id));
    for (const id of chunk) put('id', id, known.has(id) ? [id] : [], 'id');
  }
  const emails = byKind('email');
  for (let i = 0; i < emails.length; i += CHUNK) {
    const chunk = emails.slice(i, i + CHUNK);
    const found = await db
      .select({ id: customers.id, email: sql<string>`lower(${customers.email})` })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), inArray(sql`lower(${customers.email})`, chunk)));
    for (const email of chunk) put('email', email, found.filter((r) => r.email === email).map((r) => r.id), 'email');
  }
  const keys = byKind('key');
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    const found = await db
      .select({ id: customerIdentities.customerId, key: customerIdentities.externalId })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.workspaceId, workspaceId), inArray(customerIdentities.externalId, chunk)));
    for (const key of chunk) put('key', key, found.filter((r) => r.key === key).map((r) => r.id), 'identity');
  }
  return out;
}

/** Writes orders, skipping order ids already stored; returns how many were new. */
async function insertOrders(db: DbOrTx, workspaceId: string, rows: Array<{ customerId: string } & Omit<OrderLine, 'line' | 'customer'>>, now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(customerOrders)
    .values(rows.map((r) => ({ id: randomUUID(), workspaceId, customerId: r.customerId, externalId: r.orderId, orderedAt: r.orderedAt, amountMinor: r.amountMinor, currency: r.currency, createdAt: now })))
    .onConflictDoNothing()
    .returning({ id: customerOrders.id });
  return inserted.length;
}

/**
 * Imports orders from CSV text (see parseOrdersCsv). Idempotent on order_id: a line whose order
 * is already stored is skipped, not changed. Each chunk commits on its own, so a long import
 * keeps what it has done; running it again completes it.
 */
export async function importOrdersCsv(
  p: Platform,
  workspaceId: string,
  csv: string,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportReport> {
  const { lines, errors } = parseOrdersCsv(csv);
  const resolved = await resolveCustomers(p.db, workspaceId, lines.map((l) => l.customer));
  const valid: Array<OrderLine & { customerId: string }> = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const line of lines) {
    const customer = resolved.get(`${line.customer.kind}:${line.customer.value}`);
    if (typeof customer !== 'string') {
      errors.push({ line: line.line, message: customer?.error ?? 'customer not found' });
      continue;
    }
    if (seen.has(line.orderId)) {
      skipped++;
      continue;
    }
    seen.add(line.orderId);
    valid.push({ ...line, customerId: customer });
  }
  let imported = 0;
  onProgress?.(0, valid.length);
  for (let i = 0; i < valid.length; i += CHUNK) {
    const chunk = valid.slice(i, i + CHUNK);
    const n = await inTransaction(p, (tx) => insertOrders(tx, workspaceId, chunk, p.clock.now()));
    imported += n;
    skipped += chunk.length - n;
    onProgress?.(Math.min(valid.length, i + CHUNK), valid.length);
  }
  errors.sort((a, b) => a.line - b.line);
  return { imported, skipped, errors };
}

/** One order for a known customer; `created` false when the order id was already stored (the stored order is returned, unchanged). */
export async function addOrder(
  p: Platform,
  workspaceId: string,
  customerId: string,
  order: Omit<OrderLine, 'line' | 'customer'>,
): Promise<{ order: OrderRow; created: boolean } | { conflict: OrderRow }> {
  const created = await insertOrders(p.db, workspaceId, [{ ...order, customerId }], p.clock.now());
  const [row] = await p.db.select().from(customerOrders).where(and(eq(customerOrders.workspaceId, workspaceId), eq(customerOrders.externalId, order.orderId)));
  if (!created && row!.customerId !== customerId) return { conflict: row! };
  return { order: row!, created: created === 1 };
}

export async function listOrders(db: DbOrTx, workspaceId: string, customerId: string, limit = 200): Promise<OrderRow[]> {
  return db
    .select()
    .from(customerOrders)
    .where(and(eq(customerOrders.workspaceId, workspaceId), eq(customerOrders.customerId, customerId)))
    .orderBy(desc(customerOrders.orderedAt))
    .limit(limit);
}
