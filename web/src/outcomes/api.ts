import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../api';
import type { Disposition, DispositionInput, OutcomeSettings, WrapUp, WrapUpInput, WrapUpState } from './types';

export const outcomeKeys = {
  all: ['outcomes'] as const,
  dispositions: ['outcomes', 'dispositions'] as const,
  settings: ['outcomes', 'settings'] as const,
  wrapUp: (conversationId: string) => ['outcomes', 'wrap-up', conversationId] as const,
};

export function useDispositions() {
  return useQuery({
    queryKey: outcomeKeys.dispositions,
    queryFn: ({ signal }) => api.get<{ items: Disposition[] }>('/api/outcomes/dispositions', undefined, signal),
    staleTime: 60_000,
  });
}

export function useOutcomeSettings() {
  return useQuery({
    queryKey: outcomeKeys.settings,
    queryFn: ({ signal }) => api.get<OutcomeSettings>('/api/outcomes/settings', undefined, signal),
    staleTime: 60_000,
  });
}

export function useSaveOutcomeSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: OutcomeSettings) => request<OutcomeSettings>('PUT', '/api/outcomes/settings', { body: settings }),
    onSuccess: (saved) => queryClient.setQueryData(outcomeKeys.settings, saved),
  });
}

export function useSaveDisposition() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: Partial<DispositionInput> }) =>
      id ? api.patch<Disposition>(`/api/outcomes/dispositions/${encodeURIComponent(id)}`, input) : api.post<Disposition>('/api/outcomes/dispositions', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: outcomeKeys.dispositions }),
  });
}

export function useDeleteDisposition() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/outcomes/dispositions/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: outcomeKeys.dispositions }),
  });
}

/** The conversation's wrap-up; `refreshKey` (its status) refetches when it is resolved or reopened. */
export function useWrapUp(conversationId: string, refreshKey: string, enabled: boolean) {
  return useQuery({
    queryKey: [...outcomeKeys.wrapUp(conversationId), refreshKey],
    queryFn: ({ signal }) => api.get<WrapUpState>(`/api/conversations/${encodeURIComponent(conversationId)}/wrap-up`, undefined, signal),
    enabled,
    // Routing moves the task into after-contact work a moment after the resolve.
    refetchInterval: (query) => (query.state.data?.mode === 'required' && !query.state.data.wrapUp ? 5_000 : false),
  });
}

export function useRecordWrapUp(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: WrapUpInput) => api.post<WrapUp>(`/api/conversations/${encodeURIComponent(conversationId)}/wrap-up`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: outcomeKeys.wrapUp(conversationId) }),
  });
}
