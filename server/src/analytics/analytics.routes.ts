import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { validTimeZone } from '../routing/engine/hours.ts';
import { campaignReportRoutes } from './campaigns.report.routes.ts';
import { getAnalyticsSettings, saveAnalyticsSettings } from './facts.store.ts';
import { groupings, intervals, kpiReportCsv, runKpiReport, type Kpis } from './reports.ts';

const KPI_KEYS: Array<keyof Kpis> = [
  'offered', 'answered', 'abandoned', 'abandonRate', 'answeredInServiceLevel', 'serviceLevel', 'averageSpeedOfAnswerSeconds',
  'handled', 'averageHandleTimeSeconds', 'averageAfterContactWorkSeconds', 'transfers', 'transferRate', 'resolved',
  'firstContactResolution', 'averageFirstResponseSeconds', 'averageResolutionSeconds', 'selfServiceRuns', 'selfServiceContained',
  'containmentRate', 'csatResponses', 'csat', 'csatPercent', 'npsResponses', 'nps', 'outcomes', 'sales', 'revenue',
  'revenuePerContact', 'staffedHours', 'busyHours', 'occupancy', 'cost', 'costPerContact', 'margin', 'slaBreaches', 'conversations',
];
export const kpisSchema = z.object(Object.fromEntries(KPI_KEYS.map((k) => [k, z.number().nullable()])) as Record<keyof Kpis, z.ZodNullable<z.ZodNumber>>);

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant' }).transform((s) => new Date(s));
export const kpiQuerySchema = z.object({
  from: instant,
  to: instant,
  interval: z.enum(intervals).default('day'),
  groupBy: z.enum(groupings).default('none'),
  channel: z.string().min(1).max(40).optional(),
  queueId: z.uuid({ message: 'must be a UUID' }).optional(),
  agentId: z.uuid({ message: 'must be a UUID' }).optional(),
  team: z.string().min(1).max(80).optional(),
  lang: z.enum(['nl', 'en']).default('nl'),
});

const reportSchema = z.object({
  from: z.string(),
  to: z.string(),
  interval: z.enum(intervals),
  groupBy: z.enum(groupings),
  timeZone: z.string(),
  currency: z.string(),
  rows: z.array(z.object({ bucket: z.string().nullable(), key: z.string().nullable(), label: z.string().nullable(), kpis: kpisSchema })),
  totals: kpisSchema,
});

const settingsSchema = z.object({
  timeZone: z.string().refine(validTimeZone, 'unknown time zone'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  costPerAgentHour: z.number().min(0).max(100_000),
  fcrWindowDays: z.number().int().min(1).max(90),
});

export function analyticsRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Campaign results beside the KPIs (docs/analytics.md, "Campaign report").
  campaignReportRoutes(app, p);

  r.get('/api/analytics/kpis', {
    config: { access: 'supervisor' },
    schema: { tags: ['analytics'], summary: 'KPIs per interval and grouping, from the rollups', querystring: kpiQuerySchema, response: { 200: reportSchema, ...errorResponses } },
  }, async (request) => runKpiReport(p, principalOf(request).workspaceId, request.query));

  r.get('/api/analytics/kpis.csv', {
    config: { access: 'supervisor' },
    schema: { tags: ['analytics'], summary: 'The same report as CSV', querystring: kpiQuerySchema },
  }, async (request, reply) => {
    const report = await runKpiReport(p, principalOf(request).workspaceId, request.query);
    const name = `hoorn-kpis-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(kpiReportCsv(report, request.query.lang));
  });

  r.get('/api/analytics/settings', {
    config: { access: 'supervisor' },
    schema: { tags: ['analytics'], summary: 'How the workspace reports: time zone, currency, agent cost, FCR window', response: { 200: settingsSchema, ...errorResponses } },
  }, async (request) => getAnalyticsSettings(p.db, principalOf(request).workspaceId));

  r.put('/api/analytics/settings', {
    config: { access: 'admin' },
    schema: { tags: ['analytics'], summary: 'Change the reporting settings (applies to figures projected from now on)', body: settingsSchema, response: { 200: settingsSchema, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return inTransaction(p, async (tx) => {
      await saveAnalyticsSettings(tx, principal.workspaceId, request.body, p.clock.now());
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'analytics.settings_updated', subjectType: 'workspace', subjectId: principal.workspaceId, payload: { ...request.body }, actorId: principal.actorId });
      return request.body;
    });
  });
}
