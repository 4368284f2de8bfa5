import { ActionIcon, Badge, Button, Checkbox, Group, Paper, Progress, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../format';
import { useSimulation } from './api';
import { isRunning, type SimulationStatus, type SimulationSummary } from './types';

/** How many runs the comparison shows side by side. */
export const MAX_COMPARED = 4;

const STATUS_COLOR: Record<SimulationStatus, string> = { queued: 'gray', running: 'blue', done: 'green', failed: 'red' };

interface SimulationRunsProps {
  runs: SimulationSummary[];
  compared: string[];
  onToggleCompare: (id: string) => void;
  onVariant: (id: string) => void;
  onDelete: (id: string) => void;
  deleting: string | null;
}

/** The workspace's runs, newest first: status and progress, a box to compare, a copy to vary. */
export function SimulationRuns({ runs, compared, onToggleCompare, onVariant, onDelete, deleting }: SimulationRunsProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <Paper withBorder radius="md" p="md" data-testid="sim-runs">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('workforce.sim.runs.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('workforce.sim.runs.compareHint', { count: MAX_COMPARED })}
        </Text>
      </Group>
      {runs.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="md" data-testid="sim-runs-empty">
          {t('workforce.sim.runs.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table fz="sm" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>{t('workforce.sim.runs.compare')}</Table.Th>
                <Table.Th>{t('workforce.sim.runs.name')}</Table.Th>
                <Table.Th>{t('workforce.sim.runs.status')}</Table.Th>
                <Table.Th>{t('workforce.sim.runs.created')}</Table.Th>
                <Table.Th>{t('workforce.sim.runs.finished')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.map((run) => {
                const selected = compared.includes(run.id);
                const canSelect = run.status === 'done' && (selected || compared.length < MAX_COMPARED);
                return (
                  <Table.Tr key={run.id} data-testid="sim-run-row" data-name={run.name} data-status={run.status}>
                    <Table.Td>
                      <Checkbox checked={selected} disabled={!canSelect} onChange={() => onToggleCompare(run.id)} aria-label={t('workforce.sim.runs.compareRun', { name: run.name })} data-testid="sim-run-compare" />
                    </Table.Td>
                    <Table.Td>{run.name}</Table.Td>
                    <Table.Td>{isRunning(run.status) ? <RunProgress run={run} /> : <StatusBadge status={run.status} error={run.error} />}</Table.Td>
                    <Table.Td>{formatDate(run.createdAt)}</Table.Td>
                    <Table.Td>{formatDate(run.finishedAt)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="compact-xs" variant="light" onClick={() => onVariant(run.id)} data-testid="sim-run-variant">
                          {t('workforce.sim.copyAsVariant')}
                        </Button>
                        <Tooltip label={t('workforce.sim.runs.delete')}>
                          <ActionIcon variant="subtle" color="red" size="sm" loading={deleting === run.id} onClick={() => onDelete(run.id)} aria-label={t('workforce.sim.runs.deleteRun', { name: run.name })} data-testid="sim-run-delete">
                            ×
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function StatusBadge({ status, error }: { status: SimulationStatus; error: string | null }) {
  const { t } = useTranslation();
  const badge = (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="sim-run-status">
      {t(`workforce.sim.status.${status}`)}
    </Badge>
  );
  return status === 'failed' && error ? (
    <Tooltip label={error} multiline w={320}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

/** A run under way: polls its own progress every second until it ends (the list follows, see api.ts). */
function RunProgress({ run }: { run: SimulationSummary }) {
  const { t, i18n } = useTranslation();
  const detail = useSimulation(run.id);
  const current = detail.data ?? run;
  if (!isRunning(current.status)) return <StatusBadge status={current.status} error={current.error} />;
  const percent = Math.round(current.progress * 100);
  return (
    <Group gap="xs" wrap="nowrap" data-testid="sim-run-progress">
      <Badge color={STATUS_COLOR[current.status]} variant="light" data-testid="sim-run-status">
        {t(`workforce.sim.status.${current.status}`)}
      </Badge>
      <Progress value={percent} w={120} striped animated aria-label={t('workforce.sim.runs.progress')} />
      <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language, { style: 'percent' }).format(current.progress)}
      </Text>
    </Group>
  );
}
