import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Role } from '../types';

const COLORS: Record<Role, string> = { agent: 'gray', supervisor: 'teal', admin: 'grape' };

export function RoleBadge({ role }: { role: Role }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[role]} variant="light" size="sm">
      {t(`roles.${role}`)}
    </Badge>
  );
}
