/** The outcomes module's queries; each takes the workspace id and filters by it. */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, lte, ne, sql } from 'drizzle-orm';
import { conversations } from '../conversations/conversations.schema.ts';
import { queryRows, type DbOrTx, type Tx } from '../platform/db/client.ts';
import { routingCommands, routingTasks } from '../routing/routing.schema.ts';
import { defaultOutcomeSettings, outcomeSettingsSchema, type OutcomeSettings } from './outcomes.ts';
import { dispositionCodes, outcomeSettings, surveys, wrapUps } from './outcomes.schema.ts';

export type DispositionRow = typeof dispositionCodes.$inferSelect;
export type WrapUpRow = typeof wrapUps.$inferSelect;
export type SurveyRow = typeof surveys.$inferSelect;

// ------------------------------------------------------------------ settings

export async function getSettings(db: DbOrTx, workspaceId: string): Promise<OutcomeSettings> {
  const [row] = await db.select().from(outcomeSettings).where(eq(outcomeSettings.workspaceId, workspaceId));
  if (!row) return defaultOutcomeSettings();
  // Stored settings are checked on write; parsing again fills fields added since.
  const parsed = outcomeSettingsSchema.safeParse({ ...defaultOutcomeSettings(), ...row.settings });
  return parsed.success ? parsed.data : defaultOutcomeSettings();
}

export async function saveSettings(tx: Tx, workspaceId: string, settings: OutcomeSettings, now: Date): Promise<void> {
  await tx
    .insert(outcomeSettings)
    .values({ workspaceId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: outcomeSettings.workspaceId, set: { settings, updatedAt: now } });
}

// ------------------------------------------------------------------ disposition codes

export async function listDispositions(db: DbOrTx, workspaceId: string): Promise<DispositionRow[]> {
  return db.select().from(dispositionCodes).where(eq(dispositionCodes.workspaceId, workspaceId)).orderBy(asc(dispositionCodes.position), asc(dispositionCodes.code));
}

export interface DispositionInput {
  code: string;
  labelNl: string;
  labelEn: string;
  outcome: string | null;
  active: boolean;
  position: number;
}

export async function insertDisposition(tx: Tx, workspaceId: string, input: DispositionInput, now: Date): Promise<DispositionRow> {
  const [row] = await tx.insert(dispositionCodes).values({ id: randomUUID(), workspaceId, ...input, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function updateDisposition(tx: Tx, workspaceId: string, id: string, patch: Partial<DispositionInput>, now: Date): Promise<DispositionRow | undefined> {
  const [row] = await tx
    .update(dispositionCodes)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(dispositionCodes.workspaceId, workspaceId), eq(dispositionCodes.id, id)))
    .returning();
  return row;
}

export async function deleteDisposition(tx: Tx, workspaceId: string, id: string): Promise<DispositionRow | undefined> {
  const [row] = await tx.delete(dispositionCodes).where(and(eq(dispositionCodes.workspaceId, workspaceId), eq(dispositionCodes.id, id))).returning();
  return row;
}

// ------------------------------------------------------------------ wrap-ups

/** The routing task a wrap-up belongs to: the live one, else the latest (ended at resolution). */
export async function contactTask(db: DbOrTx, workspaceId: string, conversationId: string) {
  const [row] = await db
    .select({ id: routingTasks.id, state: routingTasks.state, agentId: routingTasks.agentId })
    .from(routingTasks)
    .where(and(eq(routingTasks.workspaceId, workspaceId), eq(routingTasks.conversationId, conversationId)))
    .orderBy(sql`${routingTasks.state} in ('completed', 'canceled')`, desc(routingTasks.createdAt))
    .limit(1);
  return row;
}

export async function getWrapUp(db: DbOrTx, workspaceId: string, conversationId: string, taskId: string | null): Promise<WrapUpRow | undefined> {
  const [row] = await db
    .select()
    .from(wrapUps)
    .where(and(eq(wrapUps.workspaceId, workspaceId), eq(wrapUps.conversationId, conversationId), eq(wrapUps.taskKey, taskId ?? '')));
  return row;
}

export type WrapUpValues = Omit<WrapUpRow, 'id' | 'workspaceId' | 'taskKey'>;

/** Writes the contact's wrap-up, replacing an earlier one of the same conversation and task. */
export async function upsertWrapUp(tx: Tx, workspaceId: string, values: WrapUpValues): Promise<WrapUpRow> {
  const { conversationId: _c, taskId: _t, ...changes } = values;
  const [row] = await tx
    .insert(wrapUps)
    .values({ id: randomUUID(), workspaceId, taskKey: values.taskId ?? '', ...values })
    .onConflictDoUpdate({ target: [wrapUps.workspaceId, wrapUps.conversationId, wrapUps.taskKey], set: changes })
    .returning();
  return row!;
}

/**
 * Tasks still held for a conversation resolved at or before `resolvedBefore`, of one workspace: the
 * wrap-up time is over. Normally they are in after-contact work ('wrapping'); an 'assigned' one is
 * a task.wrapup the router refused (the task had moved meanwhile), which must not hold the agent
 * for ever either.
 */
export async function overdueWrappingTasks(db: DbOrTx, workspaceId: string, resolvedBefore: Date) {
  return db
    .select({ taskId: routingTasks.id, conversationId: routingTasks.conversationId })
    .from(routingTasks)
    .innerJoin(conversations, and(eq(conversations.workspaceId, routingTasks.workspaceId), eq(conversations.id, routingTasks.conversationId)))
    .where(
      and(
        eq(routingTasks.workspaceId, workspaceId),
        inArray(routingTasks.state, ['assigned', 'wrapping']),
        eq(conversations.status, 'resolved'),
        lte(conversations.resolvedAt, resolvedBefore),
        sql`not exists (${pendingEnd(workspaceId, sql`${routingTasks.id}::text`)})`,
      ),
    );
}

/** A task.end command for the task that the router has not applied yet. */
const pendingEnd = (workspaceId: string, taskId: ReturnType<typeof sql>) =>
  sql`select 1 from ${routingCommands} where ${routingCommands.workspaceId} = ${workspaceId} and ${routingCommands.status} = 'pending'
      and ${routingCommands.command}->>'type' = 'task.end' and ${routingCommands.command}->>'taskId' = ${taskId}`;

/**
 * Is the task's end already asked for? Two task.end commands in one router batch would mark a
 * completed task canceled (the second finds it gone from the engine before the first is written).
 */
export async function taskEndPending(tx: Tx, workspaceId: string, taskId: string): Promise<boolean> {
  const [row] = await queryRows<{ pending: boolean }>(tx, sql`select exists (${pendingEnd(workspaceId, sql`${taskId}`)}) as pending`);
  return row?.pending === true;
}

/**
 * Workspaces that may have tasks in after-contact work: only those with settings ever saved can
 * have been in 'required' mode (without a row the mode is 'optional'). Reading the small settings
 * table keeps the job off the ever-growing task table, which it then reads by (workspace, state).
 */
export async function workspacesWithSettings(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ workspaceId: outcomeSettings.workspaceId }).from(outcomeSettings);
  return rows.map((r) => r.workspaceId);
}

