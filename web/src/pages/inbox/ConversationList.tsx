import { ActionIcon, Autocomplete, Avatar, Badge, Box, Center, Group, Kbd, Loader, SegmentedControl, Select, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TFunction } from 'i18next';
import { memo, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RealtimeStatusDot } from './RealtimeStatusDot';
import type { RealtimeState } from '../../realtime';
import { CONVERSATION_STATUSES, INBOX_VIEWS, type Conversation, type InboxView } from '../../types';
import { INBOX_SORTS, type InboxFilters, type InboxSort } from './filters';
import { conversationPreview, customerLabel, useDateFormatters, useNow, type DateFormatters } from './format';
import { ChannelIcon, KeyboardIcon, ReplyIcon, SearchIcon } from './icons';
import { channelName, PRIORITY_COLORS } from './labels';
import { useChannels } from './queries';

export const ROW_HEIGHT = 68;

interface ConversationListProps {
  filters: InboxFilters;
  onFiltersChange: (patch: Partial<InboxFilters>) => void;
  items: Conversation[];
  activeId: string | undefined;
  linkSearch: string;
  isPending: boolean;
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  realtimeState: RealtimeState;
  onHelp: () => void;
  searchRef: RefObject<HTMLInputElement | null>;
  /** Index to scroll into view (keyboard navigation). */
  scrollToIndex: number | null;
}

