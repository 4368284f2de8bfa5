// The campaign report (docs/analytics.md, "Campaign report"), pure: the rates and totals over the
// counts the store reads, and the CSV. No I/O here.

/** Why a recipient got nothing, as the campaigns tab lists them (a refusal by the channel is `failed`). */
export const CAMPAIGN_SKIP_REASONS = ['opted_out', 'no_identity', 'erased', 'canceled'] as const;
export type CampaignSkipReason = (typeof CAMPAIGN_SKIP_REASONS)[number];

/**
 * Channel types whose providers report delivery of each message (Twilio and Meta status callbacks).
 * E-mail has none: Hoorn does not ask mail servers for success notices, only bounces come back, so
 * an e-mail campaign's `delivered` is unknown (null), not zero.
 */
export const DELIVERY_REPORTING_CHANNELS: ReadonlySet<string> = new Set(['sms', 'whatsapp']);

/** What the store counts for one campaign (all of its recipients, whatever the period). */
export interface CampaignCounts {
  recipients: number;
  pending: number;
  sent: number;
  skipped: Record<CampaignSkipReason, number>;
  /** Refused by the channel before anything was stored. */
  refused: number;
  /** Sent messages the provider confirmed delivered or read. */
  confirmedDelivered: number;
  /** Sent messages the outbox gave up on or the provider reported failed. */
  undeliverable: number;
  replied: number;
  /** Recipients with a wrap-up with an amount (workspace currency) on their conversation after the send. */
  converted: number;
  /** Those wrap-ups' amounts in hundredths. */
  revenueCents: number;
}

export interface CampaignFigures {
  recipients: number;
  pending: number;
  sent: number;
  /** Null where the channel does not report delivery. */
  delivered: number | null;
  deliveryRate: number | null;
  skipped: Record<CampaignSkipReason, number>;
  failed: number;
  replied: number;
  replyRate: number | null;
  converted: number;
  conversionRate: number | null;
  /** In the workspace currency, major units. */
  convertedRevenue: number;
  revenuePerRecipient: number | null;
}

export interface CampaignInfo {
  id: string;
  name: string;
  status: string;
  channelId: string;
  channelName: string;
  channelType: string;
  launchedAt: string | null;
  finishedAt: string | null;
}

export type CampaignReportRow = CampaignInfo & CampaignFigures;

export interface CampaignReport {
  from: string;
  to: string;
  channel: string | null;
  currency: string;
  campaigns: CampaignReportRow[];
  totals: CampaignFigures;
  /** More campaigns sent in the period than a report lists (`MAX_CAMPAIGNS`). */
  truncated: boolean;
}

export const ZERO_COUNTS: CampaignCounts = Object.freeze({
  recipients: 0,
  pending: 0,
  sent: 0,
  skipped: Object.freeze({ opted_out: 0, no_identity: 0, erased: 0, canceled: 0 }) as Record<CampaignSkipReason, number>,
  refused: 0,
  confirmedDelivered: 0,
  undeliverable: 0,
  replied: 0,
  converted: 0,
  revenueCents: 0,
});

/** A share, or null without a denominator (as the KPIs do: a dash, never 0). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Cents to major units without binary noise (4995 -> 49.95). */
const major = (cents: number) => Math.round(cents) / 100;

/**
 * A campaign's figures from its counts. Rates are over the messages sent (the recipients the
 * message went to): reply rate, conversion rate, revenue per recipient; the delivery rate likewise,
 * where the channel reports delivery.
 */
export function campaignFigures(counts: CampaignCounts, reportsDelivery: boolean): CampaignFigures {
  const delivered = reportsDelivery ? counts.confirmedDelivered : null;
  return {
    recipients: counts.recipients,
    pending: counts.pending,
    sent: counts.sent,
    delivered,
    deliveryRate: delivered === null ? null : ratio(delivered, counts.sent),
    skipped: { ...counts.skipped },
    failed: counts.refused + counts.undeliverable,
    replied: counts.replied,
    replyRate: ratio(counts.replied, counts.sent),
    converted: counts.converted,
    conversionRate: ratio(counts.converted, counts.sent),
    convertedRevenue: major(counts.revenueCents),
    revenuePerRecipient: counts.sent > 0 ? major(counts.revenueCents) / counts.sent : null,
  };
}

