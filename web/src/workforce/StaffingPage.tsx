import { Alert, Badge, Button, Group, List, Loader, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { knownTimeZone } from '../analytics/reportRange';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { channelLabel } from '../flows/channelLabel';
import { useStaffing } from './api';
import { dayLabel, localDate, slotLabel, streamLabel, useFigures } from './format';
import { StaffingChart } from './StaffingChart';
import type { IntervalMinutes, StaffingModel, StaffingRequest, StaffingResponse } from './types';

/** The form as typed: percentages as 0..100, an empty field as undefined (no target). */
interface StaffingForm {
  from: string;
  days: number;
  intervalMinutes: IntervalMinutes;
  serviceLevelPercent: number;
  withinSeconds: number;
  maxOccupancyPercent: number | undefined;
  maxAbandonPercent: number | undefined;
  maxAsaSeconds: number | undefined;
  shrinkagePercent: number;
  model: StaffingModel;
  concurrency: Record<string, number | undefined>;
}

const DEFAULT_FORM: StaffingForm = {
  from: '',
  days: 1,
  intervalMinutes: 30,
  serviceLevelPercent: 80,
  withinSeconds: 20,
  maxOccupancyPercent: 85,
  maxAbandonPercent: 5,
  maxAsaSeconds: undefined,
  shrinkagePercent: 30,
  model: 'auto',
  concurrency: {},
};

function toStaffingRequest(form: StaffingForm): StaffingRequest {
  const streams: Record<string, { concurrency: number }> = {};
  for (const [id, concurrency] of Object.entries(form.concurrency)) if (concurrency !== undefined) streams[id] = { concurrency };
  return {
    ...(form.from ? { from: form.from } : {}),
    days: form.days,
    intervalMinutes: form.intervalMinutes,
    targets: {
      serviceLevel: form.serviceLevelPercent / 100,
      withinSeconds: form.withinSeconds,
      ...(form.maxOccupancyPercent !== undefined ? { maxOccupancy: form.maxOccupancyPercent / 100 } : {}),
      ...(form.maxAbandonPercent !== undefined ? { maxAbandonRate: form.maxAbandonPercent / 100 } : {}),
      ...(form.maxAsaSeconds !== undefined ? { maxAsaSeconds: form.maxAsaSeconds } : {}),
    },
    shrinkage: form.shrinkagePercent / 100,
    model: form.model,
    ...(Object.keys(streams).length ? { streams } : {}),
  };
}

const optionalNumber = (value: string | number): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Agents needed per interval and stream for the service targets: the day's staffing curve. */
export function StaffingPage() {
  const { t } = useTranslation();
  const { decimalSeparator } = useFigures();
  const [form, setForm] = useState<StaffingForm>(DEFAULT_FORM);
  const [request, setRequest] = useState<StaffingRequest>(() => toStaffingRequest(DEFAULT_FORM));
  const staffing = useStaffing(request);
  const set = <K extends keyof StaffingForm>(key: K, value: StaffingForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const dirty = JSON.stringify(toStaffingRequest(form)) !== JSON.stringify(request);

  const targets = (
    <Paper withBorder radius="md" p="md" data-testid="staffing-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setRequest(toStaffingRequest(form));
        }}
      >
        <Stack gap="sm">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput type="date" label={t('workforce.forecast.from')} description={form.from ? undefined : t('workforce.forecast.fromDefault')} value={form.from} onChange={(e) => set('from', e.currentTarget.value)} data-testid="staffing-from" />
            <NumberInput label={t('workforce.forecast.days')} w={90} min={1} max={7} clampBehavior="strict" allowDecimal={false} value={form.days} onChange={(v) => typeof v === 'number' && v >= 1 && set('days', v)} data-testid="staffing-days" />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('workforce.interval')}
              </Text>
              <SegmentedControl
                value={String(form.intervalMinutes)}
                onChange={(v) => set('intervalMinutes', Number(v) as IntervalMinutes)}
                data={[15, 30].map((m) => ({ value: String(m), label: t('workforce.minutes', { count: m }) }))}
                data-testid="staffing-interval"
              />
            </Stack>
            <Select
              label={t('workforce.staffing.model')}
              w={170}
              allowDeselect={false}
              data={(['auto', 'erlangC', 'erlangA'] as const).map((m) => ({ value: m, label: t(`workforce.staffing.models.${m}`) }))}
              value={form.model}
              onChange={(v) => v && set('model', v as StaffingModel)}
              data-testid="staffing-model"
            />
          </Group>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <NumberInput label={t('workforce.staffing.serviceLevel')} w={150} min={1} max={99.9} suffix=" %" value={form.serviceLevelPercent} onChange={(v) => typeof v === 'number' && set('serviceLevelPercent', v)} decimalSeparator={decimalSeparator} data-testid="staffing-sl" />
            <NumberInput label={t('workforce.staffing.withinSeconds')} w={130} min={0} allowDecimal={false} suffix=" s" value={form.withinSeconds} onChange={(v) => typeof v === 'number' && set('withinSeconds', v)} data-testid="staffing-within" />
            <NumberInput label={t('workforce.staffing.maxOccupancy')} placeholder={t('workforce.staffing.noLimit')} w={150} min={1} max={100} suffix=" %" value={form.maxOccupancyPercent ?? ''} onChange={(v) => set('maxOccupancyPercent', optionalNumber(v))} decimalSeparator={decimalSeparator} data-testid="staffing-occupancy" />
            <NumberInput label={t('workforce.staffing.maxAbandon')} placeholder={t('workforce.staffing.noLimit')} w={150} min={0.1} max={100} suffix=" %" value={form.maxAbandonPercent ?? ''} onChange={(v) => set('maxAbandonPercent', optionalNumber(v))} decimalSeparator={decimalSeparator} data-testid="staffing-abandon" />
            <NumberInput label={t('workforce.staffing.maxAsa')} placeholder={t('workforce.staffing.noLimit')} w={130} min={1} suffix=" s" value={form.maxAsaSeconds ?? ''} onChange={(v) => set('maxAsaSeconds', optionalNumber(v))} data-testid="staffing-asa" />
            <NumberInput label={t('workforce.staffing.shrinkage')} w={130} min={0} max={95} suffix=" %" value={form.shrinkagePercent} onChange={(v) => typeof v === 'number' && set('shrinkagePercent', v)} decimalSeparator={decimalSeparator} data-testid="staffing-shrinkage" />
            <Button type="submit" disabled={!dirty && !staffing.isError} data-testid="staffing-calculate">
              {t('workforce.staffing.calculate')}
            </Button>
            {staffing.isFetching && <Loader size="sm" aria-label={t('common.loading')} />}
          </Group>
        </Stack>
      </form>
    </Paper>
  );

  return (
    <Stack data-testid="staffing-page">
      <PageHeader title={t('workforce.staffing.title')} description={t('workforce.staffing.description')} />
      {targets}
      {staffing.isError && <ErrorAlert error={staffing.error} testId="staffing-error" />}
      {staffing.isPending && !staffing.isError && <CenteredLoader />}
      {staffing.data && (
        <StaffingResult
          data={staffing.data}
          timeZone={knownTimeZone(staffing.data.timeZone)}
          concurrency={form.concurrency}
          onConcurrency={(id, value) => setForm((f) => ({ ...f, concurrency: { ...f.concurrency, [id]: value } }))}
        />
      )}
    </Stack>
  );
}

