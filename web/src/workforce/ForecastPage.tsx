import { Badge, Group, Loader, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useForecast } from './api';
import { BacktestCharts, ForecastChart } from './ForecastCharts';
import { dayLabel, streamLabel, useFigures } from './format';
import type { ForecastResponse, ForecastStream, IntervalMinutes } from './types';

const HISTORY_WEEKS = [4, 8, 12, 26, 52];

/** Arrivals to come per demand stream (channel · queue), with the figures staffing needs and how well the method did on the past. */
export function ForecastPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [days, setDays] = useState(7);
  const [interval, setIntervalMinutes] = useState<IntervalMinutes>(30);
  const [weeks, setWeeks] = useState(8);
  const [streamId, setStreamId] = useState<string | null>(null);
  const forecast = useForecast({ ...(from ? { from } : {}), days, interval, weeks });

  const streams = useMemo(() => [...(forecast.data?.streams ?? [])].sort((a, b) => totalOf(b) - totalOf(a)), [forecast.data]);
  const stream = streams.find((s) => s.id === streamId) ?? streams[0];

  const filters = (
    <Paper withBorder radius="md" p="md" data-testid="forecast-filters">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('workforce.forecast.stream')}
          w={260}
          allowDeselect={false}
          searchable
          data={streams.map((s) => ({ value: s.id, label: streamLabel(t, s) }))}
          value={stream?.id ?? null}
          onChange={setStreamId}
          disabled={streams.length === 0}
          data-testid="forecast-stream"
        />
        <TextInput type="date" label={t('workforce.forecast.from')} description={from ? undefined : t('workforce.forecast.fromDefault')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="forecast-from" />
        <NumberInput label={t('workforce.forecast.days')} w={100} min={1} max={28} clampBehavior="strict" allowDecimal={false} value={days} onChange={(v) => typeof v === 'number' && v >= 1 && setDays(v)} data-testid="forecast-days" />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('workforce.interval')}
          </Text>
          <SegmentedControl
            value={String(interval)}
            onChange={(v) => setIntervalMinutes(Number(v) as IntervalMinutes)}
            data={[15, 30].map((m) => ({ value: String(m), label: t('workforce.minutes', { count: m }) }))}
            data-testid="forecast-interval"
          />
        </Stack>
        <Select
          label={t('workforce.forecast.history')}
          w={150}
          allowDeselect={false}
          data={HISTORY_WEEKS.map((w) => ({ value: String(w), label: t('workforce.weeks', { count: w }) }))}
          value={String(weeks)}
          onChange={(v) => v && setWeeks(Number(v))}
          data-testid="forecast-weeks"
        />
        {forecast.isFetching && <Loader size="sm" aria-label={t('common.loading')} />}
      </Group>
    </Paper>
  );

  return (
    <Stack data-testid="forecast-page">
      <PageHeader title={t('workforce.forecast.title')} description={t('workforce.forecast.description')} />
      {filters}
      {forecast.isError && <ErrorAlert error={forecast.error} testId="forecast-error" />}
      {forecast.isPending && !forecast.isError && <CenteredLoader />}
      {forecast.data && streams.length === 0 && (
        <Paper withBorder radius="md" p="xl" data-testid="forecast-empty">
          <Text ta="center" fw={600}>
            {t('workforce.forecast.emptyTitle')}
          </Text>
          <Text ta="center" c="dimmed" size="sm">
            {t('workforce.forecast.empty', { count: forecast.data.historyDays })}
          </Text>
        </Paper>
      )}
      {forecast.data && stream && <StreamForecast data={forecast.data} stream={stream} />}
    </Stack>
  );
}

function totalOf(stream: ForecastStream): number {
  return stream.days.reduce((sum, d) => sum + d.total, 0);
}

function StreamForecast({ data, stream }: { data: ForecastResponse; stream: ForecastStream }) {
  const { t } = useTranslation();
  const { fmt, decimal, decimals2, language } = useFigures();
  const holidays = stream.days.filter((d) => d.holiday);
  const figures = [
    { key: 'total', label: t('workforce.forecast.total', { count: data.days }), value: decimal(totalOf(stream)) },
    { key: 'handleTime', label: t('workforce.forecast.handleTime'), value: fmt(stream.handleTimeSeconds, 'duration') },
    { key: 'handleTimeCv', label: t('workforce.forecast.handleTimeCv'), value: decimals2(stream.handleTimeCv) },
    { key: 'patience', label: t('workforce.forecast.patience'), value: fmt(stream.patienceSeconds, 'duration') },
    { key: 'abandonRate', label: t('workforce.forecast.abandonRate'), value: fmt(stream.abandonRate, 'percent') },
    { key: 'historyDays', label: t('workforce.forecast.historyDays'), value: fmt(data.historyDays, 'count') },
  ];
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} data-testid="forecast-figures">
        {figures.map((f) => (
          <Paper key={f.key} withBorder radius="md" p="sm" data-testid={`forecast-figure-${f.key}`}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {f.label}
            </Text>
            <Text fz={22} fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {f.value}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <ForecastChart stream={stream} timeZone={data.timeZone} />
      <SimpleGrid cols={{ base: 1, lg: 3 }}>
        <Paper withBorder radius="md" p="md" data-testid="forecast-days-table">
          <Title order={2} size="h4" mb="sm">
            {t('workforce.forecast.perDay')}
          </Title>
          <Table fz="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('workforce.forecast.day')}</Table.Th>
                <Table.Th ta="right">{t('workforce.forecast.contacts')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {stream.days.map((d) => (
                <Table.Tr key={d.date} data-testid="forecast-day-row">
                  <Table.Td>
                    <Group gap={6}>
                      <span>{dayLabel(d.date, language)}</span>
                      {d.holiday && (
                        <Badge size="xs" color="orange" variant="light">
                          {d.holiday}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{decimal(d.total)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {holidays.length > 0 && (
            <Text size="xs" c="dimmed" mt="xs">
              {t('workforce.forecast.holidayNote')}
            </Text>
          )}
        </Paper>
        <BacktestCharts backtest={stream.backtest} />
      </SimpleGrid>
      <Text size="xs" c="dimmed" ta="right">
        {t('workforce.forecast.footnote', { timeZone: data.timeZone })}
      </Text>
    </Stack>
  );
}
