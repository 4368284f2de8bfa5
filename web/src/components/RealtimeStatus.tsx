import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RealtimeState } from '../realtime';

const COLORS: Record<RealtimeState, string> = { open: 'green', connecting: 'gray', reconnecting: 'orange' };

/** Connection badge; `data-state` is "open" or "closed" (connecting/reconnecting). */
export function RealtimeStatus({ state }: { state: RealtimeState }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={COLORS[state]}
      variant="dot"
      size="lg"
      role="status"
      aria-label={`${t('overview.status.label')}: ${t(`overview.status.${state}`)}`}
      data-testid="realtime-status"
      data-state={state === 'open' ? 'open' : 'closed'}
    >
      {t(`overview.status.${state}`)}
    </Badge>
  );
}
