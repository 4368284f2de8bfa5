/**
 * Wrap-up: what an agent records after a contact (a disposition code, an outcome with an amount,
 * a note), and the after-contact work that 'required' mode holds the agent's capacity for.
 */
import { getAnalyticsSettings } from '../analytics/facts.store.ts';
import type { Principal } from '../platform/auth/auth.ts';
import { hasRole } from '../platform/auth/auth.ts';
import * as conversationStore from '../conversations/conversations.store.ts';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { badRequest, forbidden, notFound } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import { routingOf } from '../routing/routing.service.ts';
import { centsToAmount, checkWrapUp, type WrapUpInput } from './outcomes.ts';
import * as store from './outcomes.store.ts';

/** Is after-contact work held in this workspace (a resolved task waits for its wrap-up)? Routing asks. */
export async function wrapUpHoldsCapacity(db: DbOrTx, workspaceId: string): Promise<boolean> {
  return (await store.getSettings(db, workspaceId)).wrapUp.mode === 'required';
}

export function presentWrapUp(row: store.WrapUpRow) {
  return {
    id: row.id,
    conversationId: row.conversationId,
    taskId: row.taskId,
    agentId: row.agentId,
    disposition: row.disposition,
    outcome: row.outcome,
    amount: row.amountCents === null ? null : centsToAmount(row.amountCents),
    currency: row.currency,
    note: row.note,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt.toISOString(),
  };
}

/** The conversation's current contact: its wrap-up (if recorded) and whether routing waits for one. */
export async function getWrapUpState(p: Platform, workspaceId: string, conversationId: string) {
  const conversation = await conversationStore.getConversation(p.db, workspaceId, conversationId);
  if (!conversation) throw notFound('Conversation');
  const task = await store.contactTask(p.db, workspaceId, conversationId);
  const row = await store.getWrapUp(p.db, workspaceId, conversationId, task?.id ?? null);
  const settings = await store.getSettings(p.db, workspaceId);
  return {
    mode: settings.wrapUp.mode,
    maxSeconds: settings.wrapUp.maxSeconds,
    /** The task is in after-contact work: the agent's capacity is held until this is submitted. */
    awaiting: task?.state === 'wrapping',
    wrapUp: row ? presentWrapUp(row) : null,
  };
}

/**
 * Records the wrap-up of a conversation's current contact, replacing an earlier one, with its
 * `outcome.recorded` event in the same transaction. A resolved conversation's task that is still
 * live (in after-contact work) ends here, which frees the agent.
 */
export async function recordWrapUp(p: Platform, principal: Principal, conversationId: string, input: WrapUpInput) {
  const { workspaceId } = principal;
  let endedTask = false;
  const row = await inTransaction(p, async (tx) => {
    const conversation = await conversationStore.lockConversation(tx, workspaceId, conversationId);
    if (!conversation) throw notFound('Conversation');
    const settings = await store.getSettings(tx, workspaceId);
    if (settings.wrapUp.mode === 'off') throw badRequest('wrap_up_off', 'Wrap-up is switched off in this workspace');
    const task = await store.contactTask(tx, workspaceId, conversationId);
    const handler = task?.agentId ?? conversation.assigneeId;
    const mayRecord = hasRole(principal, 'supervisor') || (principal.kind === 'user' && (principal.id === conversation.assigneeId || principal.id === task?.agentId));
    if (!mayRecord) throw forbidden('Only the agent who handled this conversation, or a supervisor, records its wrap-up');

    const checked = checkWrapUp(input, await store.listDispositions(tx, workspaceId), (await getAnalyticsSettings(tx, workspaceId)).currency);
    if ('error' in checked) throw badRequest('validation_failed', `${checked.error.field}: ${checked.error.message}`, [{ path: `body/${checked.error.field}`, message: checked.error.message }]);
    const { ok } = checked;
    const now = p.clock.now();
    const saved = await store.upsertWrapUp(tx, workspaceId, {
      conversationId,
      taskId: task?.id ?? null,
      agentId: handler ?? (principal.kind === 'user' ? principal.id : null),
      recordedBy: principal.actorId,
      disposition: ok.disposition,
      outcome: ok.outcome,
      amountCents: ok.amountCents,
      currency: ok.currency,
      note: ok.note,
      recordedAt: now,
    });
    // The note is free text about a customer: it stays in the row, never in the event log.
    await appendEvent(tx, {
      workspaceId,
      type: 'outcome.recorded',
      subjectType: 'conversation',
      subjectId: conversationId,
      payload: {
        conversationId,
        taskId: saved.taskId,
        agentId: saved.agentId,
        disposition: saved.disposition,
        outcome: saved.outcome,
        amount: saved.amountCents === null ? null : centsToAmount(saved.amountCents),
        currency: saved.currency,
      },
      actorId: principal.actorId,
    });
    // After-contact work ends with its wrap-up. In 'required' mode an assigned task of a resolved
    // conversation has its task.wrapup pending (commands apply in order); otherwise resolving ended it.
    const holding = task?.state === 'wrapping' || (task?.state === 'assigned' && settings.wrapUp.mode === 'required');
    if (task && holding && conversation.status === 'resolved' && !(await store.taskEndPending(tx, workspaceId, task.id))) {
      await routingOf(p).enqueue(tx, workspaceId, { type: 'task.end', taskId: task.id, reason: 'wrapped up' });
      endedTask = true;
    }
    return saved;
  });
  if (endedTask) routingOf(p).wake(workspaceId);
  return presentWrapUp(row);
}

/**
 * Ends after-contact work that ran past the workspace's `maxSeconds` (counted from the
 * resolution): the task completes and the agent is free, with or without a wrap-up.
 */
export async function endOverdueWrapUps(p: Platform): Promise<number> {
  let ended = 0;
  const now = p.clock.now();
  for (const workspaceId of await store.workspacesWithSettings(p.db)) {
    const settings = await store.getSettings(p.db, workspaceId);
    const overdue = await store.overdueWrappingTasks(p.db, workspaceId, new Date(now.getTime() - settings.wrapUp.maxSeconds * 1000));
    if (overdue.length === 0) continue;
    await inTransaction(p, async (tx: Tx) => {
      for (const task of overdue) await routingOf(p).enqueue(tx, workspaceId, { type: 'task.end', taskId: task.taskId, reason: 'wrap-up timed out' });
    });
    routingOf(p).wake(workspaceId);
    ended += overdue.length;
  }
  return ended;
}
