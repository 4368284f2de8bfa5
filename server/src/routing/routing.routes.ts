import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import type { Principal } from '../platform/auth/auth.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { badRequest, conflict, notFound } from '../platform/errors.ts';
import { errorBody, errorResponses, idParam, iso } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { isUniqueViolation } from '../platform/db/errors.ts';
import type { Tx } from '../platform/db/client.ts';
import { getConversationView } from '../conversations/conversations.service.ts';
import { getConversation as getConversationRow } from '../conversations/conversations.store.ts';
import { callOfTask } from '../channels/video/video.store.ts';
import { createTaskFor } from './tasks.ts';
import * as store from './routing.store.ts';
import { routingOf } from './routing.service.ts';
import {
  checkExpressionAt,
  configProblem,
  expressionPlaces,
  queueBody,
  routingSettingsSchema,
  toQueueSpec,
  workflowBody,
  type RoutingSettings,
} from './settings.ts';

const capacitySchema = z.object({
  total: z.number().positive().max(100_000),
  cost: z.record(z.string(), z.number().min(0).max(100_000)),
  maxPerChannel: z.record(z.string(), z.number().int().min(0).max(1000)).optional(),
  exclusive: z.array(z.string()).optional(),
});
const agentProfile = z.object({
  skills: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/), z.number().int().min(1).max(5)),
  languages: z.array(z.string().min(2).max(20)).max(30),
  attributes: z.record(z.string(), z.unknown()),
  capacity: capacitySchema,
});
const presenceBody = z.object({ presence: z.string().min(1).max(40) });
const transferBody = z.union([z.object({ agentId: z.uuid() }), z.object({ queueId: z.uuid() })]);
const loose = z.any();

function presentQueue(row: store.QueueRow) {
  return { ...toQueueSpec(row), createdAt: row.createdAt.toISOString() };
}

function presentWorkflow(row: store.WorkflowRow) {
  return { id: row.id, name: row.name, filters: row.filters, defaultSteps: row.defaultSteps, createdAt: row.createdAt.toISOString() };
}

function presentTask(row: store.TaskRow) {
  return {
    id: row.id,
    conversationId: row.conversationId,
    channel: row.channel,
    state: row.state,
    priority: row.priority,
    queueId: row.queueId,
    stepIndex: row.stepIndex,
    agentId: row.agentId,
    offers: row.offers.map((o) => ({ agentId: o.agentId, expiresAt: new Date(o.expiresAt).toISOString() })),
    callback: row.callback,
    createdAt: row.createdAt.toISOString(),
    assignedAt: iso(row.assignedAt),
    endedAt: iso(row.endedAt),
    endReason: row.endReason,
  };
}

/**
 * Saving configuration is one transaction: write, re-read the whole configuration, check that the
 * engine would load it (every expression typed against the field catalogue), and tell the leader.
 * A configuration that would not load is never stored.
 */
async function saveConfiguration<T>(p: Platform, principal: Principal, work: (tx: Tx) => Promise<T>, eventType: string, subjectId: string): Promise<T> {
  try {
    return await inTransaction(p, async (tx) => {
      const result = await work(tx);
      const { config } = await store.loadConfig(tx, principal.workspaceId);
      const problem = configProblem(config);
      if (problem) throw badRequest('invalid_routing_config', problem, { issues: [problem] });
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: eventType, subjectType: 'routing_config', subjectId, actorId: principal.actorId });
      await routingOf(p).enqueue(tx, principal.workspaceId, { type: 'config' });
      return result;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('name_taken', 'Another one has this name');
    throw error;
  } finally {
    routingOf(p).wake(principal.workspaceId);
  }
}

