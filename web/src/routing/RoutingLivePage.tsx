import { Badge, Box, Group, Paper, Progress, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { RealtimeStatus } from '../components/RealtimeStatus';
import { useRealtime } from '../realtime';
import { routingKeys, useRoutingAgents, useRoutingSettings, useRoutingStats, useSetAgentPresence } from './api';
import { BarChart } from './BarChart';
import { formatDuration, formatPercent } from './format';
import type { AgentStatistics, QueueStatistics, QueueTotals, RoutingStatsResponse } from './types';

/** Without a push for this long we poll `GET /api/routing/stats` instead. */
const PUSH_STALE_MS = 6_000;

export function RoutingLivePage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [lastPush, setLastPush] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 2_000);
    return () => clearInterval(timer);
  }, []);

  const state = useRealtime({
    onRoutingStats: (message) => {
      queryClient.setQueryData<RoutingStatsResponse>(routingKeys.stats, (prev) => ({ today: prev?.today ?? [], live: message.live }));
      const at = Date.now();
      setLastPush(at);
      setNow(at);
    },
    onEvent: (event) => {
      if (event.type === 'routing.presence_changed') void queryClient.invalidateQueries({ queryKey: routingKeys.agents });
    },
  });
  const pushing = state === 'open' && now - lastPush < PUSH_STALE_MS;
  // Pushes carry only `live`; `today` comes from the poll, which runs faster while pushes are missing.
  const stats = useRoutingStats(pushing ? 30_000 : 5_000);
  const agents = useRoutingAgents();
  const settings = useRoutingSettings();

  if (stats.isPending) return <CenteredLoader />;

  const live = stats.data?.live ?? { queues: [], agents: [] };
  const today = new Map<string, QueueTotals>((stats.data?.today ?? []).map((q) => [q.queueId, q]));
  const names = new Map((agents.data?.items ?? []).map((a) => [a.userId, a.name]));
  const presences = settings.data?.presences ?? [];

  return (
    <Stack data-testid="routing-live">
      <PageHeader title={t('routing.live.title')} description={t('routing.live.description')} actions={<RealtimeStatus state={state} />} />
      {stats.isError && <ErrorAlert error={stats.error} />}

      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <BarChart
          title={t('routing.live.chartWaiting')}
          bars={live.queues.map((q) => ({ key: q.queueId, label: q.name, value: q.waiting, color: q.waiting > 0 ? 'orange.6' : 'blue.6' }))}
          empty={t('routing.live.noQueues')}
          testId="chart-waiting"
        />
        <BarChart
          title={t('routing.live.chartLongestWait')}
          bars={live.queues.map((q) => ({ key: q.queueId, label: q.name, value: q.longestWaitSeconds, display: formatDuration(q.longestWaitSeconds), color: 'grape.6' }))}
          empty={t('routing.live.noQueues')}
          testId="chart-longest-wait"
        />
        <BarChart
          title={t('routing.live.chartServiceLevel')}
          max={1}
          bars={live.queues.map((q) => {
            const sl = today.get(q.queueId)?.serviceLevel ?? null;
            return { key: q.queueId, label: q.name, value: sl, display: formatPercent(sl), color: sl === null ? 'gray.4' : sl >= 0.8 ? 'green.6' : sl >= 0.6 ? 'yellow.6' : 'red.6' };
          })}
          empty={t('routing.live.noQueues')}
          testId="chart-service-level"
        />
      </SimpleGrid>

      <QueueTable queues={live.queues} today={today} />
      <AgentTable agents={live.agents} names={names} presences={presences.map((p) => p.name)} />
    </Stack>
  );
}

function Num({ value }: { value: number | string }) {
  return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{value}</span>;
}

