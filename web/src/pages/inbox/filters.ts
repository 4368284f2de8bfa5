import type { QueryParams } from '../../api';
import { CONVERSATION_STATUSES, INBOX_VIEWS, type Conversation, type ConversationStatus, type InboxView } from '../../types';

/** The list filters; they live in the URL (`?view=&status=&channel=&tag=&q=`) so links and reloads keep them. */
export const INBOX_SORTS = ['activity', 'priority'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

export interface InboxFilters {
  view: InboxView;
  /** Newest activity first, or most urgent first then longest waiting (a queue). */
  sort: InboxSort;
  status: ConversationStatus;
  channelType: string | null;
  tag: string | null;
  q: string;
}

export const DEFAULT_FILTERS: InboxFilters = { view: 'all', sort: 'activity', status: 'open', channelType: null, tag: null, q: '' };

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function parseFilters(params: URLSearchParams): InboxFilters {
  return {
    view: oneOf(INBOX_VIEWS, params.get('view'), DEFAULT_FILTERS.view),
    sort: oneOf(INBOX_SORTS, params.get('sort'), DEFAULT_FILTERS.sort),
    status: oneOf(CONVERSATION_STATUSES, params.get('status'), DEFAULT_FILTERS.status),
    channelType: params.get('channel') || null,
    tag: params.get('tag') || null,
    q: params.get('q') ?? '',
  };
}

/** Search string for the filters, leaving out defaults ("" when everything is default). */
export function filtersToSearch(f: InboxFilters): string {
  const params = new URLSearchParams();
  if (f.view !== DEFAULT_FILTERS.view) params.set('view', f.view);
  if (f.sort !== DEFAULT_FILTERS.sort) params.set('sort', f.sort);
  if (f.status !== DEFAULT_FILTERS.status) params.set('status', f.status);
  if (f.channelType) params.set('channel', f.channelType);
  if (f.tag) params.set('tag', f.tag);
  if (f.q.trim()) params.set('q', f.q.trim());
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Query string parameters for `GET /api/conversations`. */
export function filtersToQuery(f: InboxFilters): QueryParams {
  return { view: f.view, sort: f.sort, status: f.status, channelType: f.channelType, tag: f.tag, q: f.q.trim() || undefined };
}

/**
 * Whether a conversation belongs in a list with these filters. `null` when that cannot be
 * decided here (text search runs on the server, over messages too).
 */
export function matchesFilters(c: Conversation, f: InboxFilters, meId: string): boolean | null {
  if (f.view === 'mine' && c.assignee?.id !== meId) return false;
  if (f.view === 'unassigned' && c.assignee !== null) return false;
  if (c.status !== f.status) return false;
  if (f.channelType && c.channelType !== f.channelType) return false;
  if (f.tag && !c.tags.includes(f.tag)) return false;
  if (f.q.trim()) return null;
  return true;
}
