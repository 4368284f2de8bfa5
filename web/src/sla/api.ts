import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../api';
import type { ConversationSla, SlaCalendar, SlaCalendarInput, SlaPolicy, SlaPolicyInput } from './types';

export const slaKeys = {
  all: ['sla'] as const,
  calendars: ['sla', 'calendars'] as const,
  policies: ['sla', 'policies'] as const,
  conversation: (id: string) => ['sla', 'conversation', id] as const,
};

export function useSlaCalendars() {
  return useQuery({
    queryKey: slaKeys.calendars,
    queryFn: ({ signal }) => api.get<{ items: SlaCalendar[] }>('/api/sla/calendars', undefined, signal),
  });
}

export function useSlaPolicies() {
  return useQuery({
    queryKey: slaKeys.policies,
    queryFn: ({ signal }) => api.get<{ items: SlaPolicy[] }>('/api/sla/policies', undefined, signal),
  });
}

export function useSaveCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: SlaCalendarInput }) =>
      id ? request<SlaCalendar>('PUT', `/api/sla/calendars/${encodeURIComponent(id)}`, { body: input }) : api.post<SlaCalendar>('/api/sla/calendars', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.all }),
  });
}

export function useDeleteCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/sla/calendars/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.all }),
  });
}

export function useSavePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: SlaPolicyInput }) =>
      id ? request<SlaPolicy>('PUT', `/api/sla/policies/${encodeURIComponent(id)}`, { body: input }) : api.post<SlaPolicy>('/api/sla/policies', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.all }),
  });
}

export function useDeletePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/sla/policies/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.all }),
  });
}

export function useConversationSla(conversationId: string) {
  return useQuery({
    queryKey: slaKeys.conversation(conversationId),
    queryFn: ({ signal }) => api.get<ConversationSla>(`/api/conversations/${encodeURIComponent(conversationId)}/sla`, undefined, signal),
    // Business time can start or stop with the calendar without any event: look again now and then.
    refetchInterval: 60_000,
  });
}
