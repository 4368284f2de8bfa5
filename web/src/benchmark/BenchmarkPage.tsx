import { Alert, Badge, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title, Tooltip as MantineTooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { channelLabel } from '../flows/channelLabel';
import { useBenchmarkReport } from './api';
import { formatNumber, formatReference } from './format';
import { MaturitySection } from './MaturitySection';
import { SchedulesSection } from './SchedulesSection';
import type { BenchmarkReport, OfferingRow, Reference } from './types';

const PERIODS = [30, 90, 365] as const;
const DAY_MS = 86_400_000;

/** Whole days back from the start of today (UTC), so the query key stays put while the page is open. */
function periodOf(days: number): { from: string; to: string } {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const to = new Date(today.getTime() + DAY_MS);
  return { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString() };
}

/** The workspace beside the industry: channel offering, channel mix, KPIs, profit centre, maturity; and scheduled reports. */
export function BenchmarkPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const period = useMemo(() => periodOf(days), [days]);
  const report = useBenchmarkReport(period.from, period.to);

  return (
    <Stack data-testid="benchmark-page">
      <PageHeader
        title={t('benchmark.title')}
        description={t('benchmark.description')}
        actions={
          <SegmentedControl
            value={String(days)}
            onChange={(v) => setDays(Number(v) as (typeof PERIODS)[number])}
            data={PERIODS.map((d) => ({ value: String(d), label: t('benchmark.period.days', { count: d }) }))}
            data-testid="benchmark-period"
          />
        }
      />
      {report.isPending ? <CenteredLoader /> : report.error ? <ErrorAlert error={report.error} /> : <ReportSections t={t} report={report.data} />}
      <MaturitySection reference={report.data?.maturity.distribution ?? []} />
      <SchedulesSection />
    </Stack>
  );
}

function SourceNote({ t, reference }: { t: TFunction; reference: Reference | null | undefined }) {
  if (!reference) return null;
  return (
    <Text size="xs" c="dimmed">
      {t('benchmark.source', { source: reference.source, year: reference.year, population: reference.population })}
    </Text>
  );
}

function ReportSections({ t, report }: { t: TFunction; report: BenchmarkReport }) {
  const firstReference = report.offering.find((o) => o.reference)?.reference;
  return (
    <Stack>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          {t('benchmark.offering.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('benchmark.offering.description')}
        </Text>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <OfferingTable t={t} rows={report.offering} />
          <OfferingChart t={t} rows={report.offering} />
        </SimpleGrid>
        <SourceNote t={t} reference={firstReference} />
      </Paper>
      <KpiSections t={t} report={report} />
    </Stack>
  );
}

function OfferingTable({ t, rows }: { t: TFunction; rows: OfferingRow[] }) {
  const { i18n } = useTranslation();
  return (
    <Table data-testid="benchmark-offering" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('benchmark.offering.columns.category')}</Table.Th>
          <Table.Th>{t('benchmark.offering.columns.yours')}</Table.Th>
          <Table.Th>{t('benchmark.offering.columns.reference')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.id} data-testid={`benchmark-offering-${row.id}`}>
            <Table.Td>{t(`benchmark.offering.category.${row.id}`)}</Table.Td>
            <Table.Td>
              <MantineTooltip label={row.byChannelTypes.map((type) => channelLabel(t, type)).join(', ')} disabled={!row.offered}>
                <Badge color={row.offered ? 'green' : 'gray'} variant="light">
                  {row.offered ? t('benchmark.yes') : t('benchmark.no')}
                </Badge>
              </MantineTooltip>
            </Table.Td>
            <Table.Td>{row.reference ? formatReference(row.reference.value, i18n.language) : <Text size="sm" c="dimmed">{t('benchmark.noReference')}</Text>}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The share of centres offering each category; the bar is green where this centre offers it too. */
function OfferingChart({ t, rows }: { t: TFunction; rows: OfferingRow[] }) {
  const data = rows.filter((r) => r.reference).map((r) => ({ name: t(`benchmark.offering.category.${r.id}`), value: r.reference!.value, offered: r.offered }));
  return (
    <Stack gap={4}>
      <div style={{ width: '100%', height: 280 }} aria-label={t('benchmark.offering.chart')}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ left: 16, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, 100]} unit="%" />
            <YAxis type="category" dataKey="name" width={170} tick={{ fontSize: 12 }} />
            <Tooltip formatter={(value) => [`${String(value)}%`, t('benchmark.offering.columns.reference')]} />
            <Bar dataKey="value" isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.name} fill={d.offered ? 'var(--mantine-color-green-6)' : 'var(--mantine-color-gray-5)'} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Text size="xs" c="dimmed">
        {t('benchmark.offering.chartLegend')}
      </Text>
    </Stack>
  );
}

