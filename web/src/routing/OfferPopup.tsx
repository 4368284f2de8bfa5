import { channelLabel } from '../flows/channelLabel';
import { Badge, Button, Group, Paper, Portal, Stack, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { isApiError } from '../api';
import { describeError } from '../errors';
import { useRealtime } from '../realtime';
import { useCurrentSession } from '../session';
import type { DomainEvent } from '../types';
import { acceptTask, rejectTask, routingKeys, useRoutingMe } from './api';
import type { Offer, OfferedPayload, RoutingMe } from './types';

function toIso(value: string | number): string {
  return new Date(value).toISOString();
}

function payloadOf<T>(event: DomainEvent): Partial<T> {
  return (event.payload && typeof event.payload === 'object' ? event.payload : {}) as Partial<T>;
}

const TITLE_PREFIX = '🔔 ';

/**
 * Offers of work to the logged-in agent, shown on every page. The list lives in the
 * `GET /api/routing/me` cache: realtime events add and remove offers, a reconnect reloads it.
 */
export function OfferPopup() {
  const { user } = useCurrentSession();
  const queryClient = useQueryClient();
  const me = useRoutingMe();
  // Offers that ended while a reload of /me was in flight must not come back from its answer.
  const ended = useRef(new Set<string>());

  const removeOffer = (taskId: string) => {
    ended.current.add(taskId);
    queryClient.setQueryData<RoutingMe>(routingKeys.me, (prev) =>
      prev ? { ...prev, offers: prev.offers.filter((o) => o.taskId !== taskId) } : prev,
    );
  };

  useRealtime({
    onOpen: (reconnected) => {
      if (reconnected) void queryClient.invalidateQueries({ queryKey: routingKeys.me });
    },
    onEvent: (event) => {
      if (!event.type.startsWith('routing.')) return;
      const p = payloadOf<OfferedPayload & { reason: string }>(event);
      if (p.agentId !== user.id) return;
      switch (event.type) {
        case 'routing.offered': {
          if (!p.taskId) return;
          const taskId = p.taskId;
          ended.current.delete(taskId);
          queryClient.setQueryData<RoutingMe>(routingKeys.me, (prev) => {
            if (!prev || prev.offers.some((o) => o.taskId === taskId)) return prev;
            const provisional: Offer = {
              taskId,
              conversationId: p.conversationId,
              channel: '',
              queueId: '',
              queueName: '',
              expiresAt: p.expiresAt !== undefined ? toIso(p.expiresAt) : new Date(Date.now() + 30_000).toISOString(),
              callback: p.callback === true,
            };
            return { ...prev, offers: [...prev.offers, provisional] };
          });
          // The event carries no queue, channel or customer: fetch the full offer.
          void queryClient.invalidateQueries({ queryKey: routingKeys.me });
          break;
        }
        case 'routing.offer_ended':
        case 'routing.assigned':
          if (p.taskId) removeOffer(p.taskId);
          break;
        case 'routing.presence_changed':
          void queryClient.invalidateQueries({ queryKey: routingKeys.me });
          break;
      }
    },
  });

  const offers = (me.data?.offers ?? []).filter((o) => !ended.current.has(o.taskId));
  useTitleFlash(offers.length > 0);

  if (offers.length === 0) return null;
  return (
    <Portal>
      <Stack
        gap="sm"
        style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 400, width: 340, maxWidth: 'calc(100vw - 32px)' }}
        role="region"
        aria-live="assertive"
        data-testid="offer-popup"
      >
        {offers.map((offer) => (
          <OfferCard key={offer.taskId} offer={offer} onGone={() => removeOffer(offer.taskId)} />
        ))}
      </Stack>
    </Portal>
  );
}

function OfferCard({ offer, onGone }: { offer: Offer; onGone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [gone, setGone] = useState<string | null>(null);

  const settle = (error: unknown) => {
    if (isApiError(error) && error.code === 'not_offered') {
      setGone(t('routing.offer.gone'));
      setTimeout(onGone, 1500);
    }
  };

  const accept = useMutation({
    mutationFn: () => acceptTask(offer.taskId),
    onSuccess: (result) => {
      onGone();
      const conversationId = result?.conversationId ?? offer.conversationId;
      if (conversationId) navigate(`/inbox/${encodeURIComponent(conversationId)}`);
    },
    onError: settle,
  });
  const reject = useMutation({
    mutationFn: () => rejectTask(offer.taskId),
    onSuccess: onGone,
    onError: settle,
  });
  const error = accept.error ?? reject.error;
  const busy = accept.isPending || reject.isPending;

  return (
    <Paper withBorder shadow="lg" p="md" radius="md" data-testid="offer-card" data-task-id={offer.taskId}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{offer.callback ? t('routing.offer.callbackTitle') : t('routing.offer.title')}</Text>
          <Countdown expiresAt={offer.expiresAt} />
        </Group>
        <Group gap={6}>
          {offer.channel && (
            <Badge variant="light" data-testid="offer-channel">
              {channelLabel(t, offer.channel)}
            </Badge>
          )}
          {offer.queueName && (
            <Badge variant="outline" color="gray" data-testid="offer-queue">
              {offer.queueName}
            </Badge>
          )}
        </Group>
        {offer.customerName && (
          <Text size="sm" fw={500} data-testid="offer-customer">
            {offer.customerName}
          </Text>
        )}
        {offer.preview && (
          <Text size="sm" c="dimmed" lineClamp={2} data-testid="offer-preview">
            {offer.preview}
          </Text>
        )}
        {gone ? (
          <Text size="sm" c="orange.8">
            {gone}
          </Text>
        ) : error ? (
          <Text size="sm" c="red.7">
            {describeError(t, error).message}
          </Text>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={() => reject.mutate()} loading={reject.isPending} disabled={busy || !!gone} data-testid="offer-reject">
            {t('routing.offer.reject')}
          </Button>
          <Button color="green" size="xs" onClick={() => accept.mutate()} loading={accept.isPending} disabled={busy || !!gone} data-testid="offer-accept">
            {t('routing.offer.accept')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function Countdown({ expiresAt }: { expiresAt: string }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const interval = useInterval(() => setNow(Date.now()), 250);
  useEffect(() => {
    interval.start();
    return interval.stop;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const seconds = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
  return (
    <Badge color={seconds <= 5 ? 'red' : 'blue'} variant="filled" data-testid="offer-countdown" data-seconds={seconds}>
      {t('routing.offer.seconds', { count: seconds })}
    </Badge>
  );
}

/** Alternates a bell in front of the document title while offers wait. */
function useTitleFlash(active: boolean) {
  useEffect(() => {
    if (!active) return;
    const strip = () => {
      if (document.title.startsWith(TITLE_PREFIX)) document.title = document.title.slice(TITLE_PREFIX.length);
    };
    const timer = setInterval(() => {
      if (document.title.startsWith(TITLE_PREFIX)) strip();
      else document.title = TITLE_PREFIX + document.title;
    }, 1000);
    return () => {
      clearInterval(timer);
      strip();
    };
  }, [active]);
}
