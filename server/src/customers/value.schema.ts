import { bigint, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';
import { customers } from './customers.schema.ts';

/**
 * A customer's orders, imported from the organisation's shop or ERP. The amount is kept as an
 * integer in the currency's minor unit (cents): exact, summable, and no decimal strings to parse
 * back. `bigint` in mode number is exact up to 2^53 minor units (90 trillion euros).
 */
export const customerOrders = pgTable(
  'customer_orders',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    /** The organisation's order number: unique per workspace, so importing twice changes nothing. */
    externalId: text('external_id').notNull(),
    orderedAt: timestamp('ordered_at', { withTimezone: true, mode: 'date' }).notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    /** ISO 4217, upper case. */
    currency: text('currency').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('customer_orders_external').on(t.workspaceId, t.externalId),
    index('customer_orders_customer').on(t.workspaceId, t.customerId, t.orderedAt),
  ],
);

/** One fit of BG/NBD + Gamma-Gamma over a workspace's orders; the customers' scores refer to its version. */
export const clvModels = pgTable(
  'clv_models',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    fittedAt: timestamp('fitted_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** { bgnbd: {r, alpha, a, b}, gammaGamma: {p, q, v}, timeUnit, calibrationEnd, horizon, tiers, currency }. */
    parameters: jsonb('parameters').notNull().$type<Record<string, unknown>>(),
    customers: integer('customers').notNull(),
    logLikelihood: doublePrecision('log_likelihood').notNull(),
  },
  (t) => [uniqueIndex('clv_models_version').on(t.workspaceId, t.version)],
);
