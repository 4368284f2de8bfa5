// Read receipts on web chat (the widget and apps through @hoorn/sdk). The visitor says how far they
// have read (`POST .../read` with the newest message they saw): the agent's and bot's messages up to
// it become `read`, and the desk hears it from the events. An agent who has the conversation open in
// the desk has read the visitor's messages: they become `read` and the visitor's widget is told.
import { and, eq, inArray, lte, notInArray } from 'drizzle-orm';
import { messages } from '../../conversations/conversations.schema.ts';
import * as conversationStore from '../../conversations/conversations.store.ts';
import type { Tx } from '../../platform/db/client.ts';
import { appendEvent, inTransaction } from '../../platform/events/events.ts';
import type { Platform } from '../../platform/platform.ts';
import { visitorTopic, type PresenceRelay } from '../../platform/realtime/hub.ts';
import { WEBCHAT } from './webchat.service.ts';

/** One receipt marks at most this many messages (a long unread conversation is read in steps). */
const MAX_PER_RECEIPT = 200;

/**
 * Marks one direction's messages of a conversation, up to a seq, as read; each changed message gets
 * its `message.status_changed` event. Failed messages stay failed. Returns the ids marked.
 */
async function markRead(tx: Tx, input: { workspaceId: string; conversationId: string; direction: 'inbound' | 'outbound'; upToSeq: number; actorId: string }): Promise<string[]> {
  const rows = await tx
    .update(messages)
    .set({ status: 'read' })
    .where(
      inArray(
        messages.id,
        tx
          .select({ id: messages.id })
          .from(messages)
          .where(
            and(
              eq(messages.workspaceId, input.workspaceId),
              eq(messages.conversationId, input.conversationId),
              eq(messages.direction, input.direction),
              eq(messages.kind, 'message'),
              lte(messages.seq, input.upToSeq),
              notInArray(messages.status, ['read', 'failed']),
            ),
          )
          .limit(MAX_PER_RECEIPT),
      ),
    )
    .returning({ id: messages.id });
  for (const { id } of rows) {
    await appendEvent(tx, {
      workspaceId: input.workspaceId,
      type: 'message.status_changed',
      subjectType: 'conversation',
      subjectId: input.conversationId,
      payload: { messageId: id, status: 'read' },
      actorId: input.actorId,
    });
  }
  return rows.map((r) => r.id);
}

/** The visitor read up to one of their conversation's messages (it must be theirs, else undefined). */
export async function visitorRead(p: Platform, input: { workspaceId: string; customerId: string; conversationIds: string[]; messageId: string }): Promise<number | undefined> {
  return inTransaction(p, async (tx) => {
    const message = await conversationStore.getMessage(tx, input.workspaceId, input.messageId);
    if (!message || !input.conversationIds.includes(message.conversationId)) return undefined;
    const marked = await markRead(tx, { workspaceId: input.workspaceId, conversationId: message.conversationId, direction: 'outbound', upToSeq: message.seq, actorId: `customer:${input.customerId}` });
    return marked.length;
  });
}

/** The desk's "viewing" presence on a web chat: the visitor's messages so far are read, and the widget shows it. */
export function agentReadRelay(p: Platform): PresenceRelay {
  return async ({ workspaceId, conversationId, user, state }) => {
    if (state !== 'viewing') return;
    const conversation = await conversationStore.getConversation(p.db, workspaceId, conversationId);
    if (!conversation || conversation.channelType !== WEBCHAT || conversation.status === 'resolved') return;
    // Only the agent who has the conversation reads for the organisation; a supervisor looking in does not.
    if (conversation.assigneeId !== user.id) return;
    const marked = await inTransaction(p, (tx) => markRead(tx, { workspaceId, conversationId, direction: 'inbound', upToSeq: Number.MAX_SAFE_INTEGER, actorId: user.id }));
    for (const messageId of marked) p.hub.publish(visitorTopic(conversation.channelId, conversation.customerId), { type: 'status', messageId, status: 'read' });
  };
}
