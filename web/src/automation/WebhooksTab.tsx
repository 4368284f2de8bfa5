import { ActionIcon, Alert, Badge, Button, Code, CopyButton, Group, Modal, Paper, Select, Stack, Switch, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormatDate } from '../format';
import { useCreateEndpoint, useDeleteEndpoint, useDeliveries, useDeliveryAttempts, useEndpoints, useRedeliver, useRotateSecret, useSendTestEvent, useUpdateEndpoint } from './api';
import { DELIVERY_STATUSES, type DeliveryStatus, type WebhookEndpointDetail, type WebhookEndpointWithSecret } from './types';

const STATUS_COLORS: Record<DeliveryStatus, string> = { pending: 'blue', failed: 'orange', delivered: 'green', dead: 'red' };

/** Admin tab: outbound webhook endpoints, their secrets (shown once), tests and delivery logs. */
export function WebhooksTab({ t }: { t: TFunction }) {
  const [logOf, setLogOf] = useState<WebhookEndpointDetail | null>(null);
  return (
    <Paper withBorder p="md" data-testid="automation-webhooks">
      {logOf ? <DeliveryLog t={t} endpoint={logOf} onBack={() => setLogOf(null)} /> : <EndpointList t={t} onShowLog={setLogOf} />}
    </Paper>
  );
}

function EndpointList({ t, onShowLog }: { t: TFunction; onShowLog: (endpoint: WebhookEndpointDetail) => void }) {
  const endpoints = useEndpoints();
  const update = useUpdateEndpoint();
  const remove = useDeleteEndpoint();
  const rotate = useRotateSecret();
  const test = useSendTestEvent();
  const formatDate = useFormatDate();
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<WebhookEndpointWithSecret | null>(null);
  const [tested, setTested] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const items = endpoints.data?.items ?? [];
  const busy = update.isPending || remove.isPending || rotate.isPending;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={640}>{t('automation.webhooks.description')}</Text>
        {!adding && <Button onClick={() => setAdding(true)} data-testid="webhook-add">{t('automation.webhooks.add')}</Button>}
      </Group>
      {adding && (
        <NewEndpointForm
          t={t}
          onCancel={() => setAdding(false)}
          onCreated={(created) => {
            setAdding(false);
            setSecret(created);
          }}
        />
      )}
      {endpoints.isPending ? <CenteredLoader /> : <ErrorAlert error={endpoints.error} />}
      <ErrorAlert error={update.error ?? remove.error ?? rotate.error ?? test.error} />
      {!endpoints.isPending && items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="webhooks-empty">{t('automation.webhooks.empty')}</Text>
      ) : (
        <Table striped verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('automation.webhooks.name')}</Table.Th>
              <Table.Th>{t('automation.webhooks.eventTypes')}</Table.Th>
              <Table.Th>{t('automation.webhooks.enabled')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => [
              <Table.Tr key={e.id} data-testid="webhook-row" data-endpoint-id={e.id} data-name={e.name}>
                <Table.Td maw={360}>
                  <Text size="sm" fw={500}>{e.name}</Text>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>{e.url}</Text>
                  {e.previousSecretExpiresAt && <Text size="xs" c="dimmed">{t('automation.webhooks.rotatingUntil', { time: formatDate(e.previousSecretExpiresAt) })}</Text>}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {e.eventTypes.map((type) => (
                      <Badge key={type} size="xs" variant="light" color="gray" tt="none">{type}</Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Switch
                    checked={e.enabled}
                    disabled={busy}
                    onChange={(ev) => update.mutate({ id: e.id, patch: { enabled: ev.currentTarget.checked } })}
                    aria-label={t('automation.webhooks.enabled')}
                    data-testid="webhook-enabled"
                  />
                  {e.disabledReason && <Text size="xs" c="red">{t('automation.webhooks.disabledBecause', { reason: e.disabledReason })}</Text>}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" loading={test.isPending && test.variables === e.id} onClick={() => test.mutate(e.id, { onSuccess: () => setTested(e.id) })} data-testid="webhook-test">
                      {tested === e.id ? t('automation.webhooks.testQueued') : t('automation.webhooks.test')}
                    </Button>
                    <Button size="xs" variant="default" disabled={busy} onClick={() => window.confirm(t('automation.webhooks.confirmRotate', { name: e.name })) && rotate.mutate(e.id, { onSuccess: setSecret })} data-testid="webhook-rotate">
                      {t('automation.webhooks.rotate')}
                    </Button>
                    <Button size="xs" variant={editing === e.id ? 'light' : 'default'} onClick={() => setEditing(editing === e.id ? null : e.id)} data-testid="webhook-edit">{t('automation.webhooks.edit')}</Button>
                    <Button size="xs" variant="default" onClick={() => onShowLog(e)} data-testid="webhook-deliveries">{t('automation.webhooks.deliveries')}</Button>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('automation.webhooks.delete')}
                      disabled={busy}
                      onClick={() => window.confirm(t('automation.webhooks.confirmDelete', { name: e.name })) && remove.mutate(e.id)}
                      data-testid="webhook-delete"
                    >
                      ×
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>,
              editing === e.id && (
                <Table.Tr key={`${e.id}-edit`}>
                  <Table.Td colSpan={4}>
                    <EndpointForm t={t} endpoint={e} onCancel={() => setEditing(null)} onSaved={() => setEditing(null)} />
                  </Table.Td>
                </Table.Tr>
              ),
            ])}
          </Table.Tbody>
        </Table>
      )}
      <SecretModal t={t} endpoint={secret} onClose={() => setSecret(null)} />
    </Stack>
  );
}

