import { Button, CloseButton, Group, Paper, Portal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { hasRole } from '../auth';
import { useRealtime } from '../realtime';
import { useCurrentSession } from '../session';
import type { DomainEvent } from '../types';
import type { SlaMetric } from './types';

interface Notice {
  id: string;
  conversationId: string;
  metric: SlaMetric;
  priority?: string;
}

/** How many notices stay on screen; older ones make room. */
const MAX_NOTICES = 4;

function noticeOf(event: DomainEvent): Notice | null {
  if (event.type !== 'sla.breached' || !event.payload || typeof event.payload !== 'object') return null;
  const payload = event.payload as { conversationId?: unknown; metric?: unknown; escalation?: { notify?: unknown; priority?: unknown } | null };
  // Only breaches whose policy asks for it (and not late answers reported after the fact: escalation null).
  if (payload.escalation?.notify !== true || typeof payload.conversationId !== 'string') return null;
  return {
    id: event.id,
    conversationId: payload.conversationId,
    metric: payload.metric as SlaMetric,
    priority: typeof payload.escalation.priority === 'string' ? payload.escalation.priority : undefined,
  };
}

/**
 * Supervisors see SLA breaches as they happen, on every page: the breach event arrives over the
 * realtime socket; a notice links to the conversation. Mounted once in the app layout.
 */
export function SlaBreachNotices() {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const navigate = useNavigate();
  const [notices, setNotices] = useState<Notice[]>([]);
  const supervisor = hasRole(user.role, 'supervisor');

  useRealtime({
    onEvent: (event) => {
      const notice = supervisor ? noticeOf(event) : null;
      if (notice) setNotices((list) => [...list.filter((n) => n.id !== notice.id), notice].slice(-MAX_NOTICES));
    },
  });

  if (!notices.length) return null;
  const dismiss = (id: string) => setNotices((list) => list.filter((n) => n.id !== id));
  return (
    <Portal>
      <Stack gap="xs" pos="fixed" bottom={16} left={16} w={340} style={{ zIndex: 300 }} data-testid="sla-breach-notices">
        {notices.map((n) => (
          <Paper key={n.id} withBorder shadow="md" p="sm" style={{ borderLeft: '4px solid var(--mantine-color-red-6)' }} data-testid="sla-breach-notice">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2}>
                <Text size="sm" fw={600}>{t('sla.notice.title', { metric: t(`sla.metrics.${n.metric}`) })}</Text>
                {n.priority && <Text size="xs" c="dimmed">{t('sla.notice.raised', { priority: t(`inbox.priority.${n.priority as 'high' | 'urgent'}`) })}</Text>}
              </Stack>
              <CloseButton size="sm" aria-label={t('sla.notice.dismiss')} onClick={() => dismiss(n.id)} />
            </Group>
            <Button
              size="compact-xs"
              variant="light"
              mt={6}
              onClick={() => {
                dismiss(n.id);
                navigate(`/inbox/${encodeURIComponent(n.conversationId)}`);
              }}
            >
              {t('sla.notice.open')}
            </Button>
          </Paper>
        ))}
      </Stack>
    </Portal>
  );
}
