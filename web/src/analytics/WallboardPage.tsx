import { ActionIcon, Badge, Box, Group, Paper, Select, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useFullscreenElement } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { RealtimeStatus } from '../components/RealtimeStatus';
import { useRealtime } from '../realtime';
import { formatDuration, formatPercent } from '../routing/format';
import type { RoutingStatistics } from '../routing/types';
import { useWallboard } from './api';
import type { Wallboard, WallboardAlert, WallboardPresenceGroup, WallboardQueue } from './types';
import { applyLiveStatistics } from './wallboard';

/** Snapshot refetches caused by events are at most this often; the pushed live figures fill the gaps. */
const REFETCH_EVERY_MS = 2_000;
const TARGETS = [0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const TARGET_STORAGE_KEY = 'hoorn.wallboard.target';

/** Events that change what the wallboard shows: routing (queues, presence), conversations, SLA clocks. */
const RELEVANT_EVENT = /^(routing|conversation|sla)\./;

function storedTarget(): number {
  try {
    const value = Number(window.localStorage.getItem(TARGET_STORAGE_KEY));
    return TARGETS.includes(value) ? value : 0.8;
  } catch {
    return 0.8;
  }
}

/**
 * Calls `run` at once, or, when it ran less than `everyMs` ago, once at the end of that window:
 * a burst of events becomes at most one call per window, and the last event is never missed.
 */
function useThrottled(run: () => void, everyMs: number): () => void {
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current) return;
    const wait = last.current + everyMs - Date.now();
    const fire = () => {
      timer.current = undefined;
      last.current = Date.now();
      runRef.current();
    };
    if (wait <= 0) fire();
    else timer.current = setTimeout(fire, wait);
  }, [everyMs]);
}

export function WallboardPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const queryClient = useQueryClient();
  const [target, setTarget] = useState(storedTarget);
  const snapshot = useWallboard(target);
  const [push, setPush] = useState<{ live: RoutingStatistics; at: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const { ref: fullscreenRef, toggle: toggleFullscreen, fullscreen } = useFullscreenElement();

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);

  const refetch = useThrottled(() => void queryClient.invalidateQueries({ queryKey: ['analytics', 'wallboard'] }), REFETCH_EVERY_MS);
  const state = useRealtime({
    onRoutingStats: (message) => setPush({ live: message.live, at: Date.now() }),
    onEvent: (event) => {
      if (RELEVANT_EVENT.test(event.type)) refetch();
    },
    onOpen: (reconnected) => {
      if (reconnected) refetch();
    },
  });

  // Whichever is newer wins: a push is applied on top of an older snapshot, never under a newer one.
  const board: Wallboard | undefined = useMemo(() => {
    const data = snapshot.data;
    if (!data) return undefined;
    return push && push.at > snapshot.dataUpdatedAt ? applyLiveStatistics(data, push.live) : data;
  }, [snapshot.data, snapshot.dataUpdatedAt, push]);

  const chooseTarget = (value: string | null) => {
    const next = Number(value);
    if (!TARGETS.includes(next)) return;
    setTarget(next);
    try {
      window.localStorage.setItem(TARGET_STORAGE_KEY, String(next));
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  };

  const actions = (
    <Group gap="sm">
      <RealtimeStatus state={state} />
      <Select
        size="sm"
        w={170}
        label={t('wallboard.target')}
        allowDeselect={false}
        data={TARGETS.map((value) => ({ value: String(value), label: formatPercent(value) }))}
        value={String(target)}
        onChange={chooseTarget}
        // In full screen only the wallboard's element is shown; a dropdown in a portal would be hidden.
        comboboxProps={{ withinPortal: false }}
        data-testid="wallboard-target"
      />
      <Tooltip label={fullscreen ? t('wallboard.exitFullscreen') : t('wallboard.fullscreen')} withinPortal={false}>
        <ActionIcon
          size="lg"
          variant="default"
          onClick={() => void toggleFullscreen()}
          aria-label={fullscreen ? t('wallboard.exitFullscreen') : t('wallboard.fullscreen')}
          data-testid="wallboard-fullscreen"
        >
          <FullscreenIcon exit={fullscreen} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );

  return (
    <Stack gap={0}>
      <PageHeader title={t('wallboard.title')} description={t('wallboard.description')} actions={actions} />
      {snapshot.isError && <ErrorAlert error={snapshot.error} testId="wallboard-error" />}
      {snapshot.isPending && <CenteredLoader />}
      {board && (
        <Box
          ref={fullscreenRef}
          data-testid="wallboard"
          p={fullscreen ? 'xl' : 0}
          bg={fullscreen ? 'var(--mantine-color-body)' : undefined}
          style={fullscreen ? { overflow: 'auto' } : undefined}
        >
          <Stack gap="lg">
            {fullscreen && (
              <Group justify="space-between">
                <Title order={1}>{t('wallboard.title')}</Title>
                {actions}
              </Group>
            )}
            {!board.live && (
              <Text c="orange.8" size="sm" data-testid="wallboard-not-live">
                {t('wallboard.notLive')}
              </Text>
            )}
            <Totals board={board} />
            <AlertStrip alerts={board.alerts} />
            <QueueTiles queues={board.queues} target={board.serviceLevelTarget} />
            <PresenceColumns groups={board.presences} now={now} />
            <Text size="xs" c="dimmed" ta="right" data-testid="wallboard-updated">
              {t('wallboard.updated', { time: new Date(Math.max(push?.at ?? 0, snapshot.dataUpdatedAt)).toLocaleTimeString(language) })}
            </Text>
          </Stack>
        </Box>
      )}
    </Stack>
  );
}