export function routingRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const routing = routingOf(p);
  const tags = ['routing'];

  // ------------------------------------------------------------ settings

  r.get('/api/routing/settings', {
    config: { access: 'supervisor' },
    schema: { tags, response: { 200: routingSettingsSchema, ...errorResponses } },
  }, async (request) => store.getSettings(p.db, principalOf(request).workspaceId));

  r.put('/api/routing/settings', {
    config: { access: 'admin' },
    schema: { tags, body: routingSettingsSchema, response: { 200: routingSettingsSchema, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const settings: RoutingSettings = request.body;
    await saveConfiguration(p, principal, (tx) => store.saveSettings(tx, principal.workspaceId, settings, p.clock.now()), 'routing.settings_changed', principal.workspaceId);
    return store.getSettings(p.db, principal.workspaceId);
  });

  r.post('/api/routing/expressions/check', {
    config: { access: 'supervisor' },
    schema: {
      tags,
      summary: 'Checks an expression where it would be used; for editors that validate as you type',
      body: z.object({ source: z.string().max(10_000), place: z.enum(Object.keys(expressionPlaces) as [keyof typeof expressionPlaces]) }),
      response: { 200: z.object({ issues: z.array(z.object({ message: z.string(), position: z.number(), length: z.number() })) }), ...errorResponses },
    },
  }, async (request) => {
    const settings = await store.getSettings(p.db, principalOf(request).workspaceId);
    if (request.body.source.trim() === '') return { issues: [] };
    return { issues: checkExpressionAt(request.body.source, request.body.place, settings) };
  });

  // ------------------------------------------------------------ queues

  r.get('/api/routing/queues', {
    config: { access: 'agent' },
    schema: { tags, response: { 200: z.object({ items: z.array(loose) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listQueues(p.db, principalOf(request).workspaceId)).map(presentQueue) }));

  r.post('/api/routing/queues', {
    config: { access: 'admin' },
    schema: { tags, body: queueBody, response: { 201: loose, 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await saveConfiguration(p, principal, (tx) => store.insertQueue(tx, principal.workspaceId, request.body, p.clock.now()), 'routing.queue_created', principal.workspaceId);
    return reply.code(201).send(presentQueue(row));
  });

  r.put('/api/routing/queues/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, body: queueBody, response: { 200: loose, 409: errorBody, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await saveConfiguration(p, principal, async (tx) => {
      const updated = await store.updateQueue(tx, principal.workspaceId, request.params.id, request.body);
      if (!updated) throw notFound('Queue');
      return updated;
    }, 'routing.queue_changed', request.params.id);
    return presentQueue(row);
  });

  r.delete('/api/routing/queues/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, response: { 204: z.null(), 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await saveConfiguration(p, principal, async (tx) => {
      const workflows = await store.listWorkflows(tx, principal.workspaceId);
      const users = workflows.filter((w) => [...w.defaultSteps, ...w.filters.flatMap((f) => f.steps)].some((s) => s.queueId === request.params.id));
      if (users.length) throw conflict('queue_in_use', `Workflow ${users.map((w) => `'${w.name}'`).join(', ')} routes to this queue`);
      if (!(await store.deleteQueue(tx, principal.workspaceId, request.params.id))) throw notFound('Queue');
    }, 'routing.queue_deleted', request.params.id);
    return reply.code(204).send(null);
  });

  // ------------------------------------------------------------ workflows

  r.get('/api/routing/workflows', {
    config: { access: 'supervisor' },
    schema: { tags, response: { 200: z.object({ items: z.array(loose) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listWorkflows(p.db, principalOf(request).workspaceId)).map(presentWorkflow) }));

  r.post('/api/routing/workflows', {
    config: { access: 'admin' },
    schema: { tags, body: workflowBody, response: { 201: loose, 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await saveConfiguration(p, principal, (tx) => store.insertWorkflow(tx, principal.workspaceId, request.body, p.clock.now()), 'routing.workflow_created', principal.workspaceId);
    return reply.code(201).send(presentWorkflow(row));
  });

  r.put('/api/routing/workflows/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, body: workflowBody, response: { 200: loose, 409: errorBody, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await saveConfiguration(p, principal, async (tx) => {
      const updated = await store.updateWorkflow(tx, principal.workspaceId, request.params.id, request.body);
      if (!updated) throw notFound('Workflow');
      return updated;
    }, 'routing.workflow_changed', request.params.id);
    return presentWorkflow(row);
  });

  r.delete('/api/routing/workflows/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, response: { 204: z.null(), 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await saveConfiguration(p, principal, async (tx) => {
      if (!(await store.deleteWorkflow(tx, principal.workspaceId, request.params.id))) throw notFound('Workflow');
    }, 'routing.workflow_deleted', request.params.id);
    return reply.code(204).send(null);
  });

  // ------------------------------------------------------------ agents

  const presentAgent = (row: store.AgentRow) => {
    return {
      userId: row.userId,
      name: row.name,
      email: row.email,
      role: row.role,
      presence: row.presence,
      presenceSince: iso(row.presenceSince),
      skills: row.skills,
      languages: row.languages,
      attributes: row.attributes,
      capacity: row.capacity,
    };
  };
  const withLive = (workspaceId: string, row: store.AgentRow) => {
    const view = routing.leads(workspaceId)?.agentView(row.userId);
    return { ...presentAgent(row), live: view ? { routable: view.routable, used: view.used, tasks: view.tasks.length } : null };
  };

  r.get('/api/routing/agents', {
    config: { access: 'supervisor' },
    schema: { tags, response: { 200: z.object({ items: z.array(loose) }), ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    return { items: (await store.listAgents(p.db, workspaceId)).map((row) => withLive(workspaceId, row)) };
  });

  const oneAgent = async (workspaceId: string, userId: string) => {
    const [row] = await store.listAgents(p.db, workspaceId, userId);
    if (!row) throw notFound('Agent');
    return withLive(workspaceId, row);
  };

  r.put('/api/routing/agents/:id', {
    config: { access: 'supervisor' },
    schema: { tags, params: idParam, body: agentProfile, response: { 200: loose, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const userId = request.params.id;
    await oneAgent(principal.workspaceId, userId);
    const settings = await store.getSettings(p.db, principal.workspaceId);
    const unknown = Object.keys(request.body.skills).filter((s) => !settings.skills.includes(s));
    if (unknown.length) throw badRequest('unknown_skill', `Not in the skills catalogue: ${unknown.join(', ')}`);
    await inTransaction(p, async (tx) => {
      await store.saveAgentProfile(tx, principal.workspaceId, userId, request.body, p.clock.now());
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'routing.agent_changed', subjectType: 'user', subjectId: userId, actorId: principal.actorId });
      await routing.enqueue(tx, principal.workspaceId, { type: 'agent.refresh', agentId: userId });
    });
    routing.wake(principal.workspaceId);
    return oneAgent(principal.workspaceId, userId);
  });

  const setPresence = async (workspaceId: string, userId: string, presence: string) => {
    const settings = await store.getSettings(p.db, workspaceId);
    if (!settings.presences.some((s) => s.name === presence)) throw badRequest('unknown_presence', `Unknown presence '${presence}'`);
    await oneAgent(workspaceId, userId);
    await routing.command(workspaceId, { type: 'agent.presence', agentId: userId, presence });
    return oneAgent(workspaceId, userId);
  };

  r.put('/api/routing/agents/:id/presence', {
    config: { access: 'supervisor' },
    schema: { tags, params: idParam, body: presenceBody, response: { 200: loose, ...errorResponses } },
  }, async (request) => setPresence(principalOf(request).workspaceId, request.params.id, request.body.presence));

  // ------------------------------------------------------------ the agent's desk

  const offersOf = async (workspaceId: string, agentId: string) => {
    const [tasks, queues] = await Promise.all([store.offersFor(p.db, workspaceId, agentId), store.listQueues(p.db, workspaceId)]);
    const queueNames = new Map(queues.map((q) => [q.id, q.name]));
    return Promise.all(
      tasks.map(async (t) => {
        const offer = t.offers.find((o) => o.agentId === agentId)!;
        // A video call's task has no conversation of its own (the chat keeps its task): the call names it.
        const conversationId = t.conversationId ?? (t.channel === 'video' ? ((await callOfTask(p.db, workspaceId, t.id))?.conversationId ?? null) : null);
        const view = conversationId ? await getConversationView(p.db, workspaceId, conversationId).catch(() => undefined) : undefined;
        return {
          taskId: t.id,
          conversationId,
          channel: t.channel,
          queueId: t.queueId,
          queueName: t.queueId ? (queueNames.get(t.queueId) ?? null) : null,
          expiresAt: new Date(offer.expiresAt).toISOString(),
          callback: t.callback,
          customerName: view?.customer.name ?? view?.customer.phone ?? view?.customer.email ?? null,
          preview: view?.lastMessage?.body?.slice(0, 200) ?? null,
        };
      }),
    );
  };

  const requireUser = (principal: Principal) => {
    if (principal.kind !== 'user') throw badRequest('user_only', 'Only a logged-in agent has a desk');
    return principal.id;
  };

  r.get('/api/routing/me', {
    config: { access: 'agent' },
    schema: { tags, response: { 200: loose, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const userId = requireUser(principal);
    const settings = await store.getSettings(p.db, principal.workspaceId);
    return { agent: await oneAgent(principal.workspaceId, userId), offers: await offersOf(principal.workspaceId, userId), presences: settings.presences };
  });

  r.put('/api/routing/me/presence', {
    config: { access: 'agent' },
    schema: { tags, body: presenceBody, response: { 200: loose, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return setPresence(principal.workspaceId, requireUser(principal), request.body.presence);
  });

  r.post('/api/routing/tasks/:id/accept', {
    config: { access: 'agent' },
    schema: { tags, params: idParam, response: { 200: z.object({ conversationId: z.string().nullable() }), 409: errorBody, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const agentId = requireUser(principal);
    const task = await store.getTask(p.db, principal.workspaceId, request.params.id);
    if (!task) throw notFound('Task');
    const result = await routing.command(principal.workspaceId, { type: 'offer.accept', taskId: task.id, agentId }, 'not_offered');
    return { conversationId: (result.conversationId as string | null) ?? task.conversationId };
  });

  r.post('/api/routing/tasks/:id/reject', {
    config: { access: 'agent' },
    schema: { tags, params: idParam, response: { 204: z.null(), 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const agentId = requireUser(principal);
    const task = await store.getTask(p.db, principal.workspaceId, request.params.id);
    if (!task) throw notFound('Task');
    await routing.command(principal.workspaceId, { type: 'offer.reject', taskId: task.id, agentId }, 'not_offered');
    return reply.code(204).send(null);
  });

  r.post('/api/routing/tasks/:id/transfer', {
    config: { access: 'agent' },
    schema: { tags, params: idParam, body: transferBody, response: { 204: z.null(), 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const task = await store.getTask(p.db, principal.workspaceId, request.params.id);
    if (!task) throw notFound('Task');
    // An agent transfers their own work; supervisors anyone's.
    if (principal.role === 'agent' && task.agentId !== principal.id) throw conflict('not_yours', 'Only the agent handling a task can transfer it');
    const to = request.body;
    if ('agentId' in to) await oneAgent(principal.workspaceId, to.agentId);
    else if (!(await store.getQueue(p.db, principal.workspaceId, to.queueId))) throw notFound('Queue');
    await routing.command(principal.workspaceId, { type: 'task.transfer', taskId: task.id, to }, 'cannot_transfer');
    return reply.code(204).send(null);
  });

  r.post('/api/routing/conversations/:id/transfer', {
    config: { access: 'agent' },
    schema: {
      tags,
      summary: "Transfers a conversation to an agent or a queue; one that isn't being routed becomes a task first",
      params: idParam,
      body: transferBody,
      response: { 204: z.null(), 409: errorBody, ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { workspaceId } = principal;
    const view = await getConversationView(p.db, workspaceId, request.params.id);
    const conversation = view.conversation;
    const to = request.body;
    if ('agentId' in to) await oneAgent(workspaceId, to.agentId);
    else if (!(await store.getQueue(p.db, workspaceId, to.queueId))) throw notFound('Queue');
    const live = await store.liveTaskForConversation(p.db, workspaceId, conversation.id);
    const owner = live?.agentId ?? conversation.assigneeId;
    if (principal.role === 'agent' && owner !== principal.id) throw conflict('not_yours', 'Only the agent handling a conversation can transfer it');
    let taskId = live?.id;
    if (!taskId) {
      const created = await inTransaction(p, async (tx) => {
        const full = await getConversationRow(tx, workspaceId, conversation.id);
        return full ? createTaskFor(p, tx, workspaceId, full) : undefined;
      });
      if (!created) throw conflict('routing_off', 'Routing has no workflow in this workspace');
      taskId = created.id;
    }
    await routing.command(workspaceId, { type: 'task.transfer', taskId, to }, 'cannot_transfer');
    return reply.code(204).send(null);
  });

  r.post('/api/routing/tasks/:id/callback', {
    config: { access: 'agent' },
    schema: {
      tags,
      summary: 'The customer asked to be called back: the task keeps its place in line and its offer says so',
      params: idParam,
      response: { 204: z.null(), 409: errorBody, ...errorResponses },
    },
  }, async (request, reply) => {
    const { workspaceId } = principalOf(request);
    const task = await store.getTask(p.db, workspaceId, request.params.id);
    if (!task) throw notFound('Task');
    await routing.command(workspaceId, { type: 'task.callback', taskId: task.id }, 'not_waiting');
    return reply.code(204).send(null);
  });

  // ------------------------------------------------------------ supervision

  r.get('/api/routing/tasks', {
    config: { access: 'supervisor' },
    schema: { tags, querystring: z.object({ state: z.enum(['waiting', 'active', 'all']).default('active') }), response: { 200: z.object({ items: z.array(loose) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listTasks(p.db, principalOf(request).workspaceId, request.query.state)).map(presentTask) }));

  r.get('/api/routing/tasks/:id', {
    config: { access: 'agent' },
    schema: { tags, params: idParam, response: { 200: loose, ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const task = await store.getTask(p.db, workspaceId, request.params.id);
    if (!task) throw notFound('Task');
    return { ...presentTask(task), estimate: routing.leads(workspaceId)?.estimate(task.id) ?? null };
  });

  r.get('/api/routing/stats', {
    config: { access: 'supervisor' },
    schema: { tags, querystring: z.object({ since: z.iso.datetime({ offset: true }).optional() }), response: { 200: loose, ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const router = routing.leads(workspaceId);
    const live = router?.statistics() ?? router?.lastStatistics ?? null;
    const now = p.clock.now();
    const since = request.query.since ? new Date(request.query.since) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const queues = await store.listQueues(p.db, workspaceId);
    const thresholds = new Map(queues.filter((q) => q.serviceLevelSeconds != null).map((q) => [q.id, q.serviceLevelSeconds as number]));
    const totals = new Map((await store.queueTotals(p.db, workspaceId, since, thresholds)).map((t) => [t.queueId, t]));
    const today = queues.map((q) => {
      const t = totals.get(q.id);
      const answered = t?.answered ?? 0;
      const abandoned = t?.abandoned ?? 0;
      const within = t?.answeredWithinServiceLevel ?? 0;
      return {
        queueId: q.id,
        name: q.name,
        answered,
        abandoned,
        answeredWithinServiceLevel: within,
        serviceLevelSeconds: q.serviceLevelSeconds,
        // Abandoned contacts count against the service level, as in most contact-centre reporting.
        serviceLevel: q.serviceLevelSeconds != null && answered + abandoned > 0 ? within / (answered + abandoned) : null,
        averageWaitSeconds: t?.averageWaitSeconds ?? null,
      };
    });
    return { since: since.toISOString(), live, today };
  });
}
