import type { TFunction } from 'i18next';
import { ROLES, type Role } from '../types';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Select options for the three roles, labelled in the current language. */
export function roleOptions(t: TFunction): { value: Role; label: string }[] {
  return ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));
}
