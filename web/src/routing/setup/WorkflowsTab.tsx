import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../../components/CenteredLoader';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDeleteWorkflow, useRoutingSettings, useWorkflows } from '../api';
import type { Workflow } from '../types';
import { WorkflowEditor } from './WorkflowEditor';
import { RowActions } from './RowActions';

export function WorkflowsTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const workflows = useWorkflows();
  const settings = useRoutingSettings();
  const remove = useDeleteWorkflow();
  const [editing, setEditing] = useState<Workflow | null | undefined>(undefined);

  const columns: Column<Workflow>[] = [
    {
      key: 'name',
      header: t('routing.workflow.name'),
      render: (w) => (
        <Group gap={6} data-testid="workflow-row" data-workflow-id={w.id}>
          <Text size="sm" fw={500}>
            {w.name}
          </Text>
          {settings.data?.defaultWorkflowId === w.id && (
            <Badge size="xs" variant="light">
              {t('routing.workflow.default')}
            </Badge>
          )}
        </Group>
      ),
    },
    { key: 'filters', header: t('routing.workflow.filters'), align: 'right', render: (w) => w.filters.length },
    { key: 'defaultSteps', header: t('routing.workflow.defaultSteps'), align: 'right', render: (w) => w.defaultSteps.length },
    {
      key: 'actions',
      header: '',
      align: 'right',
      render: (w) => (
        <RowActions
          testId="workflow"
          canEdit={canEdit}
          deleting={remove.isPending && remove.variables === w.id}
          confirmText={t('routing.workflow.confirmDelete', { name: w.name })}
          onEdit={() => setEditing(w)}
          onDelete={() => remove.mutate(w.id)}
        />
      ),
    },
  ];

  return (
    <Stack>
      {canEdit && (
        <Group justify="flex-end">
          <Button onClick={() => setEditing(null)} data-testid="workflow-new">
            {t('routing.workflow.new')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={remove.error} />
      {workflows.isPending ? (
        <CenteredLoader />
      ) : workflows.isError ? (
        <ErrorAlert error={workflows.error} />
      ) : (
        <DataTable columns={columns} rows={workflows.data.items} rowKey={(w) => w.id} empty={t('routing.workflow.empty')} testId="workflows-table" />
      )}
      {editing !== undefined && <WorkflowEditor workflow={editing} canEdit={canEdit} onClose={() => setEditing(undefined)} />}
    </Stack>
  );
}
