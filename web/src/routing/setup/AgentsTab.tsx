import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../../components/CenteredLoader';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRoutingAgents, useRoutingSettings } from '../api';
import type { RoutingAgent } from '../types';
import { AgentModal } from './AgentModal';

export function AgentsTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const agents = useRoutingAgents();
  const settings = useRoutingSettings();
  const [editing, setEditing] = useState<RoutingAgent | null>(null);

  const columns: Column<RoutingAgent>[] = [
    {
      key: 'name',
      header: t('routing.agent.name'),
      render: (a) => (
        <Stack gap={0} data-testid="setup-agent-row" data-agent-id={a.userId}>
          <Text size="sm" fw={500}>
            {a.name}
          </Text>
          <Text size="xs" c="dimmed">
            {a.email}
          </Text>
        </Stack>
      ),
    },
    { key: 'presence', header: t('routing.agent.presence'), render: (a) => <Badge variant="dot" color={a.live?.routable ? 'green' : 'gray'}>{a.presence}</Badge> },
    {
      key: 'skills',
      header: t('routing.agent.skills'),
      render: (a) => (
        <Group gap={4}>
          {Object.entries(a.skills).map(([skill, level]) => (
            <Badge key={skill} size="sm" variant="light" data-testid="agent-skill" data-skill={skill} data-level={level}>
              {skill} · {level}
            </Badge>
          ))}
          {Object.keys(a.skills).length === 0 && <Text size="sm" c="dimmed">{t('common.none')}</Text>}
        </Group>
      ),
    },
    { key: 'languages', header: t('routing.agent.languages'), render: (a) => (a.languages.length ? a.languages.join(', ') : t('common.none')) },
    { key: 'capacity', header: t('routing.agent.capacity'), align: 'right', render: (a) => (a.live ? `${a.live.used} / ${a.capacity.total}` : a.capacity.total) },
    {
      key: 'actions',
      header: '',
      align: 'right',
      render: (a) => (
        <Button size="xs" variant="default" onClick={() => setEditing(a)} data-testid="agent-edit">
          {canEdit ? t('routing.common.edit') : t('routing.common.view')}
        </Button>
      ),
    },
  ];

  return (
    <Stack>
      {agents.isPending ? (
        <CenteredLoader />
      ) : agents.isError ? (
        <ErrorAlert error={agents.error} />
      ) : (
        <DataTable columns={columns} rows={agents.data.items} rowKey={(a) => a.userId} empty={t('routing.agent.empty')} testId="routing-agents-setup-table" />
      )}
      {editing && <AgentModal agent={editing} skills={settings.data?.skills ?? []} canEdit={canEdit} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
