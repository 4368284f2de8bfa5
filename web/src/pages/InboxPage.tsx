import './inbox/inbox.css';

import { Box, Button, Center, Drawer, Loader, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../components/ErrorAlert';
import { useCurrentSession } from '../session';
import { ConversationList } from './inbox/ConversationList';
import { ConversationPane } from './inbox/ConversationPane';
import { CustomerPanel } from './inbox/CustomerPanel';
import { filtersToSearch, parseFilters, type InboxFilters } from './inbox/filters';
import { useInboxLive } from './inbox/live';
import { flattenConversations, trimListsToFirstPage, useConversation, useConversationList } from './inbox/queries';
import { ShortcutsHelp, useShortcuts } from './inbox/shortcuts';

const LIST_WIDTH = 320;
const PANEL_WIDTH = 280;

/** The agent desk: conversation list, timeline with reply box, customer panel. */
export function InboxPage() {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const { conversationId } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = useMemo(() => parseFilters(searchParams), [searchParams]);
  const linkSearch = filtersToSearch(filters);

  const realtimeState = useInboxLive(user.id);
  const list = useConversationList(filters);
  const items = useMemo(() => flattenConversations(list.data), [list.data]);
  const fromList = useMemo(() => items.find((c) => c.id === conversationId), [items, conversationId]);
  const conversation = useConversation(conversationId, fromList);

  // Three panes from 62em; the customer panel sits inline from 75em, else in a drawer.
  const wide = useMediaQuery('(min-width: 62em)', true, { getInitialValueInEffect: false });
  const roomy = useMediaQuery('(min-width: 75em)', true, { getInitialValueInEffect: false });
  const [panelInline, setPanelInline] = useState(true);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [scrollToIndex, setScrollToIndex] = useState<number | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => setDrawerOpen(false), [conversationId]);

  useEffect(() => {
    document.title = t('app.documentTitle', { page: t('inbox.title') });
  }, [t]);

  const queryClient = useQueryClient();
  const setFilters = useCallback(
    (patch: Partial<InboxFilters>) => {
      // Lists left behind keep one page: coming back to them then refetches one page, not all.
      trimListsToFirstPage(queryClient, 'inactive');
      setSearchParams(new URLSearchParams(filtersToSearch({ ...filters, ...patch })), { replace: true });
    },
    [filters, setSearchParams, queryClient],
  );

  // j/k move through the list; when the open conversation left the list (e.g. resolved in the
  // "open" view), they continue from where it was.
  const index = conversationId ? items.findIndex((c) => c.id === conversationId) : -1;
  const lastIndex = useRef(-1);
  if (index !== -1) lastIndex.current = index;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const open = (i: number) => {
    const target = items[i];
    if (!target) return;
    setScrollToIndex(i);
    navigate(`/inbox/${target.id}${linkSearch}`, { replace: true });
  };

  useShortcuts(
    {
      j: () => {
        const next = index !== -1 ? index + 1 : conversationId ? Math.max(0, lastIndex.current) : 0;
        if (next >= items.length - 5) loadMore();
        open(Math.min(next, items.length - 1));
      },
      k: () => {
        const prev = index !== -1 ? index - 1 : lastIndex.current - 1;
        open(Math.max(0, prev));
      },
      '/': () => {
        searchRef.current?.focus();
        searchRef.current?.select();
      },
      '?': () => setHelpOpen(true),
    },
    !helpOpen,
  );

  const showList = wide || !conversationId;
  const showConversation = wide || !!conversationId;
  const current = conversation.data;
  const panelOpen = roomy ? panelInline : drawerOpen;
  const togglePanel = () => (roomy ? setPanelInline((v) => !v) : setDrawerOpen((v) => !v));

  return (
    <Box h="calc(100dvh - var(--app-shell-header-height, 60px))" style={{ display: 'flex', overflow: 'hidden' }} data-testid="inbox">
      {showList && (
        <Box
          w={wide ? LIST_WIDTH : '100%'}
          h="100%"
          style={{ flexShrink: 0, borderRight: wide ? '1px solid var(--mantine-color-gray-3)' : undefined }}
        >
          <ConversationList
            filters={filters}
            onFiltersChange={setFilters}
            items={items}
            activeId={conversationId}
            linkSearch={linkSearch}
            isPending={list.isPending}
            error={list.error}
            hasNextPage={list.hasNextPage}
            isFetchingNextPage={list.isFetchingNextPage}
            fetchNextPage={loadMore}
            realtimeState={realtimeState}
            onHelp={() => setHelpOpen(true)}
            searchRef={searchRef}
            scrollToIndex={scrollToIndex}
          />
        </Box>
      )}

      {showConversation && (
        <Box h="100%" style={{ flex: 1, minWidth: 0 }}>
          {!conversationId ? (
            <Center h="100%" p="xl">
              <Stack align="center" gap={4}>
                <Text c="dimmed">{t('inbox.pick')}</Text>
                <Text size="xs" c="dimmed">
                  {t('inbox.pickHint')}
                </Text>
              </Stack>
            </Center>
          ) : current ? (
            <ConversationPane
              conversation={current}
              onBack={wide ? undefined : () => navigate(`/inbox${linkSearch}`)}
              onTogglePanel={togglePanel}
              panelOpen={panelOpen}
            />
          ) : conversation.isError ? (
            <Stack p="lg" maw={520}>
              <ErrorAlert error={conversation.error} />
              <Button variant="light" onClick={() => navigate(`/inbox${linkSearch}`)}>
                {t('inbox.back')}
              </Button>
            </Stack>
          ) : (
            <Center h="100%">
              <Loader />
            </Center>
          )}
        </Box>
      )}

      {roomy && panelInline && current && wide && (
        <Box w={PANEL_WIDTH} h="100%" style={{ flexShrink: 0, borderLeft: '1px solid var(--mantine-color-gray-3)' }}>
          <CustomerPanel conversation={current} linkSearch={linkSearch} />
        </Box>
      )}
      {!roomy && current && (
        <Drawer
          opened={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          position="right"
          size={PANEL_WIDTH + 40}
          title={t('inbox.customer.title')}
          closeButtonProps={{ 'aria-label': t('common.close') }}
          padding={0}
        >
          <CustomerPanel conversation={current} linkSearch={linkSearch} />
        </Drawer>
      )}

      <ShortcutsHelp opened={helpOpen} onClose={() => setHelpOpen(false)} />
    </Box>
  );
}
