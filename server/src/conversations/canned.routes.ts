import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { getUser } from '../platform/auth/auth.store.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { errorBody, errorResponses, idParam } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { isUniqueViolation } from '../platform/db/errors.ts';
import { rankCanned, renderCanned } from './canned.ts';
import * as canned from './canned.store.ts';
import { getConversationView } from './conversations.service.ts';

const cannedBody = z.object({ id: z.string(), shortcode: z.string(), title: z.string(), body: z.string() });
const present = (c: canned.CannedRow) => ({ id: c.id, shortcode: c.shortcode, title: c.title, body: c.body });
const shortcode = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'letters, digits, - and _; at most 40');

export function cannedRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/canned-responses', {
    config: { access: 'agent' },
    schema: { tags: ['canned responses'], querystring: z.object({ q: z.string().optional() }), response: { 200: z.object({ items: z.array(cannedBody) }), ...errorResponses } },
  }, async (request) => ({ items: rankCanned(await canned.listCanned(p.db, principalOf(request).workspaceId), request.query.q ?? '').map(present) }));

  r.get('/api/conversations/:id/canned-responses', {
    config: { access: 'agent' },
    schema: {
      tags: ['canned responses'],
      summary: 'Canned responses with placeholders filled in for this conversation and agent',
      params: idParam,
      querystring: z.object({ q: z.string().optional() }),
      response: { 200: z.object({ items: z.array(cannedBody.extend({ rendered: z.string() })) }), ...errorResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const conversation = await getConversationView(p.db, principal.workspaceId, request.params.id);
    const agent = principal.kind === 'user' ? await getUser(p.db, principal.workspaceId, principal.id) : undefined;
    const values = {
      customer: { name: conversation.customer.name, email: conversation.customer.email },
      agent: { name: agent?.name ?? '' },
      conversation: { id: conversation.conversation.id },
    };
    const items = rankCanned(await canned.listCanned(p.db, principal.workspaceId), request.query.q ?? '');
    return { items: items.map((c) => ({ ...present(c), rendered: renderCanned(c.body, values) })) };
  });

  const write = z.object({ shortcode, title: z.string().trim().min(1).max(200), body: z.string().min(1).max(10_000) });
  const withUniqueShortcode = async <T>(work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('shortcode_taken', 'Another canned response has this shortcode');
      throw error;
    }
  };

  r.post('/api/canned-responses', {
    config: { access: 'supervisor' },
    schema: { tags: ['canned responses'], body: write, response: { 201: cannedBody, 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await withUniqueShortcode(() =>
      inTransaction(p, async (tx) => {
        const created = await canned.insertCanned(tx, principal.workspaceId, request.body, p.clock.now());
        await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'canned_response.created', subjectType: 'canned_response', subjectId: created.id, actorId: principal.actorId });
        return created;
      }),
    );
    return reply.status(201).send(present(row));
  });

  r.patch('/api/canned-responses/:id', {
    config: { access: 'supervisor' },
    schema: { tags: ['canned responses'], params: idParam, body: write.partial(), response: { 200: cannedBody, 409: errorBody, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await withUniqueShortcode(() =>
      inTransaction(p, async (tx) => {
        const updated = await canned.updateCanned(tx, principal.workspaceId, request.params.id, request.body, p.clock.now());
        if (!updated) throw notFound('Canned response');
        await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'canned_response.updated', subjectType: 'canned_response', subjectId: updated.id, actorId: principal.actorId });
        return updated;
      }),
    );
    return present(row);
  });

  r.delete('/api/canned-responses/:id', {
    config: { access: 'supervisor' },
    schema: { tags: ['canned responses'], params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await inTransaction(p, async (tx) => {
      if (!(await canned.deleteCanned(tx, principal.workspaceId, request.params.id))) throw notFound('Canned response');
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'canned_response.deleted', subjectType: 'canned_response', subjectId: request.params.id, actorId: principal.actorId });
    });
    return reply.status(204).send(null);
  });
}
