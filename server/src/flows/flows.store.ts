import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { flowBindings, flowRuns, flows, flowVersions } from './flows.schema.ts';

export type FlowRow = typeof flows.$inferSelect;
export type FlowVersionRow = typeof flowVersions.$inferSelect;
export type FlowRunRow = typeof flowRuns.$inferSelect;

export async function listFlows(db: DbOrTx, workspaceId: string): Promise<FlowRow[]> {
  return db.select().from(flows).where(eq(flows.workspaceId, workspaceId)).orderBy(asc(flows.name));
}

export async function getFlow(db: DbOrTx, workspaceId: string, id: string): Promise<FlowRow | undefined> {
  const [row] = await db.select().from(flows).where(and(eq(flows.workspaceId, workspaceId), eq(flows.id, id)));
  return row;
}

export async function lockFlow(tx: Tx, workspaceId: string, id: string): Promise<FlowRow | undefined> {
  const [row] = await tx.select().from(flows).where(and(eq(flows.workspaceId, workspaceId), eq(flows.id, id))).for('update');
  return row;
}

export async function insertFlow(tx: Tx, workspaceId: string, name: string, draft: Record<string, unknown>, now: Date): Promise<FlowRow> {
  const [row] = await tx.insert(flows).values({ id: randomUUID(), workspaceId, name, draft, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function updateFlow(tx: Tx, workspaceId: string, id: string, patch: Partial<Pick<FlowRow, 'name' | 'draft' | 'publishedVersion'>>, now: Date): Promise<FlowRow> {
  const [row] = await tx.update(flows).set({ ...patch, updatedAt: now }).where(and(eq(flows.workspaceId, workspaceId), eq(flows.id, id))).returning();
  return row!;
}

export async function listVersions(db: DbOrTx, workspaceId: string, flowId: string): Promise<FlowVersionRow[]> {
  return db.select().from(flowVersions).where(and(eq(flowVersions.workspaceId, workspaceId), eq(flowVersions.flowId, flowId))).orderBy(desc(flowVersions.version));
}

export async function getVersion(db: DbOrTx, workspaceId: string, flowId: string, version: number): Promise<FlowVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(flowVersions)
    .where(and(eq(flowVersions.workspaceId, workspaceId), eq(flowVersions.flowId, flowId), eq(flowVersions.version, version)));
  return row;
}

export async function latestVersionNumber(tx: Tx, flowId: string): Promise<number> {
  const [row] = await tx.select({ v: sql<number>`coalesce(max(${flowVersions.version}), 0)::int` }).from(flowVersions).where(eq(flowVersions.flowId, flowId));
  return Number(row?.v ?? 0);
}

export async function insertVersion(tx: Tx, row: FlowVersionRow): Promise<void> {
  await tx.insert(flowVersions).values(row);
}

export async function bindingsOf(db: DbOrTx, workspaceId: string): Promise<Array<{ channelId: string; flowId: string }>> {
  return db.select({ channelId: flowBindings.channelId, flowId: flowBindings.flowId }).from(flowBindings).where(eq(flowBindings.workspaceId, workspaceId));
}

export async function bindingOfChannel(db: DbOrTx, workspaceId: string, channelId: string): Promise<string | undefined> {
  const [row] = await db.select({ flowId: flowBindings.flowId }).from(flowBindings).where(and(eq(flowBindings.workspaceId, workspaceId), eq(flowBindings.channelId, channelId)));
  return row?.flowId;
}

/** Makes `flowId` the flow of exactly `channelIds` (moving channels bound to another flow). */
export async function setBindings(tx: Tx, workspaceId: string, flowId: string, channelIds: string[]): Promise<void> {
  await tx.delete(flowBindings).where(and(eq(flowBindings.workspaceId, workspaceId), eq(flowBindings.flowId, flowId)));
  for (const channelId of channelIds) {
    await tx
      .insert(flowBindings)
      .values({ channelId, workspaceId, flowId })
      .onConflictDoUpdate({ target: flowBindings.channelId, set: { flowId } });
  }
}

export async function runningRunOf(db: DbOrTx, workspaceId: string, conversationId: string): Promise<FlowRunRow | undefined> {
  const [row] = await db
    .select()
    .from(flowRuns)
    .where(and(eq(flowRuns.workspaceId, workspaceId), eq(flowRuns.conversationId, conversationId), eq(flowRuns.status, 'running')));
  return row;
}

export async function getRun(db: DbOrTx, workspaceId: string, id: string): Promise<FlowRunRow | undefined> {
  const [row] = await db.select().from(flowRuns).where(and(eq(flowRuns.workspaceId, workspaceId), eq(flowRuns.id, id)));
  return row;
}

export async function insertRun(tx: Tx, row: Omit<FlowRunRow, 'endedAt' | 'reason' | 'state' | 'status'> & { state?: FlowRunRow['state'] }): Promise<FlowRunRow | undefined> {
  const [inserted] = await tx.insert(flowRuns).values({ ...row, status: 'running' }).onConflictDoNothing().returning();
  return inserted;
}

/** Containment per flow and channel over a period: how many runs ended which way, and why. */
export async function runStats(db: DbOrTx, workspaceId: string, since: Date) {
  return db
    .select({
      flowId: flowRuns.flowId,
      channelType: flowRuns.channelType,
      status: flowRuns.status,
      reason: flowRuns.reason,
      runs: sql<number>`count(*)::int`,
    })
    .from(flowRuns)
    .where(and(eq(flowRuns.workspaceId, workspaceId), sql`${flowRuns.startedAt} >= ${since}`))
    .groupBy(flowRuns.flowId, flowRuns.channelType, flowRuns.status, flowRuns.reason);
}
