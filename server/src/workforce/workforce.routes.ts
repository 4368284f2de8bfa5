import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { kpisSchema } from '../analytics/analytics.routes.ts';
import { principalOf } from '../platform/auth/guard.ts';
import { errorResponses, idParam, iso } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { scenarioSchema } from './scenario.ts';
import { simulationStatuses } from './workforce.schema.ts';
import * as service from './workforce.service.ts';
import type { SimulationRow } from './workforce.store.ts';

const tags = ['workforce'];
const localDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
const intervalQuery = z.enum(['15', '30'], { message: 'interval must be 15 or 30 (minutes)' }).transform((v) => Number(v) as 15 | 30);
const intervalBody = z.union([z.literal(15), z.literal(30)], { message: 'intervalMinutes must be 15 or 30' });
const weeks = z.number().int().min(1, 'weeks of history: at least 1').max(52, 'weeks of history: at most 52');

const forecastQuery = z.object({
  from: localDate.optional(),
  days: z.coerce.number().int().min(1, 'days: at least 1').max(28, 'days: at most 28').default(7),
  interval: intervalQuery.default(15),
  weeks: z.coerce.number().pipe(weeks).default(8),
});

const figures = z.object({ wape: z.number().nullable(), mape: z.number().nullable() });
const forecastBody = z.object({
  timeZone: z.string(),
  intervalMinutes: z.number(),
  from: z.string(),
  days: z.number(),
  historyDays: z.number(),
  streams: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      queueId: z.string(),
      queueName: z.string().nullable(),
      handleTimeSeconds: z.number().nullable(),
      handleTimeCv: z.number().nullable(),
      patienceSeconds: z.number().nullable(),
      abandonRate: z.number().nullable(),
      days: z.array(z.object({ date: z.string(), holiday: z.string().nullable(), total: z.number(), intervals: z.array(z.object({ start: z.string(), forecast: z.number() })) })),
      backtest: z
        .object({
          method: z.literal('seasonal'),
          testDays: z.number(),
          wape: z.number().nullable(),
          mape: z.number().nullable(),
          dailyTotalApe: z.number().nullable(),
          baselines: z.array(figures.extend({ name: z.string() })),
          perInterval: z.array(figures.extend({ slot: z.string() })),
        })
        .nullable(),
    }),
  ),
});

/** The staffing request; the CLI checks its options with it too. */
export const staffingRequest = z.object({
  from: localDate.optional(),
  days: z.number().int().min(1, 'days: at least 1').max(7, 'days: at most 7').default(1),
  intervalMinutes: intervalBody.default(30),
  weeks: weeks.default(8),
  targets: z.object({
    serviceLevel: z.number().min(0, 'targets.serviceLevel is a share from 0 up to (not including) 1, such as 0.8').lt(1, 'targets.serviceLevel is a share below 1, such as 0.8'),
    withinSeconds: z.number().min(0, 'targets.withinSeconds: 0 or more').max(7 * 86_400),
    maxOccupancy: z.number().gt(0, 'targets.maxOccupancy is a share above 0').max(1, 'targets.maxOccupancy is a share of at most 1').optional(),
    maxAbandonRate: z.number().gt(0, 'targets.maxAbandonRate is a share above 0').max(1, 'targets.maxAbandonRate is a share of at most 1').optional(),
    maxAsaSeconds: z.number().positive('targets.maxAsaSeconds must be above 0').optional(),
  }),
  shrinkage: z.number().min(0, 'shrinkage is a share from 0 up to (not including) 1').lt(1, 'shrinkage is a share below 1, such as 0.3').default(0),
  model: z.enum(['auto', 'erlangC', 'erlangA']).default('auto'),
  streams: z
    .record(
      z.string(),
      z.object({
        concurrency: z.number().int().min(1).max(50).optional(),
        handleTimeSeconds: z.number().positive().max(86_400).optional(),
        patienceSeconds: z.number().positive().max(7 * 86_400).optional(),
      }),
    )
    .optional(),
});

