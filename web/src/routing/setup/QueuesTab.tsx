import { Badge, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../../components/CenteredLoader';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDeleteQueue, useQueues } from '../api';
import type { Queue } from '../types';
import { QueueModal } from './QueueModal';
import { RowActions } from './RowActions';

export function QueuesTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const queues = useQueues();
  const remove = useDeleteQueue();
  // undefined: closed; null: new queue.
  const [editing, setEditing] = useState<Queue | null | undefined>(undefined);

  const columns: Column<Queue>[] = [
    {
      key: 'name',
      header: t('routing.queue.name'),
      render: (q) => (
        <Text size="sm" fw={500} data-testid="setup-queue-row" data-queue-id={q.id}>
          {q.name}
        </Text>
      ),
    },
    {
      key: 'eligibility',
      header: t('routing.queue.eligibility'),
      render: (q) => (q.eligibility ? <Code>{q.eligibility}</Code> : <Text size="sm" c="dimmed">{t('routing.queue.everyAgent')}</Text>),
    },
    { key: 'order', header: t('routing.queue.order'), render: (q) => <Badge variant="light">{q.order.toUpperCase()}</Badge> },
    { key: 'maxSize', header: t('routing.queue.maxSize'), align: 'right', render: (q) => q.maxSize ?? t('common.none') },
    { key: 'sl', header: t('routing.queue.serviceLevelSeconds'), align: 'right', render: (q) => q.serviceLevelSeconds ?? t('common.none') },
    {
      key: 'hours',
      header: t('routing.queue.hours'),
      render: (q) => (q.hours ? `${Object.keys(q.hours.week).length} ${t('routing.queue.daysOpen')} · ${q.hours.timeZone}` : t('routing.queue.alwaysOpen')),
    },
    {
      key: 'actions',
      header: '',
      align: 'right',
      render: (q) => (
        <RowActions
          testId="queue"
          canEdit={canEdit}
          deleting={remove.isPending && remove.variables === q.id}
          confirmText={t('routing.queue.confirmDelete', { name: q.name })}
          onEdit={() => setEditing(q)}
          onDelete={() => remove.mutate(q.id)}
        />
      ),
    },
  ];

  return (
    <Stack>
      {canEdit && (
        <Group justify="flex-end">
          <Button onClick={() => setEditing(null)} data-testid="queue-new">
            {t('routing.queue.new')}
          </Button>
        </Group>
      )}
      {remove.error && (
        <ErrorAlert error={remove.error} title={remove.error && 'code' in remove.error && remove.error.code === 'queue_in_use' ? t('routing.queue.inUse') : undefined} />
      )}
      {queues.isPending ? (
        <CenteredLoader />
      ) : queues.isError ? (
        <ErrorAlert error={queues.error} />
      ) : (
        <DataTable columns={columns} rows={queues.data.items} rowKey={(q) => q.id} empty={t('routing.queue.empty')} testId="queues-table" />
      )}
      {editing !== undefined && <QueueModal queue={editing} canEdit={canEdit} onClose={() => setEditing(undefined)} />}
    </Stack>
  );
}
