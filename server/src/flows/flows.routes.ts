import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { channels } from '../channels/channels.schema.ts';
import { principalOf } from '../platform/auth/guard.ts';
import { badRequest, notFound } from '../platform/errors.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { errorBody, errorResponses, idParam } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { effectPerformer, type EffectContext } from './effects.ts';
import { parseFlow } from './flow.ts';
import * as store from './flows.store.ts';
import { renderText, renderTwiml } from './render.ts';
import { customerInputSchema, resumeRun, runStateSchema, settle, startRun } from './run.ts';
import { starterFlow } from './starter.ts';
import { validateFlow } from './validate.ts';

const tags = ['flows'];
const definition = z.record(z.string(), z.unknown());
const issue = z.object({ nodeId: z.string().nullable(), field: z.string(), message: z.string(), severity: z.enum(['error', 'warning']), position: z.number().optional(), length: z.number().optional() });
const flowSummary = z.object({ id: z.string(), name: z.string(), publishedVersion: z.number().nullable(), channelIds: z.array(z.string()), valid: z.boolean(), updatedAt: z.string() });
const flowDetail = flowSummary.extend({
  draft: definition,
  issues: z.array(issue),
  versions: z.array(z.object({ version: z.number(), publishedAt: z.string(), publishedBy: z.string() })),
});

/** The draft as stored: the flow's own id and the version it would get when published. */
function normalizeDraft(draft: Record<string, unknown>, flowId: string, name: string, nextVersion: number): Record<string, unknown> {
  return { ...draft, id: flowId, name, version: nextVersion };
}

