import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../api';
import type { BenchmarkReport, MaturityQuestion, MaturityState, ReportSchedule, ScheduleInput } from './types';

export const benchmarkKeys = {
  all: ['benchmark'] as const,
  report: (from: string, to: string) => ['benchmark', 'report', from, to] as const,
  maturity: ['benchmark', 'maturity'] as const,
  schedules: ['benchmark', 'schedules'] as const,
};

export function useBenchmarkReport(from: string, to: string) {
  return useQuery({
    queryKey: benchmarkKeys.report(from, to),
    queryFn: ({ signal }) => api.get<BenchmarkReport>('/api/analytics/benchmark', { from, to }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMaturity() {
  return useQuery({ queryKey: benchmarkKeys.maturity, queryFn: ({ signal }) => api.get<MaturityState>('/api/analytics/maturity', undefined, signal) });
}

export function useSaveMaturity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { answers: Record<MaturityQuestion, number>; runAsProfitCentre: boolean }) => request<MaturityState>('PUT', '/api/analytics/maturity', { body }),
    onSuccess: (state) => {
      client.setQueryData(benchmarkKeys.maturity, state);
      // The report shows the level and the profit-centre answer.
      void client.invalidateQueries({ queryKey: ['benchmark', 'report'] });
    },
  });
}

const schedulesPath = '/api/analytics/report-schedules';

export function useSchedules() {
  return useQuery({
    queryKey: benchmarkKeys.schedules,
    queryFn: ({ signal }) => api.get<{ items: ReportSchedule[]; mailConfigured: boolean }>(schedulesPath, undefined, signal),
  });
}

export function useSaveSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: ScheduleInput }) =>
      id ? request<ReportSchedule>('PUT', `${schedulesPath}/${encodeURIComponent(id)}`, { body: input }) : api.post<ReportSchedule>(schedulesPath, input),
    onSuccess: () => client.invalidateQueries({ queryKey: benchmarkKeys.schedules }),
  });
}

export function useDeleteSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${schedulesPath}/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: benchmarkKeys.schedules }),
  });
}

export function useSendScheduleNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<ReportSchedule>(`${schedulesPath}/${encodeURIComponent(id)}/send`),
    onSuccess: () => client.invalidateQueries({ queryKey: benchmarkKeys.schedules }),
  });
}
