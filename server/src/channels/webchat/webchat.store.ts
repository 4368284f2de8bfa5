import { and, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../platform/db/client.ts';
import { conversations } from '../../conversations/conversations.schema.ts';
import { webchatSessions } from './webchat.schema.ts';

export type WebchatSessionRow = typeof webchatSessions.$inferSelect;

export async function findSession(db: DbOrTx, tokenHash: string): Promise<WebchatSessionRow | undefined> {
  const [row] = await db.select().from(webchatSessions).where(eq(webchatSessions.tokenHash, tokenHash));
  return row;
}

export async function insertSession(tx: Tx, row: WebchatSessionRow): Promise<void> {
  await tx.insert(webchatSessions).values(row);
}

export async function updateSession(tx: Tx, tokenHash: string, patch: Partial<WebchatSessionRow>): Promise<void> {
  await tx.update(webchatSessions).set(patch).where(eq(webchatSessions.tokenHash, tokenHash));
}

/** The visitor's conversations on this chat, oldest first: their whole history. */
export async function visitorConversationIds(db: DbOrTx, workspaceId: string, channelId: string, customerId: string): Promise<string[]> {
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.channelId, channelId), eq(conversations.customerId, customerId)))
    .orderBy(conversations.createdAt);
  return rows.map((r) => r.id);
}
