import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { workspaceTopic } from '../platform/realtime/hub.ts';
import type { RoutingStatistics } from '../routing/engine/engine.ts';
import { routingOf } from '../routing/routing.service.ts';
import * as routingStore from '../routing/routing.store.ts';
import { alertKinds, buildWallboard, DEFAULT_SERVICE_LEVEL_TARGET, startOfLocalDay, type Wallboard } from './wallboard.ts';
import { reportingTimeZone, slaBreachesSince } from './wallboard.store.ts';

const queueSchema = z.object({
  queueId: z.string(),
  name: z.string(),
  open: z.boolean(),
  waiting: z.number(),
  longestWaitSeconds: z.number(),
  availableAgents: z.number(),
  eligibleAgents: z.number(),
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  answeredWithinServiceLevel: z.number(),
  serviceLevelSeconds: z.number().nullable(),
  serviceLevel: z.number().nullable(),
  averageWaitSeconds: z.number().nullable(),
});
const agentSchema = z.object({ agentId: z.string(), name: z.string(), presence: z.string(), since: z.string().nullable(), tasks: z.number() });
const wallboardSchema = z.object({
  generatedAt: z.string(),
  since: z.string(),
  serviceLevelTarget: z.number(),
  live: z.boolean(),
  queues: z.array(queueSchema),
  presences: z.array(z.object({ presence: z.string(), routable: z.boolean(), count: z.number(), agents: z.array(agentSchema) })),
  totals: z.object({
    waiting: z.number(),
    longestWaitSeconds: z.number(),
    offered: z.number(),
    answered: z.number(),
    abandoned: z.number(),
    answeredWithinServiceLevel: z.number(),
    serviceLevel: z.number().nullable(),
    averageWaitSeconds: z.number().nullable(),
    agentsAvailable: z.number(),
    agentsOnline: z.number(),
    tasksInProgress: z.number(),
  }),
  alerts: z.array(
    z.object({
      kind: z.enum(alertKinds),
      severity: z.enum(['warning', 'critical']),
      queueId: z.string().nullable(),
      queueName: z.string().nullable(),
      value: z.number(),
      threshold: z.number().nullable(),
      metric: z.string().nullable(),
    }),
  ),
});

const wallboardQuery = z.object({
  /** The service level (a fraction) below which a queue raises an alert. */
  serviceLevelTarget: z.coerce.number().gt(0, 'must be above 0').max(1, 'must be at most 1 (a fraction)').optional(),
});

/**
 * The latest `routing_stats` each workspace's leader published, as heard on this node's hub.
 * A node that does not lead a workspace has no engine to ask; the leader's push is the next best.
 */
class PublishedStatistics {
  private readonly latest = new Map<string, RoutingStatistics>();
  private readonly listening = new Set<string>();

  constructor(private readonly p: Platform) {}

  get(workspaceId: string): RoutingStatistics | null {
    if (!this.listening.has(workspaceId)) {
      this.listening.add(workspaceId);
      this.p.hub.subscribe(workspaceTopic(workspaceId), (message) => {
        if (message.type === 'routing_stats' && message.live) this.latest.set(workspaceId, message.live as RoutingStatistics);
      });
    }
    return this.latest.get(workspaceId) ?? null;
  }
}

/** Reads everything the wallboard shows and hands it to the pure `buildWallboard`. */
export async function wallboardSnapshot(p: Platform, workspaceId: string, opts: { serviceLevelTarget?: number; published?: PublishedStatistics } = {}): Promise<Wallboard> {
  const now = p.clock.now();
  const router = routingOf(p).leads(workspaceId);
  const live = router?.statistics() ?? router?.lastStatistics ?? opts.published?.get(workspaceId) ?? null;
  const [timeZone, queues, agents, settings] = await Promise.all([
    reportingTimeZone(p.db, workspaceId),
    routingStore.listQueues(p.db, workspaceId),
    routingStore.listAgents(p.db, workspaceId),
    routingStore.getSettings(p.db, workspaceId),
  ]);
  const since = startOfLocalDay(now, timeZone);
  const thresholds = new Map(queues.filter((q) => q.serviceLevelSeconds != null).map((q) => [q.id, q.serviceLevelSeconds as number]));
  const [totals, slaBreaches] = await Promise.all([routingStore.queueTotals(p.db, workspaceId, since, thresholds), slaBreachesSince(p.db, workspaceId, since)]);
  return buildWallboard({
    now,
    since,
    serviceLevelTarget: opts.serviceLevelTarget ?? DEFAULT_SERVICE_LEVEL_TARGET,
    queues: queues.map((q) => ({ id: q.id, name: q.name, serviceLevelSeconds: q.serviceLevelSeconds })),
    live,
    totals,
    agents: agents.map((a) => ({ userId: a.userId, name: a.name, presence: a.presence, presenceSince: a.presenceSince })),
    presences: settings.presences,
    slaBreaches,
  });
}

/**
 * The live wallboard. The snapshot is `GET /api/analytics/wallboard`; between snapshots the page
 * applies routing's `routing_stats` pushes and refetches on routing and conversation events.
 */
export const wallboardModule = {
  init(_p: Platform): void {},
  routes(app: FastifyInstance, p: Platform): void {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const published = new PublishedStatistics(p);
    r.get('/api/analytics/wallboard', {
      config: { access: 'supervisor' },
      schema: {
        tags: ['analytics'],
        summary: "Queues, agents by presence, today's totals and alerts, for a wall screen",
        querystring: wallboardQuery,
        response: { 200: wallboardSchema, ...errorResponses },
      },
    }, async (request) => wallboardSnapshot(p, principalOf(request).workspaceId, { serviceLevelTarget: request.query.serviceLevelTarget, published }));
  },
};
