import { Alert, Badge, Button, Group, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { Conversation } from '../../types';
import { inboxKeys } from './queries';

const length = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** A phone conversation's call: live with its controls, or ended with its length. */
export function CallBar({ conversation, meId }: { conversation: Conversation; meId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const control = useMutation({
    mutationFn: (action: 'hangup' | 'connect') => api.post<void>(`/api/conversations/${encodeURIComponent(conversation.id)}/call`, { action }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: inboxKeys.conversation(conversation.id) }),
  });
  const call = conversation.call;
  if (!call) return null;
  const live = call.endedAt === null;
  return (
    <Alert color={live ? 'green' : 'gray'} variant="light" p="xs" data-testid="call-bar" data-live={live ? 'true' : 'false'}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap">
          <Badge color={live ? 'green' : 'gray'} variant="filled" size="sm">
            {live ? t('inbox.call.live') : t('inbox.call.ended')}
          </Badge>
          <Text size="sm">{call.from ?? t('inbox.call.unknownNumber')}</Text>
          {!live && call.durationSeconds !== null && (
            <Text size="sm" c="dimmed" data-testid="call-duration">
              {length(call.durationSeconds)}
            </Text>
          )}
        </Group>
        {live && (
          <Group gap={6} wrap="nowrap">
            {conversation.assignee?.id === meId && (
              <Button size="compact-xs" variant="default" loading={control.isPending} onClick={() => control.mutate('connect')} data-testid="call-connect">
                {t('inbox.call.connect')}
              </Button>
            )}
            <Button size="compact-xs" color="red" loading={control.isPending} onClick={() => control.mutate('hangup')} data-testid="call-hangup">
              {t('inbox.call.hangup')}
            </Button>
          </Group>
        )}
      </Group>
      {control.isError && <ErrorAlert error={control.error} />}
    </Alert>
  );
}
