// Automation rules' API: CRUD and order (admins), a dry run against a sample event before saving,
// and the run log (supervisors), per conversation or for the workspace.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getConversation } from '../conversations/conversations.store.ts';
import type { Principal } from '../platform/auth/auth.ts';
import { principalOf } from '../platform/auth/guard.ts';
import { getUser } from '../platform/auth/auth.store.ts';
import type { Tx } from '../platform/db/client.ts';
import { badRequest, notFound } from '../platform/errors.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { errorBody, errorResponses, idParam } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { getQueue } from '../routing/routing.store.ts';
import { getFlow } from '../flows/flows.store.ts';
import { RULES_READER, subjectFor } from './automation.service.ts';
import { startEventCursor } from '../platform/events/follower.ts';
import * as store from './automation.store.ts';
import { blankSubject, evaluateRules, ruleBodySchema, type Action, type RuleBody, type RuleSubject } from './rules.ts';
import { analyzeText } from './text.ts';

const tags = ['automation'];

const ruleOut = z.object({
  id: z.string(),
  position: z.number(),
  name: z.string(),
  enabled: z.boolean(),
  trigger: z.string(),
  conditions: z.object({ all: z.array(z.record(z.string(), z.unknown())), any: z.array(z.record(z.string(), z.unknown())) }),
  actions: z.array(z.record(z.string(), z.unknown())),
  stop: z.boolean(),
  schedule: z.object({ everyMinutes: z.number() }).nullable(),
  updatedAt: z.string(),
});
const presentRule = (row: store.RuleRow) => ({ ...store.toRule(row), updatedAt: row.updatedAt.toISOString() });

const traceOut = z.object({
  ruleId: z.string(),
  name: z.string(),
  matched: z.boolean(),
  skipped: z.string().optional(),
  conditions: z.array(z.object({ group: z.string(), index: z.number(), passed: z.boolean(), actual: z.unknown() })),
  actions: z.array(z.record(z.string(), z.unknown())),
});
const runOut = z.object({
  id: z.number(),
  trigger: z.string(),
  conversationId: z.string().nullable(),
  messageId: z.string().nullable(),
  chain: z.array(z.string()),
  traces: z.array(traceOut),
  results: z.array(z.object({ ruleId: z.string(), action: z.record(z.string(), z.unknown()), outcome: z.string(), detail: z.string().optional() })),
  matched: z.number(),
  at: z.string(),
});
const presentRun = (row: store.RunRow) => ({ ...row, at: row.at.toISOString() });

/** A sample event to try a rule on: a real conversation of the workspace, and/or the fields to set. */
const sampleBody = z.object({
  conversationId: z.uuid().optional(),
  channel: z.string().max(40).optional(),
  text: z.string().max(10_000).optional(),
  language: z.string().max(10).nullable().optional(),
  sentiment: z.enum(['negative', 'neutral', 'positive']).nullable().optional(),
  tier: z.string().max(40).nullable().optional(),
  previousTier: z.string().max(40).nullable().optional(),
  idleMinutes: z.number().int().min(0).nullable().optional(),
  businessHours: z.boolean().optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
  status: z.enum(['open', 'pending', 'snoozed', 'resolved']).optional(),
  tags: z.array(z.string().max(50)).max(50).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  csat: z.number().int().min(1).max(5).nullable().optional(),
  public: z.boolean().optional(),
});

/** Refuses a rule whose actions name a queue or an agent the workspace does not have. */
async function checkReferences(tx: Tx, workspaceId: string, actions: Action[]): Promise<void> {
  for (const [i, action] of actions.entries()) {
    if (action.type === 'route_to_queue' && !(await getQueue(tx, workspaceId, action.queueId))) throw badRequest('unknown_queue', `actions.${i}: there is no queue ${action.queueId}`);
    if (action.type === 'trigger_flow') {
      const flow = await getFlow(tx, workspaceId, action.flowId);
      if (!flow?.publishedVersion) throw badRequest('unknown_flow', `actions.${i}: there is no published flow ${action.flowId}`);
    }
    if (action.type === 'assign') {
      const user = await getUser(tx, workspaceId, action.agentId);
      if (!user || user.disabledAt) throw badRequest('unknown_assignee', `actions.${i}: ${action.agentId} is not an active user of this workspace`);
    }
  }
}

async function ruleChanged(tx: Tx, principal: Principal, type: string, row: { id: string; name: string }): Promise<void> {
  await appendEvent(tx, { workspaceId: principal.workspaceId, type, subjectType: 'automation_rule', subjectId: row.id, payload: { name: row.name }, actorId: principal.actorId });
}

