import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendEvent, inTransaction } from '../../platform/events/events.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, errorBody, errorResponses } from '../../platform/http/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import { visitorTopic, workspaceTopic } from '../../platform/realtime/hub.ts';
import { acceptRawBodies, fileName, sendAttachment } from '../../conversations/attachments.routes.ts';
import { attachmentBody } from '../../conversations/conversations.routes.ts';
import { uploadAttachment } from '../../conversations/conversations.service.ts';
import * as conversationStore from '../../conversations/conversations.store.ts';
import { presentVisitorMessage } from '../../conversations/present.ts';
import { receiveInbound } from '../../conversations/receive.ts';
import { activeConversationId, loadWebchatChannel, resolveVisitor, startSession, WEBCHAT } from './webchat.service.ts';
import { visitorConversationIds } from './webchat.store.ts';
import { connectionOpened } from './push.ts';
import { visitorRead } from './receipts.ts';
import { waitFor } from '../../routing/routing.service.ts';

const params = z.object({ channelId: z.string().max(64) });
const visitorMessage = z.object({
  id: z.string(),
  seq: z.number(),
  direction: z.enum(['inbound', 'outbound']),
  authorType: z.string(),
  authorName: z.string().nullable(),
  body: z.string(),
  attachments: z.array(attachmentBody),
  status: z.string(),
  clientMessageId: z.string().nullable(),
  buttons: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
  createdAt: z.string(),
});
const sessionBody = z.object({
  visitorToken: z.string(),
  customer: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  conversationId: z.string().nullable(),
});
const bearer = (request: FastifyRequest) => {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
};

/**
 * The widget runs on the organisation's own site, so these routes answer cross-origin requests
 * (from the channel's allowed origins, or any when none are set). Visitors authenticate with a
 * bearer token, never cookies, so allowing other origins exposes nothing of the desk.
 */