function QueueTable({ queues, today }: { queues: QueueStatistics[]; today: Map<string, QueueTotals> }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md">
      <Title order={2} size="h4" p="md" pb={0}>
        {t('routing.live.queues')}
      </Title>
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover verticalSpacing="xs" data-testid="routing-queues-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('routing.live.queue')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.waiting')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.longestWait')}</Table.Th>
              <Table.Th ta="right" title={t('routing.live.agentsHint')}>
                {t('routing.live.agentsCol')}
              </Table.Th>
              <Table.Th ta="right">{t('routing.live.offered')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.accepted')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.rejected')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.timedOut')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.serviceLevel')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {queues.map((q) => {
              const day = today.get(q.queueId);
              return (
                <Table.Tr key={q.queueId} data-testid="queue-row" data-queue-id={q.queueId}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={500}>
                        {q.name}
                      </Text>
                      {!q.open && (
                        <Badge size="xs" color="gray" variant="outline">
                          {t('routing.live.closed')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right" data-testid="queue-waiting">
                    <Num value={q.waiting} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={formatDuration(q.longestWaitSeconds)} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={`${q.eligibleAgents} / ${q.availableAgents} / ${q.readyAgents}`} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={q.offered} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={q.accepted} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={q.rejected} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={q.timedOut} />
                  </Table.Td>
                  <Table.Td ta="right" data-testid="queue-service-level">
                    <Num value={formatPercent(day?.serviceLevel)} />
                    {day && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({t('routing.live.within', { seconds: day.serviceLevelSeconds })})
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
            {queues.length === 0 && <EmptyRow columns={9} text={t('routing.live.noQueues')} />}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function AgentTable({ agents, names, presences }: { agents: AgentStatistics[]; names: Map<string, string>; presences: string[] }) {
  const { t } = useTranslation();
  const setPresence = useSetAgentPresence();
  const sorted = [...agents].sort((a, b) => (names.get(a.agentId) ?? a.agentId).localeCompare(names.get(b.agentId) ?? b.agentId));
  return (
    <Paper withBorder radius="md">
      <Title order={2} size="h4" p="md" pb={0}>
        {t('routing.live.agents')}
      </Title>
      {setPresence.error && <ErrorAlert error={setPresence.error} />}
      <Table.ScrollContainer minWidth={800}>
        <Table striped highlightOnHover verticalSpacing="xs" data-testid="routing-agents-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('routing.live.agent')}</Table.Th>
              <Table.Th>{t('routing.live.presence')}</Table.Th>
              <Table.Th>{t('routing.live.capacity')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.tasks')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.accepted')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.rejected')}</Table.Th>
              <Table.Th ta="right">{t('routing.live.timedOut')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((a) => {
              const options = presences.includes(a.presence) ? presences : [...presences, a.presence];
              const pct = a.total > 0 ? Math.min(100, (a.used / a.total) * 100) : 0;
              return (
                <Table.Tr key={a.agentId} data-testid="agent-row" data-agent-id={a.agentId}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {names.get(a.agentId) ?? a.agentId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      w={150}
                      allowDeselect={false}
                      aria-label={t('routing.live.setPresence', { name: names.get(a.agentId) ?? a.agentId })}
                      data={options}
                      value={a.presence}
                      onChange={(value) => value && value !== a.presence && setPresence.mutate({ userId: a.agentId, presence: value })}
                      leftSection={<Box w={8} h={8} bg={a.routable ? 'green.6' : 'orange.6'} style={{ borderRadius: '50%' }} aria-hidden />}
                      data-testid="agent-presence"
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Progress value={pct} w={100} color={pct >= 100 ? 'red' : pct >= 75 ? 'orange' : 'blue'} aria-label={t('routing.live.capacity')} />
                      <Text size="xs" style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {a.used} / {a.total}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={a.tasks} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={a.accepted} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={a.rejected} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={a.timedOut} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
            {sorted.length === 0 && <EmptyRow columns={7} text={t('routing.live.noAgents')} />}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** A table's only row when it has nothing to show. */
function EmptyRow({ columns, text }: { columns: number; text: string }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={columns}>
        <Text c="dimmed" size="sm" ta="center" py="md">
          {text}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
