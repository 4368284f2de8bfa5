import { Button, Code, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { CenteredLoader } from '../components/CenteredLoader';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { RoleBadge } from '../components/RoleBadge';
import { useFormatDate } from '../format';
import { queryKeys } from '../queryKeys';
import type { ApiKey, CreatedApiKey, ListResponse } from '../types';
import { CreateApiKeyModal } from './api-keys/CreateApiKeyModal';
import { RevokeApiKeyModal } from './api-keys/RevokeApiKeyModal';
import { SecretModal } from './api-keys/SecretModal';

export function ApiKeysPage() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const [createOpened, createModal] = useDisclosure(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const keys = useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: ({ signal }) => api.get<ListResponse<ApiKey>>('/api/api-keys', undefined, signal),
  });

  const columns: Column<ApiKey>[] = [
    { key: 'name', header: t('apiKeys.name'), render: (k) => k.name },
    { key: 'role', header: t('apiKeys.role'), render: (k) => <RoleBadge role={k.role} /> },
    { key: 'prefix', header: t('apiKeys.prefix'), render: (k) => <Code>{k.prefix}</Code> },
    { key: 'createdAt', header: t('apiKeys.createdAt'), render: (k) => formatDate(k.createdAt) },
    { key: 'lastUsedAt', header: t('apiKeys.lastUsedAt'), render: (k) => (k.lastUsedAt ? formatDate(k.lastUsedAt) : t('apiKeys.never')) },
    {
      key: 'actions',
      header: t('apiKeys.actions'),
      align: 'right',
      render: (k) => (
        <Button size="xs" color="red" variant="light" onClick={() => setRevoking(k)} data-testid="api-key-revoke">
          {t('apiKeys.revoke')}
        </Button>
      ),
    },
  ];

  return (
    <Stack>
      <PageHeader
        title={t('apiKeys.title')}
        description={t('apiKeys.description')}
        actions={
          <Button onClick={createModal.open} data-testid="api-keys-new">
            {t('apiKeys.new')}
          </Button>
        }
      />
      {keys.isPending ? (
        <CenteredLoader />
      ) : keys.isError ? (
        <ErrorAlert error={keys.error} />
      ) : (
        <DataTable columns={columns} rows={keys.data.items} rowKey={(k) => k.id} empty={t('apiKeys.empty')} testId="api-keys-table" />
      )}
      <CreateApiKeyModal
        opened={createOpened}
        onClose={createModal.close}
        onCreated={(result) => {
          createModal.close();
          setCreated(result);
        }}
      />
      <SecretModal created={created} onClose={() => setCreated(null)} />
      <RevokeApiKeyModal apiKey={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