function StaffingResult({ data, timeZone, concurrency, onConcurrency }: { data: StaffingResponse; timeZone: string; concurrency: Record<string, number | undefined>; onConcurrency: (id: string, value: number | undefined) => void }) {
  const { t } = useTranslation();
  const { fmt, decimal, language } = useFigures();
  const days = useMemo(() => [...new Set(data.total.map((i) => localDate(i.start, timeZone)))], [data, timeZone]);
  const [chosenDay, setDay] = useState<string | null>(null);
  const day = chosenDay && days.includes(chosenDay) ? chosenDay : (days[0] ?? null);
  const inDay = (iso: string) => localDate(iso, timeZone) === day;
  const [tableStream, setTableStream] = useState<string>('all');
  const shownStream = data.streams.find((s) => s.id === tableStream);

  if (data.streams.length === 0) {
    return (
      <Paper withBorder radius="md" p="xl" data-testid="staffing-empty">
        <Text ta="center" c="dimmed">
          {t('workforce.staffing.empty')}
        </Text>
      </Paper>
    );
  }

  const totals = data.total.filter((i) => inDay(i.start));
  const dayPeak = totals.reduce<{ start: string; scheduled: number } | null>((peak, i) => (!peak || i.scheduled > peak.scheduled ? { start: i.start, scheduled: i.scheduled } : peak), null);
  const agentHours = (key: 'agents' | 'scheduled') => (totals.reduce((sum, i) => sum + i[key], 0) * data.intervalMinutes) / 60;
  const streamName = (id: string) => {
    const [channel = id, queueId = ''] = id.split(':');
    return `${channelLabel(t, channel)} · ${queueId}`;
  };
  const convention = data.serviceLevelConvention === 'answered-within-t-over-all-arrivals' ? t('workforce.staffing.conventions.answeredWithinOverAllArrivals') : data.serviceLevelConvention;

  return (
    <Stack>
      <Alert variant="light" color="blue" title={t('workforce.staffing.conventionTitle')} data-testid="staffing-convention">
        {convention}
      </Alert>
      {data.skipped && data.skipped.length > 0 && (
        <Alert variant="light" color="yellow" title={t('workforce.staffing.skipped')} data-testid="staffing-skipped">
          <List size="sm">
            {data.skipped.map((s) => (
              <List.Item key={s.id}>
                {streamName(s.id)}: {s.reason}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Group justify="space-between" wrap="wrap">
        {days.length > 1 ? (
          <SegmentedControl value={day ?? ''} onChange={setDay} data={days.map((d) => ({ value: d, label: dayLabel(d, language) }))} data-testid="staffing-day" />
        ) : (
          <Text fw={600}>{day ? dayLabel(day, language) : ''}</Text>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="staffing-summary">
        <Figure label={t('workforce.staffing.peak')} value={dayPeak ? `${fmt(dayPeak.scheduled, 'count')} · ${slotLabel(dayPeak.start, language, timeZone)}` : '—'} testId="staffing-peak" />
        <Figure label={t('workforce.staffing.requiredHours')} value={fmt(agentHours('agents'), 'hours')} />
        <Figure label={t('workforce.staffing.scheduledHours')} value={fmt(agentHours('scheduled'), 'hours')} />
        <Figure label={t('workforce.staffing.contacts')} value={decimal(data.streams.reduce((sum, s) => sum + s.intervals.filter((i) => inDay(i.start)).reduce((a, i) => a + i.arrivals, 0), 0))} />
      </SimpleGrid>
      <StaffingChart data={data} timeZone={timeZone} inDay={inDay} />
      <Paper withBorder radius="md" p="md" data-testid="staffing-streams">
        <Title order={2} size="h4" mb="sm">
          {t('workforce.staffing.streams')}
        </Title>
        <Table fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('workforce.forecast.stream')}</Table.Th>
              <Table.Th>{t('workforce.staffing.model')}</Table.Th>
              <Table.Th ta="right">{t('workforce.forecast.handleTime')}</Table.Th>
              <Table.Th ta="right">{t('workforce.forecast.patience')}</Table.Th>
              <Table.Th>{t('workforce.staffing.concurrency')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.streams.map((s) => (
              <Table.Tr key={s.id} data-testid="staffing-stream-row">
                <Table.Td>{streamLabel(t, s)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={s.model === 'erlangA' ? 'grape' : 'blue'}>
                    {t(`workforce.staffing.models.${s.model}`)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">{fmt(s.handleTimeSeconds, 'duration')}</Table.Td>
                <Table.Td ta="right">{fmt(s.patienceSeconds, 'duration')}</Table.Td>
                <Table.Td>
                  <NumberInput
                    size="xs"
                    w={90}
                    min={1}
                    max={50}
                    allowDecimal={false}
                    placeholder={String(s.concurrency)}
                    value={concurrency[s.id] ?? ''}
                    onChange={(v) => onConcurrency(s.id, optionalNumber(v))}
                    aria-label={t('workforce.staffing.concurrencyOf', { stream: streamLabel(t, s) })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt="xs">
          {t('workforce.staffing.concurrencyHint')}
        </Text>
      </Paper>
      <Paper withBorder radius="md" p="md" data-testid="staffing-table">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            {t('workforce.staffing.perInterval')}
          </Title>
          <Select
            w={260}
            allowDeselect={false}
            aria-label={t('workforce.forecast.stream')}
            data={[{ value: 'all', label: t('workforce.staffing.allStreams') }, ...data.streams.map((s) => ({ value: s.id, label: streamLabel(t, s) }))]}
            value={tableStream}
            onChange={(v) => v && setTableStream(v)}
            data-testid="staffing-table-stream"
          />
        </Group>
        <Table.ScrollContainer minWidth={600} maxHeight={480}>
          <Table fz="sm" verticalSpacing={2} striped stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('workforce.staffing.time')}</Table.Th>
                {shownStream && <Table.Th ta="right">{t('workforce.forecast.contacts')}</Table.Th>}
                <Table.Th ta="right">{t('workforce.staffing.required')}</Table.Th>
                <Table.Th ta="right">{t('workforce.staffing.scheduled')}</Table.Th>
                {shownStream && (
                  <>
                    <Table.Th ta="right">{t('workforce.kpis.serviceLevel')}</Table.Th>
                    <Table.Th ta="right">{t('workforce.staffing.meanWait')}</Table.Th>
                    <Table.Th ta="right">{t('workforce.kpis.occupancy')}</Table.Th>
                    <Table.Th ta="right">{t('workforce.kpis.abandonRate')}</Table.Th>
                  </>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shownStream
                ? shownStream.intervals
                    .filter((i) => inDay(i.start))
                    .map((i) => (
                      <Table.Tr key={i.start} data-testid="staffing-row">
                        <Table.Td>{slotLabel(i.start, language, timeZone)}</Table.Td>
                        <Table.Td ta="right">{decimal(i.arrivals)}</Table.Td>
                        <Table.Td ta="right">{fmt(i.agents, 'count')}</Table.Td>
                        <Table.Td ta="right">{fmt(i.scheduled, 'count')}</Table.Td>
                        <Table.Td ta="right">{fmt(i.serviceLevel, 'percent')}</Table.Td>
                        <Table.Td ta="right">{fmt(i.meanWaitSeconds, 'duration')}</Table.Td>
                        <Table.Td ta="right">{fmt(i.occupancy, 'percent')}</Table.Td>
                        <Table.Td ta="right">{fmt(i.abandonRate, 'percent')}</Table.Td>
                      </Table.Tr>
                    ))
                : totals.map((i) => (
                    <Table.Tr key={i.start} data-testid="staffing-row">
                      <Table.Td>{slotLabel(i.start, language, timeZone)}</Table.Td>
                      <Table.Td ta="right">{fmt(i.agents, 'count')}</Table.Td>
                      <Table.Td ta="right">{fmt(i.scheduled, 'count')}</Table.Td>
                    </Table.Tr>
                  ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={22} fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Paper>
  );
}
