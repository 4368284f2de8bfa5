// The campaign report: campaigns that sent in a period with their results (docs/analytics.md,
// "Campaign report"). Counts from the campaign tables, figures from campaigns.report.ts.
import { campaignReportRecords, type CampaignReportRecord } from '../automation/campaigns.report.store.ts';
import { badRequest } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import { campaignFigures, campaignTotals, DELIVERY_REPORTING_CHANNELS, type CampaignCounts, type CampaignReport } from './campaigns.report.ts';
import { getAnalyticsSettings } from './facts.store.ts';

/** How many campaigns one report lists; the rest are left off (`truncated`), latest launched kept. */
export const MAX_CAMPAIGNS = 500;

export interface CampaignReportQuery {
  from: Date;
  to: Date;
  /** A channel type (email, sms, whatsapp). */
  channel?: string;
}

function countsOf(r: CampaignReportRecord): CampaignCounts {
  return {
    recipients: r.recipients,
    pending: r.pending,
    sent: r.sent,
    skipped: { opted_out: r.optedOut, no_identity: r.noIdentity, erased: r.erased, canceled: r.canceled },
    refused: r.refused,
    confirmedDelivered: r.confirmedDelivered,
    undeliverable: r.undeliverable,
    replied: r.replied,
    converted: r.converted,
    revenueCents: r.revenueCents,
  };
}

export async function runCampaignReport(p: Platform, workspaceId: string, query: CampaignReportQuery): Promise<CampaignReport> {
  if (!(query.from.getTime() < query.to.getTime())) throw badRequest('invalid_range', '`from` must be before `to`');
  const { currency } = await getAnalyticsSettings(p.db, workspaceId);
  const records = await campaignReportRecords(p.db, workspaceId, { from: query.from, to: query.to, channelType: query.channel, currency, limit: MAX_CAMPAIGNS + 1 });
  const listed = records.slice(0, MAX_CAMPAIGNS).map((r) => ({ record: r, counts: countsOf(r), reportsDelivery: DELIVERY_REPORTING_CHANNELS.has(r.channelType) }));
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    channel: query.channel ?? null,
    currency,
    campaigns: listed.map(({ record: r, counts, reportsDelivery }) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      channelId: r.channelId,
      channelName: r.channelName,
      channelType: r.channelType,
      launchedAt: r.launchedAt?.toISOString() ?? null,
      finishedAt: r.finishedAt?.toISOString() ?? null,
      ...campaignFigures(counts, reportsDelivery),
    })),
    totals: campaignTotals(listed),
    truncated: records.length > MAX_CAMPAIGNS,
  };
}
