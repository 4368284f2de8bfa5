import { Box, Group, Paper, SegmentedControl, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { paletteColor, slotLabel, streamLabel, useFigures } from './format';
import type { StaffingResponse } from './types';

type Measure = 'agents' | 'scheduled';

/**
 * The staffing curve of one day: each stream's agents stacked per interval (required by the targets,
 * or scheduled after shrinkage), with the total scheduled as a line when the required ones are shown.
 */
export function StaffingChart({ data, timeZone, inDay }: { data: StaffingResponse; timeZone: string; inDay: (iso: string) => boolean }) {
  const { t } = useTranslation();
  const { fmt, language } = useFigures();
  const [measure, setMeasure] = useState<Measure>('agents');
  const rows = new Map<string, Record<string, number | string>>();
  for (const total of data.total) if (inDay(total.start)) rows.set(total.start, { start: total.start, totalScheduled: total.scheduled });
  data.streams.forEach((stream, index) => {
    for (const interval of stream.intervals) {
      const row = rows.get(interval.start);
      if (row) row[`s${index}`] = interval[measure];
    }
  });
  const chartData = [...rows.values()];
  const label = (iso: unknown) => (typeof iso === 'string' ? slotLabel(iso, language, timeZone) : '');
  return (
    <Paper withBorder radius="md" p="md" data-testid="staffing-chart">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('workforce.staffing.chartTitle')}
        </Title>
        <SegmentedControl
          size="xs"
          value={measure}
          onChange={(v) => setMeasure(v as Measure)}
          data={[
            { value: 'agents', label: t('workforce.staffing.required') },
            { value: 'scheduled', label: t('workforce.staffing.scheduled') },
          ]}
          data-testid="staffing-measure"
        />
      </Group>
      <Box h={340}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={chartData} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="start" tickFormatter={label} tick={{ fontSize: 12 }} minTickGap={16} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip labelFormatter={label} formatter={(value) => (typeof value === 'number' ? fmt(value, 'count') : String(value))} />
            <Legend />
            {data.streams.map((stream, index) => (
              <Area
                key={stream.id}
                type="stepAfter"
                dataKey={`s${index}`}
                name={streamLabel(t, stream)}
                stackId="agents"
                stroke={paletteColor(index)}
                fill={paletteColor(index)}
                fillOpacity={0.5}
                isAnimationActive={false}
              />
            ))}
            {measure === 'agents' && (
              <Line type="stepAfter" dataKey="totalScheduled" name={t('workforce.staffing.totalScheduled')} stroke="var(--mantine-color-dark-4)" strokeDasharray="5 3" dot={false} isAnimationActive={false} />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </Box>
    </Paper>
  );
}
