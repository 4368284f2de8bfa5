import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../api';
import type { AutomationRun, Rule, RuleBody, TestResult, TestSample, WebhookEndpoint } from './types';

const BASE = '/api/automation';
const RUNS_PAGE = 50;

export const automationKeys = {
  all: ['automation'] as const,
  rules: ['automation', 'rules'] as const,
  runs: ['automation', 'runs'] as const,
  conversation: (id: string) => ['automation', 'conversation', id] as const,
  webhooks: ['automation', 'webhook-endpoints'] as const,
};

export function useRules() {
  return useQuery({
    queryKey: automationKeys.rules,
    queryFn: ({ signal }) => api.get<{ items: Rule[] }>(`${BASE}/rules`, undefined, signal),
  });
}

export function useSaveRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: RuleBody }) =>
      id ? request<Rule>('PUT', `${BASE}/rules/${encodeURIComponent(id)}`, { body }) : api.post<Rule>(`${BASE}/rules`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: automationKeys.rules }),
  });
}

export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${BASE}/rules/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: automationKeys.rules }),
  });
}

export function useReorderRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => api.post<{ items: Rule[] }>(`${BASE}/rules/order`, { ids }),
    onSuccess: (data) => queryClient.setQueryData(automationKeys.rules, data),
    onSettled: () => queryClient.invalidateQueries({ queryKey: automationKeys.rules }),
  });
}

/** A dry run: the rule as edited (saved or not) against a sample event; nothing is carried out. */
export function useTestRule() {
  return useMutation({
    mutationFn: ({ rule, sample }: { rule: RuleBody; sample: TestSample }) => api.post<TestResult>(`${BASE}/rules/test`, { rule, sample }),
  });
}

/** The workspace's runs in which some rule matched, newest first, page by page. */
export function useRuns() {
  return useInfiniteQuery({
    queryKey: automationKeys.runs,
    initialPageParam: undefined as number | undefined,
    queryFn: ({ signal, pageParam }) => api.get<{ items: AutomationRun[] }>(`${BASE}/runs`, { matched: 'true', limit: RUNS_PAGE, before: pageParam }, signal),
    getNextPageParam: (last) => (last.items.length < RUNS_PAGE ? undefined : last.items[last.items.length - 1]!.id),
  });
}

export function useConversationAutomation(conversationId: string) {
  return useQuery({
    queryKey: automationKeys.conversation(conversationId),
    queryFn: ({ signal }) => api.get<{ items: AutomationRun[] }>(`/api/conversations/${encodeURIComponent(conversationId)}/automation`, undefined, signal),
  });
}

/**
 * The workspace's outbound webhook endpoints, for the "send webhook" action. A server without that
 * route (or a refusal) is no error here: the action is then not offered.
 */
export function useWebhookEndpoints() {
  return useQuery({
    queryKey: automationKeys.webhooks,
    queryFn: async ({ signal }) => {
      try {
        return (await api.get<{ items: WebhookEndpoint[] }>('/api/webhooks', undefined, signal)).items;
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') throw error;
        return null;
      }
    },
    staleTime: 60_000,
  });
}
