import { ActionIcon, Badge, Button, Divider, Group, Paper, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { hasRole } from '../auth';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useQueues, useRoutingAgents } from '../routing/api';
import { useCurrentSession } from '../session';
import { ActionList, newAction, type Option } from './ActionEditor';
import { useDeleteMacro, useMacros, useSaveMacro, useWebhookEndpoints } from './api';
import { usePublishedFlows } from './flows';
import { actionLabel, namesFrom } from './labels';
import { MACRO_ACTION_TYPES, type Action, type Macro, type MacroBody } from './types';

/** The automation page's macros tab: the list, and the editor in its place while editing. */
export function MacrosTab({ t }: { t: TFunction }) {
  return (
    <Paper withBorder p="md" data-testid="automation-macros">
      <MacrosManager t={t} />
    </Paper>
  );
}

/**
 * Macros the user can see (shared, and their own personal ones), with an editor. Used on the
 * automation page and, for agents and supervisors who have no settings page, from the desk.
 */
export function MacrosManager({ t }: { t: TFunction }) {
  const { user } = useCurrentSession();
  const macros = useMacros();
  const remove = useDeleteMacro();
  const queues = useQueues();
  const agents = useRoutingAgents();
  const endpoints = useWebhookEndpoints();
  const flows = usePublishedFlows();
  const names = useMemo(() => namesFrom({ queues: queues.data?.items, agents: agents.data?.items, endpoints: endpoints.data, flows: flows.list }), [queues.data, agents.data, endpoints.data, flows.list]);
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const supervisor = hasRole(user.role, 'supervisor');
  // What the server lets this user change: shared ones need a supervisor; personal ones are the owner's
  // (every personal macro listed is the caller's own).
  const mayChange = (macro: Macro) => macro.personal || supervisor;
  const items = macros.data?.items ?? [];

  if (editing) return <MacroEditor t={t} macro={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={640}>{t('automation.macros.description')}</Text>
        <Button onClick={() => setEditing('new')} data-testid="macro-add">{t('automation.macros.add')}</Button>
      </Group>
      {macros.isPending ? <CenteredLoader /> : <ErrorAlert error={macros.error} />}
      <ErrorAlert error={remove.error} />
      {!macros.isPending && items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="macros-empty">{t('automation.macros.empty')}</Text>
      ) : (
        <Table striped verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('automation.macros.name')}</Table.Th>
              <Table.Th>{t('automation.macros.actions')}</Table.Th>
              <Table.Th>{t('automation.macros.kind')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((macro) => (
              <Table.Tr key={macro.id} data-testid="macro-row" data-macro-id={macro.id} data-name={macro.name}>
                <Table.Td><Text size="sm" fw={500}>{macro.name}</Text></Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    {macro.actions.map((action, i) => (
                      <Text key={i} size="xs">{actionLabel(t, action, names)}</Text>
                    ))}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={macro.personal ? 'grape' : 'blue'} data-testid="macro-kind">
                    {macro.personal ? t('automation.macros.personal') : t('automation.macros.shared')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {mayChange(macro) && (
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(macro)} data-testid="macro-edit">{t('automation.macros.edit')}</Button>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('automation.macros.delete')}
                        disabled={remove.isPending}
                        onClick={() => window.confirm(t('automation.macros.confirmDelete', { name: macro.name })) && remove.mutate(macro.id)}
                        data-testid="macro-delete"
                      >
                        ×
                      </ActionIcon>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** Edits one macro: its name, whether it is personal (when made), and its actions. */
function MacroEditor({ t, macro, onDone }: { t: TFunction; macro: Macro | null; onDone: () => void }) {
  const { user } = useCurrentSession();
  const supervisor = hasRole(user.role, 'supervisor');
  const save = useSaveMacro();
  const queues = useQueues();
  const agents = useRoutingAgents();
  const endpoints = useWebhookEndpoints();
  const flows = usePublishedFlows();
  const [form, setForm] = useState<MacroBody>(() =>
    macro ? structuredClone({ name: macro.name, actions: macro.actions, personal: macro.personal }) : { name: '', actions: [newAction('add_tags')], personal: !supervisor },
  );

  const queueOptions: Option[] = useMemo(() => (queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name })), [queues.data]);
  const agentOptions: Option[] = useMemo(() => (agents.data?.items ?? []).map((a) => ({ value: a.userId, label: `${a.name} (${a.email})` })), [agents.data]);
  const endpointOptions: Option[] = useMemo(() => (endpoints.data ?? []).map((e) => ({ value: e.id, label: e.enabled ? e.name : `${e.name} (${t('automation.editor.endpointDisabled')})` })), [endpoints.data, t]);
  // Without the webhooks API (or the right to read it) the action is not offered.
  const actionTypes = useMemo(
    () => MACRO_ACTION_TYPES.filter((type) => (type !== 'send_webhook' || Boolean(endpoints.data)) && (type !== 'trigger_flow' || flows.available)),
    [endpoints.data, flows.available],
  );
  const setActions = (actions: Action[]) => setForm((f) => ({ ...f, actions }));
  const submit = () => save.mutate({ id: macro?.id, body: form }, { onSuccess: onDone });

  return (
    <Stack data-testid="macro-editor">
      <Group justify="space-between">
        <Title order={3} size="h4">{macro ? t('automation.macros.titleEdit', { name: macro.name }) : t('automation.macros.titleNew')}</Title>
        <Button variant="subtle" onClick={onDone} data-testid="macro-editor-back">{t('automation.macros.back')}</Button>
      </Group>
      <Group align="flex-end">
        <TextInput style={{ flex: 1 }} label={t('automation.macros.name')} required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-testid="macro-name" />
        <Switch
          label={t('automation.macros.personalLabel')}
          description={supervisor ? t('automation.macros.personalHelp') : t('automation.macros.personalOnly')}
          checked={form.personal}
          // Fixed once made; only supervisors make shared ones.
          disabled={Boolean(macro) || !supervisor}
          onChange={(e) => setForm({ ...form, personal: e.currentTarget.checked })}
          data-testid="macro-personal"
        />
      </Group>
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
        emptyText={t('automation.macros.needsAction')}
        testIdPrefix={{ list: 'macro-actions', item: 'macro-action', add: 'macro-add-action' }}
      />
      <ErrorAlert error={save.error} testId="macro-save-error" />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
        <Button onClick={submit} loading={save.isPending} disabled={!form.name.trim() || form.actions.length === 0} data-testid="macro-save">
          {t('automation.macros.save')}
        </Button>
      </Group>
    </Stack>
  );
}
