import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';

/** A configured channel of a workspace: one web chat, one email address, one WhatsApp number... */
export const channels = pgTable(
  'channels',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The medium (webchat, email, sms, whatsapp...): routing costs and SLAs are per type. */
    type: text('type').notNull(),
    /** Who carries it (hoorn, smtp, twilio, meta...): with the type, it picks the adapter. */
    provider: text('provider').notNull().default('hoorn'),
    name: text('name').notNull(),
    /** Settings that may be shown (web chat colour, greeting, limits). */
    config: jsonb('config').notNull().$type<Record<string, unknown>>().default({}),
    /** Credentials and signing keys, encrypted with the instance secret (platform/secrets.ts). */
    secrets: text('secrets'),
    enabled: boolean('enabled').notNull().default(true),
    /**
     * Outbound campaign messages a minute on this channel, shared by all its campaigns (a provider's
     * sending limit, a sender reputation to keep); null: the default (automation/campaigns.ts).
     */
    campaignRatePerMinute: integer('campaign_rate_per_minute'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('channels_workspace').on(t.workspaceId, t.type)],
);

/**
 * Small durable state of a channel's adapter: a polling cursor (YouTube's newest comment seen, an
 * IMAP mailbox's last UID), so a restart neither loses nor repeats.
 */
export const channelState = pgTable(
  'channel_state',
  {
    channelId: uuid('channel_id').notNull().references(() => channels.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: jsonb('value').notNull().$type<unknown>(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.key] })],
);

/**
 * Provider deliveries that passed the signature check but could not be understood. They were
 * answered 400, and kept here (once per distinct body) so nothing a provider sent is lost and an
 * administrator can see why.
 */
export const webhookRejects = pgTable(
  'webhook_rejects',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').notNull().references(() => channels.id, { onDelete: 'cascade' }),
    bodySha256: text('body_sha256').notNull(),
    contentType: text('content_type'),
    body: text('body').notNull(),
    error: text('error').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('webhook_rejects_body').on(t.channelId, t.bodySha256)],
);
