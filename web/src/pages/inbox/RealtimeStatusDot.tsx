import { Box, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RealtimeState } from '../../realtime';

const COLORS: Record<RealtimeState, string> = { open: 'green', connecting: 'gray', reconnecting: 'orange' };

/** A small live/offline dot; `data-state` is "open" or "closed" like the overview's badge. */
export function RealtimeStatusDot({ state }: { state: RealtimeState }) {
  const { t } = useTranslation();
  const label = `${t('overview.status.label')}: ${t(`overview.status.${state}`)}`;
  return (
    <Tooltip label={label}>
      <Box
        role="status"
        aria-label={label}
        data-testid="realtime-status"
        data-state={state === 'open' ? 'open' : 'closed'}
        w={10}
        h={10}
        style={{ borderRadius: '50%', background: `var(--mantine-color-${COLORS[state]}-6)`, flexShrink: 0 }}
      />
    </Tooltip>
  );
}
