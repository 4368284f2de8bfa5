import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isRole, roleOptions } from '../../components/roleOptions';
import { queryKeys } from '../../queryKeys';
import type { CreatedApiKey, Role } from '../../types';

interface CreateApiKeyModalProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (created: CreatedApiKey) => void;
}

export function CreateApiKeyModal({ opened, onClose, onCreated }: CreateApiKeyModalProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');

  const create = useMutation({
    mutationFn: (input: { name: string; role: Role }) => api.post<CreatedApiKey>('/api/api-keys', input),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys });
      reset();
      onCreated(result);
    },
  });

  function reset() {
    setName('');
    setRole('agent');
    create.reset();
  }

  const close = () => {
    reset();
    onClose();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), role });
  };

  return (
    <Modal opened={opened} onClose={close} title={t('apiKeys.modalTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit}>
        <Stack>
          <ErrorAlert error={create.error} />
          <TextInput
            label={t('apiKeys.name')}
            description={t('apiKeys.nameDescription')}
            required
            data-autofocus
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="api-key-name"
          />
          <Select
            label={t('apiKeys.role')}
            required
            allowDeselect={false}
            data={roleOptions(t)}
            value={role}
            onChange={(value) => isRole(value) && setRole(value)}
            data-testid="api-key-role"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="api-key-submit">
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