export function flowRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const summary = (row: store.FlowRow, bindings: Array<{ channelId: string; flowId: string }>) => ({
    id: row.id,
    name: row.name,
    publishedVersion: row.publishedVersion,
    channelIds: bindings.filter((b) => b.flowId === row.id).map((b) => b.channelId),
    valid: validateFlow(row.draft).ok,
    updatedAt: row.updatedAt.toISOString(),
  });

  async function detail(workspaceId: string, id: string) {
    const row = await store.getFlow(p.db, workspaceId, id);
    if (!row) throw notFound('Flow');
    const versions = await store.listVersions(p.db, workspaceId, id);
    return {
      ...summary(row, await store.bindingsOf(p.db, workspaceId)),
      draft: row.draft,
      issues: validateFlow(row.draft).issues,
      versions: versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt.toISOString(), publishedBy: v.publishedBy })),
    };
  }

  r.get('/api/flows', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Self-service flows (IVR and bots) with their live version and channels', response: { 200: z.object({ items: z.array(flowSummary) }), ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const bindings = await store.bindingsOf(p.db, workspaceId);
    return { items: (await store.listFlows(p.db, workspaceId)).map((f) => summary(f, bindings)) };
  });

  r.post('/api/flows', {
    config: { access: 'admin' },
    schema: { tags, summary: 'A new flow; without a definition it starts from a bilingual example', body: z.object({ name: z.string().trim().min(1).max(200), definition: definition.optional() }), response: { 201: flowDetail, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await inTransaction(p, async (tx) => {
      const created = await store.insertFlow(tx, principal.workspaceId, request.body.name, {}, p.clock.now());
      const draft = normalizeDraft(request.body.definition ?? starterFlow(), created.id, request.body.name, 1);
      await store.updateFlow(tx, principal.workspaceId, created.id, { draft }, p.clock.now());
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'flow.created', subjectType: 'flow', subjectId: created.id, payload: {}, actorId: principal.actorId });
      return created;
    });
    return reply.status(201).send(await detail(principal.workspaceId, row.id));
  });

  r.post('/api/flows/validate', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Check a definition without saving it (the editor calls this as you edit)', body: z.object({ definition }), response: { 200: z.object({ ok: z.boolean(), issues: z.array(issue) }), ...errorResponses } },
  }, async (request) => {
    const { ok, issues } = validateFlow(request.body.definition);
    return { ok, issues };
  });

  r.get('/api/flows/:id', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'A flow: its draft with validation issues, published versions, channels', params: idParam, response: { 200: flowDetail, ...errorResponses } },
  }, async (request) => detail(principalOf(request).workspaceId, request.params.id));

  r.put('/api/flows/:id', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Save the draft (saved even with errors; publishing refuses those)',
      params: idParam,
      body: z.object({ name: z.string().trim().min(1).max(200).optional(), definition }),
      response: { 200: flowDetail, ...errorResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    if (JSON.stringify(request.body.definition).length > 1_000_000) throw badRequest('flow_too_large', 'A flow definition is at most 1 MB');
    await inTransaction(p, async (tx) => {
      const row = await store.lockFlow(tx, principal.workspaceId, request.params.id);
      if (!row) throw notFound('Flow');
      const name = request.body.name ?? row.name;
      const next = (await store.latestVersionNumber(tx, row.id)) + 1;
      await store.updateFlow(tx, principal.workspaceId, row.id, { name, draft: normalizeDraft(request.body.definition, row.id, name, next) }, p.clock.now());
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'flow.saved', subjectType: 'flow', subjectId: row.id, payload: {}, actorId: principal.actorId });
    });
    return detail(principal.workspaceId, request.params.id);
  });

  r.post('/api/flows/:id/publish', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Make the draft the live version; refused (400 flow_invalid, issues in details) while it has errors', params: idParam, response: { 200: flowDetail, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    await inTransaction(p, async (tx) => {
      const row = await store.lockFlow(tx, principal.workspaceId, request.params.id);
      if (!row) throw notFound('Flow');
      const version = (await store.latestVersionNumber(tx, row.id)) + 1;
      const draft = normalizeDraft(row.draft, row.id, row.name, version);
      const validation = validateFlow(draft);
      if (!validation.ok) throw badRequest('flow_invalid', 'The flow has errors; fix them before publishing', validation.issues.filter((i) => i.severity === 'error'));
      const now = p.clock.now();
      await store.insertVersion(tx, { flowId: row.id, workspaceId: principal.workspaceId, version, definition: draft, publishedAt: now, publishedBy: principal.actorId });
      await store.updateFlow(tx, principal.workspaceId, row.id, { publishedVersion: version, draft: normalizeDraft(row.draft, row.id, row.name, version + 1) }, now);
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'flow.published', subjectType: 'flow', subjectId: row.id, payload: { version }, actorId: principal.actorId });
    });
    return detail(principal.workspaceId, request.params.id);
  });

  r.post('/api/flows/:id/unpublish', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Take the flow offline: new conversations go straight to routing; running ones finish', params: idParam, response: { 200: flowDetail, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    await inTransaction(p, async (tx) => {
      const row = await store.lockFlow(tx, principal.workspaceId, request.params.id);
      if (!row) throw notFound('Flow');
      await store.updateFlow(tx, principal.workspaceId, row.id, { publishedVersion: null }, p.clock.now());
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'flow.unpublished', subjectType: 'flow', subjectId: row.id, payload: {}, actorId: principal.actorId });
    });
    return detail(principal.workspaceId, request.params.id);
  });

  r.put('/api/flows/:id/channels', {
    config: { access: 'admin' },
    schema: { tags, summary: 'The channels this flow greets new conversations on (a channel has at most one flow)', params: idParam, body: z.object({ channelIds: z.array(z.uuid()).max(100) }), response: { 200: flowDetail, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const ids = [...new Set(request.body.channelIds)];
    await inTransaction(p, async (tx) => {
      const row = await store.lockFlow(tx, principal.workspaceId, request.params.id);
      if (!row) throw notFound('Flow');
      const known = ids.length === 0 ? [] : await tx.select({ id: channels.id }).from(channels).where(and(eq(channels.workspaceId, principal.workspaceId), inArray(channels.id, ids)));
      if (known.length !== ids.length) throw badRequest('unknown_channel', 'channelIds: a channel is not in this workspace');
      await store.setBindings(tx, principal.workspaceId, row.id, ids);
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'flow.channels_set', subjectType: 'flow', subjectId: row.id, payload: { channelIds: ids }, actorId: principal.actorId });
    });
    return detail(principal.workspaceId, request.params.id);
  });

  const storedRun = z.object({ run: runStateSchema, await: z.unknown() });
  r.post('/api/flows/:id/simulate', {
    config: { access: 'supervisor' },
    schema: {
      tags,
      summary: "Try the draft as a customer would: start (no state) or answer (state + input); lookups and knowledge answers are real, callbacks only recorded",
      params: idParam,
      body: z.object({
        channel: z.string().min(1).max(40).default('webchat'),
        language: z.enum(['nl', 'en']).optional(),
        variables: z.record(z.string(), z.unknown()).optional(),
        state: storedRun.optional(),
        input: customerInputSchema.optional(),
      }),
      response: {
        200: z.object({ messages: z.array(z.object({ text: z.string(), buttons: z.array(z.object({ label: z.string(), value: z.string() })).optional(), articleId: z.string().optional() })), twiml: z.string().nullable(), await: z.unknown(), state: z.unknown(), callbacks: z.array(z.unknown()) }),
        409: errorBody,
        ...errorResponses,
      },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const row = await store.getFlow(p.db, workspaceId, request.params.id);
    if (!row) throw notFound('Flow');
    const validation = validateFlow(row.draft);
    if (!validation.flow || !validation.ok) throw badRequest('flow_invalid', 'The draft has errors; the simulator runs valid flows only', validation.issues.filter((i) => i.severity === 'error'));
    const flow = parseFlow(row.draft);
    const context: EffectContext = { workspaceId, callbacks: [] };
    const perform = effectPerformer(p, flow, context);
    const body = request.body;
    let step;
    try {
      if (!body.state) {
        step = await settle(flow, startRun(flow, { channel: body.channel, language: body.language, variables: body.variables as never }), perform);
      } else {
        if (!body.input) throw badRequest('validation', 'input: required with state');
        step = await settle(flow, resumeRun(flow, body.state.run as never, { input: body.input }), perform);
      }
    } catch (error) {
      if ((error as { name?: string }).name === 'FlowRunError') throw badRequest((error as { code?: string }).code ?? 'flow_error', (error as Error).message);
      throw error;
    }
    const voice = body.channel === 'voice';
    return {
      messages: voice ? [] : renderText(step, { channel: body.channel }),
      twiml: voice ? renderTwiml(step, { actionUrl: `/api/flows/${row.id}/simulate`, language: step.state.language }) : null,
      await: step.await,
      state: { run: step.state, await: step.await },
      callbacks: context.callbacks ?? [],
    };
  });

  r.get('/api/flows/stats', {
    config: { access: 'supervisor' },
    schema: {
      tags,
      summary: 'Containment per flow and channel: runs contained in self-service or handed off, with the reasons',
      querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      response: {
        200: z.object({
          items: z.array(z.object({ flowId: z.string(), channelType: z.string(), runs: z.number(), running: z.number(), contained: z.number(), handedOff: z.number(), containment: z.number().nullable(), reasons: z.record(z.string(), z.number()) })),
        }),
        ...errorResponses,
      },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const since = new Date(p.clock.now().getTime() - request.query.days * 86_400_000);
    const rows = await store.runStats(p.db, workspaceId, since);
    const groups = new Map<string, { flowId: string; channelType: string; runs: number; running: number; contained: number; handedOff: number; reasons: Record<string, number> }>();
    for (const row of rows) {
      const key = `${row.flowId}\u0000${row.channelType}`;
      const g = groups.get(key) ?? { flowId: row.flowId, channelType: row.channelType, runs: 0, running: 0, contained: 0, handedOff: 0, reasons: {} };
      const n = Number(row.runs);
      g.runs += n;
      if (row.status === 'running') g.running += n;
      if (row.status === 'contained') g.contained += n;
      if (row.status === 'handed_off' || row.status === 'failed') g.handedOff += n;
      if (row.reason) g.reasons[row.reason] = (g.reasons[row.reason] ?? 0) + n;
      groups.set(key, g);
    }
    // Containment over finished runs only: a run still talking has no outcome yet.
    return { items: [...groups.values()].map((g) => ({ ...g, containment: g.contained + g.handedOff > 0 ? g.contained / (g.contained + g.handedOff) : null })) };
  });
}
