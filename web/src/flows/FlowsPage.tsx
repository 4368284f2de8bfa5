import { Anchor, Badge, Button, Group, Modal, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { hasRole } from '../auth';
import { CenteredLoader } from '../components/CenteredLoader';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useFormatDate } from '../format';
import { BarChart, type Bar } from '../routing/BarChart';
import { useCurrentSession } from '../session';
import { useChannelsForFlows, useCreateFlow, useFlowList, useFlowStats } from './api';
import { channelLabel } from './channelLabel';
import type { FlowStatsItem, FlowSummary } from './types';

const STATS_DAYS = 30;
const TOP_REASONS = 5;

/** `/settings/flows`: the workspace's self-service flows and how much they contain. */
export function FlowsPage() {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const canEdit = hasRole(user.role, 'admin');
  const flows = useFlowList();
  const channels = useChannelsForFlows();
  const formatDate = useFormatDate();
  const [creating, setCreating] = useState(false);

  const channelName = (id: string) => channels.data?.items.find((c) => c.id === id)?.name ?? id;

  const columns: Column<FlowSummary>[] = [
    {
      key: 'name',
      header: t('flows.list.name'),
      render: (f) => (
        <Anchor component={Link} to={`/settings/flows/${encodeURIComponent(f.id)}`} size="sm" fw={500} data-testid="flow-link">
          {f.name}
        </Anchor>
      ),
    },
    {
      key: 'live',
      header: t('flows.list.live'),
      render: (f) => (
        <Badge color={f.publishedVersion ? 'green' : 'gray'} variant="light" data-testid="flow-row-live">
          {f.publishedVersion ? t('flows.list.liveVersion', { version: f.publishedVersion }) : t('flows.list.concept')}
        </Badge>
      ),
    },
    {
      key: 'channels',
      header: t('flows.list.channels'),
      render: (f) =>
        f.channelIds.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('common.none')}
          </Text>
        ) : (
          <Group gap={4}>
            {f.channelIds.map((id) => (
              <Badge key={id} size="sm" variant="outline" color="blue" data-testid="flow-row-channel">
                {channelName(id)}
              </Badge>
            ))}
          </Group>
        ),
    },
    {
      key: 'valid',
      header: t('flows.issues.title'),
      render: (f) => (
        <Badge color={f.valid ? 'green' : 'red'} variant="light" data-testid="flow-row-valid" data-valid={f.valid ? 'true' : 'false'}>
          {f.valid ? t('flows.list.valid') : t('flows.list.invalid')}
        </Badge>
      ),
    },
    { key: 'updated', header: t('flows.list.updated'), render: (f) => <Text size="sm">{formatDate(f.updatedAt)}</Text> },
  ];

  return (
    <Stack data-testid="flows-page">
      <PageHeader
        title={t('flows.list.title')}
        description={t('flows.list.description')}
        actions={
          canEdit ? (
            <Button onClick={() => setCreating(true)} data-testid="flows-new">
              {t('flows.list.new')}
            </Button>
          ) : undefined
        }
      />
      {flows.isPending ? (
        <CenteredLoader />
      ) : flows.isError ? (
        <ErrorAlert error={flows.error} />
      ) : (
        <DataTable columns={columns} rows={flows.data.items} rowKey={(f) => f.id} empty={t('flows.list.empty')} testId="flows-table" />
      )}
      <Containment flows={flows.data?.items ?? []} />
      <NewFlowModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function Containment({ flows }: { flows: FlowSummary[] }) {
  const { t, i18n } = useTranslation();
  const stats = useFlowStats(STATS_DAYS);
  const percent = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  const nameOf = (id: string) => flows.find((f) => f.id === id)?.name ?? id;

  const bars = (item: FlowStatsItem): Bar[] => {
    const reasons = Object.entries(item.reasons)
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_REASONS)
      .map(([reason, count]) => ({ key: `reason:${reason}`, label: reason, value: count, color: 'gray.5' }));
    return [
      { key: 'contained', label: t('flows.stats.contained'), value: item.contained, color: 'green.6' },
      { key: 'handedOff', label: t('flows.stats.handedOff'), value: item.handedOff, color: 'orange.6' },
      ...(item.running ? [{ key: 'running', label: t('flows.stats.running'), value: item.running, color: 'blue.4' }] : []),
      ...reasons,
    ];
  };

  return (
    <Stack gap="sm" data-testid="flows-containment">
      <div>
        <Title order={2} size="h4">
          {t('flows.stats.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('flows.stats.description', { days: STATS_DAYS })}
        </Text>
      </div>
      {stats.isPending ? (
        <CenteredLoader />
      ) : stats.isError ? (
        <ErrorAlert error={stats.error} />
      ) : stats.data.items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="flows-stats-empty">
          {t('flows.stats.empty')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
          {stats.data.items.map((item) => (
            <BarChart
              key={`${item.flowId}:${item.channelType}`}
              title={t('flows.stats.chartTitle', {
                flow: nameOf(item.flowId),
                channel: channelLabel(t, item.channelType),
                containment: item.containment === null ? '—' : percent.format(item.containment),
              })}
              bars={bars(item)}
              empty={t('flows.stats.empty')}
              testId="flow-stats-chart"
            />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function NewFlowModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateFlow();
  const [name, setName] = useState('');

  const close = () => {
    setName('');
    create.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate(name.trim(), {
      onSuccess: (flow) => {
        close();
        navigate(`/settings/flows/${encodeURIComponent(flow.id)}`);
      },
    });
  };

  return (
    <Modal opened={opened} onClose={close} title={t('flows.list.new')}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput label={t('flows.list.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={200} data-autofocus data-testid="flow-new-name" />
          {create.error ? <ErrorAlert error={create.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()} data-testid="flow-new-submit">
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
