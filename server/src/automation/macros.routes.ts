// Macros: one-click bundles of actions for agents. Listing and running are for everyone; shared
// macros are kept by supervisors, personal ones by their owner. Running one carries out its
// actions in one transaction as the agent (replies are the agent's own, with placeholders filled).
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, or } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as conversationStore from '../conversations/conversations.store.ts';
import { getConversationView } from '../conversations/conversations.service.ts';
import { presentConversation } from '../conversations/present.ts';
import type { Principal } from '../platform/auth/auth.ts';
import { hasRole } from '../platform/auth/auth.ts';
import { principalOf } from '../platform/auth/guard.ts';
import type { DbOrTx } from '../platform/db/client.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { errorBody, errorResponses, idParam } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { macros, type ActionResult } from './automation.schema.ts';
import { carryOut } from './automation.service.ts';
import { actionSchema } from './rules.ts';

const tags = ['automation'];

export const macroBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  actions: z.array(actionSchema).min(1).max(20),
  /** Personal macros are the caller's own; shared ones need a supervisor. */
  personal: z.boolean().default(false),
});

type MacroRow = typeof macros.$inferSelect;
const macroOut = z.object({ id: z.string(), name: z.string(), actions: z.array(z.record(z.string(), z.unknown())), personal: z.boolean(), updatedAt: z.string() });
const present = (row: MacroRow) => ({ id: row.id, name: row.name, actions: row.actions, personal: row.ownerId !== null, updatedAt: row.updatedAt.toISOString() });

/** A macro the caller can see: shared, or their own. */
async function visibleMacro(db: DbOrTx, principal: Principal, id: string): Promise<MacroRow> {
  const [row] = await db
    .select()
    .from(macros)
    .where(and(eq(macros.workspaceId, principal.workspaceId), eq(macros.id, id), or(isNull(macros.ownerId), eq(macros.ownerId, principal.id))));
  if (!row) throw notFound('Macro');
  return row;
}

function mayChange(principal: Principal, row: Pick<MacroRow, 'ownerId'>): void {
  if (row.ownerId === null ? !hasRole(principal, 'supervisor') : row.ownerId !== principal.id) throw forbidden('Only supervisors change shared macros; personal ones only their owner');
}

export function macrosRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const write = { 409: errorBody, ...errorResponses };

  r.get('/api/macros', {
    config: { access: 'agent' },
    schema: { tags, response: { 200: z.object({ items: z.array(macroOut) }), ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const rows = await p.db
      .select()
      .from(macros)
      .where(and(eq(macros.workspaceId, principal.workspaceId), or(isNull(macros.ownerId), eq(macros.ownerId, principal.id))))
      .orderBy(asc(macros.name));
    return { items: rows.map(present) };
  });

  r.post('/api/macros', {
    config: { access: 'agent' },
    schema: { tags, body: macroBodySchema, response: { 201: macroOut, ...write } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const ownerId = request.body.personal ? principal.id : null;
    mayChange(principal, { ownerId });
    const now = p.clock.now();
    const row = await inTransaction(p, async (tx) => {
      const [created] = await tx.insert(macros).values({ id: randomUUID(), workspaceId: principal.workspaceId, name: request.body.name, actions: request.body.actions, ownerId, createdAt: now, updatedAt: now }).returning();
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'macro.created', subjectType: 'macro', subjectId: created!.id, payload: { name: created!.name, personal: ownerId !== null }, actorId: principal.actorId });
      return created!;
    });
    return reply.status(201).send(present(row));
  });

  r.put('/api/macros/:id', {
    config: { access: 'agent' },
    schema: { tags, params: idParam, body: macroBodySchema.omit({ personal: true }), response: { 200: macroOut, ...write } },
  }, async (request) => {
    const principal = principalOf(request);
    return present(
      await inTransaction(p, async (tx) => {
        const row = await visibleMacro(tx, principal, request.params.id);
        mayChange(principal, row);
        const [updated] = await tx.update(macros).set({ name: request.body.name, actions: request.body.actions, updatedAt: p.clock.now() }).where(eq(macros.id, row.id)).returning();
        await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'macro.updated', subjectType: 'macro', subjectId: row.id, payload: { name: updated!.name }, actorId: principal.actorId });
        return updated!;
      }),
    );
  });

  r.delete('/api/macros/:id', {
    config: { access: 'agent' },
    schema: { tags, params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await inTransaction(p, async (tx) => {
      const row = await visibleMacro(tx, principal, request.params.id);
      mayChange(principal, row);
      await tx.delete(macros).where(eq(macros.id, row.id));
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'macro.deleted', subjectType: 'macro', subjectId: row.id, payload: { name: row.name }, actorId: principal.actorId });
    });
    return reply.status(204).send(null);
  });

  r.post('/api/conversations/:id/macros/:macroId', {
    config: { access: 'agent' },
    schema: {
      tags,
      params: z.object({ id: z.uuid(), macroId: z.uuid() }),
      response: {
        200: z.object({ results: z.array(z.object({ action: z.record(z.string(), z.unknown()), outcome: z.string(), detail: z.string().optional() })), conversation: z.record(z.string(), z.unknown()) }),
        ...write,
      },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const results = await inTransaction(p, async (tx) => {
      const macro = await visibleMacro(tx, principal, request.params.macroId);
      let conversation = await conversationStore.lockConversation(tx, principal.workspaceId, request.params.id);
      if (!conversation) throw notFound('Conversation');
      const now = p.clock.now();
      const done: Array<Omit<ActionResult, 'ruleId'>> = [];
      // All or nothing: an action the conversation refuses (an unknown queue, a reply the channel
      // will not take) undoes the macro, and the agent sees why.
      for (const action of macro.actions) {
        const result = await carryOut(p, tx, conversation, action, { actorId: principal.actorId, marker: { macro: { id: macro.id, name: macro.name } }, replyAs: principal }, now);
        conversation = result.conversation;
        done.push({ action, outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}) });
      }
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'macro.run', subjectType: 'conversation', subjectId: conversation.id, payload: { macroId: macro.id, name: macro.name, outcomes: done.map((d) => d.outcome) }, actorId: principal.actorId });
      return done;
    });
    p.outbox.kick();
    return { results, conversation: presentConversation(await getConversationView(p.db, principal.workspaceId, request.params.id)) as unknown as Record<string, unknown> };
  });
}