const staffingBody = z.object({
  serviceLevelConvention: z.string(),
  timeZone: z.string(),
  from: z.string(),
  days: z.number(),
  intervalMinutes: z.number(),
  streams: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      queueId: z.string(),
      queueName: z.string().nullable(),
      model: z.enum(['erlangA', 'erlangC']),
      concurrency: z.number(),
      handleTimeSeconds: z.number(),
      patienceSeconds: z.number().nullable(),
      intervals: z.array(
        z.object({
          start: z.string(),
          arrivals: z.number(),
          agents: z.number(),
          scheduled: z.number(),
          serviceLevel: z.number(),
          meanWaitSeconds: z.number(),
          occupancy: z.number(),
          abandonRate: z.number().nullable(),
        }),
      ),
    }),
  ),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  total: z.array(z.object({ start: z.string(), agents: z.number(), scheduled: z.number() })),
  peak: z.object({ start: z.string(), scheduled: z.number() }).nullable(),
});

const scenarioRequest = z.object({ date: localDate.optional(), intervalMinutes: intervalBody.default(15), weeks: weeks.default(8) });

const simulationRow = z.object({ start: z.string().nullable(), key: z.string().nullable(), label: z.string().nullable(), kpis: kpisSchema });
const resultBody = z.object({
  scenario: z.string(),
  date: z.string(),
  timeZone: z.string(),
  intervalMinutes: z.number(),
  seed: z.number(),
  contacts: z.number(),
  routingEvents: z.number(),
  unfinished: z.number(),
  refused: z.number(),
  totals: kpisSchema,
  byStream: z.array(simulationRow),
  byInterval: z.array(simulationRow.extend({ agentsLoggedIn: z.number() })),
});
const simulationSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(simulationStatuses),
  progress: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
const simulationDetail = simulationSummary.extend({ scenario: scenarioSchema, result: resultBody.nullable() });

function presentSummary(row: Omit<SimulationRow, 'scenario' | 'result'>) {
  return { id: row.id, name: row.name, status: row.status, progress: row.progress, createdAt: row.createdAt.toISOString(), startedAt: iso(row.startedAt), finishedAt: iso(row.finishedAt), error: row.error };
}

export function workforceRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/workforce/forecast', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Arrivals forecast per demand stream (channel + queue) from the history, with its backtest', querystring: forecastQuery, response: { 200: forecastBody, ...errorResponses } },
  }, async (request) => {
    const q = request.query;
    return service.forecastArrivals(p, principalOf(request).workspaceId, { from: q.from, days: q.days, intervalMinutes: q.interval, weeks: q.weeks });
  });

  r.post('/api/workforce/staffing', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Agents needed per interval to meet the targets (Erlang C or A), from the forecast', body: staffingRequest, response: { 200: staffingBody, ...errorResponses } },
  }, async (request) => service.staffingPlan(p, principalOf(request).workspaceId, request.body));

  r.post('/api/workforce/scenarios/from-workspace', {
    config: { access: 'supervisor' },
    schema: { tags, summary: "A simulation scenario of one day built from the workspace's forecast, agents and routing", body: scenarioRequest, response: { 200: scenarioSchema, ...errorResponses } },
  }, async (request) => service.scenarioFromWorkspace(p, principalOf(request).workspaceId, request.body));

  r.post('/api/workforce/simulations', {
    config: { access: 'supervisor' },
    schema: {
      tags,
      summary: 'Queue a simulation of a scenario; it runs in the background',
      body: z.object({ scenario: z.unknown(), name: z.string().trim().min(1).max(200).optional() }),
      response: { 202: z.object({ id: z.string() }), 409: errorResponses[400], ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await service.createSimulation(p, principal.workspaceId, principal.actorId, request.body);
    return reply.status(202).send({ id: row.id });
  });

  r.get('/api/workforce/simulations', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'The latest 50 simulations, newest first', response: { 200: z.object({ simulations: z.array(simulationSummary) }), ...errorResponses } },
  }, async (request) => ({ simulations: (await service.listSimulations(p, principalOf(request).workspaceId)).map(presentSummary) }));

  r.get('/api/workforce/simulations/:id', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'A simulation with its scenario and, when done, its result', params: idParam, response: { 200: simulationDetail, ...errorResponses } },
  }, async (request) => {
    const row = await service.getSimulation(p, principalOf(request).workspaceId, request.params.id);
    return { ...presentSummary(row), scenario: row.scenario, result: row.result ?? null };
  });

  r.delete('/api/workforce/simulations/:id', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Delete a simulation (a running one stops)', params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await service.deleteSimulation(p, principalOf(request).workspaceId, request.params.id);
    return reply.status(204).send(null);
  });
}
