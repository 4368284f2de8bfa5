import { Box, Group, Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';
import { useRoutingMe, useSetMyPresence } from './api';
import type { PresenceSpec } from './types';

function Dot({ routable }: { routable: boolean | undefined }) {
  return (
    <Box
      component="span"
      w={8}
      h={8}
      style={{ borderRadius: '50%', display: 'inline-block', flex: 'none' }}
      bg={routable === undefined ? 'gray.5' : routable ? 'green.6' : 'orange.6'}
      aria-hidden
    />
  );
}

/** The agent's own routing presence, in the header. Hidden when routing is not available for this user. */
export function PresenceSelect() {
  const { t } = useTranslation();
  const me = useRoutingMe();
  const setPresence = useSetMyPresence();

  if (!me.data) return null;
  const current = me.data.agent.presence;
  const presences: PresenceSpec[] = me.data.presences?.length
    ? me.data.presences
    : [{ name: current, routable: me.data.agent.live?.routable ?? false }];
  const known = presences.some((p) => p.name === current) ? presences : [...presences, { name: current, routable: false }];
  const routable = known.find((p) => p.name === current)?.routable;
  const error = setPresence.error ? describeError(t, setPresence.error).message : undefined;

  return (
    <Group gap={6} wrap="nowrap">
      <Select
        size="xs"
        w={150}
        aria-label={t('routing.presence.label')}
        title={error ?? t('routing.presence.label')}
        error={Boolean(error)}
        allowDeselect={false}
        disabled={setPresence.isPending}
        data={known.map((p) => ({ value: p.name, label: p.name }))}
        value={current}
        onChange={(value) => value && value !== current && setPresence.mutate(value)}
        leftSection={<Dot routable={routable} />}
        renderOption={({ option }) => (
          <Group gap={6} wrap="nowrap">
            <Dot routable={known.find((p) => p.name === option.value)?.routable} />
            <Text size="sm">{option.label}</Text>
          </Group>
        )}
        data-testid="presence-select"
        data-presence={current}
        data-routable={routable ? 'true' : 'false'}
      />
    </Group>
  );
}
