import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type QueryParams } from '../api';
import type { AnalyticsSettings, KpiQuery, KpiReport, Wallboard } from './types';

export const analyticsKeys = {
  wallboard: (serviceLevelTarget: number) => ['analytics', 'wallboard', serviceLevelTarget] as const,
  kpis: (query: KpiQuery) => ['analytics', 'kpis', query] as const,
  settings: ['analytics', 'settings'] as const,
};

/** How the workspace reports (its time zone decides what "today" is). */
export function useAnalyticsSettings() {
  return useQuery({
    queryKey: analyticsKeys.settings,
    queryFn: ({ signal }) => api.get<AnalyticsSettings>('/api/analytics/settings', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/**
 * The wallboard snapshot. It is refetched when routing or conversation events arrive (see the
 * page), and once a minute as a safety net for "today" figures on a quiet day.
 */
export function useWallboard(serviceLevelTarget: number) {
  return useQuery({
    queryKey: analyticsKeys.wallboard(serviceLevelTarget),
    queryFn: ({ signal }) => api.get<Wallboard>('/api/analytics/wallboard', { serviceLevelTarget }, signal),
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });
}

function kpiParams(query: KpiQuery): QueryParams {
  return { ...query };
}

export function useKpiReport(query: KpiQuery, enabled = true) {
  return useQuery({
    queryKey: analyticsKeys.kpis(query),
    queryFn: ({ signal }) => api.get<KpiReport>('/api/analytics/kpis', kpiParams(query), signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/**
 * The CSV of a report: a plain link, so the browser downloads it with the session cookie. `lang`
 * picks the language of the column headers.
 */
export function kpiCsvUrl(query: KpiQuery, language: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(kpiParams(query))) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  params.set('lang', language === 'en' ? 'en' : 'nl');
  return `/api/analytics/kpis.csv?${params.toString()}`;
}