const KPI_FIGURES = [
  { key: 'offered', style: 'count' },
  { key: 'answered', style: 'count' },
  { key: 'serviceLevel', style: 'percent' },
  { key: 'abandonRate', style: 'percent' },
  { key: 'averageSpeedOfAnswerSeconds', style: 'seconds' },
  { key: 'averageHandleTimeSeconds', style: 'seconds' },
  { key: 'firstContactResolution', style: 'percent' },
  { key: 'containmentRate', style: 'percent' },
  { key: 'csat', style: 'score' },
  { key: 'nps', style: 'score' },
] as const;
const PROFIT_FIGURES = ['revenue', 'revenuePerContact', 'cost', 'costPerContact', 'margin'] as const;

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg">
        {value}
      </Text>
    </Paper>
  );
}

function KpiSections({ t, report }: { t: TFunction; report: BenchmarkReport }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const kpis = report.kpis;
  const profit = report.profitCentre;
  const profitAnswer = profit.runAsProfitCentre === null ? t('benchmark.profit.unknown') : profit.runAsProfitCentre ? t('benchmark.yes') : t('benchmark.no');
  return (
    <>
      {!kpis.available && (
        <Alert color="yellow" variant="light" data-testid="benchmark-kpis-unavailable" title={t('benchmark.kpis.unavailableTitle')}>
          {t('benchmark.kpis.unavailable', { reason: kpis.reason })}
        </Alert>
      )}
      {kpis.available && (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">
              {t('benchmark.mix.title')}
            </Title>
            {kpis.channelMix.every((m) => m.contacts === 0) ? (
              <Text size="sm" c="dimmed">
                {t('benchmark.mix.empty')}
              </Text>
            ) : (
              <div style={{ width: '100%', height: 260 }} data-testid="benchmark-mix">
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={kpis.channelMix.map((m) => ({ name: channelLabel(t, m.channel), share: Math.round((m.share ?? 0) * 1000) / 10, contacts: m.contacts }))} margin={{ left: 8, right: 8 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="name" tick={{ fontSize: 12 }} />
                    <YAxis unit="%" domain={[0, 100]} />
                    <Tooltip formatter={(value, _name, item) => [`${String(value)}% (${String((item.payload as { contacts: number }).contacts)})`, t('benchmark.mix.share')]} />
                    <Bar dataKey="share" fill="var(--mantine-color-blue-6)" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            )}
          </Paper>
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">
              {t('benchmark.kpis.title')}
            </Title>
            <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
              {KPI_FIGURES.map((f) => (
                <Figure key={f.key} label={t(`benchmark.kpis.figure.${f.key}`)} value={formatNumber(kpis.totals[f.key], lang, f.style, kpis.currency)} />
              ))}
            </SimpleGrid>
          </Paper>
        </SimpleGrid>
      )}
      <Paper withBorder p="md" data-testid="benchmark-profit">
        <Title order={2} size="h4" mb="xs">
          {t('benchmark.profit.title')}
        </Title>
        <Group mb="sm" gap="xs">
          <Text size="sm">{t('benchmark.profit.question')}</Text>
          <Badge variant="light" color={profit.runAsProfitCentre ? 'green' : 'gray'} data-testid="benchmark-profit-answer">
            {profitAnswer}
          </Badge>
          {profit.reference && (
            <Text size="sm" c="dimmed">
              {t('benchmark.profit.reference', { value: formatReference(profit.reference.value, lang) })}
            </Text>
          )}
        </Group>
        {kpis.available && (
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
            {PROFIT_FIGURES.map((key) => (
              <Figure key={key} label={t(`benchmark.profit.figure.${key}`)} value={formatNumber(kpis.profitCentre[key], lang, 'money', kpis.profitCentre.currency)} testId={`benchmark-profit-${key}`} />
            ))}
          </SimpleGrid>
        )}
        <SourceNote t={t} reference={profit.reference} />
      </Paper>
    </>
  );
}
