import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../api';
import type {
  AutomationRun,
  Campaign,
  CampaignBody,
  CampaignPreview,
  CampaignResults,
  DeliveryStatus,
  Macro,
  MacroBody,
  MacroRunResult,
  Rule,
  RuleBody,
  TestResult,
  TestSample,
  WebhookDelivery,
  WebhookDeliveryWithAttempts,
  CampaignRecipient,
  RecipientStatus,
  WebhookEndpoint,
  WebhookEndpointDetail,
  WebhookEndpointWithSecret,
} from './types';

const BASE = '/api/automation';
const RUNS_PAGE = 50;

export const automationKeys = {
  all: ['automation'] as const,
  rules: ['automation', 'rules'] as const,
  runs: ['automation', 'runs'] as const,
  conversation: (id: string) => ['automation', 'conversation', id] as const,
  webhooks: ['automation', 'webhook-endpoints'] as const,
  macros: ['automation', 'macros'] as const,
  endpoints: ['automation', 'endpoints'] as const,
  deliveries: (endpointId: string, status: string | null) => ['automation', 'deliveries', endpointId, status] as const,
  campaigns: ['automation', 'campaigns'] as const,
  campaignPreview: (id: string) => ['automation', 'campaigns', id, 'preview'] as const,
  campaignResults: (id: string) => ['automation', 'campaigns', id, 'results'] as const,
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

/* ------------------------------------------------------------------ macros */

/** Shared macros and the caller's personal ones, by name. */
export function useMacros() {
  return useQuery({
    queryKey: automationKeys.macros,
    queryFn: ({ signal }) => api.get<{ items: Macro[] }>('/api/macros', undefined, signal),
  });
}

export function useSaveMacro() {
  const queryClient = useQueryClient();
  return useMutation({
    // `personal` is fixed once made: a change sends only the name and the actions.
    mutationFn: ({ id, body }: { id?: string; body: MacroBody }) =>
      id ? request<Macro>('PUT', `/api/macros/${encodeURIComponent(id)}`, { body: { name: body.name, actions: body.actions } }) : api.post<Macro>('/api/macros', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: automationKeys.macros }),
  });
}

export function useDeleteMacro() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/macros/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: automationKeys.macros }),
  });
}

/** Runs a macro on a conversation: all of its actions or none (a 400 says which one was refused). */
export function useRunMacro() {
  return useMutation({
    mutationFn: ({ conversationId, macroId }: { conversationId: string; macroId: string; name: string }) =>
      api.post<MacroRunResult>(`/api/conversations/${encodeURIComponent(conversationId)}/macros/${encodeURIComponent(macroId)}`),
  });
}

/* ------------------------------------------------------------------ webhooks (admin) */

const WEBHOOKS = '/api/webhooks';
const DELIVERIES_PAGE = 50;

export function useEndpoints() {
  return useQuery({
    queryKey: automationKeys.endpoints,
    queryFn: ({ signal }) => api.get<{ items: WebhookEndpointDetail[] }>(WEBHOOKS, undefined, signal),
  });
}

function useEndpointMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: automationKeys.endpoints }), queryClient.invalidateQueries({ queryKey: automationKeys.webhooks })]),
  });
}

export function useCreateEndpoint() {
  return useEndpointMutation((body: { name: string; url: string; eventTypes: string[]; enabled: boolean }) => api.post<WebhookEndpointWithSecret>(WEBHOOKS, body));
}

export function useUpdateEndpoint() {
  return useEndpointMutation(({ id, patch }: { id: string; patch: Partial<{ name: string; url: string; eventTypes: string[]; enabled: boolean }> }) =>
    api.patch<WebhookEndpointDetail>(`${WEBHOOKS}/${encodeURIComponent(id)}`, patch),
  );
}

export function useDeleteEndpoint() {
  return useEndpointMutation((id: string) => api.delete(`${WEBHOOKS}/${encodeURIComponent(id)}`));
}

export function useRotateSecret() {
  return useEndpointMutation((id: string) => api.post<WebhookEndpointWithSecret>(`${WEBHOOKS}/${encodeURIComponent(id)}/rotate-secret`));
}

