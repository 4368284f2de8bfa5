import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client.ts';
import type { Platform } from '../platform/platform.ts';
import { customerIdentities } from '../customers/customers.schema.ts';
import { DeliveryError } from '../platform/outbox/outbox.ts';
import type { ChannelRow } from './channels.store.ts';

/**
 * Whom a reply on this channel goes to: the customer's identity of the channel's type (the
 * address, the number, the provider's user id), and whether they opted out there.
 */
export async function recipientOf(p: Platform, channel: ChannelRow, customerId: string): Promise<{ externalId: string; optedOut: boolean }> {
  const [identity] = await p.db
    .select({ externalId: customerIdentities.externalId, optedOutAt: customerIdentities.optedOutAt })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, channel.workspaceId), eq(customerIdentities.customerId, customerId), eq(customerIdentities.channelType, channel.type)))
    .orderBy(asc(customerIdentities.createdAt))
    .limit(1);
  if (!identity) throw new DeliveryError('permanent', `the customer has no ${channel.type} identity to send to`);
  return { externalId: identity.externalId, optedOut: identity.optedOutAt !== null };
}

/**
 * Whether Hoorn may start a message to the customer on a channel type: they have an identity
 * there (an erased customer has none) and did not opt out. For messages nobody asked for, such as
 * a survey, so they are not queued only to be refused by the sender.
 */
export async function reachableOn(db: DbOrTx, workspaceId: string, customerId: string, channelType: string): Promise<boolean> {
  const identities = await db
    .select({ optedOutAt: customerIdentities.optedOutAt })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, workspaceId), eq(customerIdentities.customerId, customerId), eq(customerIdentities.channelType, channelType)))
    .orderBy(asc(customerIdentities.createdAt))
    .limit(1);
  return identities.length > 0 && identities[0]!.optedOutAt === null;
}
