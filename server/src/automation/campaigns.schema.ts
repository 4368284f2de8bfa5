// Tables of proactive campaigns (docs/automation.md, "Campaigns"): the campaign and one row per
// customer it selected at launch, with what became of them.
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { channels } from '../channels/channels.schema.ts';
import { customers } from '../customers/customers.schema.ts';
import { workspaces } from '../platform/db/schema.ts';
import { campaignStatuses, recipientStatuses, type QuietHours, type Segment } from './campaigns.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** What a campaign sends: text with placeholders, or (WhatsApp) an approved template. */
export interface CampaignMessage {
  text: string;
  /** The e-mail subject; other channels have none. */
  subject?: string | null;
  template?: { name: string; language: string; parameters: string[] } | null;
}

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    channelId: uuid('channel_id').notNull().references(() => channels.id),
    message: jsonb('message').notNull().$type<CampaignMessage>(),
    segment: jsonb('segment').notNull().$type<Segment>(),
    /** No sends in this daily window (workspace time zone); null: any time. */
    quietHours: jsonb('quiet_hours').$type<QuietHours | null>(),
    /**
     * An optional lower cap on this campaign's sends a minute; the channel's campaign rate
     * (channels.campaign_rate_per_minute), shared by all its campaigns, always holds. Null: only the channel's.
     */
    ratePerMinute: integer('rate_per_minute'),
    /** Dynamic: customers who enter the segment after launch are added while it runs (until `endsAt`). */
    dynamic: boolean('dynamic').notNull().default(false),
    /** A dynamic campaign stops adding (and a campaign stops sending) at this instant; null: when nobody is pending. */
    endsAt: ts('ends_at'),
    status: text('status', { enum: campaignStatuses }).notNull().default('draft'),
    /** When sending may start; null: at launch. */
    scheduledAt: ts('scheduled_at'),
    launchedAt: ts('launched_at'),
    finishedAt: ts('finished_at'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('campaigns_workspace').on(t.workspaceId, t.createdAt), index('campaigns_status').on(t.status)],
);

/** One selected customer of a launched campaign; `status` is pending, sent, or why not. */
export const campaignRecipients = pgTable(
  'campaign_recipients',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    /** Sending order (0, 1, ...). */
    position: integer('position').notNull(),
    status: text('status', { enum: recipientStatuses }).notNull(),
    /** When the pacing lets this one go (quiet hours and the rate limit applied at launch). */
    dueAt: ts('due_at'),
    conversationId: uuid('conversation_id'),
    messageId: uuid('message_id'),
    /** Why a send failed before anything was stored (the channel refused the message). */
    error: text('error'),
    sentAt: ts('sent_at'),
    /** The customer's first message in the campaign's conversation after the send. */
    repliedAt: ts('replied_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('campaign_recipients_customer').on(t.campaignId, t.customerId),
    index('campaign_recipients_order').on(t.workspaceId, t.campaignId, t.position),
    index('campaign_recipients_due').on(t.status, t.dueAt),
    index('campaign_recipients_conversation').on(t.workspaceId, t.conversationId),
  ],
);
