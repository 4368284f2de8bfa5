import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';

export interface CustomerSummary {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface MergeSuggestion {
  id: string;
  rule: string;
  value: string;
  createdAt: string;
  other: CustomerSummary;
}

export interface CustomerMerge {
  id: string;
  survivorId: string;
  mergedId: string;
  rule: string | null;
  actorId: string;
  identities: number;
  conversations: number;
  orders: number;
  createdAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export const customerKeys = {
  identity: (id: string) => ['customers', 'identity', id] as const,
  search: (q: string) => ['customers', 'search', q] as const,
};

export function useCustomerIdentity(customerId: string) {
  return useQuery({
    queryKey: customerKeys.identity(customerId),
    queryFn: ({ signal }) => api.get<{ suggestions: MergeSuggestion[]; merges: CustomerMerge[] }>(`/api/customers/${encodeURIComponent(customerId)}/identity`, undefined, signal),
    staleTime: 30_000,
  });
}

export function useCustomerSearch(q: string) {
  return useQuery({
    queryKey: customerKeys.search(q),
    queryFn: ({ signal }) => api.get<{ items: CustomerSummary[] }>('/api/customers', { q, limit: 10 }, signal),
    enabled: q.trim().length >= 2,
  });
}

/** After a merge, unmerge or erasure the desk's customer, conversations and value are all stale. */
function useRefreshCustomers() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['customers'] });
    void queryClient.invalidateQueries({ queryKey: ['inbox'] });
    void queryClient.invalidateQueries({ queryKey: ['clv'] });
  };
}

export function useMergeCustomer(survivorId: string) {
  const refresh = useRefreshCustomers();
  return useMutation({
    mutationFn: (otherCustomerId: string) => api.post<CustomerMerge>(`/api/customers/${encodeURIComponent(survivorId)}/merge`, { otherCustomerId }),
    onSuccess: refresh,
  });
}

export function useDecideSuggestion() {
  const refresh = useRefreshCustomers();
  return useMutation({
    mutationFn: (input: { id: string; decision: 'merge' | 'dismiss'; survivorId?: string }) =>
      api.post<{ merge: CustomerMerge | null }>(`/api/merge-suggestions/${encodeURIComponent(input.id)}`, { decision: input.decision, survivorId: input.survivorId }),
    onSuccess: refresh,
  });
}

export function useUndoMerge() {
  const refresh = useRefreshCustomers();
  return useMutation({
    mutationFn: (mergeId: string) => api.post<CustomerMerge>(`/api/customer-merges/${encodeURIComponent(mergeId)}/undo`),
    onSuccess: refresh,
  });
}

export function useEraseCustomer(customerId: string) {
  const refresh = useRefreshCustomers();
  return useMutation({
    mutationFn: () => api.post<{ erasedAt: string }>(`/api/customers/${encodeURIComponent(customerId)}/erase`, { confirm: true }),
    onSuccess: refresh,
  });
}
