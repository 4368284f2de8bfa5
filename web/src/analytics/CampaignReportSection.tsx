import { Box, Paper, Stack, Table, Text, Title, Tooltip as HoverTip, UnstyledButton } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorAlert } from '../components/ErrorAlert';
import { channelLabel } from '../flows/channelLabel';
import { CAMPAIGN_SKIP_REASONS, skippedTotal, sortCampaigns, type CampaignFigures, type CampaignReport, type CampaignReportRow, type CampaignSort } from './campaignReport';
import { formatKpi, type KpiFormat } from './kpiFormat';

const color = (name: string) => `var(--mantine-color-${name})`;
const CHART_LIMIT = 20;
const SERIES = { sent: color('blue-6'), replied: color('teal-6'), converted: color('orange-6') };

/** Names and rates read better highest first; the name and launch columns start the other way round. */
const ASCENDING_FIRST: ReadonlySet<CampaignSort> = new Set(['name']);

/**
 * The reports page's campaign section: campaigns that sent in the period (and on the channel type,
 * when one is chosen), a sortable table of their results with totals, and sent/replied/converted
 * per campaign as bars.
 */
export function CampaignReportSection({ report, enabled, t, language }: { report: UseQueryResult<CampaignReport>; enabled: boolean; t: TFunction; language: string }) {
  if (report.isError) return <ErrorAlert error={report.error} testId="campaign-report-error" />;
  if (!report.data) {
    return enabled ? (
      <Text c="dimmed" data-testid="campaign-report-loading">
        {t('reports.loading')}
      </Text>
    ) : null;
  }
  return (
    <Stack data-testid="campaign-report">
      <CampaignTable report={report.data} t={t} language={language} />
      <CampaignChart report={report.data} t={t} />
      <Text size="xs" c="dimmed" ta="right">
        {t('campaignReport.footnote', { currency: report.data.currency })}
      </Text>
    </Stack>
  );
}