export function useSendTestEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<WebhookDelivery>(`${WEBHOOKS}/${encodeURIComponent(id)}/test`),
    onSuccess: (delivery) => queryClient.invalidateQueries({ queryKey: ['automation', 'deliveries', delivery.endpointId] }),
  });
}

/** One endpoint's delivery log, newest first, page by page. */
export function useDeliveries(endpointId: string, status: DeliveryStatus | null) {
  return useInfiniteQuery({
    queryKey: automationKeys.deliveries(endpointId, status),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ signal, pageParam }) =>
      api.get<{ items: WebhookDelivery[]; nextCursor: string | null }>(`${WEBHOOKS}/${encodeURIComponent(endpointId)}/deliveries`, { status, limit: DELIVERIES_PAGE, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One delivery with every attempt it took (loaded when its row is opened). */
export function useDeliveryAttempts(endpointId: string, deliveryId: string | null) {
  return useQuery({
    queryKey: ['automation', 'deliveries', endpointId, 'attempts', deliveryId] as const,
    enabled: deliveryId !== null,
    queryFn: ({ signal }) =>
      api.get<WebhookDeliveryWithAttempts>(`${WEBHOOKS}/${encodeURIComponent(endpointId)}/deliveries/${encodeURIComponent(deliveryId!)}`, undefined, signal),
  });
}

export function useRedeliver() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) =>
      api.post<WebhookDelivery>(`${WEBHOOKS}/${encodeURIComponent(endpointId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`),
    onSuccess: (_d, { endpointId }) => queryClient.invalidateQueries({ queryKey: ['automation', 'deliveries', endpointId] }),
  });
}

/* ------------------------------------------------------------------ campaigns (supervisor) */

const CAMPAIGNS = '/api/campaigns';

export function useCampaigns() {
  return useQuery({
    queryKey: automationKeys.campaigns,
    queryFn: ({ signal }) => api.get<{ items: Campaign[] }>(CAMPAIGNS, undefined, signal),
  });
}

function useCampaignMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: automationKeys.campaigns }) });
}

export function useSaveCampaign() {
  return useCampaignMutation(({ id, body }: { id?: string; body: CampaignBody }) =>
    id ? request<Campaign>('PUT', `${CAMPAIGNS}/${encodeURIComponent(id)}`, { body }) : api.post<Campaign>(CAMPAIGNS, body),
  );
}

export function useDeleteCampaign() {
  return useCampaignMutation((id: string) => api.delete(`${CAMPAIGNS}/${encodeURIComponent(id)}`));
}

export function useLaunchCampaign() {
  return useCampaignMutation((id: string) => api.post<Campaign>(`${CAMPAIGNS}/${encodeURIComponent(id)}/launch`));
}

export function useCancelCampaign() {
  return useCampaignMutation((id: string) => api.post<Campaign>(`${CAMPAIGNS}/${encodeURIComponent(id)}/cancel`));
}

export function useCampaignPreview(id: string, enabled: boolean) {
  return useQuery({
    queryKey: automationKeys.campaignPreview(id),
    queryFn: ({ signal }) => api.get<CampaignPreview>(`${CAMPAIGNS}/${encodeURIComponent(id)}/preview`, undefined, signal),
    enabled,
  });
}

export function useCampaignResults(id: string, enabled: boolean) {
  return useQuery({
    queryKey: automationKeys.campaignResults(id),
    queryFn: ({ signal }) => api.get<CampaignResults>(`${CAMPAIGNS}/${encodeURIComponent(id)}/results`, undefined, signal),
    enabled,
    // Sending goes on in the background; the numbers follow while the panel is open.
    refetchInterval: 15_000,
  });
}

const RECIPIENTS_PAGE = 50;

/** A launched campaign's recipients in sending order, page by page. */
export function useCampaignRecipients(id: string, status: RecipientStatus | null) {
  return useInfiniteQuery({
    queryKey: ['automation', 'campaigns', id, 'recipients', status] as const,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ signal, pageParam }) =>
      api.get<{ items: CampaignRecipient[]; nextCursor: string | null }>(`${CAMPAIGNS}/${encodeURIComponent(id)}/recipients`, { status, limit: RECIPIENTS_PAGE, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
