import { Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { hasRole } from '../auth';
import { EventFeed } from '../components/EventFeed';
import { PageHeader } from '../components/PageHeader';
import { RealtimeStatus } from '../components/RealtimeStatus';
import { FEED_SIZE, mergeEvents } from '../events';
import { useRealtime } from '../realtime';
import { queryKeys } from '../queryKeys';
import { useCurrentSession } from '../session';
import type { DomainEvent, PageResponse } from '../types';

type Greeting = 'morning' | 'afternoon' | 'evening';

function greetingFor(date: Date): Greeting {
  const hour = date.getHours();
  if (hour < 12) return 'morning';
  return hour < 18 ? 'afternoon' : 'evening';
}

export function OverviewPage() {
  const { t } = useTranslation();
  const { user, workspace } = useCurrentSession();
  const [live, setLive] = useState<DomainEvent[]>([]);

  // Seed the feed with recent history (the event log is supervisor+); live events are
  // merged on top. Failure is not fatal: the feed then only shows live events.
  const recent = useQuery({
    queryKey: queryKeys.recentEvents,
    enabled: hasRole(user.role, 'supervisor'),
    queryFn: ({ signal }) => api.get<PageResponse<DomainEvent>>('/api/events', { limit: FEED_SIZE }, signal),
    retry: false,
  });

  const state = useRealtime({
    onEvent: (event) => setLive((prev) => mergeEvents([prev, [event]])),
    onOpen: (reconnected) => {
      // Catch up on anything missed while disconnected.
      if (reconnected && hasRole(user.role, 'supervisor')) void recent.refetch();
    },
  });

  const events = useMemo(() => mergeEvents([recent.data?.items ?? [], live]), [recent.data, live]);

  return (
    <Stack gap="lg">
      <div>
        <PageHeader title={t('overview.title')} actions={<RealtimeStatus state={state} />} />
        <Text size="lg" fw={500}>
          {t(`overview.greeting.${greetingFor(new Date())}`, { name: user.name })}
        </Text>
        <Text c="dimmed">{t('overview.workspace', { name: workspace.name })}</Text>
      </div>

      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4">
            {t('overview.feed.title')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('overview.feed.description', { count: FEED_SIZE })}
          </Text>
        </Group>
        <EventFeed events={events} />
      </Stack>
    </Stack>
  );
}
