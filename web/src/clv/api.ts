import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { queryKeys } from '../queryKeys';
import type { ClvModel, ClvOverview, CustomerValue } from './types';

export function useClvOverview() {
  return useQuery({
    queryKey: queryKeys.clvOverview,
    queryFn: ({ signal }) => api.get<ClvOverview>('/api/clv/overview', undefined, signal),
  });
}

export function useCustomerValue(customerId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.customerValue(customerId ?? ''),
    queryFn: ({ signal }) => api.get<CustomerValue>(`/api/customers/${encodeURIComponent(customerId!)}/value`, undefined, signal),
    enabled: !!customerId,
    staleTime: 60_000,
  });
}

export function useRefitClv() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ClvModel>('/api/clv/refit'),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['clv'] });
    },
  });
}
