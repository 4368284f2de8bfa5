import { Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormatDate } from '../format';
import { useQueues } from '../routing/api';
import type { Conversation } from '../types';
import { automationKeys, useConversationAutomation } from './api';
import { namesFrom } from './labels';
import { RunOutcomes } from './RunOutcomes';

/**
 * The desk's "Automation" section for the open conversation: which rule did what, and when. Rules
 * run with the customer's messages, so a new message (or a change of priority or queue) means there
 * may be a new run to show.
 */
export function ConversationAutomation({ conversation }: { conversation: Pick<Conversation, 'id' | 'lastActivityAt' | 'priority' | 'queue' | 'tags' | 'status'> }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const runs = useConversationAutomation(conversation.id);
  // Queues are readable by agents; agent and endpoint names are not, so those show as ids.
  const queues = useQueues();
  const formatDate = useFormatDate();
  const names = useMemo(() => namesFrom({ queues: queues.data?.items }), [queues.data]);
  const version = [conversation.lastActivityAt, conversation.priority, conversation.queue, conversation.status, conversation.tags.join(',')].join('|');
  const seen = useRef({ id: conversation.id, version });
  useEffect(() => {
    // Only a change of the same conversation asks again; opening one fetches anyway.
    const before = seen.current;
    seen.current = { id: conversation.id, version };
    if (before.id === conversation.id && before.version !== version) void queryClient.invalidateQueries({ queryKey: automationKeys.conversation(conversation.id) });
  }, [queryClient, conversation.id, version]);

  const items = runs.data?.items ?? [];
  return (
    <Stack gap={4} data-testid="conversation-automation">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {t('automation.panel.title')}
      </Text>
      {runs.isPending ? (
        <Loader size="xs" />
      ) : runs.isError ? (
        <ErrorAlert error={runs.error} />
      ) : items.length === 0 ? (
        <Text size="xs" c="dimmed" data-testid="conversation-automation-empty">
          {t('automation.panel.empty')}
        </Text>
      ) : (
        items.map((run) => (
          <Stack key={run.id} gap={2} data-testid="conversation-automation-run">
            <Text size="xs" c="dimmed">
              {formatDate(run.at)} · {t(`automation.triggers.${run.trigger}`)}
            </Text>
            <RunOutcomes t={t} run={run} names={names} />
          </Stack>
        ))
      )}
    </Stack>
  );
}
