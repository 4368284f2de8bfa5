/** Shapes of the benchmark, maturity and report-schedule API (docs/analytics.md, "Benchmarks and maturity"). */
export const OFFERING_IDS = ['internet_customer_service', 'social_media', 'smartphone_apps', 'internet_queries', 'sms', 'web_chat', 'whatsapp', 'telegram', 'voice'] as const;
export type OfferingId = (typeof OFFERING_IDS)[number];

export const MATURITY_LEVELS = ['starting', 'learning', 'advanced', 'very_advanced'] as const;
export type MaturityLevel = (typeof MATURITY_LEVELS)[number];

export const MATURITY_QUESTIONS = [
  'channels',
  'self_service',
  'routing',
  'knowledge',
  'customer_value',
  'kpi_steering',
  'profit_centre_thinking',
  'proactive_service',
  'workforce_planning',
  'benchmarking',
] as const;
export type MaturityQuestion = (typeof MATURITY_QUESTIONS)[number];

export interface Reference {
  figureId: string;
  value: number;
  unit: string;
  year: string;
  population: string;
  source: string;
}

export interface OfferingRow {
  id: OfferingId;
  offered: boolean;
  byChannelTypes: string[];
  reference: Reference | null;
}

export interface ChannelMixRow {
  channel: string;
  label: string;
  contacts: number;
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

export type KpiSection =
  | { available: true; currency: string; totals: Record<string, number | null>; channelMix: ChannelMixRow[]; profitCentre: ProfitCentreFigures }
  | { available: false; reason: string };

export interface BenchmarkReport {
  from: string;
  to: string;
  offering: OfferingRow[];
  kpis: KpiSection;
  profitCentre: { runAsProfitCentre: boolean | null; reference: Reference | null };
  maturity: {
    level: MaturityLevel | null;
    score: number | null;
    assessedAt: string | null;
    distribution: Array<{ level: MaturityLevel; reference: Reference | null }>;
  };
}

export interface Assessment {
  id: string;
  answers: Partial<Record<MaturityQuestion, number>>;
  runAsProfitCentre: boolean;
  score: number;
  level: MaturityLevel;
  weakest: MaturityQuestion[];
  assessedBy: string;
  assessedByName: string | null;
  assessedAt: string;
}

export interface MaturityState {
  questions: MaturityQuestion[];
  scale: { min: number; max: number };
  levels: Array<{ level: MaturityLevel; minScore: number }>;
  current: Assessment | null;
  history: Assessment[];
}

export const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const RANGES = ['yesterday', 'last_7_days', 'last_month'] as const;
export type ReportRange = (typeof RANGES)[number];
export const INTERVALS = ['15m', 'hour', 'day', 'week', 'month', 'total'] as const;
export type Interval = (typeof INTERVALS)[number];
export const GROUPINGS = ['none', 'channel', 'queue', 'agent', 'team'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface ScheduleInput {
  name: string;
  recipients: string[];
  frequency: Frequency;
  hour: number;
  weekday: number | null;
  dayOfMonth: number | null;
  timeZone?: string;
  range: ReportRange;
  interval: Interval;
  groupBy: Grouping;
  language: 'nl' | 'en';
  enabled: boolean;
}

export interface ReportSchedule extends Required<ScheduleInput> {
  id: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastError: string | null;
  runs: number;
  createdAt: string;
  updatedAt: string;
}
