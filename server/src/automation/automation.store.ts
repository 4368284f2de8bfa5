import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { automationRules, automationRuns, type ActionResult } from './automation.schema.ts';
import type { Rule, RuleBody, RuleTrace, Trigger } from './rules.ts';

export type RuleRow = typeof automationRules.$inferSelect;
export type RunRow = typeof automationRuns.$inferSelect;

export const toRule = (row: RuleRow): Rule => ({
  id: row.id,
  position: row.position,
  name: row.name,
  enabled: row.enabled,
  trigger: row.trigger as Trigger,
  conditions: row.conditions,
  actions: row.actions,
  stop: row.stop,
});

export async function listRules(db: DbOrTx, workspaceId: string, trigger?: Trigger): Promise<RuleRow[]> {
  return db
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.workspaceId, workspaceId), trigger ? eq(automationRules.trigger, trigger) : undefined))
    .orderBy(asc(automationRules.position), asc(automationRules.id));
}

export async function getRule(db: DbOrTx, workspaceId: string, id: string): Promise<RuleRow | undefined> {
  const [row] = await db.select().from(automationRules).where(and(eq(automationRules.workspaceId, workspaceId), eq(automationRules.id, id)));
  return row;
}

/** A new rule goes last. */
export async function insertRule(tx: Tx, workspaceId: string, body: RuleBody, createdBy: string, now: Date): Promise<RuleRow> {
  const [last] = await tx
    .select({ position: sql<number>`coalesce(max(${automationRules.position}), 0)` })
    .from(automationRules)
    .where(eq(automationRules.workspaceId, workspaceId));
  const [row] = await tx
    .insert(automationRules)
    .values({ id: randomUUID(), workspaceId, ...body, position: Number(last?.position ?? 0) + 1, createdBy, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function updateRule(tx: Tx, workspaceId: string, id: string, body: Partial<RuleBody>, now: Date): Promise<RuleRow | undefined> {
  const [row] = await tx
    .update(automationRules)
    .set({ ...body, updatedAt: now })
    .where(and(eq(automationRules.workspaceId, workspaceId), eq(automationRules.id, id)))
    .returning();
  return row;
}

export async function deleteRule(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(automationRules).where(and(eq(automationRules.workspaceId, workspaceId), eq(automationRules.id, id))).returning({ id: automationRules.id });
  return rows.length > 0;
}

/** Positions 1..n in the given order (every rule of the workspace, each once). */
export async function reorderRules(tx: Tx, workspaceId: string, ids: string[], now: Date): Promise<void> {
  for (const [i, id] of ids.entries()) {
    await tx
      .update(automationRules)
      .set({ position: i + 1, updatedAt: now })
      .where(and(eq(automationRules.workspaceId, workspaceId), eq(automationRules.id, id)));
  }
}

export async function insertRun(
  tx: Tx,
  run: { workspaceId: string; trigger: Trigger; conversationId: string | null; messageId: string | null; chain: string[]; traces: RuleTrace[]; results: ActionResult[]; at: Date },
): Promise<RunRow> {
  const matched = run.traces.filter((t) => t.matched).length;
  const [row] = await tx
    .insert(automationRuns)
    .values({ ...run, matched })
    .returning();
  return row!;
}

/** Runs newest first; of one conversation, or of the workspace (optionally only those where a rule matched). */
export async function listRuns(db: DbOrTx, workspaceId: string, opts: { conversationId?: string; matchedOnly?: boolean; before?: number; limit: number }): Promise<RunRow[]> {
  return db
    .select()
    .from(automationRuns)
    .where(
      and(
        eq(automationRuns.workspaceId, workspaceId),
        opts.conversationId ? eq(automationRuns.conversationId, opts.conversationId) : undefined,
        opts.matchedOnly ? sql`${automationRuns.matched} > 0` : undefined,
        opts.before ? lt(automationRuns.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(automationRuns.id))
    .limit(opts.limit);
}
