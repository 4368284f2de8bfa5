import { Badge, Tooltip } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRealtime } from '../realtime';
import { slaKeys, useConversationSla } from './api';
import { formatSeconds } from './format';
import type { SlaClock } from './types';

/** Events after which a conversation's clocks may have moved. */
const MOVES_CLOCKS = /^(sla\.|message\.(received|queued)$|conversation\.(status_changed|priority_changed|updated)$)/;

/** The clock that matters most now: over time first, then the one due soonest, then a paused one. */
export function pickClock(clocks: SlaClock[]): SlaClock | undefined {
  const open = clocks.filter((c) => c.completedAt === null);
  const rank = (c: SlaClock) => (c.state === 'breached' ? 0 : c.state === 'running' ? 1 : 2);
  return [...open].sort((a, b) => rank(a) - rank(b) || a.remainingSeconds - b.remainingSeconds)[0];
}

/**
 * The open conversation's SLA in the desk header: time left on the most urgent clock, "over
 * tijd" once breached. Refetches on the conversation's events from the realtime stream and
 * counts down between them.
 */
export function SlaBadge({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sla = useConversationSla(conversationId);
  const [now, setNow] = useState(() => Date.now());

  useRealtime({
    onEvent: (event) => {
      if (event.subjectId === conversationId && MOVES_CLOCKS.test(event.type)) {
        void queryClient.invalidateQueries({ queryKey: slaKeys.conversation(conversationId) });
      }
    },
  });

  const clock = sla.data ? pickClock(sla.data.clocks) : undefined;
  const ticking = clock?.state === 'running' || clock?.state === 'breached';
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);

  if (!clock) return null;
  const metric = t(`sla.metrics.${clock.metric}`);
  // A counting clock: real time towards its due instant (the server counted business time into it).
  const secondsLeft = clock.dueAt ? Math.round((Date.parse(clock.dueAt) - now) / 1000) : clock.remainingSeconds;
  const over = clock.state === 'breached' || (clock.state === 'running' && secondsLeft <= 0);
  const warned = clock.warnedAt !== null || (clock.warnAt !== null && Date.parse(clock.warnAt) <= now);

  let label: string;
  let color: string;
  if (over) {
    label = t('sla.badge.over', { metric });
    color = 'red';
  } else if (clock.state === 'paused') {
    label = t('sla.badge.paused', { metric, left: formatSeconds(t, clock.remainingSeconds) });
    color = 'gray';
  } else {
    label = t('sla.badge.left', { metric, left: formatSeconds(t, secondsLeft) });
    color = warned ? 'yellow' : 'teal';
  }
  const tooltip = [
    sla.data?.policy ? t('sla.badge.policy', { name: sla.data.policy.name }) : null,
    clock.dueAt ? t('sla.badge.due', { at: new Date(clock.dueAt).toLocaleString() }) : null,
    over && secondsLeft < 0 ? t('sla.badge.overBy', { by: formatSeconds(t, secondsLeft) }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip label={tooltip} disabled={!tooltip} withinPortal>
      <Badge color={color} variant={over ? 'filled' : 'light'} tt="none" data-testid="sla-badge" data-state={over ? 'breached' : clock.state}>
        {label}
      </Badge>
    </Tooltip>
  );
}