function NewEndpointForm({ t, onCancel, onCreated }: { t: TFunction; onCancel: () => void; onCreated: (endpoint: WebhookEndpointWithSecret) => void }) {
  return <EndpointForm t={t} endpoint={null} onCancel={onCancel} onSaved={(created) => onCreated(created as WebhookEndpointWithSecret)} />;
}

/** A new endpoint, or an existing one's name, URL, event types and on/off switch (its secret stays). */
function EndpointForm({ t, endpoint, onCancel, onSaved }: { t: TFunction; endpoint: WebhookEndpointDetail | null; onCancel: () => void; onSaved: (endpoint: WebhookEndpointDetail) => void }) {
  const create = useCreateEndpoint();
  const update = useUpdateEndpoint();
  const [name, setName] = useState(endpoint?.name ?? '');
  const [url, setUrl] = useState(endpoint?.url ?? 'https://');
  const [eventTypes, setEventTypes] = useState<string[]>(endpoint?.eventTypes ?? ['*']);
  const [enabled, setEnabled] = useState(endpoint?.enabled ?? true);
  const saving = create.isPending || update.isPending;
  const submit = () => {
    const body = { name: name.trim(), url: url.trim(), eventTypes, enabled };
    if (endpoint) update.mutate({ id: endpoint.id, patch: body }, { onSuccess: onSaved });
    else create.mutate(body, { onSuccess: onSaved });
  };
  return (
    <Paper withBorder p="sm" data-testid={endpoint ? 'webhook-edit-form' : 'webhook-form'}>
      <Stack gap="xs">
        <Group grow align="flex-start">
          <TextInput label={t('automation.webhooks.name')} required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="webhook-name" />
          <TextInput label={t('automation.webhooks.url')} required maxLength={2000} value={url} onChange={(e) => setUrl(e.currentTarget.value)} data-testid="webhook-url" />
        </Group>
        <TagsInput label={t('automation.webhooks.eventTypes')} description={t('automation.webhooks.eventTypesHelp')} value={eventTypes} onChange={setEventTypes} maxTags={100} data-testid="webhook-event-types" />
        {endpoint && <Switch label={t('automation.webhooks.enabled')} checked={enabled} onChange={(ev) => setEnabled(ev.currentTarget.checked)} data-testid="webhook-edit-enabled" />}
        <ErrorAlert error={create.error ?? update.error} testId="webhook-save-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
          <Button onClick={submit} loading={saving} disabled={!name.trim() || !/^https?:\/\/./.test(url.trim()) || eventTypes.length === 0} data-testid="webhook-save">
            {endpoint ? t('automation.webhooks.save') : t('automation.webhooks.create')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The signing secret, this once: after a create or a rotation the server never shows it again. */
function SecretModal({ t, endpoint, onClose }: { t: TFunction; endpoint: WebhookEndpointWithSecret | null; onClose: () => void }) {
  return (
    <Modal opened={endpoint !== null} onClose={onClose} title={endpoint ? t('automation.webhooks.secretTitle', { name: endpoint.name }) : ''} closeOnClickOutside={false} data-testid="webhook-secret-modal">
      {endpoint && (
        <Stack>
          <Alert color="yellow" variant="light">{t('automation.webhooks.secretOnce')}</Alert>
          <Group gap="xs" wrap="nowrap">
            <Code block style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid="webhook-secret">{endpoint.secret}</Code>
            <CopyButton value={endpoint.secret}>
              {({ copied, copy }) => (
                <Button size="xs" variant={copied ? 'light' : 'default'} color={copied ? 'green' : undefined} onClick={copy} data-testid="webhook-secret-copy">
                  {copied ? t('automation.webhooks.copied') : t('automation.webhooks.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="webhook-secret-done">{t('automation.webhooks.secretStored')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function DeliveryLog({ t, endpoint, onBack }: { t: TFunction; endpoint: WebhookEndpointDetail; onBack: () => void }) {
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const deliveries = useDeliveries(endpoint.id, status);
  const redeliver = useRedeliver();
  const formatDate = useFormatDate();
  const [opened, setOpened] = useState<string | null>(null);
  const items = deliveries.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="sm" data-testid="webhook-log">
      <Group justify="space-between">
        <Title order={3} size="h4">{t('automation.webhooks.log.title', { name: endpoint.name })}</Title>
        <Group gap="xs">
          <Select
            size="xs"
            w={160}
            aria-label={t('automation.webhooks.log.status')}
            value={status ?? 'all'}
            allowDeselect={false}
            onChange={(v) => setStatus(v && v !== 'all' ? (v as DeliveryStatus) : null)}
            data={[{ value: 'all', label: t('automation.webhooks.log.allStatuses') }, ...DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`automation.webhooks.statuses.${s}`) }))]}
            data-testid="webhook-log-status"
          />
          <Button size="xs" variant="default" onClick={() => void deliveries.refetch()} loading={deliveries.isFetching}>{t('automation.webhooks.log.refresh')}</Button>
          <Button size="xs" variant="subtle" onClick={onBack} data-testid="webhook-log-back">{t('automation.webhooks.log.back')}</Button>
        </Group>
      </Group>
      {deliveries.isPending ? <CenteredLoader /> : <ErrorAlert error={deliveries.error} />}
      <ErrorAlert error={redeliver.error} />
      {!deliveries.isPending && items.length === 0 ? (
        <Text size="sm" c="dimmed">{t('automation.webhooks.log.empty')}</Text>
      ) : (
        <Table striped verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('automation.webhooks.log.time')}</Table.Th>
              <Table.Th>{t('automation.webhooks.log.event')}</Table.Th>
              <Table.Th>{t('automation.webhooks.log.status')}</Table.Th>
              <Table.Th>{t('automation.webhooks.log.attempts')}</Table.Th>
              <Table.Th>{t('automation.webhooks.log.last')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((d) => [
              <Table.Tr key={d.id} data-testid="webhook-delivery" data-status={d.status} data-delivery-id={d.id}>
                <Table.Td><Text size="xs">{formatDate(d.createdAt)}</Text></Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace">{d.eventType}</Text>
                  <Text size="xs" c="dimmed">{t(`automation.webhooks.sources.${d.source}`)}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={STATUS_COLORS[d.status]}>{t(`automation.webhooks.statuses.${d.status}`)}</Badge>
                  {d.status === 'failed' && d.nextAttemptAt && <Text size="xs" c="dimmed">{t('automation.webhooks.log.next', { time: formatDate(d.nextAttemptAt) })}</Text>}
                </Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant={opened === d.id ? 'light' : 'subtle'} onClick={() => setOpened(opened === d.id ? null : d.id)} aria-expanded={opened === d.id} data-testid="webhook-delivery-attempts">
                    {t('automation.webhooks.log.attemptsCount', { count: d.attempts })}
                  </Button>
                </Table.Td>
                <Table.Td maw={320}>
                  {d.lastStatusCode !== null && <Text size="xs">HTTP {d.lastStatusCode}</Text>}
                  {d.lastError && <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }}>{d.lastError}</Text>}
                  {d.lastStatusCode === null && !d.lastError && <Text size="xs" c="dimmed">{t('common.none')}</Text>}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    loading={redeliver.isPending && redeliver.variables?.deliveryId === d.id}
                    onClick={() => redeliver.mutate({ endpointId: endpoint.id, deliveryId: d.id })}
                    data-testid="webhook-redeliver"
                  >
                    {t('automation.webhooks.log.redeliver')}
                  </Button>
                </Table.Td>
              </Table.Tr>,
              opened === d.id && (
                <Table.Tr key={`${d.id}-attempts`}>
                  <Table.Td colSpan={6}>
                    <AttemptLog t={t} endpointId={endpoint.id} deliveryId={d.id} />
                  </Table.Td>
                </Table.Tr>
              ),
            ])}
          </Table.Tbody>
        </Table>
      )}
      {deliveries.hasNextPage && (
        <Group justify="center">
          <Button variant="default" size="xs" onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage}>{t('common.loadMore')}</Button>
        </Group>
      )}
    </Stack>
  );
}

/** Every attempt of one delivery: when, the answer (or why none came), how long it took, the answer's start. */
function AttemptLog({ t, endpointId, deliveryId }: { t: TFunction; endpointId: string; deliveryId: string }) {
  const detail = useDeliveryAttempts(endpointId, deliveryId);
  const formatDate = useFormatDate();
  if (detail.isPending) return <CenteredLoader />;
  if (detail.error) return <ErrorAlert error={detail.error} />;
  const attempts = detail.data.attemptLog;
  if (!attempts.length) return <Text size="xs" c="dimmed" data-testid="webhook-attempts-empty">{t('automation.webhooks.attempts.none')}</Text>;
  return (
    <Table verticalSpacing={4} data-testid="webhook-attempts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          <Table.Th>{t('automation.webhooks.attempts.at')}</Table.Th>
          <Table.Th>{t('automation.webhooks.attempts.answer')}</Table.Th>
          <Table.Th>{t('automation.webhooks.attempts.duration')}</Table.Th>
          <Table.Th>{t('automation.webhooks.attempts.response')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {attempts.map((a) => (
          <Table.Tr key={a.attempt} data-testid="webhook-attempt" data-status-code={a.statusCode ?? ''}>
            <Table.Td><Text size="xs">{a.attempt}</Text></Table.Td>
            <Table.Td><Text size="xs">{formatDate(a.at)}</Text></Table.Td>
            <Table.Td>
              {a.statusCode !== null && <Badge size="xs" variant="light" color={a.statusCode >= 200 && a.statusCode < 300 ? 'green' : 'red'}>HTTP {a.statusCode}</Badge>}
              {a.error && <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }}>{a.error}</Text>}
            </Table.Td>
            <Table.Td><Text size="xs">{t('automation.webhooks.attempts.ms', { ms: a.durationMs })}</Text></Table.Td>
            <Table.Td maw={360}>
              {a.responseExcerpt ? <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 120, overflow: 'auto' }}>{a.responseExcerpt}</Code> : <Text size="xs" c="dimmed">{t('common.none')}</Text>}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