export async function allowCrossOrigin(p: Platform, request: FastifyRequest, reply: FastifyReply) {
  const origin = request.headers.origin;
  if (!origin) return;
  const channelId = (request.params as { channelId?: string }).channelId;
  const channel = channelId ? await loadWebchatChannel(p, channelId).catch(() => undefined) : undefined;
  const allowed = channel?.config.allowedOrigins ?? [];
  if (allowed.length && !allowed.includes(origin)) return;
  reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

export async function visitorMessages(p: Platform, workspaceId: string, rows: conversationStore.MessageRow[]) {
  const authors = await conversationStore.authorNames(p.db, workspaceId, rows.flatMap((m) => (m.authorType === 'agent' && m.authorId ? [m.authorId] : [])));
  return rows.map((m) => presentVisitorMessage(m, authors));
}

export function webchatRoutes(app: FastifyInstance, p: Platform): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', (request, reply) => allowCrossOrigin(p, request, reply));
    scope.options('/channels/webchat/:channelId/*', async (_request, reply) =>
      reply
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type, x-filename')
        .header('access-control-max-age', '600')
        .status(204)
        .send(),
    );
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.get('/channels/webchat/:channelId/config', {
      schema: { tags: ['web chat'], summary: "The widget's settings and whether agents are online", params },
    }, async (request) => {
      const channel = await loadWebchatChannel(p, request.params.channelId);
      const { greeting, color, requireEmail, consentText, attachments } = channel.config;
      return { channelId: channel.row.id, name: channel.row.name, greeting, color, online: p.hub.agentsOnline(channel.row.workspaceId) > 0, requireEmail, consentText, attachments };
    });

    r.post('/channels/webchat/:channelId/sessions', {
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['web chat'],
        summary: 'Start or resume a visitor session',
        params,
        body: z.object({
          visitorToken: z.string().max(200).optional(),
          name: z.string().trim().min(1).max(200).optional(),
          email: z.email().max(320).optional(),
          consent: z.boolean().optional(),
          language: z.enum(['nl', 'en']).optional(),
          userId: z.string().min(1).max(200).optional(),
          userHash: z.string().max(200).optional(),
        }),
        response: { 200: sessionBody, 400: errorBody, 401: errorBody, 404: errorBody },
      },
    }, async (request) => {
      const channel = await loadWebchatChannel(p, request.params.channelId);
      const result = await startSession(p, channel, request.body);
      return { visitorToken: result.visitorToken, customer: { id: result.customer.id, name: result.customer.name, email: result.customer.email }, conversationId: result.conversationId };
    });

    r.get('/channels/webchat/:channelId/messages', {
      schema: {
        tags: ['web chat'],
        summary: "The visitor's history, oldest first within a page",
        params,
        querystring: z.object({ cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(200).default(100) }),
        response: { 200: z.object({ items: z.array(visitorMessage), nextCursor: z.string().nullable() }), ...errorResponses },
      },
    }, async (request) => {
      const channel = await loadWebchatChannel(p, request.params.channelId);
      const visitor = await resolveVisitor(p, channel, bearer(request));
      const ids = await visitorConversationIds(p.db, channel.row.workspaceId, channel.row.id, visitor.customer.id);
      const beforeSeq = decodeCursor(request.query.cursor, z.number().int());
      const rows = await conversationStore.listMessages(p.db, channel.row.workspaceId, ids, { beforeSeq, limit: request.query.limit + 1, includeNotes: false });
      const hasMore = rows.length > request.query.limit;
      const page = hasMore ? rows.slice(1) : rows;
      return { items: await visitorMessages(p, channel.row.workspaceId, page), nextCursor: hasMore && page[0] ? encodeCursor(page[0].seq) : null };
    });

    r.get('/channels/webchat/:channelId/wait', {
      schema: {
        tags: ['web chat'],
        summary: "The visitor's place in line and estimated wait, while no agent has the chat",
        params,
        response: {
          200: z.object({ state: z.enum(['waiting', 'assigned', 'none']), position: z.number().nullable(), estimatedWaitSeconds: z.number().nullable() }),
          ...errorResponses,
        },
      },
    }, async (request) => {
      const channel = await loadWebchatChannel(p, request.params.channelId);
      const visitor = await resolveVisitor(p, channel, bearer(request));
      const conversationId = await activeConversationId(p.db, channel.row.workspaceId, channel.row.id, visitor.customer.id);
      const wait = conversationId ? await waitFor(p, channel.row.workspaceId, conversationId) : null;
      if (!wait) return { state: 'none' as const, position: null, estimatedWaitSeconds: null };
      if (wait.state === 'assigned') return { state: 'assigned' as const, position: null, estimatedWaitSeconds: null };
      return wait;
    });

    r.post('/channels/webchat/:channelId/messages', {
      config: { rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (request) => bearer(request) ?? request.ip } },
      schema: {
        tags: ['web chat'],
        summary: 'A visitor sends a message; the same clientMessageId twice stores it once',
        params,
        body: z.object({
          clientMessageId: z.string().min(8).max(100),
          body: z.string().max(10_000).default(''),
          attachmentIds: z.array(z.uuid()).max(10).optional(),
          /** The value of a button the bot offered; the body carries its label for the desk. */
          choice: z.string().min(1).max(100).optional(),
        }),
        response: { 200: visitorMessage, 201: visitorMessage, ...errorResponses },
      },
    }, async (request, reply) => {
      const channel = await loadWebchatChannel(p, request.params.channelId);
      const visitor = await resolveVisitor(p, channel, bearer(request));
      if (!request.body.body.trim() && !request.body.attachmentIds?.length) throw badRequest('empty_message', 'A message needs text or an attachment');
      const result = await receiveInbound(p, {
        workspaceId: channel.row.workspaceId,
        channel: { id: channel.row.id, type: WEBCHAT },
        // Scoped to the customer: a visitor cannot collide with (or read) another visitor's message.
        providerMessageId: `${visitor.customer.id}:${request.body.clientMessageId}`,
        from: { externalId: visitor.session.externalId },
        body: request.body.body,
        attachmentIds: request.body.attachmentIds,
        attachmentsUploadedBy: `customer:${visitor.customer.id}`,
        language: visitor.customer.language,
        meta: request.body.choice ? { choice: request.body.choice } : undefined,
      });
      const [presented] = await visitorMessages(p, channel.row.workspaceId, [result.message]);
      return reply.status(result.duplicate ? 200 : 201).send(presented!);
    });

    r.post('/channels/webchat/:channelId/read', {
      config: { rateLimit: { max: 120, timeWindow: 60_000, keyGenerator: (request) => bearer(request) ?? request.ip } },
      schema: {
        tags: ['web chat'],
        summary: "A read receipt: the visitor has seen the agent's and bot's messages up to this one",
        params,
        body: z.object({ messageId: z.uuid() }),
        response: { 200: z.object({ read: z.number() }), ...errorResponses },
      },
    }, async (request) => {
      const channel = await loadWebchatChannel(p, request.params.channelId);
      const visitor = await resolveVisitor(p, channel, bearer(request));
      const workspaceId = channel.row.workspaceId;
      const conversationIds = await visitorConversationIds(p.db, workspaceId, channel.row.id, visitor.customer.id);
      const read = await visitorRead(p, { workspaceId, customerId: visitor.customer.id, conversationIds, messageId: request.body.messageId });
      if (read === undefined) throw notFound('Message');
      return { read };
    });

    r.post('/channels/webchat/:channelId/offline', {
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: ['web chat'],
        summary: 'Nobody is online: leave a message to be answered by email',
        params,
        body: z.object({
          name: z.string().trim().min(1).max(200),
          email: z.email().max(320),
          body: z.string().trim().min(1).max(10_000),
          consent: z.literal(true, { message: 'consent is needed to store the message' }),
          language: z.enum(['nl', 'en']).optional(),
        }),
        response: { 201: z.object({ visitorToken: z.string(), conversationId: z.string() }), ...errorResponses },
      },
    }, async (request, reply) => {
      const channel = await loadWebchatChannel(p, request.params.channelId);
      const { name, email, body, consent, language } = request.body;
      const session = await startSession(p, channel, { name, email, consent, language });
      const visitor = await resolveVisitor(p, channel, session.visitorToken);
      const result = await receiveInbound(p, {
        workspaceId: channel.row.workspaceId,
        channel: { id: channel.row.id, type: WEBCHAT },
        providerMessageId: `${visitor.customer.id}:offline:${randomUUID()}`,
        from: { externalId: visitor.session.externalId },
        body,
        language: language ?? null,
      });
      // The desk sees that this chat continues by email.
      await inTransaction(p, async (tx) => {
        await conversationStore.updateConversationRow(tx, channel.row.workspaceId, result.conversation.id, {
          attributes: { ...result.conversation.attributes, replyBy: 'email', replyTo: email },
        });
        await appendEvent(tx, {
          workspaceId: channel.row.workspaceId,
          type: 'conversation.updated',
          subjectType: 'conversation',
          subjectId: result.conversation.id,
          // Events hold ids, never addresses: the log is append-only and must survive an erasure.
          payload: { attributes: { replyBy: 'email' } },
          actorId: `customer:${visitor.customer.id}`,
        });
      });
      return reply.status(201).send({ visitorToken: session.visitorToken, conversationId: result.conversation.id });
    });

    r.get('/channels/webchat/:channelId/attachments/:id', {
      schema: { tags: ['web chat'], params: params.extend({ id: z.uuid() }), querystring: z.object({ token: z.string().optional() }) },
    }, async (request, reply) => {
      const channel = await loadWebchatChannel(p, request.params.channelId);
      const visitor = await resolveVisitor(p, channel, request.query.token ?? bearer(request));
      const workspaceId = channel.row.workspaceId;
      const file = await conversationStore.getAttachment(p.db, workspaceId, request.params.id);
      const ownUpload = file?.uploadedBy === `customer:${visitor.customer.id}`;
      const ids = await visitorConversationIds(p.db, workspaceId, channel.row.id, visitor.customer.id);
      if (!file || !(ownUpload || (await conversationStore.attachmentInConversations(p.db, workspaceId, file.id, ids)))) throw notFound('Attachment');
      return sendAttachment(reply, file);
    });

    r.get('/channels/webchat/:channelId/ws', {
      websocket: true,
      schema: { hide: true, params, querystring: z.object({ token: z.string().optional() }) },
    }, (socket, request) => {
      // Listeners are attached at once; what arrives while the session is being checked waits for it.
      const ready = (async () => {
        const channel = await loadWebchatChannel(p, request.params.channelId);
        const visitor = await resolveVisitor(p, channel, request.query.token);
        // Known on every node while open, so replies to this visitor are not also pushed (push.ts).
        const closed = await connectionOpened(p, { workspaceId: channel.row.workspaceId, channelId: channel.row.id, customerId: visitor.customer.id });
        const unsubscribe = p.hub.subscribe(visitorTopic(channel.row.id, visitor.customer.id), (message) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
        });
        return { channel, visitor, unsubscribe, closed };
      })().catch(() => {
        socket.close(4401, 'unknown session');
        return undefined;
      });
      let lastTyping = false;
      socket.on('message', (raw) => {
        let message: { type?: string; typing?: unknown };
        try {
          message = JSON.parse(String(raw)) as typeof message;
        } catch {
          return;
        }
        if (message.type === 'call_signal') {
          const frame = message;
          void ready.then(async (session) => {
            if (!session) return;
            const from = { kind: 'visitor' as const, workspaceId: session.channel.row.workspaceId, channelId: session.channel.row.id, customerId: session.visitor.customer.id };
            for (const relay of p.hub.callSignalRelays) {
              const answer = await relay({ from, frame });
              if (answer && socket.readyState === socket.OPEN) socket.send(JSON.stringify(answer));
            }
          }).catch((error) => p.log.warn({ err: error }, 'call signal relay failed'));
          return;
        }
        if (message.type !== 'typing' || typeof message.typing !== 'boolean') return;
        const typing = message.typing;
        void ready.then(async (session) => {
          if (!session || typing === lastTyping) return;
          lastTyping = typing;
          const workspaceId = session.channel.row.workspaceId;
          const conversationId = await activeConversationId(p.db, workspaceId, session.channel.row.id, session.visitor.customer.id);
          if (conversationId) p.hub.publish(workspaceTopic(workspaceId), { type: 'customer_typing', conversationId, typing });
        });
      });
      socket.on('close', () =>
        void ready.then(async (session) => {
          session?.unsubscribe();
          await session?.closed().catch((error: unknown) => p.log.warn({ err: error }, 'web chat connection row not removed'));
        }),
      );
    });
  });

  // Uploads take raw bodies, so they live in a scope of their own.
  void app.register(async (scope) => {
    scope.addHook('onRequest', (request, reply) => allowCrossOrigin(p, request, reply));
    acceptRawBodies(scope, 25 * 1024 * 1024);
    scope.withTypeProvider<ZodTypeProvider>().post('/channels/webchat/:channelId/attachments', {
      config: { rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: { tags: ['web chat'], summary: 'A visitor uploads a file (raw body)', params, response: { 201: attachmentBody, 413: errorBody, 415: errorBody, ...errorResponses } },
    }, async (request, reply) => {
      const channel = await loadWebchatChannel(p, request.params.channelId);
      const visitor = await resolveVisitor(p, channel, bearer(request));
      const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const ref = await uploadAttachment(
        p,
        channel.row.workspaceId,
        `customer:${visitor.customer.id}`,
        { name: fileName(request.headers['x-filename']), contentType: request.headers['content-type'] ?? 'application/octet-stream', data },
        channel.config.attachments,
      );
      return reply.status(201).send(ref);
    });
  });
}
