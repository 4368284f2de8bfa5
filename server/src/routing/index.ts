import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { appendEvent } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import { onConversationChange, type ConversationChange } from '../conversations/conversations.service.ts';
import type { Tx } from '../platform/db/client.ts';
import { routingRoutes } from './routing.routes.ts';
import { routingOf } from './routing.service.ts';
import * as store from './routing.store.ts';

const PRIORITY_OF: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** What a workflow filter can read of a conversation. */
export function taskAttributes(conversation: ConversationChange['conversation']): Record<string, unknown> {
  return {
    ...conversation.attributes,
    language: conversation.language ?? undefined,
    queue: conversation.queue ?? undefined,
    tags: conversation.tags,
    subject: conversation.subject ?? undefined,
    customerId: conversation.customerId,
    channelId: conversation.channelId,
    conversationPriority: conversation.priority,
  };
}

/**
 * A conversation that opens without an owner becomes a routing task, written in the same
 * transaction (so no opened conversation is ever left unrouted); resolving it or handing it to
 * someone by hand ends the task.
 */
async function followConversation(p: Platform, tx: Tx, change: ConversationChange): Promise<void> {
  const { workspaceId, conversation } = change;
  const live = await store.liveTaskForConversation(tx, workspaceId, conversation.id);
  const routing = routingOf(p);
  if (change.kind !== 'opened') {
    if (live) await routing.enqueue(tx, workspaceId, { type: 'task.end', taskId: live.id, reason: change.kind === 'resolved' ? 'resolved' : 'assigned by hand' });
    return;
  }
  if (live) return;
  const settings = await store.getSettings(tx, workspaceId);
  const workflowId = store.defaultWorkflowId(settings, await store.listWorkflows(tx, workspaceId));
  if (!workflowId) return; // no workflow: routing is off, the team picks from the inbox
  const now = p.clock.now();
  const priority = PRIORITY_OF[conversation.priority] ?? 1;
  const task = await store.insertTask(tx, {
    id: randomUUID(),
    workspaceId,
    conversationId: conversation.id,
    workflowId,
    channel: conversation.channelType,
    attributes: taskAttributes(conversation),
    basePriority: priority,
    priority,
    slaSeconds: settings.slaSeconds[conversation.channelType] ?? null,
    state: 'pending',
    createdAt: now,
  });
  await appendEvent(tx, {
    workspaceId,
    type: 'routing.task_created',
    subjectType: 'routing_task',
    subjectId: task.id,
    payload: { taskId: task.id, conversationId: conversation.id, channel: task.channel },
    actorId: 'routing',
  });
  await routing.enqueue(tx, workspaceId, { type: 'task.create', taskId: task.id });
}

export const routingModule = {
  init(p: Platform): void {
    const routing = routingOf(p);
    routing.register();
    onConversationChange(p, (tx, change) => followConversation(p, tx, change));
    p.jobs.every('prune routing commands', 3_600_000, () => store.pruneCommands(p.db, new Date(p.clock.now().getTime() - 86_400_000)));
  },
  routes(app: FastifyInstance, p: Platform): void {
    routingRoutes(app, p);
  },
};
