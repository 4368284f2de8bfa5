import { Anchor, Button, Group, Paper, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormatDate } from '../format';
import { useQueues, useRoutingAgents } from '../routing/api';
import { useRuns, useWebhookEndpoints } from './api';
import { usePublishedFlows } from './flows';
import { namesFrom } from './labels';
import { RunOutcomes } from './RunOutcomes';

/** The workspace's runs in which a rule matched: when, on what, which rules, what their actions did. */
export function RunsLog({ t }: { t: TFunction }) {
  const runs = useRuns();
  const queues = useQueues();
  const agents = useRoutingAgents();
  const endpoints = useWebhookEndpoints();
  const flows = usePublishedFlows();
  const formatDate = useFormatDate();
  const names = useMemo(() => namesFrom({ queues: queues.data?.items, agents: agents.data?.items, endpoints: endpoints.data, flows: flows.list }), [queues.data, agents.data, endpoints.data, flows.list]);
  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Paper withBorder p="md" data-testid="automation-runs">
      <Text size="sm" c="dimmed" mb="sm">{t('automation.runs.description')}</Text>
      {runs.isPending ? <CenteredLoader /> : <ErrorAlert error={runs.error} />}
      {!runs.isPending && items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="automation-runs-empty">{t('automation.runs.empty')}</Text>
      ) : (
        <Table striped verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('automation.runs.time')}</Table.Th>
              <Table.Th>{t('automation.runs.trigger')}</Table.Th>
              <Table.Th>{t('automation.runs.outcomes')}</Table.Th>
              <Table.Th>{t('automation.runs.conversation')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((run) => (
              <Table.Tr key={run.id} data-testid="automation-run" data-conversation-id={run.conversationId ?? undefined}>
                <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>{formatDate(run.at)}</Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>{t(`automation.triggers.${run.trigger}`)}</Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <RunOutcomes t={t} run={run} names={names} />
                </Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  {run.conversationId ? (
                    <Anchor component={Link} to={`/inbox/${run.conversationId}`} size="sm" data-testid="automation-run-conversation">
                      {t('automation.runs.open')}
                    </Anchor>
                  ) : (
                    t('common.none')
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {runs.hasNextPage && (
        <Group justify="center" mt="sm">
          <Button variant="default" size="xs" onClick={() => runs.fetchNextPage()} loading={runs.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
