import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { isUniqueViolation } from '../platform/db/errors.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { errorBody, errorResponses, idParam } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { OUTCOME_KINDS, outcomeKinds, outcomeSettingsSchema, surveyKinds, wrapUpModes } from './outcomes.ts';
import * as store from './outcomes.store.ts';
import { presentSurvey } from './surveys.service.ts';
import { getWrapUpState, recordWrapUp } from './wrapup.service.ts';

const tags = ['outcomes'];

const disposition = z.object({
  id: z.string(),
  code: z.string(),
  labelNl: z.string(),
  labelEn: z.string(),
  outcome: z.string().nullable(),
  active: z.boolean(),
  position: z.number(),
});
const presentDisposition = (d: store.DispositionRow): z.infer<typeof disposition> => ({
  id: d.id,
  code: d.code,
  labelNl: d.labelNl,
  labelEn: d.labelEn,
  outcome: d.outcome,
  active: d.active,
  position: d.position,
});
const dispositionFields = {
  code: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'letters, digits, - and _; at most 40'),
  labelNl: z.string().trim().min(1).max(100),
  labelEn: z.string().trim().min(1).max(100),
  /** The outcome kind the code implies; null: none. */
  outcome: z.enum(outcomeKinds).nullable(),
  active: z.boolean(),
  position: z.number().int().min(0).max(10_000),
};
const dispositionCreate = z.object({
  ...dispositionFields,
  outcome: dispositionFields.outcome.default(null),
  active: dispositionFields.active.default(true),
  position: dispositionFields.position.default(0),
});
// No defaults: what a patch leaves out stays as it is.
const dispositionPatch = z.object(dispositionFields).partial();

const wrapUp = z.object({
  id: z.string(),
  conversationId: z.string(),
  taskId: z.string().nullable(),
  agentId: z.string().nullable(),
  disposition: z.string(),
  outcome: z.string().nullable(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  note: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
const wrapUpState = z.object({
  mode: z.enum(wrapUpModes),
  maxSeconds: z.number(),
  awaiting: z.boolean(),
  wrapUp: wrapUp.nullable(),
  surveys: z.array(
    z.object({ id: z.string(), kind: z.enum(surveyKinds), status: z.string(), score: z.number().nullable(), agentId: z.string().nullable(), sentAt: z.string(), expiresAt: z.string(), settledAt: z.string().nullable() }),
  ),
});

export function outcomeRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // ---------------------------------------------------------------- disposition codes

  r.get('/api/outcomes/dispositions', {
    config: { access: 'agent' },
    schema: {
      tags,
      summary: 'Disposition codes (active and inactive) and the outcome kinds',
      response: { 200: z.object({ items: z.array(disposition), kinds: z.array(z.object({ kind: z.string(), revenue: z.boolean() })) }), ...errorResponses },
    },
  }, async (request) => ({
    items: (await store.listDispositions(p.db, principalOf(request).workspaceId)).map(presentDisposition),
    kinds: Object.entries(OUTCOME_KINDS).map(([kind, k]) => ({ kind, revenue: k.revenue })),
  }));

  const withUniqueCode = async <T>(work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('code_taken', 'Another disposition has this code');
      throw error;
    }
  };

  r.post('/api/outcomes/dispositions', {
    config: { access: 'admin' },
    schema: { tags, body: dispositionCreate, response: { 201: disposition, 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await withUniqueCode(() =>
      inTransaction(p, async (tx) => {
        const created = await store.insertDisposition(tx, principal.workspaceId, request.body, p.clock.now());
        await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'disposition.created', subjectType: 'disposition', subjectId: created.id, payload: { code: created.code, outcome: created.outcome }, actorId: principal.actorId });
        return created;
      }),
    );
    return reply.status(201).send(presentDisposition(row));
  });

  r.patch('/api/outcomes/dispositions/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, body: dispositionPatch, response: { 200: disposition, 409: errorBody, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const patch = Object.fromEntries(Object.entries(request.body).filter(([, value]) => value !== undefined));
    const row = await withUniqueCode(() =>
      inTransaction(p, async (tx) => {
        const updated = await store.updateDisposition(tx, principal.workspaceId, request.params.id, patch, p.clock.now());
        if (!updated) throw notFound('Disposition');
        await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'disposition.updated', subjectType: 'disposition', subjectId: updated.id, payload: { code: updated.code, fields: Object.keys(patch) }, actorId: principal.actorId });
        return updated;
      }),
    );
    return presentDisposition(row);
  });

  r.delete('/api/outcomes/dispositions/:id', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Deletes a code; recorded wrap-ups keep its code (deactivate to keep its label)', params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await inTransaction(p, async (tx) => {
      const deleted = await store.deleteDisposition(tx, principal.workspaceId, request.params.id);
      if (!deleted) throw notFound('Disposition');
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'disposition.deleted', subjectType: 'disposition', subjectId: deleted.id, payload: { code: deleted.code }, actorId: principal.actorId });
    });
    return reply.status(204).send(null);
  });

  // ---------------------------------------------------------------- settings

  r.get('/api/outcomes/settings', {
    config: { access: 'agent' },
    schema: { tags, summary: 'Wrap-up mode and surveys per channel type', response: { 200: outcomeSettingsSchema, ...errorResponses } },
  }, async (request) => store.getSettings(p.db, principalOf(request).workspaceId));

  r.put('/api/outcomes/settings', {
    config: { access: 'admin' },
    schema: { tags, body: outcomeSettingsSchema, response: { 200: outcomeSettingsSchema, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    await inTransaction(p, async (tx) => {
      await store.saveSettings(tx, principal.workspaceId, request.body, p.clock.now());
      await appendEvent(tx, {
        workspaceId: principal.workspaceId,
        type: 'outcome_settings.updated',
        subjectType: 'workspace',
        subjectId: principal.workspaceId,
        payload: { wrapUpMode: request.body.wrapUp.mode, surveyChannels: Object.keys(request.body.surveys).filter((type) => request.body.surveys[type]!.enabled) },
        actorId: principal.actorId,
      });
    });
    return store.getSettings(p.db, principal.workspaceId);
  });

  // ---------------------------------------------------------------- wrap-up

  r.get('/api/conversations/:id/wrap-up', {
    config: { access: 'agent' },
    schema: { tags, summary: "The current contact's wrap-up (null until recorded), whether routing waits for it, and the surveys", params: idParam, response: { 200: wrapUpState, ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const state = await getWrapUpState(p, workspaceId, request.params.id);
    return { ...state, surveys: (await store.surveysOfConversation(p.db, workspaceId, request.params.id)).map(presentSurvey) };
  });

  r.post('/api/conversations/:id/wrap-up', {
    config: { access: 'agent' },
    schema: {
      tags,
      summary: 'Records the wrap-up of the current contact (replaces an earlier one) and ends after-contact work',
      params: idParam,
      body: z.object({
        disposition: z.string().trim().min(1).max(40),
        outcome: z.enum(outcomeKinds).nullable().optional(),
        /** In major units (49.95); at least 0, at most 2 decimals. */
        amount: z.union([z.number(), z.string().max(20)]).nullable().optional(),
        /** ISO 4217; default the workspace's currency. */
        currency: z.string().trim().max(3).nullable().optional(),
        note: z.string().max(2000).nullable().optional(),
      }),
      response: { 200: wrapUp, ...errorResponses },
    },
  }, async (request) => recordWrapUp(p, principalOf(request), request.params.id, request.body));
}
