import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';

/** A configured channel of a workspace: one web chat, one email address, one WhatsApp number... */
export const channels = pgTable(
  'channels',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    name: text('name').notNull(),
    /** Settings that may be shown (web chat colour, greeting, limits). */
    config: jsonb('config').notNull().$type<Record<string, unknown>>().default({}),
    /** Credentials and signing keys, encrypted with the instance secret (platform/secrets.ts). */
    secrets: text('secrets'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('channels_workspace').on(t.workspaceId, t.type)],
);
