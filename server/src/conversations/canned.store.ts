import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { cannedResponses } from './conversations.schema.ts';

export type CannedRow = typeof cannedResponses.$inferSelect;

export async function listCanned(db: DbOrTx, workspaceId: string): Promise<CannedRow[]> {
  return db.select().from(cannedResponses).where(eq(cannedResponses.workspaceId, workspaceId)).orderBy(asc(cannedResponses.shortcode));
}

export async function getCanned(db: DbOrTx, workspaceId: string, id: string): Promise<CannedRow | undefined> {
  const [row] = await db.select().from(cannedResponses).where(and(eq(cannedResponses.workspaceId, workspaceId), eq(cannedResponses.id, id)));
  return row;
}

export async function insertCanned(tx: Tx, workspaceId: string, input: { shortcode: string; title: string; body: string }, now: Date): Promise<CannedRow> {
  const [row] = await tx.insert(cannedResponses).values({ id: randomUUID(), workspaceId, ...input, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function updateCanned(tx: Tx, workspaceId: string, id: string, patch: Partial<{ shortcode: string; title: string; body: string }>, now: Date) {
  const [row] = await tx
    .update(cannedResponses)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(cannedResponses.workspaceId, workspaceId), eq(cannedResponses.id, id)))
    .returning();
  return row;
}

export async function deleteCanned(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx
    .delete(cannedResponses)
    .where(and(eq(cannedResponses.workspaceId, workspaceId), eq(cannedResponses.id, id)))
    .returning({ id: cannedResponses.id });
  return rows.length > 0;
}
