import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { isApiError } from '../../api';
import { useRealtime, type RealtimeState } from '../../realtime';
import type { DomainEvent } from '../../types';
import type { InboxFilters } from './filters';
import {
  fetchConversation,
  inboxKeys,
  refreshLatestMessages,
  removeConversation,
  trimListsToFirstPage,
  upsertConversation,
} from './queries';

const DEBOUNCE_MS = 120;
const MAX_WAIT_MS = 1_000;
const CONCURRENCY = 6;
/** Beyond this many changed conversations in one burst, reloading the lists is cheaper. */
const BULK_THRESHOLD = 40;

function touchesMessages(event: DomainEvent): boolean {
  return event.type.startsWith('message.') || event.type === 'note.added';
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Keeps the desk's caches live: conversation events are collected for a moment, then each
 * changed conversation is fetched once and written into the detail, every loaded list (in
 * activity order, or out when it no longer matches) and the customer's history; loaded
 * timelines fetch their newest page. After a reconnect everything is refetched.
 */
export function useInboxLive(meId: string): RealtimeState {
  const queryClient = useQueryClient();
  const changed = useRef(new Set<string>());
  const withMessages = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const firstQueuedAt = useRef<number | null>(null);
  const running = useRef(false);
  const meRef = useRef(meId);
  meRef.current = meId;

  const flushRef = useRef<() => Promise<void>>(async () => {});
  flushRef.current = async () => {
    if (running.current) {
      schedule();
      return;
    }
    running.current = true;
    firstQueuedAt.current = null;
    const ids = [...changed.current];
    const messageIds = [...withMessages.current];
    changed.current.clear();
    withMessages.current.clear();
    try {
      if (ids.length > BULK_THRESHOLD) {
        trimListsToFirstPage(queryClient);
        await queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
        for (const id of ids) void queryClient.invalidateQueries({ queryKey: inboxKeys.conversation(id) });
      } else {
        await eachLimited(ids, CONCURRENCY, async (id) => {
          try {
            upsertConversation(queryClient, await fetchConversation(id), meRef.current);
          } catch (error) {
            if (isApiError(error) && error.status === 404) removeConversation(queryClient, id);
          }
        });
      }
      await eachLimited(messageIds, CONCURRENCY, async (id) => {
        // A customer's message reopens a reply window; a delivery report may mark an opt-out.
        void queryClient.invalidateQueries({ queryKey: inboxKeys.replyOptions(id), exact: true });
        try {
          await refreshLatestMessages(queryClient, id);
        } catch {
          void queryClient.invalidateQueries({ queryKey: inboxKeys.messages(id) });
        }
      });
      // Text-search lists are decided by the server: ask it again.
      if (ids.length > 0) {
        void queryClient.invalidateQueries({
          queryKey: inboxKeys.lists,
          predicate: (q) => ((q.queryKey[2] as InboxFilters | undefined)?.q ?? '').trim() !== '',
        });
      }
    } finally {
      running.current = false;
    }
  };

  function schedule() {
    const now = Date.now();
    firstQueuedAt.current ??= now;
    clearTimeout(timer.current);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, firstQueuedAt.current + MAX_WAIT_MS - now));
    timer.current = setTimeout(() => void flushRef.current(), wait);
  }

  useEffect(() => {
    // Coming back to the desk: events were not followed meanwhile, refresh what is cached
    // (what is stale is being refetched already).
    void queryClient.invalidateQueries({
      queryKey: inboxKeys.all,
      predicate: (q) => q.state.data !== undefined && q.state.fetchStatus === 'idle',
    });
    return () => {
      clearTimeout(timer.current);
      // Leaving: keep one page per list, so that refresh costs one request per list.
      trimListsToFirstPage(queryClient);
    };
  }, [queryClient]);

  return useRealtime({
    onEvent: (event) => {
      if (event.subjectType !== 'conversation' || !event.subjectId) return;
      changed.current.add(event.subjectId);
      if (touchesMessages(event)) withMessages.current.add(event.subjectId);
      schedule();
    },
    onOpen: (reconnected) => {
      if (!reconnected) return;
      // Events were missed while disconnected: refetch (lists from their first page).
      trimListsToFirstPage(queryClient);
      void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
    },
  });
}
