import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../platform.ts';
import { principalOf } from '../auth/guard.ts';
import { outboxStatuses } from '../db/schema.ts';
import { appendEvent, inTransaction } from '../events/events.ts';
import { conflict, notFound } from '../errors.ts';
import { decodeCursor, errorBody, errorResponses, idParam, iso, pageLimit, keysetPage } from '../http/schemas.ts';
import { getOutboxItem, listOutbox, requeue, type OutboxItem } from './outbox.store.ts';

const outboxBody = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(outboxStatuses),
  attempts: z.number(),
  maxAttempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  lastErrorKind: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});

const presentOutboxItem = (o: OutboxItem) => ({
  id: o.id,
  kind: o.kind,
  status: o.status,
  attempts: o.attempts,
  maxAttempts: o.maxAttempts,
  nextAttemptAt: o.nextAttemptAt.toISOString(),
  lastError: o.lastError,
  lastErrorKind: o.lastErrorKind,
  createdAt: o.createdAt.toISOString(),
  deliveredAt: iso(o.deliveredAt),
});

const cursorShape = z.object({ createdAt: z.string(), id: z.string() });

export function outboxRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/outbox', {
    config: { access: 'supervisor' },
    schema: {
      tags: ['outbox'],
      summary: 'Outgoing messages and their delivery state; dead letters with status=dead',
      querystring: z.object({ status: z.enum(outboxStatuses).optional(), cursor: z.string().optional(), limit: pageLimit }),
      response: { 200: z.object({ items: z.array(outboxBody), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const { status, cursor, limit } = request.query;
    const after = decodeCursor(cursor, cursorShape);
    const rows = await listOutbox(p.db, principalOf(request).workspaceId, {
      status,
      limit: limit + 1,
      before: after ? { createdAt: new Date(after.createdAt), id: after.id } : undefined,
    });
    return keysetPage(rows, limit, presentOutboxItem, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
  });

  r.get('/api/outbox/:id', {
    config: { access: 'supervisor' },
    schema: { tags: ['outbox'], params: idParam, response: { 200: outboxBody, ...errorResponses } },
  }, async (request) => {
    const item = await getOutboxItem(p.db, principalOf(request).workspaceId, request.params.id);
    if (!item) throw notFound('Outbox message');
    return presentOutboxItem(item);
  });

  r.post('/api/outbox/:id/retry', {
    config: { access: 'supervisor' },
    schema: {
      tags: ['outbox'],
      summary: 'Send a dead-lettered message again, with a fresh set of attempts',
      params: idParam,
      response: { 200: outboxBody, 409: errorBody, ...errorResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const item = await inTransaction(p, async (tx) => {
      const existing = await getOutboxItem(tx, principal.workspaceId, request.params.id);
      if (!existing) throw notFound('Outbox message');
      const row = await requeue(tx, principal.workspaceId, request.params.id, p.clock.now());
      if (!row) throw conflict('not_dead', `Only dead-lettered messages can be retried; this one is ${existing.status}`);
      await appendEvent(tx, {
        workspaceId: principal.workspaceId,
        type: 'outbox.requeued',
        subjectType: 'outbox',
        subjectId: row.id,
        payload: { kind: row.kind },
        actorId: principal.actorId,
      });
      return row;
    });
    p.outbox.kick();
    return presentOutboxItem(item);
  });
}