function CampaignTable({ report, t, language }: { report: CampaignReport; t: TFunction; language: string }) {
  const [sort, setSort] = useState<{ by: CampaignSort; descending: boolean }>({ by: 'launchedAt', descending: true });
  const rows = sortCampaigns(report.campaigns, sort.by, sort.descending);
  const choose = (by: CampaignSort) => setSort((current) => (current.by === by ? { by, descending: !current.descending } : { by, descending: !ASCENDING_FIRST.has(by) }));
  const fmt = (value: number | null, format: KpiFormat) => formatKpi(value, format, language, report.currency);
  const header = (by: CampaignSort, label: string, align: 'left' | 'right' = 'right') => (
    <Table.Th ta={align} aria-sort={sort.by === by ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => choose(by)} fw={600} fz="sm" data-testid={`campaign-report-sort-${by}`}>
        {label}
        {sort.by === by ? (sort.descending ? ' ↓' : ' ↑') : ''}
      </UnstyledButton>
    </Table.Th>
  );
  const skippedTip = (f: CampaignFigures) =>
    CAMPAIGN_SKIP_REASONS.filter((r) => f.skipped[r] > 0)
      .map((r) => `${t(`automation.campaigns.skipReasons.${r}`)}: ${fmt(f.skipped[r], 'count')}`)
      .join(', ');
  const figureCells = (f: CampaignFigures) => (
    <>
      <Table.Td ta="right">{fmt(f.recipients, 'count')}</Table.Td>
      <Table.Td ta="right" data-testid="campaign-report-sent">
        {fmt(f.sent, 'count')}
      </Table.Td>
      <Table.Td ta="right">
        {f.delivered === null ? (
          <HoverTip label={t('campaignReport.deliveryNotReported')}>
            <span>—</span>
          </HoverTip>
        ) : (
          fmt(f.delivered, 'count')
        )}
      </Table.Td>
      <Table.Td ta="right">
        {skippedTotal(f) > 0 ? (
          <HoverTip label={skippedTip(f)}>
            <span>{fmt(skippedTotal(f), 'count')}</span>
          </HoverTip>
        ) : (
          fmt(0, 'count')
        )}
      </Table.Td>
      <Table.Td ta="right">{fmt(f.failed, 'count')}</Table.Td>
      <Table.Td ta="right">{fmt(f.replied, 'count')}</Table.Td>
      <Table.Td ta="right">{fmt(f.replyRate, 'percent')}</Table.Td>
      <Table.Td ta="right">{fmt(f.converted, 'count')}</Table.Td>
      <Table.Td ta="right" data-testid="campaign-report-revenue">
        {fmt(f.convertedRevenue, 'money')}
      </Table.Td>
      <Table.Td ta="right">{fmt(f.revenuePerRecipient, 'money')}</Table.Td>
    </>
  );
  const launched = (iso: string | null) => (iso ? new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—');

  return (
    <Paper withBorder radius="md" p="md" data-testid="campaign-report-table">
      <Title order={2} size="h4" mb={4}>
        {t('campaignReport.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('campaignReport.description')}
      </Text>
      {report.truncated && (
        <Text size="sm" c="orange" mb="sm" data-testid="campaign-report-truncated">
          {t('campaignReport.truncated', { count: report.campaigns.length })}
        </Text>
      )}
      {rows.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl" data-testid="campaign-report-empty">
          {t('campaignReport.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={1100}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                {header('name', t('campaignReport.columns.name'), 'left')}
                <Table.Th>{t('campaignReport.columns.channel')}</Table.Th>
                <Table.Th>{t('campaignReport.columns.status')}</Table.Th>
                {header('launchedAt', t('campaignReport.columns.launchedAt'), 'left')}
                {header('recipients', t('campaignReport.columns.recipients'))}
                {header('sent', t('campaignReport.columns.sent'))}
                {header('delivered', t('campaignReport.columns.delivered'))}
                {header('skipped', t('campaignReport.columns.skipped'))}
                {header('failed', t('campaignReport.columns.failed'))}
                {header('replied', t('campaignReport.columns.replied'))}
                {header('replyRate', t('campaignReport.columns.replyRate'))}
                {header('converted', t('campaignReport.columns.converted'))}
                {header('convertedRevenue', t('campaignReport.columns.convertedRevenue'))}
                {header('revenuePerRecipient', t('campaignReport.columns.revenuePerRecipient'))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id} data-testid="campaign-report-row" data-campaign-id={row.id}>
                  <Table.Td fw={500}>{row.name}</Table.Td>
                  <Table.Td>
                    {row.channelName} <Text span size="xs" c="dimmed">({channelLabel(t, row.channelType)})</Text>
                  </Table.Td>
                  <Table.Td>{t(`automation.campaigns.statuses.${row.status}`)}</Table.Td>
                  <Table.Td>{launched(row.launchedAt)}</Table.Td>
                  {figureCells(row)}
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr data-testid="campaign-report-totals" fw={700}>
                <Table.Td colSpan={4}>{t('campaignReport.total')}</Table.Td>
                {figureCells(report.totals)}
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** Sent, replied and converted per campaign, side by side (the table's order: latest launched first). */
function CampaignChart({ report, t }: { report: CampaignReport; t: TFunction }) {
  // Beyond a few dozen bars nobody reads a bar chart: it shows the latest launched, the table has all.
  const data = report.campaigns.slice(0, CHART_LIMIT).map((c: CampaignReportRow) => ({ name: c.name, sent: c.sent, replied: c.replied, converted: c.converted }));
  return (
    <Paper withBorder radius="md" p="md" data-testid="campaign-report-chart">
      <Title order={2} size="h4" mb="sm">
        {t('campaignReport.chart')}
      </Title>
      {report.campaigns.length > CHART_LIMIT && (
        <Text size="xs" c="dimmed" mb="xs">
          {t('campaignReport.chartLimited', { count: CHART_LIMIT })}
        </Text>
      )}
      {data.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl">
          {t('campaignReport.empty')}
        </Text>
      ) : (
        <Box h={Math.max(240, Math.min(480, 120 + data.length * 36))}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
              <YAxis type="category" dataKey="name" width={160} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Legend />
              <Bar dataKey="sent" name={t('campaignReport.columns.sent')} fill={SERIES.sent} isAnimationActive={false} />
              <Bar dataKey="replied" name={t('campaignReport.columns.replied')} fill={SERIES.replied} isAnimationActive={false} />
              <Bar dataKey="converted" name={t('campaignReport.columns.converted')} fill={SERIES.converted} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </Box>
      )}
    </Paper>
  );
}
