import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { queryKeys } from '../../queryKeys';
import { isRole, roleOptions } from '../../components/roleOptions';
import type { Role, UserListItem } from '../../types';

interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

const EMPTY: NewUser = { email: '', name: '', role: 'agent', password: '' };

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<NewUser>(EMPTY);

  const create = useMutation({
    mutationFn: (input: NewUser) => api.post<UserListItem>('/api/users', input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
      close();
    },
  });

  function close() {
    setForm(EMPTY);
    create.reset();
    onClose();
  }

  const set = <K extends keyof NewUser>(key: K, value: NewUser[K]) => setForm((prev) => ({ ...prev, [key]: value }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ ...form, email: form.email.trim(), name: form.name.trim() });
  };

  return (
    <Modal opened={opened} onClose={close} title={t('users.modalTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit}>
        <Stack>
          <ErrorAlert error={create.error} />
          <TextInput
            label={t('users.email')}
            type="email"
            required
            data-autofocus
            autoComplete="off"
            value={form.email}
            onChange={(e) => set('email', e.currentTarget.value)}
            data-testid="user-email"
          />
          <TextInput
            label={t('users.name')}
            required
            autoComplete="off"
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            data-testid="user-name"
          />
          <Select
            label={t('users.role')}
            required
            allowDeselect={false}
            data={roleOptions(t)}
            value={form.role}
            onChange={(value) => isRole(value) && set('role', value)}
            data-testid="user-role"
          />
          <PasswordInput
            label={t('users.password')}
            description={t('users.passwordDescription')}
            required
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => set('password', e.currentTarget.value)}
            data-testid="user-password"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="user-submit">
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
