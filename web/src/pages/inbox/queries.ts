import { keepPreviousData, useInfiniteQuery, useQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import type { CannedResponse, Channel, Conversation, Customer, ListResponse, Message, PageResponse, PersonRef, ReplyOptions } from '../../types';
import { filtersToQuery, matchesFilters, type InboxFilters, type InboxSort } from './filters';

export const LIST_PAGE_SIZE = 50;
export const MESSAGE_PAGE_SIZE = 50;

/** Query keys of the desk; everything starts with 'inbox' so a reconnect can refresh it all at once. */
export const inboxKeys = {
  all: ['inbox'] as const,
  lists: ['inbox', 'list'] as const,
  list: (f: InboxFilters) => ['inbox', 'list', f] as const,
  conversation: (id: string) => ['inbox', 'conversation', id] as const,
  messages: (id: string) => ['inbox', 'messages', id] as const,
  customer: (id: string) => ['inbox', 'customer', id] as const,
  customerConversations: (id: string) => ['inbox', 'customer-conversations', id] as const,
  canned: (conversationId: string, q: string) => ['inbox', 'canned', conversationId, q] as const,
  channels: ['inbox', 'channels'] as const,
  replyOptions: (id: string) => ['inbox', 'reply-options', id] as const,
  users: ['users'] as const,
};

type ConversationPages = InfiniteData<PageResponse<Conversation>, string | null>;
type MessagePages = InfiniteData<PageResponse<Message>, string | null>;

/* ------------------------------------------------------------------ fetchers */

export const fetchConversation = (id: string, signal?: AbortSignal) =>
  api.get<Conversation>(`/api/conversations/${encodeURIComponent(id)}`, undefined, signal);

const fetchMessages = (id: string, cursor: string | null, signal?: AbortSignal) =>
  api.get<PageResponse<Message>>(`/api/conversations/${encodeURIComponent(id)}/messages`, { cursor, limit: MESSAGE_PAGE_SIZE }, signal);

/* ------------------------------------------------------------------ hooks */

export function useConversationList(filters: InboxFilters) {
  return useInfiniteQuery({
    queryKey: inboxKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<PageResponse<Conversation>>('/api/conversations', { ...filtersToQuery(filters), cursor: pageParam, limit: LIST_PAGE_SIZE }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Live updates patch the cache; a plain stale time keeps quick filter switches instant.
    // A refetch would reload every loaded page, so the desk trims lists to their first page
    // before it refreshes them (see live.ts) instead of refetching on a network change.
    staleTime: 30_000,
    refetchOnReconnect: false,
    placeholderData: keepPreviousData,
  });
}

/** `placeholder` (the list's copy) lets the conversation open instantly while the detail loads. */
export function useConversation(id: string | undefined, placeholder?: Conversation) {
  return useQuery({
    queryKey: inboxKeys.conversation(id ?? ''),
    queryFn: ({ signal }) => fetchConversation(id!, signal),
    enabled: !!id,
    staleTime: 30_000,
    placeholderData: placeholder,
  });
}

export function useMessages(id: string) {
  return useInfiniteQuery({
    queryKey: inboxKeys.messages(id),
    queryFn: ({ pageParam, signal }) => fetchMessages(id, pageParam, signal),
    initialPageParam: null as string | null,
    // Pages go backwards in time: the "next" page holds older messages.
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 30_000,
  });
}

export function useCustomer(id: string | undefined) {
  return useQuery({
    queryKey: inboxKeys.customer(id ?? ''),
    queryFn: ({ signal }) => api.get<Customer>(`/api/customers/${encodeURIComponent(id!)}`, undefined, signal),
    enabled: !!id,
    staleTime: 60_000,
  });
}

export function useCustomerConversations(id: string | undefined) {
  return useQuery({
    queryKey: inboxKeys.customerConversations(id ?? ''),
    queryFn: ({ signal }) => api.get<ListResponse<Conversation>>(`/api/customers/${encodeURIComponent(id!)}/conversations`, undefined, signal),
    enabled: !!id,
    staleTime: 30_000,
  });
}

export function useCannedResponses(conversationId: string, q: string, enabled: boolean) {
  return useQuery({
    queryKey: inboxKeys.canned(conversationId, q),
    queryFn: ({ signal }) =>
      api.get<ListResponse<CannedResponse>>(`/api/conversations/${encodeURIComponent(conversationId)}/canned-responses`, { q }, signal),
    enabled,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** Active colleagues (`GET /api/teammates`), for assigning and transferring. */
export function useTeammates() {
  return useQuery({
    queryKey: inboxKeys.users,
    queryFn: ({ signal }) => api.get<ListResponse<PersonRef>>('/api/teammates', undefined, signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** The channel's limits for a reply: length, files, the reply window, templates, opt-out. */
export function useReplyOptions(conversationId: string) {
  return useQuery({
    queryKey: inboxKeys.replyOptions(conversationId),
    queryFn: ({ signal }) => api.get<ReplyOptions>(`/api/conversations/${encodeURIComponent(conversationId)}/reply-options`, undefined, signal),
    staleTime: 60_000,
    // The window moves with the customer's messages (live.ts refreshes it) and with time.
    refetchInterval: 5 * 60_000,
  });
}

export function useChannels() {
  return useQuery({
    queryKey: inboxKeys.channels,
    queryFn: ({ signal }) => api.get<ListResponse<Channel>>('/api/channels', undefined, signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/* ------------------------------------------------------------------ list helpers */

/** Items of all loaded pages, de-duplicated (a conversation that moved may be in two pages). */
export function flattenConversations(data: InfiniteData<PageResponse<Conversation>, unknown> | undefined): Conversation[] {
  if (!data) return [];
  const seen = new Set<string>();
  const out: Conversation[] = [];
  for (const page of data.pages) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      out.push(item);
    }
  }
  return out;
}

/** Messages of all loaded pages, oldest first. */
export function flattenMessages(data: InfiniteData<PageResponse<Message>, unknown> | undefined): Message[] {
  if (!data) return [];
  const byId = new Map<string, Message>();
  for (const page of data.pages) for (const m of page.items) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function activityTime(c: Conversation): number {
  const ms = Date.parse(c.lastActivityAt);
  return Number.isNaN(ms) ? 0 : ms;
}

const PRIORITY_RANK: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** The server's order: newest activity first, or most urgent first then longest waiting; ties by id. */
function comesBefore(a: Conversation, b: Conversation, sort: InboxSort): boolean {
  if (sort === 'priority') {
    const p = (PRIORITY_RANK[a.priority] ?? 0) - (PRIORITY_RANK[b.priority] ?? 0);
    if (p !== 0) return p > 0;
    const d = activityTime(a) - activityTime(b);
    return d !== 0 ? d < 0 : a.id < b.id;
  }
  const d = activityTime(a) - activityTime(b);
  return d !== 0 ? d > 0 : a.id > b.id;
}

/**
 * Puts a conversation where it belongs in one list's loaded pages: removed everywhere, then
 * inserted in activity order when it matches the filters. When it sorts after everything loaded
 * and more pages exist, it is left for paging to bring in.
 */
function placeInList(data: ConversationPages, conversation: Conversation, matches: boolean | null, sort: InboxSort): ConversationPages {
  if (matches === null) {
    // Text search: the server decides membership; just refresh it where it already is.
    return {
      ...data,
      pages: data.pages.map((page) =>
        page.items.some((c) => c.id === conversation.id) ? { ...page, items: page.items.map((c) => (c.id === conversation.id ? conversation : c)) } : page,
      ),
    };
  }
  let pages = data.pages.map((page) =>
    page.items.some((c) => c.id === conversation.id) ? { ...page, items: page.items.filter((c) => c.id !== conversation.id) } : page,
  );
  if (matches) {
    let placed = false;
    pages = pages.map((page) => {
      if (placed) return page;
      const index = page.items.findIndex((c) => comesBefore(conversation, c, sort));
      if (index === -1) return page;
      placed = true;
      const items = [...page.items];
      items.splice(index, 0, conversation);
      return { ...page, items };
    });
    const last = pages[pages.length - 1];
    if (!placed && last && !last.nextCursor) {
      pages = [...pages.slice(0, -1), { ...last, items: [...last.items, conversation] }];
    }
  }
  return { ...data, pages };
}

/** Writes a fresh conversation into every cache that shows it: detail, lists, customer history. */
export function upsertConversation(queryClient: QueryClient, conversation: Conversation, meId: string): void {
  queryClient.setQueryData(inboxKeys.conversation(conversation.id), conversation);
  for (const query of queryClient.getQueryCache().findAll({ queryKey: inboxKeys.lists })) {
    const filters = query.queryKey[2] as InboxFilters | undefined;
    const data = query.state.data as ConversationPages | undefined;
    if (!filters || !data) continue;
    queryClient.setQueryData<ConversationPages>(query.queryKey, placeInList(data, conversation, matchesFilters(conversation, filters, meId), filters.sort ?? 'activity'));
  }
  queryClient.setQueryData<ListResponse<Conversation>>(inboxKeys.customerConversations(conversation.customer.id), (prev) => {
    if (!prev) return prev;
    const rest = prev.items.filter((c) => c.id !== conversation.id);
    const had = rest.length !== prev.items.length;
    return { items: had ? prev.items.map((c) => (c.id === conversation.id ? conversation : c)) : [conversation, ...rest] };
  });
}

/** Drops a conversation that is gone (404) from every list. */
export function removeConversation(queryClient: QueryClient, id: string): void {
  queryClient.removeQueries({ queryKey: inboxKeys.conversation(id) });
  for (const query of queryClient.getQueryCache().findAll({ queryKey: inboxKeys.lists })) {
    const data = query.state.data as ConversationPages | undefined;
    if (!data || !data.pages.some((p) => p.items.some((c) => c.id === id))) continue;
    queryClient.setQueryData<ConversationPages>(query.queryKey, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, items: p.items.filter((c) => c.id !== id) })),
    });
  }
}

/** Keeps only the first page of every list, so a refetch after a reconnect costs one request each. */
export function trimListsToFirstPage(queryClient: QueryClient, only: 'all' | 'inactive' = 'all'): void {
  queryClient.setQueriesData<ConversationPages>({ queryKey: inboxKeys.lists, type: only }, (data) =>
    data && data.pages.length > 1 ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data,
  );
}

/* ------------------------------------------------------------------ message helpers */

/** Merges messages (new or changed) into the loaded pages: replaced in place, new ones to the newest page. */
export function mergeMessages(queryClient: QueryClient, conversationId: string, incoming: readonly Message[]): void {
  if (incoming.length === 0) return;
  queryClient.setQueryData<MessagePages>(inboxKeys.messages(conversationId), (data) => {
    if (!data || data.pages.length === 0) return data;
    const byId = new Map(incoming.map((m) => [m.id, m]));
    const pages = data.pages.map((page) => {
      if (!page.items.some((m) => byId.has(m.id))) return page;
      return {
        ...page,
        items: page.items.map((m) => {
          const fresh = byId.get(m.id);
          if (!fresh) return m;
          byId.delete(m.id);
          return fresh;
        }),
      };
    });
    if (byId.size > 0) {
      const [first, ...rest] = pages;
      const items = [...first!.items, ...byId.values()].sort((a, b) => a.seq - b.seq);
      return { ...data, pages: [{ ...first!, items }, ...rest] };
    }
    return { ...data, pages };
  });
}

/**
 * Brings the loaded messages of a conversation up to date after a live event: fetches the newest
 * page and merges it. When more arrived than one page holds (a gap), reloads from scratch.
 */
export async function refreshLatestMessages(queryClient: QueryClient, conversationId: string): Promise<void> {
  const key = inboxKeys.messages(conversationId);
  const current = queryClient.getQueryData<MessagePages>(key);
  if (!current) return;
  const latest = await fetchMessages(conversationId, null);
  const known = new Set(current.pages.flatMap((p) => p.items.map((m) => m.id)));
  const overlaps = latest.items.some((m) => known.has(m.id)) || latest.nextCursor === null || known.size === 0;
  if (!overlaps) {
    await queryClient.resetQueries({ queryKey: key, exact: true });
    return;
  }
  mergeMessages(queryClient, conversationId, latest.items);
}
