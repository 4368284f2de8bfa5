import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { customers } from '../customers/customers.schema.ts';
import { appendEvent } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import type { Tx } from '../platform/db/client.ts';
import type { ConversationChange } from '../conversations/conversations.service.ts';
import { wrapUpHoldsCapacity } from '../outcomes/wrapup.service.ts';
import { routingOf } from './routing.service.ts';
import * as store from './routing.store.ts';

/** Routing's task priority for a conversation priority; queues serve the highest first. */
export const PRIORITY_OF: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** What routing reads of the conversation's customer: the lifetime-value scores (customers.attributes). */
export interface CustomerValue {
  valueTier?: string | null;
  churnRisk?: number | null;
}

/** What a workflow filter can read of a conversation (and of its customer's value scores). */
export function taskAttributes(conversation: ConversationChange['conversation'], customer: CustomerValue = {}): Record<string, unknown> {
  return {
    ...conversation.attributes,
    language: conversation.language ?? undefined,
    queue: conversation.queue ?? undefined,
    tags: conversation.tags,
    subject: conversation.subject ?? undefined,
    customerId: conversation.customerId,
    channelId: conversation.channelId,
    conversationPriority: conversation.priority,
    // The stored score wins; without one, what a self-service flow learnt (a CRM look-up) counts.
    valueTier: customer.valueTier ?? conversation.attributes.valueTier ?? undefined,
    churnRisk: customer.churnRisk ?? conversation.attributes.churnRisk ?? undefined,
  };
}

/** The customer's value tier and churn risk, one query in the caller's transaction. */
async function customerValue(tx: Tx, workspaceId: string, customerId: string): Promise<CustomerValue> {
  const [row] = await tx
    .select({ valueTier: sql<string | null>`${customers.attributes}->>'valueTier'`, churnRisk: sql<unknown>`${customers.attributes}->'churnRisk'` })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));
  return { valueTier: row?.valueTier ?? null, churnRisk: typeof row?.churnRisk === 'number' ? row.churnRisk : null };
}

/** What a new routing task is about; everything else (workflow, SLA, timestamps) routing fills in. */
export interface NewTaskSpec {
  /** The conversation the task is for; null for work beside the conversation's own task (a video call). */
  conversationId: string | null;
  channel: string;
  attributes: Record<string, unknown>;
  conversationPriority: string;
  preferredAgentId?: string | null;
  /** Written as already assigned to this agent (no offer): it holds their capacity at once. */
  assignTo?: string;
  /** Added to the `routing.task_created` event. */
  eventPayload?: Record<string, unknown>;
}

/**
 * Writes a routing task and the command that routes it, in the caller's transaction. Undefined
 * when routing is off (no workflow) in the workspace.
 */
export async function insertRoutedTask(p: Platform, tx: Tx, workspaceId: string, spec: NewTaskSpec): Promise<store.TaskRow | undefined> {
  const settings = await store.getSettings(tx, workspaceId);
  const workflowId = store.defaultWorkflowId(settings, await store.listWorkflows(tx, workspaceId));
  if (!workflowId) return undefined;
  const now = p.clock.now();
  const priority = PRIORITY_OF[spec.conversationPriority] ?? 1;
  const assignTo = spec.assignTo ?? null;
  const task = await store.insertTask(tx, {
    id: randomUUID(),
    workspaceId,
    conversationId: spec.conversationId,
    workflowId,
    channel: spec.channel,
    attributes: spec.attributes,
    basePriority: priority,
    priority,
    slaSeconds: settings.slaSeconds[spec.channel] ?? null,
    ...(spec.preferredAgentId !== undefined || assignTo ? { preferredAgentId: assignTo ?? spec.preferredAgentId ?? null } : {}),
    state: assignTo ? 'assigned' : 'pending',
    ...(assignTo ? { agentId: assignTo, stepEnteredAt: now, assignedAt: now } : {}),
    createdAt: now,
  });
  await appendEvent(tx, {
    workspaceId,
    type: 'routing.task_created',
    subjectType: 'routing_task',
    subjectId: task.id,
    payload: { taskId: task.id, conversationId: spec.conversationId, channel: task.channel, ...spec.eventPayload },
    actorId: 'routing',
  });
  await routingOf(p).enqueue(tx, workspaceId, { type: 'task.create', taskId: task.id });
  return task;
}

/** A conversation's own routing task (see insertRoutedTask). */
export async function createTaskFor(p: Platform, tx: Tx, workspaceId: string, conversation: ConversationChange['conversation']): Promise<store.TaskRow | undefined> {
  return insertRoutedTask(p, tx, workspaceId, {
    conversationId: conversation.id,
    channel: conversation.channelType,
    attributes: taskAttributes(conversation, await customerValue(tx, workspaceId, conversation.customerId)),
    conversationPriority: conversation.priority,
  });
}

/**
 * A conversation that opens without an owner becomes a routing task, written in the same
 * transaction (so no opened conversation is ever left unrouted); resolving it or handing it to
 * someone by hand ends the task.
 */
export async function followConversation(p: Platform, tx: Tx, change: ConversationChange): Promise<void> {
  const { workspaceId, conversation } = change;
  const live = await store.liveTaskForConversation(tx, workspaceId, conversation.id);
  if (change.kind !== 'opened') {
    if (!live) return;
    // Wrap-up 'required': the agent keeps the task (and its capacity) in after-contact work until
    // the wrap-up is submitted or its time runs out (outcomes ends it then).
    if (change.kind === 'resolved' && live.state === 'assigned' && live.agentId && (await wrapUpHoldsCapacity(tx, workspaceId))) {
      await routingOf(p).enqueue(tx, workspaceId, { type: 'task.wrapup', taskId: live.id });
      return;
    }
    await routingOf(p).enqueue(tx, workspaceId, { type: 'task.end', taskId: live.id, reason: change.kind === 'resolved' ? 'resolved' : 'assigned by hand' });
    return;
  }
  // A self-service flow took it: routing waits for the flow's handoff (which opens it again).
  if (!live && !change.claimedBy) await createTaskFor(p, tx, workspaceId, conversation);
}

/**
 * Follows a change another module made to a conversation (an SLA escalation, an automation rule)
 * with its live routing task: the new priority reorders the queue it waits in, another queue moves
 * it there. With `createFor`, a conversation that has no task yet gets one to move; otherwise the
 * move only happens when routing already has the conversation. Says what it did.
 */
export async function followOnTask(
  p: Platform,
  tx: Tx,
  workspaceId: string,
  conversationId: string,
  change: { priority?: string; queueId?: string },
  options: { createFor?: ConversationChange['conversation'] } = {},
): Promise<{ taskId: string | null; reprioritized: boolean; moved: boolean }> {
  let live = await store.liveTaskForConversation(tx, workspaceId, conversationId);
  const done = { taskId: live?.id ?? null, reprioritized: false, moved: false };
  if (change.priority !== undefined && live) {
    await routingOf(p).enqueue(tx, workspaceId, { type: 'task.update', taskId: live.id, priority: PRIORITY_OF[change.priority] ?? 1 });
    done.reprioritized = true;
  }
  if (change.queueId && live?.queueId !== change.queueId) {
    if (!live && options.createFor) live = await createTaskFor(p, tx, workspaceId, options.createFor);
    if (live) {
      await routingOf(p).enqueue(tx, workspaceId, { type: 'task.transfer', taskId: live.id, to: { queueId: change.queueId } });
      done.taskId = live.id;
      done.moved = true;
    }
  }
  return done;
}
