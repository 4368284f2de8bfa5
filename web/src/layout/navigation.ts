import type { ParseKeys } from 'i18next';
import type { Role } from '../types';
import { hasRole } from '../auth';

export interface NavItem {
  path: string;
  label: ParseKeys;
  testId: string;
  /** Lowest role that may see this page (agent < supervisor < admin). */
  minRole: Role;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/inbox', label: 'nav.inbox', testId: 'nav-inbox', minRole: 'agent' },
  { path: '/overview', label: 'nav.overview', testId: 'nav-overview', minRole: 'agent' },
  { path: '/users', label: 'nav.users', testId: 'nav-users', minRole: 'supervisor' },
  { path: '/api-keys', label: 'nav.apiKeys', testId: 'nav-api-keys', minRole: 'admin' },
  { path: '/routing', label: 'nav.routing', testId: 'nav-routing', minRole: 'supervisor' },
  { path: '/routing/setup', label: 'nav.routingSetup', testId: 'nav-routing-setup', minRole: 'supervisor' },
  { path: '/settings/channels', label: 'nav.channels', testId: 'nav-channels', minRole: 'admin' },
  { path: '/wallboard', label: 'wallboard.nav', testId: 'nav-wallboard', minRole: 'supervisor' },
  { path: '/reports', label: 'reports.nav', testId: 'nav-reports', minRole: 'supervisor' },
  { path: '/benchmark', label: 'benchmark.nav', testId: 'nav-benchmark', minRole: 'supervisor' },
  { path: '/workforce/forecast', label: 'workforce.nav.forecast', testId: 'nav-workforce-forecast', minRole: 'supervisor' },
  { path: '/workforce/staffing', label: 'workforce.nav.staffing', testId: 'nav-workforce-staffing', minRole: 'supervisor' },
  { path: '/workforce/simulations', label: 'workforce.nav.simulations', testId: 'nav-workforce-simulations', minRole: 'supervisor' },
  { path: '/settings/sla', label: 'sla.nav', testId: 'nav-sla', minRole: 'admin' },
  { path: '/settings/automation', label: 'automation.nav', testId: 'nav-automation', minRole: 'supervisor' },
  { path: '/settings/outcomes', label: 'outcomes.nav', testId: 'nav-outcomes', minRole: 'admin' },
  { path: '/clv', label: 'nav.clv', testId: 'nav-clv', minRole: 'supervisor' },
  { path: '/settings/flows', label: 'flows.nav', testId: 'nav-flows', minRole: 'supervisor' },
  { path: '/outbox', label: 'nav.outbox', testId: 'nav-outbox', minRole: 'supervisor' },
  { path: '/knowledge', label: 'knowledge.nav', testId: 'nav-knowledge', minRole: 'agent' },
];

export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => hasRole(role, item.minRole));
}

export function isActivePath(itemPath: string, pathname: string): boolean {
  // `/` shows the overview (supervisors and admins; agents are sent on to /inbox).
  if (itemPath === '/overview' && pathname === '/') return true;
  // `/routing/setup` has its own item; it must not light up `/routing` too.
  if (itemPath === '/routing' && isActivePath('/routing/setup', pathname)) return false;
  return itemPath === '/' ? pathname === '/' : pathname === itemPath || pathname.startsWith(`${itemPath}/`);
}
