import { Button, Group, Loader, Paper, Select, SimpleGrid, Stack, Tabs, Text, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { channelLabel } from '../flows/channelLabel';
import { useQueues, useRoutingAgents } from '../routing/api';
import { AgentLeague } from './AgentLeague';
import { kpiCsvUrl, useAnalyticsSettings, useKpiReport } from './api';
import { campaignCsvUrl, CAMPAIGN_CHANNEL_TYPES, useCampaignReport } from './campaignReport';
import { CampaignReportSection } from './CampaignReportSection';
import { formatKpi, SUMMARY_KPIS } from './kpiFormat';
import { ChannelMixChart, TimeSeriesChart } from './ReportCharts';
import { bucketFormatter, customRange, defaultInterval, knownTimeZone, presetRange, RANGE_PRESETS, REPORT_INTERVALS, toDateInput, type RangePreset, type ReportInterval } from './reportRange';
import type { KpiQuery, KpiReport } from './types';

/** Channel types a report can be filtered on (the medium, as routing and the KPIs see it). */
const CHANNEL_TYPES = ['webchat', 'email', 'voice', 'whatsapp', 'sms', 'messenger', 'instagram', 'telegram', 'x', 'youtube', 'api'];

type RangeChoice = RangePreset | 'custom';

/** The page's tabs: the KPIs, and campaign results (`?tab=campaigns`). */
const REPORT_TABS = ['kpis', 'campaigns'] as const;
type ReportTab = (typeof REPORT_TABS)[number];

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const settings = useAnalyticsSettings();
  // Until the settings answer (or if they cannot be read) the browser's own zone stands in.
  const timeZone = knownTimeZone(settings.data?.timeZone);
  const [choice, setChoice] = useState<RangeChoice>('last7');
  const [customFrom, setCustomFrom] = useState('');
  const [customTo, setCustomTo] = useState('');
  /** When the range was last computed: a preset that runs up to now is recomputed on refresh. */
  const [computedAt, setComputedAt] = useState(() => Date.now());
  const [chosenInterval, setChosenInterval] = useState<ReportInterval | null>(null);
  const [channel, setChannel] = useState<string | null>(null);
  const [queueId, setQueueId] = useState<string | null>(null);
  const [agentId, setAgentId] = useState<string | null>(null);
  const queues = useQueues();
  const agents = useRoutingAgents();
  const [params, setParams] = useSearchParams();
  const tab: ReportTab = params.get('tab') === 'campaigns' ? 'campaigns' : 'kpis';
  const onCampaigns = tab === 'campaigns';

  const custom = useMemo(() => customRange(customFrom, customTo, timeZone), [customFrom, customTo, timeZone]);
  const preset = useMemo(() => (choice === 'custom' ? undefined : presetRange(choice, new Date(computedAt), timeZone)), [choice, computedAt, timeZone]);
  const range = preset ?? custom;
  const interval = chosenInterval ?? (range ? defaultInterval(range) : 'day');

  const chooseRange = (value: RangeChoice) => {
    if (value === 'custom' && !customFrom && preset) {
      // Start the custom range from the one on screen.
      setCustomFrom(toDateInput(preset.from, timeZone));
      setCustomTo(toDateInput(new Date(preset.to.getTime() - 1), timeZone));
    }
    setChoice(value);
    setChosenInterval(null);
    setComputedAt(Date.now());
  };
  const refresh = () => setComputedAt(Date.now());

  const base = range
    ? {
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        ...(channel ? { channel } : {}),
        ...(queueId ? { queueId } : {}),
        ...(agentId ? { agentId } : {}),
      }
    : { from: '', to: '' };
  const ready = !!range && !settings.isPending;
  const seriesQuery: KpiQuery = { ...base, interval, groupBy: 'none' };
  // Each tab asks only for its own figures.
  const series = useKpiReport(seriesQuery, ready && !onCampaigns);
  const channelMix = useKpiReport({ ...base, interval: 'total', groupBy: 'channel' }, ready && !onCampaigns);
  const league = useKpiReport({ ...base, interval: 'total', groupBy: 'agent' }, ready && !onCampaigns);
  // Campaigns are filtered by period and channel type only (queues and agents do not send them).
  const campaignChannel = channel && (CAMPAIGN_CHANNEL_TYPES as readonly string[]).includes(channel) ? channel : null;
  const campaignQuery = { from: base.from, to: base.to, ...(campaignChannel ? { channel: campaignChannel } : {}) };
  const campaigns = useCampaignReport(campaignQuery, ready && onCampaigns);
  const customInvalid = choice === 'custom' && !custom;

  const filters = (
    <Paper withBorder radius="md" p="md" data-testid="reports-filters">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('reports.filters.period')}
          w={180}
          allowDeselect={false}
          data={[...RANGE_PRESETS, 'custom' as const].map((p) => ({ value: p, label: presetLabel(t, p) }))}
          value={choice}
          onChange={(value) => value && chooseRange(value as RangeChoice)}
          data-testid="reports-preset"
        />
        {choice === 'custom' && (
          <>
            <TextInput type="date" label={t('reports.filters.from')} value={customFrom} onChange={(e) => setCustomFrom(e.currentTarget.value)} data-testid="reports-from" />
            <TextInput
              type="date"
              label={t('reports.filters.to')}
              value={customTo}
              onChange={(e) => setCustomTo(e.currentTarget.value)}
              error={customInvalid ? t('reports.filters.invalidRange') : undefined}
              data-testid="reports-to"
            />
          </>
        )}
        {!onCampaigns && (
          <Select
            label={t('reports.filters.interval')}
            w={130}
            allowDeselect={false}
            data={REPORT_INTERVALS.map((i) => ({ value: i, label: intervalLabel(t, i) }))}
            value={interval}
            onChange={(value) => value && setChosenInterval(value as ReportInterval)}
            data-testid="reports-interval"
          />
        )}
        <Select
          label={t('reports.filters.channel')}
          placeholder={t('reports.filters.all')}
          w={160}
          clearable
          data={(onCampaigns ? [...CAMPAIGN_CHANNEL_TYPES] : CHANNEL_TYPES).map((c) => ({ value: c, label: channelLabel(t, c) }))}
          value={onCampaigns ? campaignChannel : channel}
          onChange={setChannel}
          data-testid="reports-channel"
        />
        {!onCampaigns && (
          <>
            <Select
              label={t('reports.filters.queue')}
              placeholder={t('reports.filters.all')}
              w={180}
              clearable
              searchable
              data={(queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }))}
              value={queueId}
              onChange={setQueueId}
              data-testid="reports-queue"
            />
            <Select
              label={t('reports.filters.agent')}
              placeholder={t('reports.filters.all')}
              w={200}
              clearable
              searchable
              data={(agents.data?.items ?? []).map((a) => ({ value: a.userId, label: a.name }))}
              value={agentId}
              onChange={setAgentId}
              data-testid="reports-agent"
            />
          </>
        )}
        <Button variant="default" onClick={refresh} data-testid="reports-refresh">
          {t('reports.refresh')}
        </Button>
        <Button component="a" href={ready ? (onCampaigns ? campaignCsvUrl(campaignQuery, language) : kpiCsvUrl(seriesQuery, language)) : undefined} download variant="light" disabled={!ready} data-testid="reports-csv">
          {t('reports.csv')}
        </Button>
        {(series.isFetching || channelMix.isFetching || league.isFetching || campaigns.isFetching) && <Loader size="sm" aria-label={t('reports.loading')} />}
      </Group>
    </Paper>
  );

  return (
    <Stack>
      <PageHeader title={t('reports.title')} description={t('reports.description')} />
      <Tabs value={tab} onChange={(value) => value && setParams(value === 'campaigns' ? { tab: value } : {}, { replace: true })}>
        <Tabs.List>
          {REPORT_TABS.map((name) => (
            <Tabs.Tab key={name} value={name} data-testid={`reports-tab-${name}`}>
              {t(`campaignReport.tabs.${name}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {filters}
      {onCampaigns ? (
        <CampaignReportSection report={campaigns} enabled={ready} t={t} language={language} />
      ) : (
        <>
          {series.isError && <ErrorAlert error={series.error} testId="reports-error" />}
          {ready && series.isPending && !series.isError && (
            <Text c="dimmed" data-testid="reports-loading">
              {t('reports.loading')}
            </Text>
          )}
          {series.data && <SummaryCards report={series.data} t={t} language={language} />}
          {series.data && <TimeSeriesChart report={series.data} t={t} language={language} formatBucket={bucketFormatter(series.data.interval, { from: new Date(series.data.from), to: new Date(series.data.to) }, language, series.data.timeZone)} />}
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {channelMix.isError ? <ErrorAlert error={channelMix.error} /> : channelMix.data && <ChannelMixChart report={channelMix.data} t={t} language={language} />}
            {league.isError ? <ErrorAlert error={league.error} /> : league.data && <AgentLeague report={league.data} t={t} language={language} />}
          </SimpleGrid>
          {series.data && (
            <Text size="xs" c="dimmed" ta="right">
              {t('reports.footnote', { timeZone: series.data.timeZone, currency: series.data.currency })}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

function SummaryCards({ report, t, language }: { report: KpiReport; t: TFunction; language: string }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} data-testid="reports-summary">
      {SUMMARY_KPIS.map(({ key, format }) => (
        <Paper key={key} withBorder radius="md" p="sm" data-testid={`reports-kpi-${key}`}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t(`reports.kpis.${key}`)}
          </Text>
          <Text fz={26} fw={700} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="reports-kpi-value">
            {formatKpi(report.totals[key], format, language, report.currency)}
          </Text>
          {key === 'csat' && report.totals.csatResponses > 0 && (
            <Text size="xs" c="dimmed">
              {t('reports.responses', { count: report.totals.csatResponses })}
            </Text>
          )}
          {key === 'nps' && report.totals.npsResponses > 0 && (
            <Text size="xs" c="dimmed">
              {t('reports.responses', { count: report.totals.npsResponses })}
            </Text>
          )}
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function presetLabel(t: TFunction, preset: RangeChoice): string {
  switch (preset) {
    case 'today':
      return t('reports.presets.today');
    case 'yesterday':
      return t('reports.presets.yesterday');
    case 'last7':
      return t('reports.presets.last7');
    case 'last30':
      return t('reports.presets.last30');
    case 'thisMonth':
      return t('reports.presets.thisMonth');
    case 'custom':
      return t('reports.presets.custom');
  }
}

function intervalLabel(t: TFunction, interval: ReportInterval): string {
  switch (interval) {
    case '15m':
      return t('reports.intervals.15m');
    case 'hour':
      return t('reports.intervals.hour');
    case 'day':
      return t('reports.intervals.day');
    case 'week':
      return t('reports.intervals.week');
    case 'month':
      return t('reports.intervals.month');
  }
}
