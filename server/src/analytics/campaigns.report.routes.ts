// The campaign report's routes (docs/analytics.md, "Campaign report"): JSON and CSV, as the KPI report.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { CAMPAIGN_SKIP_REASONS, campaignReportCsv } from './campaigns.report.ts';
import { runCampaignReport } from './campaigns.report.service.ts';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant' }).transform((s) => new Date(s));
const querySchema = z.object({
  from: instant,
  to: instant,
  /** A channel type, as the reports' channel filter. */
  channel: z.string().min(1).max(40).optional(),
  lang: z.enum(['nl', 'en']).default('nl'),
});

const rate = z.number().nullable();
const figures = {
  recipients: z.number(),
  pending: z.number(),
  sent: z.number(),
  delivered: z.number().nullable(),
  deliveryRate: rate,
  skipped: z.object(Object.fromEntries(CAMPAIGN_SKIP_REASONS.map((r) => [r, z.number()])) as Record<(typeof CAMPAIGN_SKIP_REASONS)[number], z.ZodNumber>),
  failed: z.number(),
  replied: z.number(),
  replyRate: rate,
  converted: z.number(),
  conversionRate: rate,
  convertedRevenue: z.number(),
  revenuePerRecipient: rate,
};

const reportSchema = z.object({
  from: z.string(),
  to: z.string(),
  channel: z.string().nullable(),
  currency: z.string(),
  campaigns: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      channelId: z.string(),
      channelName: z.string(),
      channelType: z.string(),
      launchedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      ...figures,
    }),
  ),
  totals: z.object(figures),
  truncated: z.boolean(),
});

export function campaignReportRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/analytics/campaigns', {
    config: { access: 'supervisor' },
    schema: {
      tags: ['analytics'],
      summary: 'Campaigns that sent in the period: sent, delivered, skipped, failed, replied, converted revenue; with totals',
      querystring: querySchema,
      response: { 200: reportSchema, ...errorResponses },
    },
  }, async (request) => runCampaignReport(p, principalOf(request).workspaceId, request.query));

  r.get('/api/analytics/campaigns.csv', {
    config: { access: 'supervisor' },
    schema: { tags: ['analytics'], summary: 'The same campaign report as CSV', querystring: querySchema },
  }, async (request, reply) => {
    const report = await runCampaignReport(p, principalOf(request).workspaceId, request.query);
    const name = `hoorn-campaigns-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(campaignReportCsv(report, request.query.lang));
  });
}
