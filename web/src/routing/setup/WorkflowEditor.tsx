import { ActionIcon, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueues, useRoutingSettings, useSaveWorkflow } from '../api';
import { ExpressionInput } from '../ExpressionInput';
import { IssuesAlert } from '../IssuesAlert';
import { move, removeAt, replaceAt } from '../listEdit';
import type { Workflow, WorkflowFilter, WorkflowInput } from '../types';
import { StepsEditor } from './StepsEditor';

function toInput(workflow: Workflow | null): WorkflowInput {
  if (!workflow) return { name: '', filters: [], defaultSteps: [] };
  const { id: _id, ...rest } = workflow;
  return rest;
}

export function WorkflowEditor({ workflow, canEdit, onClose }: { workflow: Workflow | null; canEdit: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<WorkflowInput>(() => toInput(workflow));
  const save = useSaveWorkflow();
  const queues = useQueues();
  const settings = useRoutingSettings();
  const queueOptions = (queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }));
  const skills = settings.data?.skills ?? [];
  const taskFields = Object.keys(settings.data?.taskFields ?? {});

  const setFilters = (filters: WorkflowFilter[]) => setForm((prev) => ({ ...prev, filters }));
  const setFilter = (i: number, filter: WorkflowFilter) => setFilters(replaceAt(form.filters, i, filter));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate({ id: workflow?.id, input: { ...form, name: form.name.trim() } }, { onSuccess: onClose });
  };

  const stepProps = { queueOptions, skills, taskFields, canEdit };

  return (
    <Modal
      opened
      onClose={onClose}
      size="80rem"
      title={workflow ? t('routing.workflow.editTitle', { name: workflow.name }) : t('routing.workflow.new')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={onSubmit} data-testid="workflow-editor">
        <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack>
            <IssuesAlert error={save.error} />
            <TextInput
              label={t('routing.workflow.name')}
              required
              data-autofocus
              value={form.name}
              onChange={(e) => {
                const name = e.currentTarget.value;
                setForm((prev) => ({ ...prev, name }));
              }}
              data-testid="workflow-name"
            />

            <Group justify="space-between">
              <Title order={3} size="h4">
                {t('routing.workflow.filters')}
              </Title>
              {canEdit && (
                <Button size="xs" variant="light" onClick={() => setFilters([...form.filters, { name: '', expression: '', steps: [] }])} data-testid="workflow-add-filter">
                  {t('routing.workflow.addFilter')}
                </Button>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {t('routing.workflow.filtersHint')}
            </Text>
            {form.filters.map((filter, i) => (
              <Paper key={i} withBorder p="md" radius="md" data-testid="workflow-filter" data-index={i}>
                <Stack gap="sm">
                  <Group justify="space-between" wrap="nowrap" align="flex-end">
                    <TextInput
                      label={t('routing.workflow.filterName', { index: i + 1 })}
                      required
                      style={{ flex: 1 }}
                      value={filter.name}
                      onChange={(e) => setFilter(i, { ...filter, name: e.currentTarget.value })}
                      data-testid="filter-name"
                    />
                    {canEdit && (
                      <Group gap={4} wrap="nowrap">
                        <ActionIcon variant="default" size="lg" disabled={i === 0} aria-label={t('routing.common.moveUp')} onClick={() => setFilters(move(form.filters, i, -1))} data-testid="filter-up">
                          ↑
                        </ActionIcon>
                        <ActionIcon
                          variant="default"
                          size="lg"
                          disabled={i === form.filters.length - 1}
                          aria-label={t('routing.common.moveDown')}
                          onClick={() => setFilters(move(form.filters, i, 1))}
                          data-testid="filter-down"
                        >
                          ↓
                        </ActionIcon>
                        <Button variant="subtle" color="red" size="xs" onClick={() => setFilters(removeAt(form.filters, i))} data-testid="filter-remove">
                          {t('routing.common.remove')}
                        </Button>
                      </Group>
                    )}
                  </Group>
                  <ExpressionInput
                    label={t('routing.workflow.filterExpression')}
                    description={t('routing.workflow.filterExpressionHint')}
                    placeholder={'task.channel == "email"'}
                    place="filter"
                    required
                    readOnly={!canEdit}
                    value={filter.expression}
                    onChange={(expression) => setFilter(i, { ...filter, expression })}
                    testId={`filter-${i}`}
                  />
                  <StepsEditor steps={filter.steps} onChange={(steps) => setFilter(i, { ...filter, steps })} idPrefix={`f${i}`} {...stepProps} />
                </Stack>
              </Paper>
            ))}

            <Title order={3} size="h4">
              {t('routing.workflow.defaultSteps')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('routing.workflow.defaultStepsHint')}
            </Text>
            <Paper withBorder p="md" radius="md" data-testid="workflow-default-steps">
              <StepsEditor steps={form.defaultSteps} onChange={(defaultSteps) => setForm((prev) => ({ ...prev, defaultSteps }))} idPrefix="d" {...stepProps} />
            </Paper>
          </Stack>
        </fieldset>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>
            {canEdit ? t('common.cancel') : t('common.close')}
          </Button>
          {canEdit && (
            <Button type="submit" loading={save.isPending} data-testid="workflow-save">
              {t('routing.common.save')}
            </Button>
          )}
        </Group>
      </form>
    </Modal>
  );
}
