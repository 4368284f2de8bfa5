import { Badge, Button, Center, SegmentedControl, Stack, Text, Tooltip } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { CenteredLoader } from '../components/CenteredLoader';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useFormatDate } from '../format';
import { queryKeys } from '../queryKeys';
import { OUTBOX_FILTERS, type OutboxFilter, type OutboxItem, type OutboxStatus, type PageResponse } from '../types';

const PAGE_SIZE = 50;
const STATUS_COLORS: Record<OutboxStatus, string> = { pending: 'blue', sending: 'cyan', delivered: 'green', dead: 'red' };

export function OutboxPage() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<OutboxFilter>('pending');

  const outbox = useInfiniteQuery({
    queryKey: queryKeys.outboxByStatus(status),
    queryFn: ({ pageParam, signal }) =>
      api.get<PageResponse<OutboxItem>>('/api/outbox', { status, cursor: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

  const retry = useMutation({
    mutationFn: (id: string) => api.post<OutboxItem>(`/api/outbox/${encodeURIComponent(id)}/retry`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.outbox }),
  });

  const rows = outbox.data?.pages.flatMap((page) => page.items) ?? [];

  const columns: Column<OutboxItem>[] = [
    { key: 'kind', header: t('outbox.kind'), render: (o) => <Text size="sm" ff="monospace">{o.kind}</Text> },
    {
      key: 'status',
      header: t('outbox.statusColumn'),
      render: (o) => (
        <Badge color={STATUS_COLORS[o.status] ?? 'gray'} variant="light">
          {t(`outbox.status.${o.status}`, { defaultValue: o.status })}
        </Badge>
      ),
    },
    { key: 'attempts', header: t('outbox.attempts'), align: 'right', render: (o) => `${o.attempts}/${o.maxAttempts}` },
    { key: 'nextAttemptAt', header: t('outbox.nextAttemptAt'), render: (o) => (o.status === 'pending' ? formatDate(o.nextAttemptAt) : t('common.none')) },
    {
      key: 'lastError',
      header: t('outbox.lastError'),
      render: (o) =>
        o.lastError ? (
          <Tooltip label={o.lastError} multiline maw={420} withinPortal>
            <Text size="sm" c="red.8" lineClamp={2} maw={320} style={{ wordBreak: 'break-word' }}>
              {o.lastError}
            </Text>
          </Tooltip>
        ) : (
          t('common.none')
        ),
    },
    { key: 'createdAt', header: t('outbox.createdAt'), render: (o) => formatDate(o.createdAt) },
    {
      key: 'actions',
      header: t('outbox.actions'),
      align: 'right',
      render: (o) =>
        o.status === 'dead' && (
          <Button
            size="xs"
            variant="light"
            loading={retry.isPending && retry.variables === o.id}
            onClick={() => retry.mutate(o.id)}
            data-testid="outbox-retry"
          >
            {t('outbox.retry')}
          </Button>
        ),
    },
  ];

  return (
    <Stack>
      <PageHeader
        title={t('outbox.title')}
        description={t('outbox.description')}
        actions={
          <SegmentedControl<OutboxFilter>
            data={OUTBOX_FILTERS.map((value) => ({ value, label: t(`outbox.status.${value}`) }))}
            value={status}
            onChange={setStatus}
            aria-label={t('outbox.filterLabel')}
            data-testid="outbox-status-filter"
          />
        }
      />
      <ErrorAlert error={retry.error} />
      {outbox.isPending ? (
        <CenteredLoader />
      ) : outbox.isError ? (
        <ErrorAlert error={outbox.error} />
      ) : (
        <>
          <DataTable columns={columns} rows={rows} rowKey={(o) => o.id} empty={t('outbox.empty')} testId="outbox-table" />
          {outbox.hasNextPage && (
            <Center>
              <Button variant="default" onClick={() => void outbox.fetchNextPage()} loading={outbox.isFetchingNextPage} data-testid="outbox-load-more">
                {t('common.loadMore')}
              </Button>
            </Center>
          )}
        </>
      )}
    </Stack>
  );
}
