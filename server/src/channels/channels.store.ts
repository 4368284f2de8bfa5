import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { channels } from './channels.schema.ts';

export type ChannelRow = typeof channels.$inferSelect;

export async function getChannel(db: DbOrTx, workspaceId: string, id: string): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(and(eq(channels.workspaceId, workspaceId), eq(channels.id, id)));
  return row;
}

/** A channel by id alone: for public endpoints (webhooks, the widget) whose URL names the channel. */
export async function getChannelById(db: DbOrTx, id: string): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(eq(channels.id, id));
  return row;
}

export async function listChannels(db: DbOrTx, workspaceId: string): Promise<ChannelRow[]> {
  return db.select().from(channels).where(eq(channels.workspaceId, workspaceId)).orderBy(asc(channels.createdAt));
}

export async function insertChannel(
  tx: Tx,
  workspaceId: string,
  input: { type: string; name: string; config: Record<string, unknown>; secrets: string | null; id?: string },
  now: Date,
): Promise<ChannelRow> {
  const [row] = await tx
    .insert(channels)
    .values({ id: input.id ?? randomUUID(), workspaceId, type: input.type, name: input.name, config: input.config, secrets: input.secrets, createdAt: now })
    .returning();
  return row!;
}
