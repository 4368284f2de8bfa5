import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, request } from '../api';
import type { ChannelDetail } from '../channels/types';
import type { ListResponse } from '../types';
import type { FlowDefinition, FlowDetail, FlowIssue, FlowStatsItem, FlowSummary, SimulateRequest, SimulateResponse, ValidationResult } from './types';

export const flowKeys = {
  all: ['flows'] as const,
  list: ['flows', 'list'] as const,
  detail: (id: string) => ['flows', 'detail', id] as const,
  stats: (days: number) => ['flows', 'stats', days] as const,
  validate: (definition: unknown) => ['flows', 'validate', definition] as const,
  channels: ['flows', 'channels'] as const,
};

const flowPath = (id: string) => `/api/flows/${encodeURIComponent(id)}`;

export function useFlowList(enabled = true) {
  return useQuery({
    queryKey: flowKeys.list,
    queryFn: ({ signal }) => api.get<ListResponse<FlowSummary>>('/api/flows', undefined, signal),
    enabled,
  });
}

export function useFlowStats(days = 30) {
  return useQuery({
    queryKey: flowKeys.stats(days),
    queryFn: ({ signal }) => api.get<{ items: FlowStatsItem[] }>('/api/flows/stats', { days }, signal),
  });
}

export function useFlow(id: string) {
  return useQuery({
    queryKey: flowKeys.detail(id),
    queryFn: ({ signal }) => api.get<FlowDetail>(flowPath(id), undefined, signal),
    // The editor holds its own draft; refetching behind its back would only confuse it.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
}

/** The workspace's channels, for binding (GET /api/channels is open to every role). */
export function useChannelsForFlows() {
  return useQuery({
    queryKey: flowKeys.channels,
    queryFn: ({ signal }) => api.get<ListResponse<ChannelDetail>>('/api/channels', undefined, signal),
    staleTime: 60_000,
  });
}

/** Validation of the editor's draft as it is typed (the caller debounces). */
export function useValidation(definition: FlowDefinition | null) {
  return useQuery({
    queryKey: flowKeys.validate(definition),
    queryFn: ({ signal }) => request<ValidationResult>('POST', '/api/flows/validate', { body: { definition }, signal }),
    enabled: definition !== null,
    placeholderData: (previous) => previous,
    staleTime: Infinity,
    gcTime: 30_000,
    retry: false,
  });
}

function useStoreDetail() {
  const queryClient = useQueryClient();
  return (flow: FlowDetail) => {
    queryClient.setQueryData(flowKeys.detail(flow.id), flow);
    void queryClient.invalidateQueries({ queryKey: flowKeys.list });
  };
}

export function useCreateFlow() {
  const store = useStoreDetail();
  return useMutation({
    mutationFn: (name: string) => api.post<FlowDetail>('/api/flows', { name }),
    onSuccess: store,
  });
}

export function useSaveFlow(id: string) {
  const store = useStoreDetail();
  return useMutation({
    mutationFn: (input: { name: string; definition: FlowDefinition }) => request<FlowDetail>('PUT', flowPath(id), { body: input }),
    onSuccess: store,
  });
}

export function usePublishFlow(id: string) {
  const store = useStoreDetail();
  return useMutation({
    mutationFn: () => api.post<FlowDetail>(`${flowPath(id)}/publish`),
    onSuccess: store,
  });
}

export function useUnpublishFlow(id: string) {
  const store = useStoreDetail();
  return useMutation({
    mutationFn: () => api.post<FlowDetail>(`${flowPath(id)}/unpublish`),
    onSuccess: store,
  });
}

export function useBindChannels(id: string) {
  const store = useStoreDetail();
  return useMutation({
    mutationFn: (channelIds: string[]) => request<FlowDetail>('PUT', `${flowPath(id)}/channels`, { body: { channelIds } }),
    onSuccess: store,
  });
}

export function useSimulate(id: string) {
  return useMutation({
    mutationFn: (body: SimulateRequest) => api.post<SimulateResponse>(`${flowPath(id)}/simulate`, body),
  });
}

/** The issues a 400 `flow_invalid` carries in `error.details`. */
export function flowIssuesOf(error: unknown): FlowIssue[] {
  if (!isApiError(error) || error.code !== 'flow_invalid' || !Array.isArray(error.details)) return [];
  return error.details.filter((d): d is FlowIssue => typeof d === 'object' && d !== null && typeof (d as FlowIssue).message === 'string');
}
