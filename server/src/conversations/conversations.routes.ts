import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { notFound } from '../platform/errors.ts';
import { decodeCursor, encodeCursor, errorResponses, idParam, pageLimit, keysetPage } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { getCustomer } from '../customers/customers.store.ts';
import { conversationStatuses, priorities } from './conversations.schema.ts';
import * as service from './conversations.service.ts';
import * as store from './conversations.store.ts';
import { presentConversation, presentMessage } from './present.ts';

export const conversationBody = z.object({
  id: z.string(),
  channelId: z.string(),
  channelType: z.string(),
  status: z.enum(conversationStatuses),
  priority: z.enum(priorities),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  queue: z.string().nullable(),
  language: z.string().nullable(),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  subject: z.string().nullable(),
  customer: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
  lastMessage: z.object({ body: z.string(), direction: z.string(), authorType: z.string(), createdAt: z.string() }).nullable(),
  lastActivityAt: z.string(),
  snoozedUntil: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  unread: z.number(),
  /** Phone conversations: the call, live or ended. */
  call: z.object({ from: z.string().nullable(), status: z.string(), endedAt: z.string().nullable(), durationSeconds: z.number().nullable() }).nullable(),
});

export const attachmentBody = z.object({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number() });

const messageBody = z.object({
  id: z.string(),
  seq: z.number(),
  conversationId: z.string(),
  kind: z.enum(['message', 'note']),
  direction: z.enum(['inbound', 'outbound']),
  authorType: z.enum(['customer', 'agent', 'bot', 'system']),
  author: z.object({ id: z.string(), name: z.string() }).nullable(),
  body: z.string(),
  attachments: z.array(attachmentBody),
  status: z.string(),
  error: z.string().nullable(),
  clientMessageId: z.string().nullable(),
  /** The text was erased at the customer's request (GDPR); the message stays as a fact. */
  redacted: z.boolean(),
  createdAt: z.string(),
});

const listCursor = z.object({ at: z.string(), id: z.string(), p: z.number().int().optional() });

/** Presents messages with their authors' names resolved in one query. */
async function presentMessages(p: Platform, workspaceId: string, rows: store.MessageRow[], customerName: string | null) {
  const authors = await store.authorNames(p.db, workspaceId, rows.flatMap((m) => (m.authorType === 'customer' || !m.authorId ? [] : [m.authorId])));
  return rows.map((m) => presentMessage(m, authors, customerName));
}