export function addCounts(a: CampaignCounts, b: CampaignCounts): CampaignCounts {
  const skipped = Object.fromEntries(CAMPAIGN_SKIP_REASONS.map((r) => [r, a.skipped[r] + b.skipped[r]])) as Record<CampaignSkipReason, number>;
  return {
    recipients: a.recipients + b.recipients,
    pending: a.pending + b.pending,
    sent: a.sent + b.sent,
    skipped,
    refused: a.refused + b.refused,
    confirmedDelivered: a.confirmedDelivered + b.confirmedDelivered,
    undeliverable: a.undeliverable + b.undeliverable,
    replied: a.replied + b.replied,
    converted: a.converted + b.converted,
    revenueCents: a.revenueCents + b.revenueCents,
  };
}

/**
 * The totals over the listed campaigns: sums, and rates from the sums (not an average of rates).
 * Delivered is summed over the campaigns whose channel reports delivery, and its rate is over their
 * sends only; null when none of them does.
 */
export function campaignTotals(rows: Array<{ counts: CampaignCounts; reportsDelivery: boolean }>): CampaignFigures {
  const all = rows.reduce((sum, r) => addCounts(sum, r.counts), ZERO_COUNTS);
  const reporting = rows.filter((r) => r.reportsDelivery);
  const figures = campaignFigures(all, false);
  if (!reporting.length) return figures;
  const delivered = reporting.reduce((n, r) => n + r.counts.confirmedDelivered, 0);
  const sentWithReports = reporting.reduce((n, r) => n + r.counts.sent, 0);
  return { ...figures, delivered, deliveryRate: ratio(delivered, sentWithReports) };
}

const CSV_COLUMNS = [
  'sent', 'delivered', 'deliveryRate', 'failed', 'replied', 'replyRate', 'converted', 'conversionRate', 'convertedRevenue', 'revenuePerRecipient', 'pending',
] as const;

const CSV_HEADERS: Record<'nl' | 'en', { campaign: string; id: string; channel: string; channelType: string; status: string; launchedAt: string; recipients: string; total: string; skipped: string }> = {
  nl: { campaign: 'campagne', id: 'id', channel: 'kanaal', channelType: 'kanaaltype', status: 'status', launchedAt: 'gestart', recipients: 'ontvangers', total: 'totaal', skipped: 'overgeslagen' },
  en: { campaign: 'campaign', id: 'id', channel: 'channel', channelType: 'channel type', status: 'status', launchedAt: 'launched', recipients: 'recipients', total: 'total', skipped: 'skipped' },
};

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // A leading =, +, - or @ would be a formula in a spreadsheet: campaign names are user text.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The report as CSV (RFC 4180), like the KPI CSV: a header line, one line per campaign, then the
 * totals. Figure columns by their API names; skipped recipients as `skipped_<reason>`; rates as
 * fractions and amounts in the report's currency.
 */
export function campaignReportCsv(report: CampaignReport, language: 'nl' | 'en'): string {
  const h = CSV_HEADERS[language];
  const header = [h.campaign, h.id, h.channel, h.channelType, h.status, h.launchedAt, h.recipients, ...CAMPAIGN_SKIP_REASONS.map((r) => `${h.skipped}_${r}`), ...CSV_COLUMNS];
  const figures = (f: CampaignFigures) => [f.recipients, ...CAMPAIGN_SKIP_REASONS.map((r) => f.skipped[r]), ...CSV_COLUMNS.map((c) => f[c])];
  const lines = [header.map(csvCell).join(',')];
  for (const c of report.campaigns) lines.push([c.name, c.id, c.channelName, c.channelType, c.status, c.launchedAt, ...figures(c)].map(csvCell).join(','));
  lines.push([h.total, '', '', report.channel ?? '', '', '', ...figures(report.totals)].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
