import type { BenchmarkFigure } from './benchmark.data.ts';
import type { MaturityLevel } from './benchmark.maturity.ts';
import { maturityLevels } from './benchmark.maturity.ts';
import type { KpiReport } from './reports.ts';

/**
 * The benchmark report: a workspace's channel offering, channel mix, KPIs and profit-centre
 * figures beside the industry reference figures. Pure: the caller loads channels, the KPI report
 * and the latest self-assessment.
 */

/** A reference figure as the report shows it: the value and where it comes from. */
export interface Reference {
  figureId: string;
  value: number;
  unit: BenchmarkFigure['unit'];
  year: string;
  population: string;
  source: string;
}

/**
 * What the benchmark asks about a centre's channels, and which of Hoorn's channel types count as
 * offering it. Telegram, WhatsApp and voice have no reference figure but are shown all the same.
 */
export const offeringCategories = [
  { id: 'internet_customer_service', channelTypes: ['email', 'webchat', 'api'], figureId: 'channel.internet_customer_service' },
  { id: 'social_media', channelTypes: ['messenger', 'instagram', 'x', 'youtube'], figureId: 'channel.social_media' },
  { id: 'smartphone_apps', channelTypes: ['api'], figureId: 'channel.smartphone_apps' },
  { id: 'internet_queries', channelTypes: ['email', 'webchat'], figureId: 'channel.internet_queries' },
  { id: 'sms', channelTypes: ['sms'], figureId: 'channel.sms' },
  { id: 'web_chat', channelTypes: ['webchat'], figureId: 'channel.web_chat' },
  { id: 'whatsapp', channelTypes: ['whatsapp'], figureId: null },
  { id: 'telegram', channelTypes: ['telegram'], figureId: null },
  { id: 'voice', channelTypes: ['voice'], figureId: null },
] as const satisfies ReadonlyArray<{ id: string; channelTypes: readonly string[]; figureId: string | null }>;
export type OfferingCategory = (typeof offeringCategories)[number]['id'];

export interface OfferingRow {
  id: OfferingCategory;
  offered: boolean;
  /** The workspace's enabled channel types that make it "yes". */
  byChannelTypes: string[];
  reference: Reference | null;
}

export interface ChannelMixRow {
  /** The channel type as the KPI report groups it. */
  channel: string;
  label: string;
  /** Conversations opened on the channel in the period (self-service included): every contact that came in. */
  contacts: number;
  /** Of all contacts in the period, 0–1; null when there were none. */
  share: number | null;
}

export interface ProfitCentreFigures {
  currency: string;
  revenue: number;
  revenuePerContact: number | null;
  cost: number;
  costPerContact: number | null;
  margin: number;
  sales: number;
}

export interface MaturityComparison {
  /** The latest self-assessment, or null when the workspace has none yet. */
  level: MaturityLevel | null;
  score: number | null;
  assessedAt: string | null;
  /** Every level with the share of centres at it; null where the benchmark gives no figure. */
  distribution: Array<{ level: MaturityLevel; reference: Reference | null }>;
}

export interface LatestAssessment {
  level: MaturityLevel;
  score: number;
  runAsProfitCentre: boolean;
  assessedAt: Date;
}

export type KpiSection =
  | { available: true; currency: string; totals: Record<string, number | null>; channelMix: ChannelMixRow[]; profitCentre: ProfitCentreFigures }
  | { available: false; reason: string };

export interface BenchmarkReport {
  from: string;
  to: string;
  offering: OfferingRow[];
  kpis: KpiSection;
  profitCentre: { runAsProfitCentre: boolean | null; reference: Reference | null };
  maturity: MaturityComparison;
}

export function referenceOf(figures: readonly BenchmarkFigure[], figureId: string | null): Reference | null {
  if (!figureId) return null;
  const figure = figures.find((f) => f.id === figureId);
  if (!figure) return null;
  return { figureId: figure.id, value: figure.value, unit: figure.unit, year: figure.year, population: figure.population, source: figure.source };
}

/** Which benchmark categories the workspace offers, from its enabled channels' types. */
export function channelOffering(channels: ReadonlyArray<{ type: string; enabled: boolean }>, figures: readonly BenchmarkFigure[]): OfferingRow[] {
  const enabledTypes = new Set(channels.filter((c) => c.enabled).map((c) => c.type));
  return offeringCategories.map((category) => {
    const byChannelTypes = category.channelTypes.filter((type) => enabledTypes.has(type));
    return { id: category.id, offered: byChannelTypes.length > 0, byChannelTypes, reference: referenceOf(figures, category.figureId) };
  });
}

/** Contacts per channel and their share, largest first, from a report grouped by channel. */
export function channelMix(rows: KpiReport['rows']): ChannelMixRow[] {
  const byChannel = new Map<string, { label: string; contacts: number }>();
  for (const row of rows) {
    const channel = row.key ?? 'unknown';
    const entry = byChannel.get(channel) ?? { label: row.label ?? channel, contacts: 0 };
    entry.contacts += row.kpis.conversations;
    byChannel.set(channel, entry);
  }
  const total = [...byChannel.values()].reduce((sum, e) => sum + e.contacts, 0);
  return [...byChannel.entries()]
    .map(([channel, e]) => ({ channel, label: e.label, contacts: e.contacts, share: total > 0 ? e.contacts / total : null }))
    .sort((a, b) => b.contacts - a.contacts || a.channel.localeCompare(b.channel));
}

export function profitCentreFigures(report: Pick<KpiReport, 'currency' | 'totals'>): ProfitCentreFigures {
  const k = report.totals;
  return { currency: report.currency, revenue: k.revenue, revenuePerContact: k.revenuePerContact, cost: k.cost, costPerContact: k.costPerContact, margin: k.margin, sales: k.sales };
}

export function maturityComparison(latest: LatestAssessment | null, figures: readonly BenchmarkFigure[]): MaturityComparison {
  return {
    level: latest?.level ?? null,
    score: latest?.score ?? null,
    assessedAt: latest ? latest.assessedAt.toISOString() : null,
    distribution: maturityLevels.map((level) => ({ level, reference: referenceOf(figures, `maturity.${level}`) })),
  };
}

/**
 * The whole report. `kpiReport` is the workspace's report for the period grouped by channel, or
 * the reason it could not be made (the report still shows offering, profit centre and maturity).
 */
export function buildBenchmarkReport(input: {
  from: Date;
  to: Date;
  channels: ReadonlyArray<{ type: string; enabled: boolean }>;
  kpiReport: KpiReport | { unavailable: string };
  latestAssessment: LatestAssessment | null;
  figures: readonly BenchmarkFigure[];
}): BenchmarkReport {
  const { figures } = input;
  const kpis: KpiSection =
    'unavailable' in input.kpiReport
      ? { available: false, reason: input.kpiReport.unavailable }
      : {
          available: true,
          currency: input.kpiReport.currency,
          // As a plain record: the KPI module may add figures without this report changing.
          totals: Object.fromEntries(Object.entries(input.kpiReport.totals)) as Record<string, number | null>,
          channelMix: channelMix(input.kpiReport.rows),
          profitCentre: profitCentreFigures(input.kpiReport),
        };
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    offering: channelOffering(input.channels, figures),
    kpis,
    profitCentre: { runAsProfitCentre: input.latestAssessment?.runAsProfitCentre ?? null, reference: referenceOf(figures, 'profit_centre') },
    maturity: maturityComparison(input.latestAssessment, figures),
  };
}
