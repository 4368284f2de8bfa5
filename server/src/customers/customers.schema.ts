import { type AnyPgColumn, boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    /**
     * Set when this customer was merged into another: the row is kept (hidden) so that the merge
     * can be undone; everything it owned now belongs to the survivor.
     */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => customers.id),
    /** Set when the customer's personal data was erased (GDPR art. 17); the row keeps aggregates. */
    erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'date' }),
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

/**
 * The normalized keys a customer can be matched on (an e-mail address, an E.164 number, a custom
 * key from the organisation's systems), kept up to date when identities or profile change so that
 * finding "who else has this key" is one index look-up. `strong` keys are proven by a channel or set
 * by the organisation's systems; typed-in ones are weak and never merge on their own.
 */
export const customerMatchKeys = pgTable(
  'customer_match_keys',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    value: text('value').notNull(),
    strong: boolean('strong').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.rule, t.value] }), index('customer_match_keys_lookup').on(t.workspaceId, t.rule, t.value)],
);

export const suggestionStatuses = ['open', 'merged', 'dismissed'] as const;
export type SuggestionStatus = (typeof suggestionStatuses)[number];

/**
 * Two customers that share a key but may not be merged automatically: an agent decides. A pair is
 * stored once (the smaller id first); a dismissed pair, or one that was unmerged, is never
 * suggested or merged automatically again.
 */
export const customerMergeSuggestions = pgTable(
  'customer_merge_suggestions',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    otherCustomerId: uuid('other_customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    value: text('value').notNull(),
    status: text('status', { enum: suggestionStatuses }).notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    decidedBy: text('decided_by'),
  },
  (t) => [
    uniqueIndex('customer_merge_suggestions_pair').on(t.workspaceId, t.customerId, t.otherCustomerId),
    index('customer_merge_suggestions_other').on(t.workspaceId, t.otherCustomerId),
  ],
);

/** What one merge moved, so that unmerge can move exactly that back. */
export interface MergeMoved {
  identityIds: string[];
  conversationIds: string[];
  orderIds: string[];
  sessionHashes: string[];
  /** Profile fields the survivor took from the merged customer (they were empty). */
  filledFields: Record<string, string>;
  /** Attribute keys the survivor took from the merged customer. */
  filledAttributes: Record<string, unknown>;
}

/** The audit trail of merges: who merged whom, why (a rule or by hand), and whether it was undone. */
export const customerMerges = pgTable(
  'customer_merges',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    survivorId: uuid('survivor_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    mergedId: uuid('merged_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    /** The matching rule that merged automatically, or null for a merge by hand. */
    rule: text('rule'),
    value: text('value'),
    actorId: text('actor_id').notNull(),
    moved: jsonb('moved').notNull().$type<MergeMoved>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    undoneAt: timestamp('undone_at', { withTimezone: true, mode: 'date' }),
    undoneBy: text('undone_by'),
  },
  (t) => [index('customer_merges_survivor').on(t.workspaceId, t.survivorId), index('customer_merges_merged').on(t.workspaceId, t.mergedId)],
);

/** Per-workspace identity-resolution settings (matching rules, default country for phone numbers). */
export const customerSettings = pgTable('customer_settings', {
  workspaceId: uuid('workspace_id').primaryKey().references(() => workspaces.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').notNull().$type<Record<string, unknown>>(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});
