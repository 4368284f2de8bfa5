import { Box, Group, Paper, SegmentedControl, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { KpiFormat } from '../analytics/kpiFormat';
import type { Kpis } from '../analytics/types';
import { paletteColor, slotLabel, useFigures } from './format';
import { totalAgents } from './scenarioDraft';
import type { SimulationDetail, SimulationResult } from './types';

type KpiKey = 'offered' | 'answered' | 'abandonRate' | 'serviceLevel' | 'averageSpeedOfAnswerSeconds' | 'averageHandleTimeSeconds' | 'occupancy' | 'costPerContact' | 'cost' | 'staffedHours';

/** The figures compared, in order; `better` says which way is good (for the highlight). */
const COMPARED: ReadonlyArray<{ key: KpiKey; format: KpiFormat; better: 'higher' | 'lower' | null }> = [
  { key: 'offered', format: 'count', better: null },
  { key: 'answered', format: 'count', better: 'higher' },
  { key: 'abandonRate', format: 'percent', better: 'lower' },
  { key: 'serviceLevel', format: 'percent', better: 'higher' },
  { key: 'averageSpeedOfAnswerSeconds', format: 'duration', better: 'lower' },
  { key: 'averageHandleTimeSeconds', format: 'duration', better: null },
  { key: 'occupancy', format: 'percent', better: null },
  { key: 'staffedHours', format: 'hours', better: null },
  { key: 'cost', format: 'money', better: 'lower' },
  { key: 'costPerContact', format: 'money', better: 'lower' },
];

type Done = SimulationDetail & { result: SimulationResult };

/** Finished runs side by side: their KPIs in one table, and per interval one line per run. */
export function SimulationCompare({ runs, currency }: { runs: Done[]; currency: string }) {
  const { t } = useTranslation();
  const { fmt } = useFigures(currency);
  const best = (key: KpiKey, better: 'higher' | 'lower' | null): number | null => {
    if (!better || runs.length < 2) return null;
    const values = runs.map((r) => r.result.totals[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    // Nothing stands out when every run has the same figure.
    if (values.length < 2 || values.every((v) => v === values[0])) return null;
    return better === 'higher' ? Math.max(...values) : Math.min(...values);
  };
  return (
    <Paper withBorder radius="md" p="md" data-testid="sim-compare">
      <Title order={2} size="h4" mb="sm">
        {t('workforce.sim.compare.title')}
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table fz="sm" verticalSpacing={4} striped data-testid="sim-compare-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('workforce.sim.compare.figure')}</Table.Th>
              {runs.map((run, i) => (
                <Table.Th key={run.id} ta="right" data-testid="sim-compare-run">
                  <Group gap={6} justify="flex-end" wrap="nowrap">
                    <Box w={10} h={10} style={{ borderRadius: 2, background: paletteColor(i) }} />
                    <span>{run.name}</span>
                  </Group>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr data-testid="sim-compare-agents">
              <Table.Td>{t('workforce.sim.compare.agents')}</Table.Td>
              {runs.map((run) => (
                <Table.Td key={run.id} ta="right">
                  {fmt(totalAgents(run.scenario), 'count')}
                </Table.Td>
              ))}
            </Table.Tr>
            {COMPARED.map(({ key, format, better }) => {
              const top = best(key, better);
              return (
                <Table.Tr key={key} data-testid={`sim-compare-${key}`}>
                  <Table.Td>{t(`workforce.kpis.${key}`)}</Table.Td>
                  {runs.map((run) => {
                    const value = run.result.totals[key];
                    return (
                      <Table.Td key={run.id} ta="right" fw={top !== null && value === top ? 700 : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {fmt(value, format)}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              );
            })}
            <Table.Tr>
              <Table.Td>{t('workforce.sim.compare.unfinished')}</Table.Td>
              {runs.map((run) => (
                <Table.Td key={run.id} ta="right">
                  {fmt(run.result.unfinished + run.result.refused, 'count')}
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt={4}>
        {t('workforce.sim.compare.note')}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }} mt="md">
        <IntervalChart runs={runs} metric="serviceLevel" testId="sim-compare-sl" />
        <IntervalChartWithPicker runs={runs} />
      </SimpleGrid>
    </Paper>
  );
}

type Metric = 'serviceLevel' | 'averageSpeedOfAnswerSeconds' | 'abandoned' | 'agentsLoggedIn' | 'occupancy';

const METRIC_FORMAT: Record<Metric, KpiFormat> = { serviceLevel: 'percent', averageSpeedOfAnswerSeconds: 'duration', abandoned: 'count', agentsLoggedIn: 'hours', occupancy: 'percent' };

function metricOf(row: SimulationResult['byInterval'][number], metric: Metric): number | null {
  if (metric === 'agentsLoggedIn') return row.agentsLoggedIn;
  const value = (row.kpis as Kpis)[metric];
  return typeof value === 'number' ? value : null;
}

function IntervalChartWithPicker({ runs }: { runs: Done[] }) {
  const { t } = useTranslation();
  const [metric, setMetric] = useState<Metric>('averageSpeedOfAnswerSeconds');
  return (
    <IntervalChart
      runs={runs}
      metric={metric}
      testId="sim-compare-metric"
      picker={
        <SegmentedControl
          size="xs"
          value={metric}
          onChange={(v) => setMetric(v as Metric)}
          data={(['averageSpeedOfAnswerSeconds', 'abandoned', 'agentsLoggedIn', 'occupancy'] as const).map((m) => ({ value: m, label: t(`workforce.sim.compare.metrics.${m}`) }))}
          data-testid="sim-compare-metric-picker"
        />
      }
    />
  );
}

/**
 * One line per run over the time of day. Runs are aligned by local time of day, not by instant, so
 * scenarios of different dates still compare.
 */
function IntervalChart({ runs, metric, testId, picker }: { runs: Done[]; metric: Metric; testId: string; picker?: ReactNode }) {
  const { t } = useTranslation();
  const { fmt, language } = useFigures();
  const format = METRIC_FORMAT[metric];
  const rows = new Map<string, Record<string, number | string | null>>();
  runs.forEach((run, i) => {
    for (const row of run.result.byInterval) {
      if (!row.start) continue;
      const slot = slotLabel(row.start, 'en-GB', run.result.timeZone);
      const entry = rows.get(slot) ?? { slot };
      const value = metricOf(row, metric);
      // Percentages are drawn as 0–100 so the axis reads like the table.
      entry[`r${i}`] = value === null ? null : format === 'percent' ? Math.round(value * 1000) / 10 : Math.round(value * 100) / 100;
      rows.set(slot, entry);
    }
  });
  const data = [...rows.values()].sort((a, b) => String(a.slot).localeCompare(String(b.slot)));
  const show = (value: unknown) => (typeof value !== 'number' ? '—' : format === 'percent' ? `${value.toLocaleString(language)}%` : fmt(value, format));
  return (
    <Box data-testid={testId}>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Text fw={600} size="sm">
          {t(`workforce.sim.compare.metrics.${metric}`)} {t('workforce.sim.compare.perInterval')}
        </Text>
        {picker}
      </Group>
      <Box h={280}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="slot" tick={{ fontSize: 12 }} minTickGap={16} />
            <YAxis tick={{ fontSize: 12 }} unit={format === 'percent' ? '%' : format === 'duration' ? ' s' : undefined} domain={format === 'percent' ? [0, 100] : undefined} allowDecimals={format !== 'count'} />
            <Tooltip formatter={(value) => show(value)} />
            <Legend />
            {runs.map((run, i) => (
              <Line key={run.id} type="monotone" dataKey={`r${i}`} name={run.name} stroke={paletteColor(i)} strokeWidth={2} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </Box>
    </Box>
  );
}