// ------------------------------------------------------------------ surveys

export async function insertSurvey(tx: Tx, values: Omit<SurveyRow, 'status' | 'score' | 'answerMessageId' | 'settledAt'>): Promise<SurveyRow> {
  const [row] = await tx.insert(surveys).values(values).returning();
  return row!;
}

export async function setSurveyQuestion(tx: Tx, workspaceId: string, id: string, messageId: string): Promise<void> {
  await tx.update(surveys).set({ questionMessageId: messageId }).where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.id, id)));
}

/** The customer's open survey on a channel (the newest; older ones are expired when a new one is sent). */
export async function pendingSurvey(tx: Tx, workspaceId: string, customerId: string, channelId: string): Promise<SurveyRow | undefined> {
  const [row] = await tx
    .select()
    .from(surveys)
    .where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.customerId, customerId), eq(surveys.channelId, channelId), eq(surveys.status, 'pending')))
    .orderBy(desc(surveys.sentAt))
    .limit(1)
    .for('update');
  return row;
}

export async function pendingSurveysExcept(tx: Tx, workspaceId: string, customerId: string, channelId: string, exceptId: string): Promise<SurveyRow[]> {
  return tx
    .select()
    .from(surveys)
    .where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.customerId, customerId), eq(surveys.channelId, channelId), eq(surveys.status, 'pending'), ne(surveys.id, exceptId)));
}

/** Was a survey about this conversation sent since `since` (an agent resolving twice asks once)? */
export async function surveySentSince(tx: Tx, workspaceId: string, conversationId: string, since: Date): Promise<boolean> {
  const [row] = await tx
    .select({ id: surveys.id })
    .from(surveys)
    .where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.conversationId, conversationId), gt(surveys.sentAt, since)))
    .limit(1);
  return !!row;
}

export async function settleSurveys(tx: Tx, workspaceId: string, ids: string[], change: { status: 'answered' | 'expired'; score?: number; answerMessageId?: string }, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(surveys)
    .set({ status: change.status, score: change.score ?? null, answerMessageId: change.answerMessageId ?? null, settledAt: now })
    .where(and(eq(surveys.workspaceId, workspaceId), inArray(surveys.id, ids), eq(surveys.status, 'pending')));
}

export async function surveysOfConversation(db: DbOrTx, workspaceId: string, conversationId: string): Promise<SurveyRow[]> {
  return db.select().from(surveys).where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.conversationId, conversationId))).orderBy(asc(surveys.sentAt));
}
