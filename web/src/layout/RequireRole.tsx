import type { ReactNode } from 'react';
import { hasRole } from '../auth';
import { ForbiddenPage } from '../pages/ForbiddenPage';
import { useCurrentSession } from '../session';
import type { Role } from '../types';

/** Renders its children only for users with at least `role`. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { user } = useCurrentSession();
  return hasRole(user.role, role) ? children : <ForbiddenPage />;
}
