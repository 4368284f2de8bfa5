import { and, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { customerIdentities } from './customers.schema.ts';
import { appendEvent } from '../platform/events/events.ts';
import * as store from './customers.store.ts';
import { resolveCustomer } from './identity.service.ts';

export interface IdentityInput {
  channelType: string;
  externalId: string;
  verified?: boolean;
  profile?: store.CustomerProfile;
}

/**
 * The customer behind a channel identity, created on first contact, and locked until the
 * transaction ends (a new one is invisible to others until then). Only the exact identity
 * matches here: joining customers across channels on weaker signals (same email typed into a
 * form) is the identity-resolution step of the customers module, never a silent side effect.
 */
export async function findOrCreateCustomerByIdentity(
  tx: Tx,
  workspaceId: string,
  input: IdentityInput,
  now: Date,
): Promise<{ customer: store.CustomerRow; created: boolean }> {
  const existing = await store.lockCustomerByIdentity(tx, workspaceId, input.channelType, input.externalId);
  if (existing) {
    if (!input.profile) return { customer: existing, created: false };
    const filled = await store.fillProfile(tx, existing, input.profile, now);
    // A newly learnt address or number may match someone else.
    const learnt = (filled.email ?? null) !== (existing.email ?? null) || (filled.phone ?? null) !== (existing.phone ?? null);
    return { customer: learnt ? await resolved(tx, workspaceId, filled, now) : filled, created: false };
  }
  const customer = await store.insertCustomer(tx, workspaceId, input.profile ?? {}, now);
  const identity = await store.insertIdentity(
    tx,
    workspaceId,
    { customerId: customer.id, channelType: input.channelType, externalId: input.externalId, verified: input.verified ?? false },
    now,
  );
  if (!identity) {
    // Another transaction created this identity at the same moment: theirs wins.
    throw Object.assign(new Error('identity created concurrently'), { code: '23505' });
  }
  await appendEvent(tx, {
    workspaceId,
    type: 'customer.created',
    subjectType: 'customer',
    subjectId: customer.id,
    payload: { channelType: input.channelType, verified: identity.verified },
    actorId: 'system:inbox',
  });
  return { customer: await resolved(tx, workspaceId, customer, now), created: true };
}

/** The customer after identity resolution: itself, or the one it was just merged into. */
async function resolved(tx: Tx, workspaceId: string, customer: store.CustomerRow, now: Date): Promise<store.CustomerRow> {
  const survivorId = await resolveCustomer(tx, customer.id, workspaceId, now);
  if (survivorId === customer.id) return customer;
  return (await store.getCustomer(tx, workspaceId, survivorId)) ?? customer;
}

/**
 * Records (a time) or clears (null) an identity's opt-out: no messages go to it on its channel
 * type until it opts in again. A repeated opt-out keeps the first time.
 */
export async function setIdentityOptOut(tx: DbOrTx, workspaceId: string, channelType: string, externalId: string, at: Date | null): Promise<void> {
  const identity = and(eq(customerIdentities.workspaceId, workspaceId), eq(customerIdentities.channelType, channelType), eq(customerIdentities.externalId, externalId));
  const [current] = await tx.select({ optedOutAt: customerIdentities.optedOutAt }).from(customerIdentities).where(identity);
  if (!current || (at !== null && current.optedOutAt !== null)) return;
  await tx.update(customerIdentities).set({ optedOutAt: at }).where(identity);
}