export function automationRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const write = { 409: errorBody, ...errorResponses };

  r.get('/api/automation/rules', {
    config: { access: 'supervisor' },
    schema: { tags, response: { 200: z.object({ items: z.array(ruleOut) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listRules(p.db, principalOf(request).workspaceId)).map(presentRule) }));

  r.get('/api/automation/rules/:id', {
    config: { access: 'supervisor' },
    schema: { tags, params: idParam, response: { 200: ruleOut, ...errorResponses } },
  }, async (request) => {
    const row = await store.getRule(p.db, principalOf(request).workspaceId, request.params.id);
    if (!row) throw notFound('Rule');
    return presentRule(row);
  });

  r.post('/api/automation/rules', {
    config: { access: 'admin' },
    schema: { tags, body: ruleBodySchema, response: { 201: ruleOut, ...write } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await inTransaction(p, async (tx) => {
      await checkReferences(tx, principal.workspaceId, request.body.actions);
      const created = await store.insertRule(tx, principal.workspaceId, request.body, principal.actorId, p.clock.now());
      // Rules on later events read the event log from here on (the first rule starts the reader).
      await startEventCursor(tx, RULES_READER, p.clock.now());
      await ruleChanged(tx, principal, 'automation.rule_created', created);
      return created;
    });
    return reply.status(201).send(presentRule(row));
  });

  r.put('/api/automation/rules/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, body: ruleBodySchema, response: { 200: ruleOut, ...write } },
  }, async (request) => {
    const principal = principalOf(request);
    return presentRule(
      await inTransaction(p, async (tx) => {
        await checkReferences(tx, principal.workspaceId, request.body.actions);
        const row = await store.updateRule(tx, principal.workspaceId, request.params.id, request.body, p.clock.now());
        if (!row) throw notFound('Rule');
        await ruleChanged(tx, principal, 'automation.rule_updated', row);
        return row;
      }),
    );
  });

  r.delete('/api/automation/rules/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await inTransaction(p, async (tx) => {
      const row = await store.getRule(tx, principal.workspaceId, request.params.id);
      if (!row || !(await store.deleteRule(tx, principal.workspaceId, row.id))) throw notFound('Rule');
      await ruleChanged(tx, principal, 'automation.rule_deleted', row);
    });
    return reply.status(204).send(null);
  });

  r.post('/api/automation/rules/order', {
    config: { access: 'admin' },
    schema: { tags, body: z.object({ ids: z.array(z.uuid()).max(1000) }), response: { 200: z.object({ items: z.array(ruleOut) }), ...write } },
  }, async (request) => {
    const principal = principalOf(request);
    const items = await inTransaction(p, async (tx) => {
      const rules = await store.listRules(tx, principal.workspaceId);
      const given = new Set(request.body.ids);
      if (given.size !== request.body.ids.length || given.size !== rules.length || rules.some((rule) => !given.has(rule.id))) {
        throw badRequest('incomplete_order', 'Give every rule of the workspace exactly once, in the new order');
      }
      await store.reorderRules(tx, principal.workspaceId, request.body.ids, p.clock.now());
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'automation.rules_reordered', subjectType: 'workspace', subjectId: principal.workspaceId, payload: { ids: request.body.ids }, actorId: principal.actorId });
      return store.listRules(tx, principal.workspaceId);
    });
    return { items: items.map(presentRule) };
  });

  // A dry run: the rule (saved or not) against a sample event, nothing carried out.
  r.post('/api/automation/rules/test', {
    config: { access: 'supervisor' },
    schema: {
      tags,
      body: z.object({ rule: ruleBodySchema, sample: sampleBody.prefault({}) }),
      response: { 200: z.object({ matched: z.boolean(), trace: traceOut, subject: z.record(z.string(), z.unknown()) }), ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const { rule, sample } = request.body;
    const subject = await inTransaction(p, async (tx) => {
      let base: RuleSubject = { ...blankSubject(rule.trigger), channel: 'webchat' };
      if (sample.conversationId) {
        const conversation = await getConversation(tx, workspaceId, sample.conversationId);
        if (!conversation) throw notFound('Conversation');
        base = await subjectFor(tx, rule.trigger, conversation, undefined, p.clock.now());
      }
      // A sample text is analysed as an inbound message would be, unless the sample says otherwise.
      const analysis = sample.text !== undefined ? analyzeText(sample.text) : null;
      const { conversationId: _id, ...fields } = sample;
      return {
        ...base,
        ...(analysis ? { language: analysis.language, sentiment: analysis.sentiment?.label ?? null, sentimentScore: analysis.sentiment?.score ?? null } : {}),
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
        trigger: rule.trigger,
      } as RuleSubject;
    });
    const body: RuleBody = { ...rule, enabled: true };
    const [trace] = evaluateRules([{ ...body, id: 'test', position: 0 }], subject).traces;
    return { matched: trace!.matched, trace: trace!, subject: subject as unknown as Record<string, unknown> };
  });

  r.get('/api/automation/runs', {
    config: { access: 'supervisor' },
    schema: {
      tags,
      querystring: z.object({ conversationId: z.uuid().optional(), matched: z.enum(['true', 'false']).optional(), before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ items: z.array(runOut) }), ...errorResponses },
    },
  }, async (request) => {
    const { conversationId, matched, before, limit } = request.query;
    const rows = await store.listRuns(p.db, principalOf(request).workspaceId, { conversationId, matchedOnly: matched === 'true', before, limit });
    return { items: rows.map(presentRun) };
  });

  r.get('/api/conversations/:id/automation', {
    config: { access: 'agent' },
    schema: { tags, params: idParam, response: { 200: z.object({ items: z.array(runOut) }), ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    if (!(await getConversation(p.db, workspaceId, request.params.id))) throw notFound('Conversation');
    const rows = await store.listRuns(p.db, workspaceId, { conversationId: request.params.id, matchedOnly: true, limit: 100 });
    return { items: rows.map(presentRun) };
  });

}
