import { Box, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { Bar, CartesianGrid, Cell, ComposedChart, Legend, Line, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { channelLabel } from '../flows/channelLabel';
import { formatKpi } from './kpiFormat';
import { bucketStarts } from './reportRange';
import type { KpiReport } from './types';

const color = (name: string) => `var(--mantine-color-${name})`;
const SERIES = { offered: color('blue-6'), answered: color('teal-6'), abandoned: color('red-6'), serviceLevel: color('grape-6') };
const SLICES = ['blue-6', 'teal-6', 'orange-6', 'grape-6', 'cyan-6', 'pink-6', 'lime-7', 'indigo-6', 'yellow-7', 'gray-6'].map(color);

function ChartPanel({ title, testId, empty, children }: { title: string; testId: string; empty: string | null; children: React.ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {empty ? (
        <Text c="dimmed" ta="center" py="xl" data-testid={`${testId}-empty`}>
          {empty}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

/** Offered, answered and abandoned per bucket as bars, the service level as a line on its own axis. */
export function TimeSeriesChart({ report, t, formatBucket, language }: { report: KpiReport; t: TFunction; formatBucket: (iso: string) => string; language: string }) {
  // The API leaves out buckets without figures; the chart shows them as zeros.
  const byBucket = new Map(report.rows.filter((r) => r.bucket !== null).map((r) => [new Date(r.bucket as string).toISOString(), r.kpis]));
  const starts = bucketStarts(report.interval, new Date(report.from), new Date(report.to), report.timeZone) ?? [];
  const buckets = [...new Set([...starts, ...byBucket.keys()])].sort();
  const data = buckets.map((bucket) => {
    const kpis = byBucket.get(bucket);
    return {
      bucket: formatBucket(bucket),
      offered: kpis?.offered ?? 0,
      answered: kpis?.answered ?? 0,
      abandoned: kpis?.abandoned ?? 0,
      serviceLevel: kpis?.serviceLevel == null ? null : Math.round(kpis.serviceLevel * 1000) / 10,
    };
  });
  const empty = data.every((d) => d.offered === 0 && d.answered === 0 && d.abandoned === 0) ? t('reports.noData') : null;
  return (
    <ChartPanel title={t('reports.charts.timeSeries')} testId="reports-time-series" empty={empty}>
      <Box h={320}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="bucket" tick={{ fontSize: 12 }} minTickGap={16} />
            <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 12 }} />
            <YAxis yAxisId="percent" orientation="right" domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} />
            <Tooltip formatter={(value, name) => (name === t('reports.kpis.serviceLevel') && typeof value === 'number' ? `${value.toLocaleString(language)}%` : value)} />
            <Legend />
            <Bar yAxisId="count" dataKey="offered" name={t('reports.kpis.offered')} fill={SERIES.offered} isAnimationActive={false} />
            <Bar yAxisId="count" dataKey="answered" name={t('reports.kpis.answered')} fill={SERIES.answered} isAnimationActive={false} />
            <Bar yAxisId="count" dataKey="abandoned" name={t('reports.kpis.abandoned')} fill={SERIES.abandoned} isAnimationActive={false} />
            <Line yAxisId="percent" type="monotone" dataKey="serviceLevel" name={t('reports.kpis.serviceLevel')} stroke={SERIES.serviceLevel} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </Box>
    </ChartPanel>
  );
}

/** Each channel's share of offered contacts, with its answered, service level and handle time beside it. */
export function ChannelMixChart({ report, t, language }: { report: KpiReport; t: TFunction; language: string }) {
  // Contacts that never had a channel key (none should) are left out rather than shown nameless.
  const rows = report.rows.filter((r) => !!r.key && r.kpis.offered + r.kpis.handled > 0).sort((a, b) => b.kpis.offered - a.kpis.offered);
  const data = rows.map((r) => ({ name: channelLabel(t, r.key as string), value: r.kpis.offered }));
  const fmt = (value: number | null, format: 'count' | 'percent' | 'duration') => formatKpi(value, format, language, report.currency);
  return (
    <ChartPanel title={t('reports.charts.channelMix')} testId="reports-channel-mix" empty={rows.length === 0 ? t('reports.noData') : null}>
      <Stack gap="sm">
        <Box h={220}>
          <ResponsiveContainer width="100%" height="100%">
            <PieChart>
              <Pie data={data} dataKey="value" nameKey="name" innerRadius="50%" outerRadius="85%" paddingAngle={data.length > 1 ? 1 : 0} isAnimationActive={false}>
                {data.map((d, i) => (
                  <Cell key={d.name} fill={SLICES[i % SLICES.length]} />
                ))}
              </Pie>
              <Tooltip />
              <Legend />
            </PieChart>
          </ResponsiveContainer>
        </Box>
        <Table fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reports.filters.channel')}</Table.Th>
              <Table.Th ta="right">{t('reports.kpis.offered')}</Table.Th>
              <Table.Th ta="right">{t('reports.kpis.answered')}</Table.Th>
              <Table.Th ta="right">{t('reports.kpis.serviceLevel')}</Table.Th>
              <Table.Th ta="right">{t('reports.kpis.averageHandleTimeSeconds')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.key} data-testid="reports-channel-row">
                <Table.Td>{channelLabel(t, r.key as string)}</Table.Td>
                <Table.Td ta="right">{fmt(r.kpis.offered, 'count')}</Table.Td>
                <Table.Td ta="right">{fmt(r.kpis.answered, 'count')}</Table.Td>
                <Table.Td ta="right">{fmt(r.kpis.serviceLevel, 'percent')}</Table.Td>
                <Table.Td ta="right">{fmt(r.kpis.averageHandleTimeSeconds, 'duration')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </ChartPanel>
  );
}
