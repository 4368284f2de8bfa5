import { ActionIcon, Badge, Button, Code, CopyButton, Group, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../components/CenteredLoader';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { describeError } from '../errors';
import { ChannelIcon, CheckIcon } from '../pages/inbox/icons';
import { useLanguage } from '../pages/inbox/format';
import { useChannelList, useChannelTypes, useTestChannel, useUpdateChannel } from './api';
import { ChannelFormModal, typeKey } from './ChannelFormModal';
import { localized } from './form';
import { RejectsDrawer } from './RejectsDrawer';
import type { ChannelDetail, ChannelTestResult, ChannelType } from './types';

type TestState = { state: 'running' } | { state: 'done'; result: ChannelTestResult } | { state: 'error'; message: string };

/** `/channels`: the workspace's channels; admins connect, edit, switch and test them. */
export function ChannelsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const channels = useChannelList();
  const types = useChannelTypes();
  const update = useUpdateChannel();
  const test = useTestChannel();
  const [modal, setModal] = useState<{ channel: ChannelDetail | null } | null>(null);
  const [rejectsOf, setRejectsOf] = useState<ChannelDetail | null>(null);
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [toggling, setToggling] = useState<string | null>(null);

  const typeOf = (c: ChannelDetail): ChannelType | undefined => types.data?.items.find((ty) => typeKey(ty) === typeKey(c));

  const runTest = (c: ChannelDetail) => {
    setTests((prev) => ({ ...prev, [c.id]: { state: 'running' } }));
    test.mutate(c.id, {
      onSuccess: (result) => setTests((prev) => ({ ...prev, [c.id]: { state: 'done', result } })),
      onError: (error) => setTests((prev) => ({ ...prev, [c.id]: { state: 'error', message: describeError(t, error).message } })),
    });
  };

  const secretLabel = (c: ChannelDetail, key: string) => {
    const field = typeOf(c)?.fields.find((f) => f.key === key);
    return (field && localized(field.label, language)) ?? key;
  };

  const columns: Column<ChannelDetail>[] = [
    {
      key: 'name',
      header: t('channels.name'),
      render: (c) => (
        <Text size="sm" fw={500} data-testid="channel-name-cell">
          {c.name}
        </Text>
      ),
    },
    {
      key: 'type',
      header: t('channels.type'),
      render: (c) => (
        <Group gap={6} wrap="nowrap" data-testid="channel-type-badge" data-type={c.type}>
          <ChannelIcon type={c.type} size={16} />
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {typeOf(c)?.label ?? c.type}
          </Text>
        </Group>
      ),
    },
    { key: 'provider', header: t('channels.provider'), render: (c) => <Text size="sm">{c.provider}</Text> },
    {
      key: 'enabled',
      header: t('channels.enabled'),
      render: (c) => (
        <Switch
          checked={c.enabled}
          disabled={toggling === c.id}
          onChange={(e) => {
            const enabled = e.currentTarget.checked;
            setToggling(c.id);
            update.mutate({ id: c.id, patch: { enabled } }, { onSettled: () => setToggling(null) });
          }}
          aria-label={c.enabled ? t('channels.disable', { name: c.name }) : t('channels.enable', { name: c.name })}
          data-testid="channel-enabled-switch"
        />
      ),
    },
    {
      key: 'webhook',
      header: t('channels.webhookUrl'),
      render: (c) =>
        c.webhookUrl ? (
          <Group gap={4} wrap="nowrap">
            <Code
              title={c.webhookUrl}
              style={{ display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: 200 }}
              data-testid="channel-webhook-url"
            >
              {c.webhookUrl}
            </Code>
            <CopyButton value={c.webhookUrl}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? t('channels.copied') : t('channels.copy')} withArrow>
                  <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('channels.copy')} data-testid="channel-webhook-copy">
                    {copied ? <CheckIcon size={16} /> : <CopyIcon />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
        ) : (
          <Text size="xs" c="dimmed" data-testid="channel-inbound">
            {c.inboundAddress ?? (typeOf(c) ? t(`channels.inbound.${typeOf(c)!.inbound}`) : t('common.none'))}
          </Text>
        ),
    },
    {
      key: 'secrets',
      header: t('channels.secrets'),
      render: (c) =>
        c.secretsSet.length === 0 ? (
          <Text size="xs" c="dimmed" data-testid="channel-secrets">
            {t('channels.noSecrets')}
          </Text>
        ) : (
          <Stack gap={2} data-testid="channel-secrets">
            {c.secretsSet.map((key) => (
              <Group key={key} gap={4} wrap="nowrap" c="green.8" data-secret={key}>
                <CheckIcon size={12} />
                <Text size="xs" c="green.8" style={{ whiteSpace: 'nowrap' }}>
                  {secretLabel(c, key)}
                </Text>
              </Group>
            ))}
          </Stack>
        ),
    },
    {
      key: 'actions',
      header: t('channels.actions'),
      align: 'right',
      render: (c) => {
        const state = tests[c.id];
        return (
          <Stack gap={4} align="flex-end">
            <Group gap={6} justify="flex-end" wrap="wrap" maw={260}>
              <Button size="xs" variant="light" loading={state?.state === 'running'} onClick={() => runTest(c)} data-testid="channel-test">
                {t('channels.test')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setModal({ channel: c })} disabled={!types.data} data-testid="channel-edit">
                {t('channels.edit')}
              </Button>
              <Button size="xs" variant="subtle" color="gray" onClick={() => setRejectsOf(c)} data-testid="channel-rejects">
                {t('channels.rejects.button')}
              </Button>
            </Group>
            {state && state.state !== 'running' && <TestResult state={state} />}
          </Stack>
        );
      },
    },
  ];

  return (
    <Stack>
      <PageHeader
        title={t('channels.title')}
        description={t('channels.description')}
        actions={
          <Button onClick={() => setModal({ channel: null })} disabled={!types.data} data-testid="channels-add">
            {t('channels.add')}
          </Button>
        }
      />
      {update.error ? <ErrorAlert error={update.error} testId="channel-update-error" /> : null}
      {types.isError ? <ErrorAlert error={types.error} /> : null}
      {channels.isPending ? (
        <CenteredLoader />
      ) : channels.isError ? (
        <ErrorAlert error={channels.error} />
      ) : (
        <DataTable columns={columns} rows={channels.data.items} rowKey={(c) => c.id} empty={t('channels.empty')} testId="channels-table" />
      )}
      <ChannelFormModal opened={modal !== null} channel={modal?.channel ?? null} types={types.data?.items ?? []} onClose={() => setModal(null)} />
      <RejectsDrawer channel={rejectsOf} onClose={() => setRejectsOf(null)} />
    </Stack>
  );
}

function TestResult({ state }: { state: Exclude<TestState, { state: 'running' }> }) {
  const { t } = useTranslation();
  const ok = state.state === 'done' && state.result.ok;
  const detail = state.state === 'done' ? state.result.detail : state.message;
  return (
    <Group gap={6} wrap="nowrap" justify="flex-end" maw={360} data-testid="channel-test-result" data-ok={ok ? 'true' : 'false'} role="status">
      <Badge size="sm" color={ok ? 'green' : 'red'} variant="light" style={{ flexShrink: 0 }}>
        {ok ? t('channels.testOk') : t('channels.testFailed')}
      </Badge>
      <Text size="xs" c={ok ? 'dimmed' : 'red.7'} ta="right" style={{ overflowWrap: 'anywhere' }} data-testid="channel-test-detail">
        {detail}
      </Text>
    </Group>
  );
}

const CopyIcon = () => (
  <svg width={16} height={16} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
    <rect x="9" y="9" width="12" height="12" rx="2" />
    <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
  </svg>
);
