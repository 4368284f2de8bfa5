import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api';

/**
 * The campaign report (server/src/analytics/campaigns.report.ts, docs/analytics.md "Campaign
 * report"): campaigns that sent in the period with the results of all their recipients.
 */
export const CAMPAIGN_SKIP_REASONS = ['opted_out', 'no_identity', 'erased', 'canceled'] as const;
export type CampaignSkipReason = (typeof CAMPAIGN_SKIP_REASONS)[number];

/** Channel types a campaign can go out on. */
export const CAMPAIGN_CHANNEL_TYPES = ['email', 'sms', 'whatsapp'] as const;

export interface CampaignFigures {
  recipients: number;
  pending: number;
  sent: number;
  /** Null where the channel does not report delivery (e-mail). */
  delivered: number | null;
  deliveryRate: number | null;
  skipped: Record<CampaignSkipReason, number>;
  failed: number;
  replied: number;
  replyRate: number | null;
  converted: number;
  conversionRate: number | null;
  convertedRevenue: number;
  revenuePerRecipient: number | null;
}

export interface CampaignReportRow extends CampaignFigures {
  id: string;
  name: string;
  status: 'draft' | 'scheduled' | 'sending' | 'done' | 'canceled';
  channelId: string;
  channelName: string;
  channelType: string;
  launchedAt: string | null;
  finishedAt: string | null;
}

export interface CampaignReport {
  from: string;
  to: string;
  channel: string | null;
  currency: string;
  campaigns: CampaignReportRow[];
  totals: CampaignFigures;
  truncated: boolean;
}

export interface CampaignReportQuery {
  from: string;
  to: string;
  channel?: string;
}

export function useCampaignReport(query: CampaignReportQuery, enabled = true) {
  return useQuery({
    queryKey: ['analytics', 'campaigns', query] as const,
    queryFn: ({ signal }) => api.get<CampaignReport>('/api/analytics/campaigns', { ...query }, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** The report's CSV: a plain link, as the KPI CSV, so the browser downloads it with the session cookie. */
export function campaignCsvUrl(query: CampaignReportQuery, language: string): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.channel) params.set('channel', query.channel);
  params.set('lang', language === 'en' ? 'en' : 'nl');
  return `/api/analytics/campaigns.csv?${params.toString()}`;
}

/** The columns the table sorts by. */
export const CAMPAIGN_SORTS = [
  'name', 'launchedAt', 'recipients', 'sent', 'delivered', 'skipped', 'failed', 'replied', 'replyRate', 'converted', 'convertedRevenue', 'revenuePerRecipient',
] as const;
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number];

export const skippedTotal = (f: CampaignFigures) => CAMPAIGN_SKIP_REASONS.reduce((n, r) => n + f.skipped[r], 0);

function sortValue(row: CampaignReportRow, by: CampaignSort): number | string | null {
  if (by === 'name') return row.name.toLocaleLowerCase();
  if (by === 'launchedAt') return row.launchedAt;
  if (by === 'skipped') return skippedTotal(row);
  return row[by];
}

/**
 * Orders campaigns by one column. Campaigns without the figure (delivery not reported, no sends for a
 * rate) go last in either direction; ties fall back to the latest launched first.
 */
export function sortCampaigns(rows: CampaignReportRow[], by: CampaignSort, descending: boolean): CampaignReportRow[] {
  return [...rows].sort((a, b) => {
    const x = sortValue(a, by);
    const y = sortValue(b, by);
    const tie = (b.launchedAt ?? '').localeCompare(a.launchedAt ?? '') || a.id.localeCompare(b.id);
    if (x === null && y === null) return tie;
    if (x === null) return 1;
    if (y === null) return -1;
    const order = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : (x as number) - (y as number);
    return (descending ? -order : order) || tie;
  });
}
