import type { Platform } from '../platform/platform.ts';

export const intervals = ['15m', 'hour', 'day', 'week', 'month', 'total'] as const;
export type Interval = (typeof intervals)[number];
export const groupings = ['none', 'channel', 'queue', 'agent', 'team'] as const;
export type Grouping = (typeof groupings)[number];

export interface KpiQuery {
  from: Date;
  to: Date;
  interval: Interval;
  groupBy: Grouping;
  channel?: string;
  queueId?: string;
  agentId?: string;
  team?: string;
}

/** The figures of one row; null where the denominator is zero. See docs/analytics.md. */
export interface Kpis {
  offered: number;
  answered: number;
  abandoned: number;
  abandonRate: number | null;
  answeredInServiceLevel: number;
  serviceLevel: number | null;
  averageSpeedOfAnswerSeconds: number | null;
  handled: number;
  averageHandleTimeSeconds: number | null;
  averageAfterContactWorkSeconds: number | null;
  transfers: number;
  transferRate: number | null;
  resolved: number;
  firstContactResolution: number | null;
  averageFirstResponseSeconds: number | null;
  averageResolutionSeconds: number | null;
  selfServiceRuns: number;
  selfServiceContained: number;
  containmentRate: number | null;
  csatResponses: number;
  csat: number | null;
  csatPercent: number | null;
  npsResponses: number;
  nps: number | null;
  outcomes: number;
  sales: number;
  revenue: number;
  revenuePerContact: number | null;
  staffedHours: number;
  busyHours: number;
  occupancy: number | null;
  cost: number;
  costPerContact: number | null;
  margin: number;
  slaBreaches: number;
}

export interface KpiRow {
  bucket: string | null;
  key: string | null;
  label: string | null;
  kpis: Kpis;
}

export interface KpiReport {
  from: string;
  to: string;
  interval: Interval;
  groupBy: Grouping;
  timeZone: string;
  currency: string;
  rows: KpiRow[];
  totals: Kpis;
}

/** Runs a KPI report over the workspace's rollups. */
export async function runKpiReport(_p: Platform, _workspaceId: string, _query: KpiQuery): Promise<KpiReport> {
  throw new Error('runKpiReport is being built');
}

/** The report as CSV, headers in the given language. */
export function kpiReportCsv(_report: KpiReport, _language: 'nl' | 'en'): string {
  throw new Error('kpiReportCsv is being built');
}
