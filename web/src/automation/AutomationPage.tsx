import { ActionIcon, Badge, Button, Group, Paper, Stack, Switch, Table, Tabs, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { hasRole } from '../auth';
import { useQueues, useRoutingAgents } from '../routing/api';
import { useCurrentSession } from '../session';
import type { Role } from '../types';
import { useDeleteRule, useReorderRules, useRules, useSaveRule, useWebhookEndpoints } from './api';
import { usePublishedFlows } from './flows';
import { actionLabel, conditionLabel, namesFrom, type Names } from './labels';
import { MacrosTab } from './MacrosTab';
import { WebhooksTab } from './WebhooksTab';
import { CampaignsTab } from './CampaignsTab';
import { RuleEditor, ruleBodyOf } from './RuleEditor';
import { RunsLog } from './RunsLog';
import type { Rule } from './types';

const TABS = ['rules', 'macros', 'webhooks', 'campaigns', 'runs'] as const;
type Tab = (typeof TABS)[number];
const isTab = (value: unknown): value is Tab => typeof value === 'string' && (TABS as readonly string[]).includes(value);
/** Who may use each tab (the server's roles for its API); a tab the user may not use is not shown. */
const TAB_ROLES: Record<Tab, Role> = { rules: 'supervisor', macros: 'agent', webhooks: 'admin', campaigns: 'supervisor', runs: 'supervisor' };

/** The automation page: rules (with their editor and dry run), macros, webhooks, campaigns and the run log; each tab for the roles its API allows. */
export function AutomationPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { user } = useCurrentSession();
  const tabs = TABS.filter((name) => hasRole(user.role, TAB_ROLES[name]));
  const asked = params.get('tab');
  const tab: Tab = isTab(asked) && tabs.includes(asked) ? asked : (tabs[0] ?? 'macros');
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);

  return (
    <Stack data-testid="automation-page" gap={0}>
      <PageHeader title={t('automation.title')} description={t('automation.description')} />
      {editing ? (
        <RuleEditor t={t} rule={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
      ) : (
        <Tabs value={tab} onChange={(value) => isTab(value) && setParams(value === tabs[0] ? {} : { tab: value }, { replace: true })} keepMounted={false}>
          <Tabs.List mb="md">
            {tabs.map((name) => (
              <Tabs.Tab key={name} value={name} data-testid={`automation-tab-${name}`}>
                {t(`automation.tabs.${name}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="rules">
            <RulesList t={t} onEdit={setEditing} canEdit={hasRole(user.role, 'admin')} />
          </Tabs.Panel>
          <Tabs.Panel value="macros">
            <MacrosTab t={t} />
          </Tabs.Panel>
          <Tabs.Panel value="webhooks">
            <WebhooksTab t={t} />
          </Tabs.Panel>
          <Tabs.Panel value="campaigns">
            <CampaignsTab t={t} />
          </Tabs.Panel>
          <Tabs.Panel value="runs">
            <RunsLog t={t} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

/** The rules in order; only admins change them (the server's rule), supervisors read them. */
function RulesList({ t, onEdit, canEdit }: { t: TFunction; onEdit: (rule: Rule | 'new') => void; canEdit: boolean }) {
  const rules = useRules();
  const save = useSaveRule();
  const remove = useDeleteRule();
  const reorder = useReorderRules();
  const queues = useQueues();
  const agents = useRoutingAgents();
  const endpoints = useWebhookEndpoints();
  const flows = usePublishedFlows();
  const names = useMemo(() => namesFrom({ queues: queues.data?.items, agents: agents.data?.items, endpoints: endpoints.data, flows: flows.list }), [queues.data, agents.data, endpoints.data, flows.list]);
  const items = rules.data?.items ?? [];

  const move = (index: number, by: -1 | 1) => {
    const ids = items.map((r) => r.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    reorder.mutate(ids);
  };
  const toggle = (rule: Rule, patch: { enabled?: boolean; stop?: boolean }) => save.mutate({ id: rule.id, body: { ...ruleBodyOf(rule), ...patch } });
  const busy = !canEdit || reorder.isPending || save.isPending || remove.isPending;

  return (
    <Paper withBorder p="md" data-testid="automation-rules">
      <Group justify="space-between" mb="sm" align="flex-start">
        <Text size="sm" c="dimmed" maw={640}>{t('automation.rules.description')}</Text>
        {canEdit ? <Button onClick={() => onEdit('new')} data-testid="automation-rule-add">{t('automation.rules.add')}</Button> : null}
      </Group>
      {rules.isPending ? <CenteredLoader /> : <ErrorAlert error={rules.error} />}
      <ErrorAlert error={save.error ?? remove.error ?? reorder.error} />
      {!rules.isPending && items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="automation-rules-empty">{t('automation.rules.empty')}</Text>
      ) : (
        <Table striped verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>{t('automation.rules.order')}</Table.Th>
              <Table.Th>{t('automation.rules.name')}</Table.Th>
              <Table.Th>{t('automation.rules.when')}</Table.Th>
              <Table.Th>{t('automation.rules.then')}</Table.Th>
              <Table.Th>{t('automation.rules.enabled')}</Table.Th>
              <Table.Th>{t('automation.rules.stop')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((rule, index) => (
              <Table.Tr key={rule.id} data-testid="automation-rule-row" data-rule-id={rule.id} data-name={rule.name}>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <Text size="sm" w={20}>{index + 1}</Text>
                    <ActionIcon variant="subtle" size="sm" aria-label={t('automation.rules.moveUp')} disabled={index === 0 || busy} onClick={() => move(index, -1)} data-testid="automation-rule-up">
                      ↑
                    </ActionIcon>
                    <ActionIcon variant="subtle" size="sm" aria-label={t('automation.rules.moveDown')} disabled={index === items.length - 1 || busy} onClick={() => move(index, 1)} data-testid="automation-rule-down">
                      ↓
                    </ActionIcon>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>{rule.name}</Text>
                  <Text size="xs" c="dimmed">{t(`automation.triggers.${rule.trigger}`)}</Text>
                </Table.Td>
                <Table.Td data-testid="automation-rule-when"><WhenSummary t={t} rule={rule} /></Table.Td>
                <Table.Td><ThenSummary t={t} rule={rule} names={names} /></Table.Td>
                <Table.Td>
                  <Switch checked={rule.enabled} disabled={busy} onChange={(e) => toggle(rule, { enabled: e.currentTarget.checked })} aria-label={t('automation.rules.enabled')} data-testid="automation-rule-enabled" />
                </Table.Td>
                <Table.Td>
                  <Switch checked={rule.stop} disabled={busy} onChange={(e) => toggle(rule, { stop: e.currentTarget.checked })} aria-label={t('automation.rules.stop')} data-testid="automation-rule-stop" />
                </Table.Td>
                <Table.Td>
                  {canEdit ? (
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => onEdit(rule)} data-testid="automation-rule-edit">{t('automation.rules.edit')}</Button>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('automation.rules.delete')}
                      disabled={busy}
                      onClick={() => window.confirm(t('automation.rules.confirmDelete', { name: rule.name })) && remove.mutate(rule.id)}
                      data-testid="automation-rule-delete"
                    >
                      ×
                    </ActionIcon>
                  </Group>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function WhenSummary({ t, rule }: { t: TFunction; rule: Rule }) {
  const { all, any } = rule.conditions;
  if (all.length === 0 && any.length === 0) return <Text size="xs" c="dimmed">{t('automation.rules.always')}</Text>;
  return (
    <Stack gap={0}>
      {all.map((c, i) => (
        <Text key={`all-${i}`} size="xs">{conditionLabel(t, c)}</Text>
      ))}
      {any.length > 0 && (
        <Text size="xs">
          <Badge size="xs" variant="light" color="gray" tt="none" mr={4}>{t('automation.editor.anyShort')}</Badge>
          {any.map((c) => conditionLabel(t, c)).join(` ${t('automation.rules.or')} `)}
        </Text>
      )}
    </Stack>
  );
}

function ThenSummary({ t, rule, names }: { t: TFunction; rule: Rule; names: Names }) {
  return (
    <Stack gap={0}>
      {rule.actions.map((action, i) => (
        <Text key={i} size="xs">{actionLabel(t, action, names)}</Text>
      ))}
    </Stack>
  );
}
