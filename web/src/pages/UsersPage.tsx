import { Badge, Button, Group, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { hasRole } from '../auth';
import { CenteredLoader } from '../components/CenteredLoader';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { RoleBadge } from '../components/RoleBadge';
import { useFormatDate } from '../format';
import { useCurrentSession } from '../session';
import { queryKeys } from '../queryKeys';
import type { ListResponse, UserListItem } from '../types';
import { CreateUserModal } from './users/CreateUserModal';

export function UsersPage() {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const formatDate = useFormatDate();
  const [createOpened, createModal] = useDisclosure(false);
  const isAdmin = hasRole(user.role, 'admin');

  const users = useQuery({
    queryKey: queryKeys.users,
    queryFn: ({ signal }) => api.get<ListResponse<UserListItem>>('/api/users', undefined, signal),
  });

  const columns: Column<UserListItem>[] = [
    { key: 'name', header: t('users.name'), render: (u) => u.name },
    { key: 'email', header: t('users.email'), render: (u) => u.email },
    {
      key: 'role',
      header: t('users.role'),
      render: (u) => (
        <Group gap={6}>
          <RoleBadge role={u.role} />
          {u.disabled && (
            <Badge color="red" variant="outline" size="sm">
              {t('users.disabled')}
            </Badge>
          )}
        </Group>
      ),
    },
    { key: 'createdAt', header: t('users.createdAt'), render: (u) => formatDate(u.createdAt) },
  ];

  return (
    <Stack>
      <PageHeader
        title={t('users.title')}
        actions={
          isAdmin && (
            <Button onClick={createModal.open} data-testid="users-new">
              {t('users.new')}
            </Button>
          )
        }
      />
      {users.isPending ? (
        <CenteredLoader />
      ) : users.isError ? (
        <ErrorAlert error={users.error} />
      ) : (
        <DataTable columns={columns} rows={users.data.items} rowKey={(u) => u.id} empty={t('users.empty')} testId="users-table" />
      )}
      {isAdmin && <CreateUserModal opened={createOpened} onClose={createModal.close} />}
    </Stack>
  );
}
