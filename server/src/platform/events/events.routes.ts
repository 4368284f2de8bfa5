import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../platform.ts';
import { principalOf } from '../auth/guard.ts';
import { notFound } from '../errors.ts';
import { decodeCursor, errorResponses, pageLimit, keysetPage } from '../http/schemas.ts';
import { getEvent, listEvents, type StoredEvent } from './events.ts';

export const eventBody = z.object({
  id: z.string(),
  type: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  payload: z.record(z.string(), z.unknown()),
  actorId: z.string().nullable(),
  createdAt: z.string(),
});

export const presentEvent = (e: StoredEvent) => ({
  id: String(e.id),
  type: e.type,
  subjectType: e.subjectType,
  subjectId: e.subjectId,
  payload: e.payload,
  actorId: e.actorId,
  createdAt: e.createdAt.toISOString(),
});

export function eventRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/events', {
    config: { access: 'supervisor' },
    schema: {
      tags: ['events'],
      summary: 'The workspace event log, newest first',
      querystring: z.object({ cursor: z.string().optional(), limit: pageLimit, type: z.string().optional(), subjectType: z.string().optional(), subjectId: z.string().optional() }),
      response: { 200: z.object({ items: z.array(eventBody), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const { cursor, limit, ...filters } = request.query;
    const before = decodeCursor(cursor, z.number().int());
    const rows = await listEvents(p.db, principalOf(request).workspaceId, { ...filters, before, limit: limit + 1 });
    return keysetPage(rows, limit, presentEvent, (last) => last.id);
  });

  r.get('/api/events/:id', {
    config: { access: 'supervisor' },
    schema: { tags: ['events'], params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: eventBody, ...errorResponses } },
  }, async (request) => {
    const event = await getEvent(p.db, principalOf(request).workspaceId, request.params.id);
    if (!event) throw notFound('Event');
    return presentEvent(event);
  });
}
