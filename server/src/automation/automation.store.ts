import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { automationRuleHits, automationRules, automationRuns, type ActionResult } from './automation.schema.ts';
import type { Rule, RuleBody, RuleTrace, Trigger } from './rules.ts';

export type RuleRow = typeof automationRules.$inferSelect;
export type RunRow = typeof automationRuns.$inferSelect;

export const toRule = (row: RuleRow): Rule => ({
  id: row.id,
  position: row.position,
  name: row.name,
  enabled: row.enabled,
  trigger: row.trigger as Trigger,
  schedule: row.schedule ?? null,
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

/** When a scheduled rule next looks at the conversations: a rhythm after it was saved (or last ran); never while disabled. */
const nextRunOf = (body: Pick<RuleBody, 'trigger' | 'enabled' | 'schedule'>, now: Date): Date | null =>
  body.trigger === 'schedule' && body.enabled && body.schedule ? new Date(now.getTime() + body.schedule.everyMinutes * 60_000) : null;

/** A new rule goes last. */
export async function insertRule(tx: Tx, workspaceId: string, body: RuleBody, createdBy: string, now: Date): Promise<RuleRow> {
  const [last] = await tx
    .select({ position: sql<number>`coalesce(max(${automationRules.position}), 0)` })
    .from(automationRules)
    .where(eq(automationRules.workspaceId, workspaceId));
  const [row] = await tx
    .insert(automationRules)
    .values({ id: randomUUID(), workspaceId, ...body, nextRunAt: nextRunOf(body, now), position: Number(last?.position ?? 0) + 1, createdBy, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function updateRule(tx: Tx, workspaceId: string, id: string, body: RuleBody, now: Date): Promise<RuleRow | undefined> {
  const [row] = await tx
    .update(automationRules)
    .set({ ...body, nextRunAt: nextRunOf(body, now), updatedAt: now })
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

/**
 * Scheduled rules that are due, locked for this node (another node's job passes over them), each
 * moved on to its next run at once so a slow pass is not repeated.
 */
export async function claimDueRules(tx: Tx, now: Date, limit = 20): Promise<RuleRow[]> {
  const rows = await tx
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.trigger, 'schedule'), eq(automationRules.enabled, true), lte(automationRules.nextRunAt, now)))
    .orderBy(asc(automationRules.nextRunAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  for (const row of rows) {
    const every = (row.schedule?.everyMinutes ?? 60) * 60_000;
    await tx.update(automationRules).set({ nextRunAt: new Date(now.getTime() + every) }).where(eq(automationRules.id, row.id));
  }
  return rows;
}

/** Whether a scheduled rule already acted on the conversation as it stands (no message since). */
export async function alreadyHit(tx: Tx, ruleId: string, conversationId: string, lastMessageId: string | null): Promise<boolean> {
  const [row] = await tx
    .select({ lastMessageId: automationRuleHits.lastMessageId })
    .from(automationRuleHits)
    .where(and(eq(automationRuleHits.ruleId, ruleId), eq(automationRuleHits.conversationId, conversationId)));
  return row !== undefined && row.lastMessageId === lastMessageId;
}

export async function recordHit(tx: Tx, hit: { workspaceId: string; ruleId: string; conversationId: string; lastMessageId: string | null; at: Date }): Promise<void> {
  await tx
    .insert(automationRuleHits)
    .values(hit)
    .onConflictDoUpdate({ target: [automationRuleHits.ruleId, automationRuleHits.conversationId], set: { lastMessageId: hit.lastMessageId, at: hit.at } });
}
