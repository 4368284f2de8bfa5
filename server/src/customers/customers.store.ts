import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { customerIdentities, customers } from './customers.schema.ts';

export type CustomerRow = typeof customers.$inferSelect;
export type IdentityRow = typeof customerIdentities.$inferSelect;

export interface CustomerProfile {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  language?: string | null;
}

export async function getCustomer(db: DbOrTx, workspaceId: string, id: string): Promise<CustomerRow | undefined> {
  const [row] = await db.select().from(customers).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)));
  return row;
}

/**
 * The customer behind an identity, locked for the rest of the transaction, so that concurrent
 * messages of one customer decide "which conversation does this belong to" one at a time.
 */
export async function lockCustomerByIdentity(tx: Tx, workspaceId: string, channelType: string, externalId: string): Promise<CustomerRow | undefined> {
  const [row] = await tx
    .select({ customer: customers })
    .from(customerIdentities)
    .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
    .where(and(eq(customerIdentities.workspaceId, workspaceId), eq(customerIdentities.channelType, channelType), eq(customerIdentities.externalId, externalId)))
    .for('update', { of: customers });
  return row?.customer;
}

export async function listIdentities(db: DbOrTx, workspaceId: string, customerId: string): Promise<IdentityRow[]> {
  return db
    .select()
    .from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, workspaceId), eq(customerIdentities.customerId, customerId)));
}

export async function insertCustomer(tx: Tx, workspaceId: string, profile: CustomerProfile, now: Date): Promise<CustomerRow> {
  const [row] = await tx
    .insert(customers)
    .values({ id: randomUUID(), workspaceId, name: profile.name ?? null, email: profile.email ?? null, phone: profile.phone ?? null, language: profile.language ?? null, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

/** Adds an identity; returns undefined when another transaction added the same one first. */
export async function insertIdentity(
  tx: Tx,
  workspaceId: string,
  input: { customerId: string; channelType: string; externalId: string; verified: boolean },
  now: Date,
): Promise<IdentityRow | undefined> {
  const [row] = await tx
    .insert(customerIdentities)
    .values({ id: randomUUID(), workspaceId, ...input, createdAt: now })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** Fills profile fields that are still empty; never overwrites what is known. */
export async function fillProfile(tx: Tx, customer: CustomerRow, profile: CustomerProfile, now: Date): Promise<CustomerRow> {
  const patch: Partial<CustomerRow> = {};
  for (const key of ['name', 'email', 'phone', 'language'] as const) {
    const value = profile[key];
    if (value && !customer[key]) patch[key] = value;
  }
  if (Object.keys(patch).length === 0) return customer;
  const [row] = await tx
    .update(customers)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(customers.workspaceId, customer.workspaceId), eq(customers.id, customer.id)))
    .returning();
  return row!;
}
