import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { queryKeys } from '../../queryKeys';
import type { ApiKey } from '../../types';

export function RevokeApiKeyModal({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();

  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys });
      close();
    },
  });

  function close() {
    revoke.reset();
    onClose();
  }

  return (
    <Modal opened={apiKey !== null} onClose={close} title={t('apiKeys.revokeTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {apiKey && (
        <Stack>
          <ErrorAlert error={revoke.error} />
          <Text size="sm">{t('apiKeys.revokeConfirm', { name: apiKey.name })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(apiKey.id)} data-testid="api-key-revoke-confirm">
              {t('apiKeys.revoke')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