export function ConversationList(props: ConversationListProps) {
  const { t } = useTranslation();
  const { filters, onFiltersChange, items, hasNextPage, isFetchingNextPage, fetchNextPage } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(30_000);
  const dates = useDateFormatters();

  const virtualizer = useVirtualizer({
    count: items.length + (hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => items[index]?.id ?? `loader-${index}`,
  });
  const virtualItems = virtualizer.getVirtualItems();

  // Infinite loading: fetch the next page when the end comes near.
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? -1;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= items.length - 10) fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // New filters: back to the top.
  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [filterKey, virtualizer]);

  useEffect(() => {
    if (props.scrollToIndex !== null && props.scrollToIndex >= 0) virtualizer.scrollToIndex(props.scrollToIndex, { align: 'auto' });
  }, [props.scrollToIndex, virtualizer]);

  return (
    <Stack gap={0} h="100%" miw={0}>
      <Stack gap="xs" p="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Title order={1} size="h3" data-testid="page-title">
              {t('inbox.title')}
            </Title>
            <RealtimeStatusDot state={props.realtimeState} />
          </Group>
          <Tooltip label={t('inbox.shortcuts.open')}>
            <ActionIcon variant="subtle" color="gray" onClick={props.onHelp} aria-label={t('inbox.shortcuts.open')} data-testid="shortcuts-button">
              <KeyboardIcon size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
        <SegmentedControl<InboxView>
          fullWidth
          size="xs"
          value={filters.view}
          onChange={(view) => onFiltersChange({ view })}
          data={INBOX_VIEWS.map((v) => ({ value: v, label: t(`inbox.views.${v}`) }))}
          aria-label={t('inbox.views.label')}
          data-testid="inbox-view"
        />
        <SearchBox value={filters.q} onChange={(q) => onFiltersChange({ q })} inputRef={props.searchRef} />
        <Group gap={6} grow wrap="nowrap">
          <Select
            size="xs"
            aria-label={t('inbox.filters.status')}
            allowDeselect={false}
            value={filters.status}
            onChange={(value) => value && onFiltersChange({ status: value as InboxFilters['status'] })}
            data={CONVERSATION_STATUSES.map((s) => ({ value: s, label: t(`inbox.status.${s}`) }))}
            comboboxProps={{ withinPortal: true }}
            data-testid="inbox-status"
          />
          <ChannelFilter value={filters.channelType} onChange={(channelType) => onFiltersChange({ channelType })} />
          <TagFilter value={filters.tag} items={items} onChange={(tag) => onFiltersChange({ tag })} />
        </Group>
        <SegmentedControl<InboxSort>
          fullWidth
          size="xs"
          value={filters.sort}
          onChange={(sort) => onFiltersChange({ sort })}
          data={INBOX_SORTS.map((s) => ({ value: s, label: t(`inbox.sort.${s}`) }))}
          aria-label={t('inbox.sort.label')}
          data-testid="inbox-sort"
        />
      </Stack>

      {props.error ? (
        <Box p="sm">
          <ErrorAlert error={props.error} />
        </Box>
      ) : null}

      <div
        ref={scrollRef}
        style={{ flex: 1, minHeight: 0, overflowY: 'auto', position: 'relative', contain: 'strict' }}
        data-testid="inbox-list"
        role="list"
        aria-label={t('inbox.listLabel')}
        aria-busy={props.isPending}
      >
        {props.isPending ? (
          <Center h={120}>
            <Loader size="sm" />
          </Center>
        ) : items.length === 0 && !props.error ? (
          <Text c="dimmed" size="sm" ta="center" p="lg" data-testid="inbox-empty">
            {t('inbox.empty')}
          </Text>
        ) : null}
        <div style={{ height: virtualizer.getTotalSize(), width: '100%', position: 'relative' }}>
          {virtualItems.map((row) => {
            const conversation = items[row.index];
            return (
              <div
                key={row.key}
                role="listitem"
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
              >
                {conversation ? (
                  <ConversationRow
                    conversation={conversation}
                    active={conversation.id === props.activeId}
                    href={`/inbox/${conversation.id}${props.linkSearch}`}
                    now={now}
                    dates={dates}
                    t={t}
                  />
                ) : (
                  <Center h="100%">
                    <Loader size="xs" />
                  </Center>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </Stack>
  );
}

function SearchBox({ value, onChange, inputRef }: { value: string; onChange: (q: string) => void; inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  const commit = useDebouncedCallback((q: string) => onChange(q), 300);
  // Follow outside changes (back button, clicking a link with other filters).
  useEffect(() => setText(value), [value]);
  return (
    <TextInput
      ref={inputRef}
      size="xs"
      type="search"
      leftSection={<SearchIcon size={14} />}
      rightSection={<Kbd size="xs">/</Kbd>}
      placeholder={t('inbox.search')}
      aria-label={t('inbox.search')}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit.cancel();
          onChange(e.currentTarget.value);
        } else if (e.key === 'Escape') {
          setText('');
          onChange('');
          e.currentTarget.blur();
        }
      }}
      data-testid="inbox-search"
    />
  );
}

function ChannelFilter({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const channels = useChannels();
  const data = useMemo(() => {
    const types = new Set(channels.data?.items.map((c) => c.type) ?? ['webchat', 'email']);
    if (value) types.add(value);
    return [...types].sort().map((type) => ({ value: type, label: channelName(t, type) }));
  }, [channels.data, value, t]);
  return (
    <Select
      size="xs"
      placeholder={t('inbox.filters.allChannels')}
      aria-label={t('inbox.filters.channel')}
      clearable
      value={value}
      onChange={onChange}
      data={data}
      data-testid="inbox-channel"
    />
  );
}

function TagFilter({ value, items, onChange }: { value: string | null; items: Conversation[]; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const suggestions = useMemo(() => {
    const tags = new Set<string>();
    for (const c of items.slice(0, 500)) for (const tag of c.tags) tags.add(tag);
    return [...tags].sort();
  }, [items]);
  const commit = (v: string) => onChange(v.trim() || null);
  return (
    <Autocomplete
      size="xs"
      placeholder={t('inbox.filters.tag')}
      aria-label={t('inbox.filters.tag')}
      value={text}
      onChange={(v) => {
        setText(v);
        if (!v) commit('');
      }}
      onOptionSubmit={commit}
      onBlur={() => commit(text)}
      onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)}
      data={suggestions}
      data-testid="inbox-tag"
    />
  );
}

interface RowProps {
  conversation: Conversation;
  active: boolean;
  href: string;
  now: number;
  dates: DateFormatters;
  t: TFunction;
}

const ConversationRow = memo(function ConversationRow({ conversation: c, active, href, now, dates, t }: RowProps) {
  const name = customerLabel(t, c.customer);
  const unread = c.unread > 0;
  const priorityColor = PRIORITY_COLORS[c.priority];
  return (
    <Box
      component={Link}
      to={href}
      data-testid="conversation-row"
      data-conversation-id={c.id}
      data-status={c.status}
      data-active={active || undefined}
      aria-current={active ? 'page' : undefined}
      className="hoorn-row"
      style={{
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'center',
        gap: 4,
        height: ROW_HEIGHT,
        padding: '0 12px 0 10px',
        textDecoration: 'none',
        color: 'inherit',
        borderBottom: '1px solid var(--mantine-color-gray-2)',
        borderLeft: `3px solid ${priorityColor ? `var(--mantine-color-${priorityColor}-6)` : 'transparent'}`,
        background: active ? 'var(--mantine-color-blue-0)' : undefined,
      }}
    >
      <Group gap={6} wrap="nowrap" justify="space-between">
        <Text size="sm" fw={unread ? 700 : 500} truncate="end" style={{ minWidth: 0, flex: 1 }}>
          {name}
        </Text>
        {priorityColor && (
          <Badge size="xs" color={priorityColor} variant="light" style={{ flexShrink: 0 }} data-testid="conversation-priority">
            {t(`inbox.priority.${c.priority}`)}
          </Badge>
        )}
        <Text size="xs" c={unread ? 'blue.7' : 'dimmed'} fw={unread ? 600 : 400} style={{ flexShrink: 0, whiteSpace: 'nowrap' }} title={dates.full(c.lastActivityAt)}>
          {dates.relative(c.lastActivityAt, now)}
        </Text>
      </Group>
      <Group gap={6} wrap="nowrap">
        <Box c="dimmed" style={{ display: 'flex', flexShrink: 0 }} title={channelName(t, c.channelType)} aria-label={channelName(t, c.channelType)} data-testid="conversation-row-channel" data-channel-type={c.channelType}>
          <ChannelIcon type={c.channelType} size={14} />
        </Box>
        {c.lastMessage?.direction === 'outbound' && (
          <Box c="dimmed" style={{ display: 'flex', flexShrink: 0 }} title={t('inbox.outbound')} aria-label={t('inbox.outbound')}>
            <ReplyIcon size={12} />
          </Box>
        )}
        <Text size="xs" c={unread ? undefined : 'dimmed'} truncate="end" style={{ minWidth: 0, flex: 1 }}>
          {conversationPreview(t, c)}
        </Text>
        {unread && (
          <Badge size="sm" circle={c.unread < 10} color="blue" style={{ flexShrink: 0 }} aria-label={t('inbox.unread', { count: c.unread })} data-testid="conversation-unread">
            {c.unread > 99 ? '99+' : c.unread}
          </Badge>
        )}
        {c.assignee && (
          <Avatar
            size={20}
            radius="xl"
            name={c.assignee.name}
            color="initials"
            style={{ flexShrink: 0 }}
            title={t('inbox.assignedTo', { name: c.assignee.name })}
            aria-label={t('inbox.assignedTo', { name: c.assignee.name })}
          />
        )}
      </Group>
    </Box>
  );
});
