// Tables of outbound webhooks (docs/automation.md, "Outbound webhooks"): the organisation's
// endpoints, one row per delivery of an event to an endpoint (the delivery log), and the
// dispatcher's place in the event log.
import { bigint, boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A receiver of the workspace's events. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    url: text('url').notNull(),
    /**
     * The signing secrets, sealed with the instance secret (platform/secrets.ts):
     * `{ current, previous? }`. The previous one signs too until `previousSecretExpiresAt`.
     */
    secrets: text('secrets').notNull(),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    /** Event types (`conversation.created`), prefixes (`conversation.*`), or `*` for all but internal ones. */
    eventTypes: text('event_types').array().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** Why Hoorn switched it off itself (the receiver answered 410 Gone); null when an admin did, or it is on. */
    disabledReason: text('disabled_reason'),
    /** The end of the event log when it was made: it gets what happens after, not the backlog. */
    startAfterEventId: bigint('start_after_event_id', { mode: 'number' }).notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('webhook_endpoints_workspace').on(t.workspaceId, t.enabled)],
);

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export const webhookDeliverySources = ['subscription', 'rule', 'test'] as const;
export type WebhookDeliverySource = (typeof webhookDeliverySources)[number];

/**
 * One event for one endpoint. `status`: pending (queued), failed (the last attempt failed, another
 * is scheduled), delivered, dead (given up; can be redelivered by hand).
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id').notNull().references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event log's id for events (as text), or a generated one for test pings. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** What queued it: the endpoint's subscription, a rule's send_webhook action, or a test. */
    source: text('source', { enum: webhookDeliverySources }).notNull(),
    /** The exact JSON sent, so every attempt and redelivery sends the same bytes. */
    body: text('body').notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: ts('last_attempt_at'),
    deliveredAt: ts('delivered_at'),
    createdAt: ts('created_at').notNull(),
    /** The outbox row that carries the current round of attempts; older rows for it are stale. */
    outboxId: uuid('outbox_id'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_once').on(t.endpointId, t.eventId, t.source),
    index('webhook_deliveries_log').on(t.workspaceId, t.endpointId, t.createdAt),
  ],
);


/**
 * Every attempt of a delivery, kept (the delivery row holds only the latest): when, what the
 * receiver answered or why no answer came, how long it took, and the start of its answer.
 */
export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    deliveryId: uuid('delivery_id').notNull().references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    /** 1, 2, ... over the delivery's whole life (a redelivery continues the count). */
    attempt: integer('attempt').notNull(),
    at: ts('at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    /** The start of the receiver's answer, at most 1 KB. */
    responseExcerpt: text('response_excerpt'),
  },
  (t) => [uniqueIndex('webhook_delivery_attempts_once').on(t.deliveryId, t.attempt)],
);
