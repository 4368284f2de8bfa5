import type { AttachmentRef } from './conversations.schema.ts';
import type { ConversationListRow, MessageRow } from './conversations.store.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The conversation as the API shows it (docs/conversations-api.md). */
export function presentConversation(row: ConversationListRow) {
  const c = row.conversation;
  return {
    id: c.id,
    channelId: c.channelId,
    channelType: c.channelType,
    status: c.status,
    priority: c.priority,
    assignee: row.assignee?.id ? { id: row.assignee.id, name: row.assignee.name } : null,
    queue: c.queue,
    language: c.language,
    tags: c.tags,
    attributes: c.attributes,
    subject: c.subject,
    customer: row.customer,
    lastMessage: row.lastMessage?.createdAt
      ? { body: row.lastMessage.body.slice(0, 280), direction: row.lastMessage.direction, authorType: row.lastMessage.authorType, createdAt: row.lastMessage.createdAt.toISOString() }
      : null,
    lastActivityAt: c.lastActivityAt.toISOString(),
    snoozedUntil: iso(c.snoozedUntil),
    createdAt: c.createdAt.toISOString(),
    resolvedAt: iso(c.resolvedAt),
    unread: c.unread,
    call: presentCall(c.channelType, c.channelContext),
  };
}

/** A phone conversation's call: live until it ended (status callback), then with its length. */
function presentCall(channelType: string, context: Record<string, unknown>) {
  if (channelType !== 'voice' || typeof context.callSid !== 'string') return null;
  return {
    from: typeof context.from === 'string' ? context.from : null,
    status: typeof context.status === 'string' ? context.status : 'in-progress',
    endedAt: typeof context.endedAt === 'string' ? context.endedAt : null,
    durationSeconds: typeof context.durationSeconds === 'number' ? context.durationSeconds : null,
  };
}

const presentAttachments = (list: AttachmentRef[]) => list.map(({ id, name, contentType, size }) => ({ id, name, contentType, size }));

/** A message for the desk; `authors` maps agent ids to names. */
export function presentMessage(m: MessageRow, authors: Map<string, string>, customerName: string | null) {
  const authorName = m.authorType === 'customer' ? customerName : m.authorId ? (authors.get(m.authorId) ?? null) : null;
  return {
    id: m.id,
    seq: m.seq,
    conversationId: m.conversationId,
    kind: m.kind,
    direction: m.direction,
    authorType: m.authorType,
    author: m.authorId && authorName !== null ? { id: m.authorId, name: authorName } : null,
    body: m.body,
    attachments: presentAttachments(m.attachments),
    status: m.status,
    error: m.error,
    clientMessageId: m.clientMessageId,
    redacted: m.meta?.redacted === true,
    createdAt: m.createdAt.toISOString(),
  };
}

/** A message for the customer's own view (widget): no notes, no internal ids. */
export function presentVisitorMessage(m: MessageRow, authors: Map<string, string>) {
  return {
    id: m.id,
    seq: m.seq,
    direction: m.direction,
    authorType: m.authorType,
    authorName: m.authorType === 'agent' && m.authorId ? (authors.get(m.authorId) ?? null) : null,
    body: m.body,
    attachments: presentAttachments(m.attachments),
    status: m.status,
    /** The widget's own id for its message, so it can match the echo to its pending copy. */
    clientMessageId: m.direction === 'inbound' && m.providerMessageId?.includes(':') ? m.providerMessageId.slice(m.providerMessageId.indexOf(':') + 1) : null,
    /** A self-service question's choices, shown as buttons under the bot's message. */
    buttons: m.authorType === 'bot' && Array.isArray(m.meta?.buttons) ? (m.meta.buttons as Array<{ label: string; value: string }>) : undefined,
    createdAt: m.createdAt.toISOString(),
  };
}