/** Four corners pointing out (enter) or in (exit). */
function FullscreenIcon({ exit }: { exit: boolean }) {
  const d = exit ? 'M8 3v5H3M16 3v5h5M8 21v-5H3M16 21v-5h5' : 'M3 8V3h5M21 8V3h-5M3 16v5h5M21 16v5h-5';
  return (
    <svg width={18} height={18} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={d} />
    </svg>
  );
}

/** Green at or above the target, yellow within ten points under it, red further down. */
function serviceLevelColor(value: number | null, target: number): string | undefined {
  if (value === null) return undefined;
  if (value >= target) return 'green.7';
  return value >= target - 0.1 ? 'yellow.8' : 'red.7';
}

function BigFigure({ label, value, color, testId, hint }: { label: string; value: string | number; color?: string; testId: string; hint?: string }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text size="sm" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={48} fw={700} lh={1.1} c={color} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={testId}>
        {value}
      </Text>
      {hint && (
        <Text size="sm" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

function Totals({ board }: { board: Wallboard }) {
  const { t } = useTranslation();
  const { totals, serviceLevelTarget } = board;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} data-testid="wallboard-totals">
      <BigFigure label={t('wallboard.totals.waiting')} value={totals.waiting} color={totals.waiting > 0 ? 'orange.7' : undefined} testId="wallboard-waiting-total" />
      <BigFigure label={t('wallboard.totals.longestWait')} value={formatDuration(totals.longestWaitSeconds)} testId="wallboard-longest-wait-total" />
      <BigFigure
        label={t('wallboard.totals.serviceLevel')}
        value={formatPercent(totals.serviceLevel)}
        color={serviceLevelColor(totals.serviceLevel, serviceLevelTarget)}
        hint={t('wallboard.vsTarget', { target: formatPercent(serviceLevelTarget) })}
        testId="wallboard-service-level-total"
      />
      <BigFigure label={t('wallboard.totals.answered')} value={totals.answered} hint={t('wallboard.offeredToday', { count: totals.offered })} testId="wallboard-answered-total" />
      <BigFigure label={t('wallboard.totals.abandoned')} value={totals.abandoned} color={totals.abandoned > 0 ? 'red.7' : undefined} testId="wallboard-abandoned-total" />
      <BigFigure
        label={t('wallboard.totals.agentsAvailable')}
        value={totals.agentsAvailable}
        hint={t('wallboard.agentsOnline', { count: totals.agentsOnline })}
        testId="wallboard-agents-available"
      />
    </SimpleGrid>
  );
}

function AlertStrip({ alerts }: { alerts: WallboardAlert[] }) {
  const { t } = useTranslation();
  const text = (a: WallboardAlert): string => {
    const queue = a.queueName ?? '';
    switch (a.kind) {
      case 'no_agent_available':
        return t('wallboard.alerts.no_agent_available', { queue, count: a.value });
      case 'long_wait':
        return t('wallboard.alerts.long_wait', { queue, wait: formatDuration(a.value), threshold: formatDuration(a.threshold ?? 0) });
      case 'service_level_low':
        return t('wallboard.alerts.service_level_low', { queue, value: formatPercent(a.value), target: formatPercent(a.threshold) });
      case 'sla_breached':
        return t('wallboard.alerts.sla_breached', { count: a.value, metric: metricLabel(a.metric) });
    }
  };
  const metricLabel = (metric: string | null): string => {
    switch (metric) {
      case 'first_response':
        return t('wallboard.metrics.first_response');
      case 'next_response':
        return t('wallboard.metrics.next_response');
      case 'resolution':
        return t('wallboard.metrics.resolution');
      default:
        return metric ?? '';
    }
  };
  return (
    <Paper withBorder radius="md" p="sm" data-testid="wallboard-alerts" aria-live="polite">
      <Group gap="sm" wrap="wrap">
        <Text fw={600} size="sm">
          {t('wallboard.alerts.title')}
        </Text>
        {alerts.length === 0 && (
          <Badge color="green" variant="light" size="lg">
            {t('wallboard.alerts.none')}
          </Badge>
        )}
        {alerts.map((a, i) => (
          <Badge
            key={`${a.kind}-${a.queueId ?? a.metric ?? i}`}
            color={a.severity === 'critical' ? 'red' : 'yellow'}
            variant={a.severity === 'critical' ? 'filled' : 'light'}
            size="xl"
            tt="none"
            data-testid="wallboard-alert"
            data-kind={a.kind}
            data-severity={a.severity}
          >
            {text(a)}
          </Badge>
        ))}
      </Group>
    </Paper>
  );
}

function QueueTiles({ queues, target }: { queues: WallboardQueue[]; target: number }) {
  const { t } = useTranslation();
  if (queues.length === 0) {
    return (
      <Text c="dimmed" ta="center" py="xl" data-testid="wallboard-no-queues">
        {t('wallboard.noQueues')}
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, xl: Math.min(4, queues.length) }}>
      {queues.map((q) => (
        <Paper key={q.queueId} withBorder radius="md" p="lg" data-testid="wallboard-queue" data-queue-id={q.queueId} data-queue-name={q.name}>
          <Group justify="space-between" mb="xs" wrap="nowrap">
            <Title order={2} size="h3" lineClamp={1}>
              {q.name}
            </Title>
            {!q.open && (
              <Badge color="gray" variant="outline">
                {t('wallboard.queue.closed')}
              </Badge>
            )}
          </Group>
          <Group align="flex-end" gap="xl" wrap="nowrap">
            <Stack gap={0}>
              <Text size="sm" c="dimmed">
                {t('wallboard.queue.waiting')}
              </Text>
              <Text fz={64} fw={800} lh={1} c={q.waiting > 0 ? 'orange.7' : undefined} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={`wallboard-waiting-${q.queueId}`}>
                {q.waiting}
              </Text>
            </Stack>
            <Stack gap={0}>
              <Text size="sm" c="dimmed">
                {t('wallboard.queue.longestWait')}
              </Text>
              <Text
                fz={32}
                fw={700}
                c={q.serviceLevelSeconds != null && q.waiting > 0 && q.longestWaitSeconds > q.serviceLevelSeconds ? 'red.7' : undefined}
                style={{ fontVariantNumeric: 'tabular-nums' }}
                data-testid={`wallboard-longest-wait-${q.queueId}`}
              >
                {formatDuration(q.longestWaitSeconds)}
              </Text>
            </Stack>
            <Stack gap={0}>
              <Text size="sm" c="dimmed">
                {t('wallboard.queue.serviceLevel')}
              </Text>
              <Text fz={32} fw={700} c={serviceLevelColor(q.serviceLevel, target)} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={`wallboard-service-level-${q.queueId}`}>
                {formatPercent(q.serviceLevel)}
              </Text>
            </Stack>
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            {q.serviceLevelSeconds != null
              ? t('wallboard.queue.threshold', { target: formatPercent(target), seconds: q.serviceLevelSeconds })
              : t('wallboard.queue.noThreshold')}
          </Text>
          <Group gap="lg" mt="sm">
            <Figure label={t('wallboard.queue.answered')} value={q.answered} />
            <Figure label={t('wallboard.queue.abandoned')} value={q.abandoned} />
            <Figure label={t('wallboard.queue.offered')} value={q.offered} />
            <Figure label={t('wallboard.queue.averageWait')} value={q.averageWaitSeconds === null ? '—' : formatDuration(q.averageWaitSeconds)} />
            <Figure label={t('wallboard.queue.agents')} value={`${q.availableAgents} / ${q.eligibleAgents}`} />
          </Group>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function Figure({ label, value }: { label: string; value: string | number }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Stack>
  );
}

function PresenceColumns({ groups, now }: { groups: WallboardPresenceGroup[]; now: number }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} size="h4" mb="sm">
        {t('wallboard.agents.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: Math.max(1, Math.min(5, groups.length)) }}>
        {groups.map((g) => (
          <Stack key={g.presence} gap={4} data-testid="wallboard-presence" data-presence={g.presence}>
            <Group gap="xs">
              <Box w={10} h={10} bg={g.routable ? 'green.6' : g.presence === 'offline' ? 'gray.5' : 'orange.6'} style={{ borderRadius: '50%' }} aria-hidden />
              <Text fw={600}>{g.presence}</Text>
              <Badge variant="light" color="gray" data-testid="wallboard-presence-count">
                {g.count}
              </Badge>
            </Group>
            {g.agents.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('wallboard.agents.none')}
              </Text>
            )}
            {g.agents.map((a) => (
              <Group key={a.agentId} gap="xs" justify="space-between" wrap="nowrap" data-testid="wallboard-agent">
                <Text size="sm" lineClamp={1}>
                  {a.name}
                </Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {a.tasks > 0 && `${t('wallboard.agents.tasks', { count: a.tasks })} · `}
                  {a.since ? t('wallboard.agents.since', { duration: formatDuration(Math.max(0, (now - Date.parse(a.since)) / 1000)) }) : ''}
                </Text>
              </Group>
            ))}
          </Stack>
        ))}
      </SimpleGrid>
    </Paper>
  );
}
