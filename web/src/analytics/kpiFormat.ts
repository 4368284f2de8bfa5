import { formatDuration } from '../routing/format';
import type { Kpis } from './types';

export type KpiFormat = 'count' | 'percent' | 'duration' | 'money' | 'score' | 'nps' | 'hours';

/** The KPI summary cards in the order the page shows them. */
export const SUMMARY_KPIS = [
  { key: 'offered', format: 'count' },
  { key: 'answered', format: 'count' },
  { key: 'serviceLevel', format: 'percent' },
  { key: 'averageSpeedOfAnswerSeconds', format: 'duration' },
  { key: 'averageHandleTimeSeconds', format: 'duration' },
  { key: 'abandonRate', format: 'percent' },
  { key: 'firstContactResolution', format: 'percent' },
  { key: 'containmentRate', format: 'percent' },
  { key: 'csat', format: 'score' },
  { key: 'nps', format: 'nps' },
  { key: 'revenue', format: 'money' },
  { key: 'revenuePerContact', format: 'money' },
  { key: 'costPerContact', format: 'money' },
  { key: 'margin', format: 'money' },
  { key: 'occupancy', format: 'percent' },
] as const satisfies ReadonlyArray<{ key: keyof Kpis; format: KpiFormat }>;

export type SummaryKpi = (typeof SUMMARY_KPIS)[number]['key'];

/** Formats one figure; null (no denominator) is a dash, never 0. */
export function formatKpi(value: number | null | undefined, format: KpiFormat, language: string, currency: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (format) {
    case 'count':
      return new Intl.NumberFormat(language).format(value);
    case 'percent':
      return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    case 'duration':
      return formatDuration(value);
    case 'money':
      try {
        return new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value);
      } catch {
        return `${new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(value)} ${currency}`;
      }
    case 'score':
      return new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
    case 'nps':
      return new Intl.NumberFormat(language, { signDisplay: 'exceptZero', maximumFractionDigits: 0 }).format(value);
    case 'hours':
      return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value);
  }
}
