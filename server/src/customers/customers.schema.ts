import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    language: text('language'),
    attributes: jsonb('attributes').notNull().$type<Record<string, unknown>>().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('customers_workspace_email').on(t.workspaceId, t.email)],
);

/** How a customer is known on one channel: a phone number on SMS, an address on email, a visitor on web chat. */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    channelType: text('channel_type').notNull(),
    externalId: text('external_id').notNull(),
    /** Proven by the channel (a signed user id, a provider-verified number), not just typed in. */
    verified: boolean('verified').notNull().default(false),
    /** The customer opted out of messages on this identity (SMS STOP, a provider's opt-out error). */
    optedOutAt: timestamp('opted_out_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('customer_identities_unique').on(t.workspaceId, t.channelType, t.externalId),
    index('customer_identities_customer').on(t.workspaceId, t.customerId),
  ],
);
