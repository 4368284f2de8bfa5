import type { Tx } from '../platform/db/client.ts';
import { appendEvent } from '../platform/events/events.ts';
import * as store from './customers.store.ts';

export interface IdentityInput {
  channelType: string;
  externalId: string;
  verified?: boolean;
  profile?: store.CustomerProfile;
}

/**
 * The customer behind a channel identity, created on first contact. Only the exact identity
 * matches here: joining customers across channels on weaker signals (same email typed into a
 * form) is the identity-resolution step of the customers module, never a silent side effect.
 */
export async function findOrCreateCustomerByIdentity(
  tx: Tx,
  workspaceId: string,
  input: IdentityInput,
  now: Date,
): Promise<{ customer: store.CustomerRow; created: boolean }> {
  const existing = await store.findIdentity(tx, workspaceId, input.channelType, input.externalId);
  if (existing) {
    const customer = await store.getCustomer(tx, workspaceId, existing.customerId);
    if (!customer) throw new Error(`identity ${existing.id} points to a missing customer`);
    return { customer: input.profile ? await store.fillProfile(tx, customer, input.profile, now) : customer, created: false };
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
  return { customer, created: true };
}