export function conversationRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/conversations', {
    config: { access: 'agent' },
    schema: {
      tags: ['conversations'],
      summary: 'The inbox: conversations by view and filters, newest activity first (or most urgent first, then longest waiting)',
      querystring: z.object({
        view: z.enum(['mine', 'unassigned', 'all']).default('all'),
        status: z.enum(conversationStatuses).optional(),
        channelType: z.string().optional(),
        assigneeId: z.uuid().optional(),
        queue: z.string().optional(),
        tag: z.string().optional(),
        customerId: z.uuid().optional(),
        q: z.string().trim().min(1).max(200).optional(),
        sort: z.enum(['activity', 'priority']).default('activity'),
        cursor: z.string().optional(),
        limit: pageLimit,
      }),
      response: { 200: z.object({ items: z.array(conversationBody), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const { view, cursor, limit, assigneeId, ...filters } = request.query;
    const after = decodeCursor(cursor, listCursor);
    const rows = await store.listConversations(p.db, principal.workspaceId, {
      ...filters,
      assigneeId: view === 'mine' ? principal.id : view === 'unassigned' ? null : assigneeId,
      activeOnly: !filters.status,
      before: after ? { lastActivityAt: new Date(after.at), id: after.id, priorityRank: after.p } : undefined,
      limit: limit + 1,
    });
    return keysetPage(rows, limit, presentConversation, ({ conversation: last }) => ({
      at: last.lastActivityAt.toISOString(),
      id: last.id,
      ...(filters.sort === 'priority' ? { p: store.PRIORITY_RANK[last.priority] ?? 0 } : {}),
    }));
  });

  r.get('/api/conversations/:id', {
    config: { access: 'agent' },
    schema: { tags: ['conversations'], params: idParam, response: { 200: conversationBody, ...errorResponses } },
  }, async (request) => presentConversation(await service.getConversationView(p.db, principalOf(request).workspaceId, request.params.id)));

  r.patch('/api/conversations/:id', {
    config: { access: 'agent' },
    schema: {
      tags: ['conversations'],
      summary: 'Assign, transfer, resolve, reopen, snooze, prioritise, tag',
      params: idParam,
      body: z.object({
        status: z.enum(conversationStatuses).optional(),
        assigneeId: z.uuid().nullable().optional(),
        priority: z.enum(priorities).optional(),
        tags: z.array(z.string().max(50)).max(50).optional(),
        queue: z.string().max(100).nullable().optional(),
        attributes: z.record(z.string(), z.unknown()).optional(),
        snoozedUntil: z.iso.datetime({ offset: true }).nullable().optional(),
      }),
      response: { 200: conversationBody, ...errorResponses },
    },
  }, async (request) => presentConversation(await service.updateConversation(p, principalOf(request), request.params.id, request.body)));

  r.get('/api/conversations/:id/messages', {
    config: { access: 'agent' },
    schema: {
      tags: ['conversations'],
      summary: 'The timeline: messages and notes, oldest first within a page; the cursor pages back in time',
      params: idParam,
      querystring: z.object({ cursor: z.string().optional(), limit: pageLimit }),
      response: { 200: z.object({ items: z.array(messageBody), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const conversation = await store.getConversation(p.db, workspaceId, request.params.id);
    if (!conversation) throw notFound('Conversation');
    const beforeSeq = decodeCursor(request.query.cursor, z.number().int());
    const rows = await store.listMessages(p.db, workspaceId, [conversation.id], { beforeSeq, limit: request.query.limit + 1, includeNotes: true });
    const hasMore = rows.length > request.query.limit;
    const page = hasMore ? rows.slice(1) : rows;
    const customer = await getCustomer(p.db, workspaceId, conversation.customerId);
    return { items: await presentMessages(p, workspaceId, page, customer?.name ?? null), nextCursor: hasMore && page[0] ? encodeCursor(page[0].seq) : null };
  });

  r.post('/api/conversations/:id/messages', {
    config: { access: 'agent' },
    schema: {
      tags: ['conversations'],
      summary: 'Reply to the customer (sent through the outbox) or add an internal note',
      params: idParam,
      body: z.object({
        body: z.string().max(20_000).default(''),
        kind: z.enum(['message', 'note']).default('message'),
        attachmentIds: z.array(z.uuid()).max(10).optional(),
        clientMessageId: z.string().min(8).max(100).optional(),
        template: z.object({ name: z.string().min(1).max(512), language: z.string().min(2).max(20), parameters: z.array(z.string().max(1024)).max(20).default([]) }).optional(),
      }),
      response: { 200: messageBody, 201: messageBody, ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { message, created } = await service.postMessage(p, principal, request.params.id, request.body);
    const [presented] = await presentMessages(p, principal.workspaceId, [message], null);
    return reply.status(created ? 201 : 200).send(presented!);
  });

  r.post('/api/conversations/:id/messages/:messageId/retry', {
    config: { access: 'agent' },
    schema: {
      tags: ['conversations'],
      summary: 'Send a reply whose delivery failed once more',
      params: z.object({ id: z.uuid(), messageId: z.uuid() }),
      response: { 200: messageBody, ...errorResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const message = await service.retryMessage(p, principal, request.params.id, request.params.messageId);
    const [presented] = await presentMessages(p, principal.workspaceId, [message], null);
    return presented!;
  });
}
