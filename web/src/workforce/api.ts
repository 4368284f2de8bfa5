import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { isRunning, type ForecastQuery, type ForecastResponse, type IntervalMinutes, type Scenario, type SimulationDetail, type SimulationSummary, type StaffingRequest, type StaffingResponse } from './types';

export const workforceKeys = {
  forecast: (query: ForecastQuery) => ['workforce', 'forecast', query] as const,
  staffing: (body: StaffingRequest) => ['workforce', 'staffing', body] as const,
  simulations: ['workforce', 'simulations'] as const,
  simulation: (id: string) => ['workforce', 'simulations', id] as const,
};

/** How often a running simulation is asked for its progress. */
const PROGRESS_POLL_MS = 1000;

export function useForecast(query: ForecastQuery) {
  return useQuery({
    queryKey: workforceKeys.forecast(query),
    queryFn: ({ signal }) => api.get<ForecastResponse>('/api/workforce/forecast', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

/** The staffing curve is a computation without side effects, so it is cached like a query (by its body). */
export function useStaffing(body: StaffingRequest) {
  return useQuery({
    queryKey: workforceKeys.staffing(body),
    queryFn: () => api.post<StaffingResponse>('/api/workforce/staffing', body),
    placeholderData: keepPreviousData,
  });
}

export function useScenarioFromWorkspace() {
  return useMutation({
    mutationFn: (body: { date?: string; intervalMinutes?: IntervalMinutes; weeks?: number }) => api.post<Scenario>('/api/workforce/scenarios/from-workspace', body),
  });
}

export function useSimulations() {
  return useQuery({
    queryKey: workforceKeys.simulations,
    queryFn: ({ signal }) => api.get<{ simulations: SimulationSummary[] }>('/api/workforce/simulations', undefined, signal),
  });
}

/** One run; polled every second while it is queued or running, and the list refreshed when it ends. */
export function useSimulation(id: string | null) {
  const client = useQueryClient();
  return useQuery({
    queryKey: workforceKeys.simulation(id ?? ''),
    enabled: !!id,
    queryFn: async ({ signal }) => {
      const detail = await api.get<SimulationDetail>(`/api/workforce/simulations/${encodeURIComponent(id ?? '')}`, undefined, signal);
      syncSummary(client, detail);
      return detail;
    },
    refetchInterval: (query) => (query.state.data && !isRunning(query.state.data.status) ? false : PROGRESS_POLL_MS),
  });
}

/** The runs chosen for comparison (finished runs do not change, so they are kept as long as the page lives). */
export function useSimulationDetails(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: workforceKeys.simulation(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<SimulationDetail>(`/api/workforce/simulations/${encodeURIComponent(id)}`, undefined, signal),
      staleTime: Infinity,
    })),
  });
}

export function useRunSimulation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { scenario: Scenario; name?: string }) => api.post<{ id: string }>('/api/workforce/simulations', body),
    onSuccess: () => client.invalidateQueries({ queryKey: workforceKeys.simulations, exact: true }),
  });
}

export function useDeleteSimulation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/workforce/simulations/${encodeURIComponent(id)}`),
    onSuccess: (_void, id) => {
      client.removeQueries({ queryKey: workforceKeys.simulation(id), exact: true });
      return client.invalidateQueries({ queryKey: workforceKeys.simulations, exact: true });
    },
  });
}

/** Copies a polled run's status into the cached list, so the list's badge and bar move with it. */
function syncSummary(client: ReturnType<typeof useQueryClient>, detail: SimulationDetail): void {
  const list = client.getQueryData<{ simulations: SimulationSummary[] }>(workforceKeys.simulations);
  if (!list) return;
  const before = list.simulations.find((s) => s.id === detail.id);
  if (!before) return;
  const { scenario: _scenario, result: _result, ...summary } = detail;
  client.setQueryData(workforceKeys.simulations, { simulations: list.simulations.map((s) => (s.id === detail.id ? { ...s, ...summary } : s)) });
}
