import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../../customers/customers.schema.ts';
import { workspaces } from '../../platform/db/schema.ts';
import { channels } from '../channels.schema.ts';

/**
 * A browser's session with a web chat: the widget holds a random token, only its hash is stored.
 * Several sessions can belong to one customer (a verified user on phone and laptop).
 */
export const webchatSessions = pgTable(
  'webchat_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').notNull().references(() => channels.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    /** The identity's external id on this channel: `visitor:<random>` or `user:<site user id>`. */
    externalId: text('external_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('webchat_sessions_customer').on(t.workspaceId, t.customerId)],
);

/**
 * A visitor's open WebSocket, on whichever node holds it: push notifications go only to visitors
 * without one. The node refreshes `last_seen_at` while the socket is open and deletes the row when
 * it closes; a row not refreshed for a while (its node died) counts as closed.
 */
export const webchatVisitorConnections = pgTable(
  'webchat_visitor_connections',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').notNull().references(() => channels.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    connectedAt: timestamp('connected_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('webchat_visitor_connections_customer').on(t.channelId, t.customerId)],
);
