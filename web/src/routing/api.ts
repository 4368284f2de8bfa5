import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, request } from '../api';
import type { ListResponse } from '../types';
import type {
  ExpressionIssue,
  ExpressionPlace,
  Queue,
  QueueInput,
  RoutingAgent,
  RoutingAgentInput,
  RoutingMe,
  RoutingSettings,
  RoutingStatsResponse,
  Workflow,
  WorkflowInput,
} from './types';

const BASE = '/api/routing';

export const routingKeys = {
  all: ['routing'] as const,
  me: ['routing', 'me'] as const,
  settings: ['routing', 'settings'] as const,
  queues: ['routing', 'queues'] as const,
  workflows: ['routing', 'workflows'] as const,
  agents: ['routing', 'agents'] as const,
  stats: ['routing', 'stats'] as const,
  check: (place: ExpressionPlace, source: string) => ['routing', 'expression-check', place, source] as const,
};

export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body });

export function useRoutingMe(enabled = true) {
  return useQuery({
    queryKey: routingKeys.me,
    queryFn: ({ signal }) => api.get<RoutingMe>(`${BASE}/me`, undefined, signal),
    enabled,
    // A workspace without routing (or a user who is not an agent) answers 404; do not hammer it.
    retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
  });
}

export function useRoutingSettings() {
  return useQuery({
    queryKey: routingKeys.settings,
    queryFn: ({ signal }) => api.get<RoutingSettings>(`${BASE}/settings`, undefined, signal),
  });
}

export function useQueues() {
  return useQuery({
    queryKey: routingKeys.queues,
    queryFn: ({ signal }) => api.get<ListResponse<Queue>>(`${BASE}/queues`, undefined, signal),
  });
}

export function useWorkflows() {
  return useQuery({
    queryKey: routingKeys.workflows,
    queryFn: ({ signal }) => api.get<ListResponse<Workflow>>(`${BASE}/workflows`, undefined, signal),
  });
}

export function useRoutingAgents() {
  return useQuery({
    queryKey: routingKeys.agents,
    queryFn: ({ signal }) => api.get<ListResponse<RoutingAgent>>(`${BASE}/agents`, undefined, signal),
  });
}

export function useRoutingStats(pollMs: number | false) {
  return useQuery({
    queryKey: routingKeys.stats,
    queryFn: ({ signal }) => api.get<RoutingStatsResponse>(`${BASE}/stats`, undefined, signal),
    refetchInterval: pollMs,
  });
}

export function checkExpression(source: string, place: ExpressionPlace) {
  return api.post<{ issues: ExpressionIssue[] }>(`${BASE}/expressions/check`, { source, place });
}

export function useSaveQueue() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: QueueInput }) =>
      id ? put<Queue>(`${BASE}/queues/${encodeURIComponent(id)}`, input) : api.post<Queue>(`${BASE}/queues`, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: routingKeys.queues }),
  });
}

export function useDeleteQueue() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${BASE}/queues/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: routingKeys.queues }),
  });
}

export function useSaveWorkflow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: WorkflowInput }) =>
      id ? put<Workflow>(`${BASE}/workflows/${encodeURIComponent(id)}`, input) : api.post<Workflow>(`${BASE}/workflows`, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: routingKeys.workflows }),
  });
}

export function useDeleteWorkflow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${BASE}/workflows/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: routingKeys.workflows }),
  });
}

export function useSaveAgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, input }: { userId: string; input: RoutingAgentInput }) =>
      put<RoutingAgent>(`${BASE}/agents/${encodeURIComponent(userId)}`, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: routingKeys.agents }),
  });
}

export function useSetAgentPresence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, presence }: { userId: string; presence: string }) =>
      put<RoutingAgent>(`${BASE}/agents/${encodeURIComponent(userId)}/presence`, { presence }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: routingKeys.agents });
      void queryClient.invalidateQueries({ queryKey: routingKeys.stats });
      void queryClient.invalidateQueries({ queryKey: routingKeys.me });
    },
  });
}

export function useSetMyPresence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (presence: string) => put<RoutingAgent>(`${BASE}/me/presence`, { presence }),
    onSuccess: (agent) => {
      queryClient.setQueryData<RoutingMe>(routingKeys.me, (prev) => (prev ? { ...prev, agent } : prev));
    },
  });
}

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: RoutingSettings) => put<RoutingSettings>(`${BASE}/settings`, settings),
    onSuccess: (settings) => {
      queryClient.setQueryData(routingKeys.settings, settings);
      void queryClient.invalidateQueries({ queryKey: routingKeys.me });
    },
  });
}

export function acceptTask(taskId: string) {
  return api.post<{ conversationId?: string }>(`${BASE}/tasks/${encodeURIComponent(taskId)}/accept`);
}

export function rejectTask(taskId: string) {
  return api.post<void>(`${BASE}/tasks/${encodeURIComponent(taskId)}/reject`);
}

/** `details.issues` of a 400 `invalid_routing_config` (or any validation error carrying issues). */
export function issuesOf(error: unknown): string[] {
  if (!isApiError(error)) return [];
  const details = error.details as { issues?: unknown } | null | undefined;
  if (!details || !Array.isArray(details.issues)) return [];
  return details.issues.map((issue: unknown) => {
    if (typeof issue === 'string') return issue;
    if (issue && typeof issue === 'object') {
      const o = issue as { message?: unknown; path?: unknown; where?: unknown };
      const where = typeof o.where === 'string' ? o.where : Array.isArray(o.path) ? o.path.join('.') : typeof o.path === 'string' ? o.path : '';
      const message = typeof o.message === 'string' ? o.message : JSON.stringify(issue);
      return where ? `${where}: ${message}` : message;
    }
    return String(issue);
  });
}
