import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { queryKeys } from '../queryKeys';
import type { ListResponse } from '../types';
import type { ChannelCreateInput, ChannelDetail, ChannelPatch, ChannelTestResult, ChannelType, WebhookReject } from './types';

const channelPath = (id: string) => `/api/channels/${encodeURIComponent(id)}`;

export function useChannelList() {
  return useQuery({
    queryKey: queryKeys.channels,
    queryFn: ({ signal }) => api.get<ListResponse<ChannelDetail>>('/api/channels', undefined, signal),
  });
}

export function useChannelTypes() {
  return useQuery({
    queryKey: queryKeys.channelTypes,
    queryFn: ({ signal }) => api.get<ListResponse<ChannelType>>('/api/channels/types', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export function useChannelRejects(id: string | null) {
  return useQuery({
    queryKey: queryKeys.channelRejects(id ?? ''),
    queryFn: ({ signal }) => api.get<ListResponse<WebhookReject>>(`${channelPath(id!)}/rejects`, undefined, signal),
    enabled: id !== null,
  });
}

/** Both the admin list and the desk's channel filter read GET /api/channels. */
function useInvalidateChannels() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.channels, exact: true });
    void queryClient.invalidateQueries({ queryKey: ['inbox', 'channels'] });
  };
}

export function useCreateChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (input: ChannelCreateInput) => api.post<ChannelDetail>('/api/channels', input),
    onSuccess: invalidate,
  });
}

export function useUpdateChannel() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: ChannelPatch }) => api.patch<ChannelDetail>(channelPath(id), patch),
    onSuccess: (channel) => {
      queryClient.setQueryData<ListResponse<ChannelDetail>>(queryKeys.channels, (prev) =>
        prev ? { items: prev.items.map((c) => (c.id === channel.id ? channel : c)) } : prev,
      );
      invalidate();
    },
  });
}

export function useTestChannel() {
  return useMutation({
    mutationFn: (id: string) => api.post<ChannelTestResult>(`${channelPath(id)}/test`),
  });
}
