import { useMemo } from 'react';
import { useCurrentSession } from '../session';
import { hasRole } from '../auth';
import { useFlowList } from '../flows/api';
import type { Option } from './ActionEditor';

/**
 * The published self-service flows a rule or macro can hand a conversation to. Only supervisors
 * read the flow list; for others the action is not offered (and names show as ids).
 */
export function usePublishedFlows(): { options: Option[]; list: Array<{ id: string; name: string }> | undefined; available: boolean } {
  const { user } = useCurrentSession();
  const supervisor = hasRole(user.role, 'supervisor');
  const flows = useFlowList(supervisor);
  return useMemo(() => {
    const published = (flows.data?.items ?? []).filter((f) => f.publishedVersion !== null);
    return { options: published.map((f) => ({ value: f.id, label: f.name })), list: flows.data?.items, available: supervisor && published.length > 0 };
  }, [flows.data, supervisor]);
}
