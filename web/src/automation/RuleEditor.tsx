import { Button, Divider, Grid, Group, NumberInput, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { useQueues, useRoutingAgents } from '../routing/api';
import { ActionList, newAction, type Option } from './ActionEditor';
import { useSaveRule, useWebhookEndpoints } from './api';
import { ConditionEditor, newCondition } from './ConditionEditor';
import { usePublishedFlows } from './flows';
import { TestPanel } from './TestPanel';
import { ACTION_TYPES, TRIGGERS, type Action, type Condition, type Rule, type RuleBody, type Trigger } from './types';

const emptyRule = (): RuleBody => ({
  name: '',
  enabled: true,
  trigger: 'message.received',
  conditions: { all: [], any: [] },
  schedule: null,
  actions: [newAction('set_priority')],
  stop: false,
});

export function ruleBodyOf(rule: Rule): RuleBody {
  return {
    name: rule.name,
    enabled: rule.enabled,
    trigger: rule.trigger,
    schedule: rule.schedule ?? null,
    conditions: { all: rule.conditions.all ?? [], any: rule.conditions.any ?? [] },
    actions: rule.actions,
    stop: rule.stop,
  };
}

/** Edits one rule: name, trigger, the "all" and "any" conditions, actions, stop; the test panel beside it. */
export function RuleEditor({ t, rule, onDone }: { t: TFunction; rule: Rule | null; onDone: () => void }) {
  const save = useSaveRule();
  const queues = useQueues();
  const agents = useRoutingAgents();
  const endpoints = useWebhookEndpoints();
  const flows = usePublishedFlows();
  const [form, setForm] = useState<RuleBody>(() => (rule ? structuredClone(ruleBodyOf(rule)) : emptyRule()));

  const queueOptions: Option[] = useMemo(() => (queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name })), [queues.data]);
  const agentOptions: Option[] = useMemo(() => (agents.data?.items ?? []).map((a) => ({ value: a.userId, label: `${a.name} (${a.email})` })), [agents.data]);
  const endpointOptions: Option[] = useMemo(() => (endpoints.data ?? []).map((e) => ({ value: e.id, label: e.enabled ? e.name : `${e.name} (${t('automation.editor.endpointDisabled')})` })), [endpoints.data, t]);
  // Without the webhooks API (or the right to read it) the action is not offered.
  const actionTypes = useMemo(
    () => ACTION_TYPES.filter((type) => (type !== 'send_webhook' || Boolean(endpoints.data)) && (type !== 'trigger_flow' || flows.available)),
    [endpoints.data, flows.available],
  );

  const setConditions = (group: 'all' | 'any', list: Condition[]) => setForm((f) => ({ ...f, conditions: { ...f.conditions, [group]: list } }));
  const setActions = (actions: Action[]) => setForm((f) => ({ ...f, actions }));
  const submit = () => save.mutate({ id: rule?.id, body: form }, { onSuccess: onDone });

  const conditionGroup = (group: 'all' | 'any') => {
    const list = form.conditions[group];
    return (
      <Stack gap="xs" data-testid={`rule-conditions-${group}`}>
        <Stack gap={0}>
          <Text size="sm" fw={600}>{t(`automation.editor.${group}`)}</Text>
          <Text size="xs" c="dimmed">{t(`automation.editor.${group}Help`)}</Text>
        </Stack>
        {list.map((c, i) => (
          <ConditionEditor
            key={i}
            t={t}
            condition={c}
            onChange={(next) => setConditions(group, list.map((x, j) => (j === i ? next : x)))}
            onRemove={() => setConditions(group, list.filter((_, j) => j !== i))}
            testId={`condition-${group}-${i}`}
          />
        ))}
        <Group>
          <Button size="xs" variant="default" onClick={() => setConditions(group, [...list, newCondition()])} disabled={list.length >= 50} data-testid={`rule-add-condition-${group}`}>
            {t('automation.editor.addCondition')}
          </Button>
        </Group>
      </Stack>
    );
  };

  return (
    <Stack data-testid="rule-editor">
      <Group justify="space-between">
        <Title order={2} size="h3">{rule ? t('automation.editor.titleEdit', { name: rule.name }) : t('automation.editor.titleNew')}</Title>
        <Button variant="subtle" onClick={onDone} data-testid="rule-editor-back">{t('automation.editor.back')}</Button>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Paper withBorder p="md">
            <Stack>
              <Group grow align="flex-start">
                <TextInput label={t('automation.editor.name')} required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-testid="rule-name" />
                <Select
                  label={t('automation.editor.trigger')}
                  description={t('automation.editor.triggerHelp')}
                  allowDeselect={false}
                  value={form.trigger}
                  onChange={(v) => v && setForm({ ...form, trigger: v as Trigger, schedule: v === 'schedule' ? (form.schedule ?? { everyMinutes: 60 }) : null })}
                  data={TRIGGERS.map((trigger) => ({ value: trigger, label: t(`automation.triggers.${trigger}`) }))}
                  data-testid="rule-trigger"
                />
              </Group>
              {form.trigger === 'schedule' && (
                <NumberInput
                  label={t('automation.editor.schedule')}
                  description={t('automation.editor.scheduleHelp')}
                  min={5}
                  max={7 * 24 * 60}
                  step={15}
                  w={320}
                  value={form.schedule?.everyMinutes ?? 60}
                  onChange={(v) => setForm({ ...form, schedule: { everyMinutes: typeof v === 'number' ? v : Number(v) || 60 } })}
                  data-testid="rule-schedule"
                />
              )}
              <Group>
                <Switch label={t('automation.editor.enabled')} checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })} data-testid="rule-enabled" />
                <Switch label={t('automation.editor.stop')} description={t('automation.editor.stopHelp')} checked={form.stop} onChange={(e) => setForm({ ...form, stop: e.currentTarget.checked })} data-testid="rule-stop" />
              </Group>

              <Divider label={t('automation.editor.conditions')} labelPosition="left" />
              {conditionGroup('all')}
              {conditionGroup('any')}

              <Divider label={t('automation.editor.actions')} labelPosition="left" />
              <ActionList
                t={t}
                actions={form.actions}
                onChange={setActions}
                types={actionTypes}
                queues={queueOptions}
                agents={agentOptions}
                endpoints={endpointOptions}
                flows={flows.options}
                emptyText={t('automation.editor.needsAction')}
                testIdPrefix={{ list: 'rule-actions', item: 'action', add: 'rule-add-action' }}
              />

              <ErrorAlert error={save.error} testId="rule-save-error" />
              <Group justify="flex-end">
                <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
                <Button onClick={submit} loading={save.isPending} disabled={!form.name.trim() || form.actions.length === 0} data-testid="rule-save">
                  {t('automation.editor.save')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <TestPanel t={t} rule={form} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
