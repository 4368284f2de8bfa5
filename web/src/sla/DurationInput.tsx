import { Group, NumberInput, Select } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';

const UNITS = { s: 1, m: 60, h: 3600 } as const;
type Unit = keyof typeof UNITS;

const unitFor = (seconds: number | null): Unit => (!seconds || seconds % 3600 === 0 ? (seconds ? 'h' : 'm') : seconds % 60 === 0 ? 'm' : 's');

/** A number of seconds, typed as seconds, minutes or hours; empty means "none". */
export function DurationInput({ t, label, value, onChange, testId }: { t: TFunction; label: string; value: number | null; onChange: (seconds: number | null) => void; testId?: string }) {
  const [unit, setUnit] = useState<Unit>(() => unitFor(value));
  const shown = value === null ? '' : value / UNITS[unit];
  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <NumberInput
        label={label}
        min={0}
        decimalScale={2}
        value={shown}
        onChange={(v) => onChange(typeof v === 'number' && v > 0 ? Math.round(v * UNITS[unit]) : null)}
        placeholder={t('sla.policies.noTarget')}
        w={140}
        data-testid={testId}
      />
      <Select
        aria-label={t('sla.units.unit')}
        allowDeselect={false}
        w={100}
        value={unit}
        onChange={(u) => u && setUnit(u as Unit)}
        data={(Object.keys(UNITS) as Unit[]).map((u) => ({ value: u, label: t(`sla.units.${u}Name`) }))}
      />
    </Group>
  );
}
