import { Alert, Badge, Button, Group, Modal, NumberInput, Paper, Select, Stack, Switch, Table, TagsInput, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormatDate } from '../format';
import { useDeleteSchedule, useSaveSchedule, useSchedules, useSendScheduleNow } from './api';
import { FREQUENCIES, GROUPINGS, INTERVALS, RANGES, type ReportSchedule, type ScheduleInput } from './types';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;

const emptyInput = (language: 'nl' | 'en'): ScheduleInput => ({
  name: '',
  recipients: [],
  frequency: 'weekly',
  hour: 7,
  weekday: 1,
  dayOfMonth: 1,
  range: 'last_7_days',
  interval: 'total',
  groupBy: 'channel',
  language,
  enabled: true,
});

/** "Geplande rapportages": KPI reports e-mailed on a schedule. */
export function SchedulesSection() {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  const schedules = useSchedules();
  const remove = useDeleteSchedule();
  const sendNow = useSendScheduleNow();
  const [editing, setEditing] = useState<ReportSchedule | null>(null);
  const [opened, modal] = useDisclosure(false);
  const open = (schedule: ReportSchedule | null) => {
    setEditing(schedule);
    modal.open();
  };

  return (
    <Paper withBorder p="md" data-testid="benchmark-schedules">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('benchmark.schedules.title')}
        </Title>
        <Button onClick={() => open(null)} data-testid="schedule-new">
          {t('benchmark.schedules.add')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('benchmark.schedules.description')}
      </Text>
      {schedules.data && !schedules.data.mailConfigured && (
        <Alert color="yellow" variant="light" mb="sm" data-testid="schedules-mail-not-configured" title={t('benchmark.schedules.mailNotConfiguredTitle')}>
          {t('benchmark.schedules.mailNotConfigured')}
        </Alert>
      )}
      <ErrorAlert error={remove.error ?? sendNow.error} />
      {schedules.isPending ? (
        <CenteredLoader />
      ) : schedules.error ? (
        <ErrorAlert error={schedules.error} />
      ) : schedules.data.items.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('benchmark.schedules.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table data-testid="schedules-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('benchmark.schedules.columns.name')}</Table.Th>
                <Table.Th>{t('benchmark.schedules.columns.when')}</Table.Th>
                <Table.Th>{t('benchmark.schedules.columns.recipients')}</Table.Th>
                <Table.Th>{t('benchmark.schedules.columns.nextRun')}</Table.Th>
                <Table.Th>{t('benchmark.schedules.columns.lastRun')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {schedules.data.items.map((s) => (
                <Table.Tr key={s.id} data-testid={`schedule-${s.id}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {s.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t(`benchmark.schedules.range.${s.range}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{describeWhen(t, s)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{s.recipients.join(', ')}</Text>
                  </Table.Td>
                  <Table.Td>{s.enabled ? formatDate(s.nextRunAt) : <Badge color="gray">{t('benchmark.schedules.disabled')}</Badge>}</Table.Td>
                  <Table.Td>
                    {s.lastRunAt ? (
                      <Group gap={6}>
                        <Text size="sm">{formatDate(s.lastRunAt)}</Text>
                        {s.lastError ? (
                          <Tooltip label={s.lastError} multiline w={320}>
                            <Badge color="red" variant="light" data-testid="schedule-error">
                              {t('benchmark.schedules.failed')}
                            </Badge>
                          </Tooltip>
                        ) : (
                          <Badge color="green" variant="light">
                            {t('benchmark.schedules.sent')}
                          </Badge>
                        )}
                      </Group>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('benchmark.schedules.never')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" loading={sendNow.isPending && sendNow.variables === s.id} onClick={() => sendNow.mutate(s.id)}>
                        {t('benchmark.schedules.sendNow')}
                      </Button>
                      <Button size="xs" variant="default" onClick={() => open(s)}>
                        {t('benchmark.schedules.edit')}
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => window.confirm(t('benchmark.schedules.confirmDelete', { name: s.name })) && remove.mutate(s.id)}>
                        {t('benchmark.schedules.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={opened} onClose={modal.close} title={editing ? t('benchmark.schedules.edit') : t('benchmark.schedules.add')} size="lg">
        {opened && <ScheduleForm key={editing?.id ?? 'new'} schedule={editing} defaultLanguage={i18n.language === 'en' ? 'en' : 'nl'} onDone={modal.close} />}
      </Modal>
    </Paper>
  );
}

function describeWhen(t: TFunction, s: ReportSchedule): string {
  const at = pad(s.hour);
  if (s.frequency === 'weekly' && s.weekday) return t('benchmark.schedules.whenWeekly', { weekday: t(`benchmark.schedules.weekday.${s.weekday as (typeof WEEKDAYS)[number]}`), hour: at, timeZone: s.timeZone });
  if (s.frequency === 'monthly') return t('benchmark.schedules.whenMonthly', { day: s.dayOfMonth, hour: at, timeZone: s.timeZone });
  return t('benchmark.schedules.whenDaily', { hour: at, timeZone: s.timeZone });
}

function ScheduleForm({ schedule, defaultLanguage, onDone }: { schedule: ReportSchedule | null; defaultLanguage: 'nl' | 'en'; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveSchedule();
  const [input, setInput] = useState<ScheduleInput>(() =>
    schedule
      ? { name: schedule.name, recipients: schedule.recipients, frequency: schedule.frequency, hour: schedule.hour, weekday: schedule.weekday ?? 1, dayOfMonth: schedule.dayOfMonth ?? 1, timeZone: schedule.timeZone, range: schedule.range, interval: schedule.interval, groupBy: schedule.groupBy, language: schedule.language, enabled: schedule.enabled }
      : emptyInput(defaultLanguage),
  );
  const set = <K extends keyof ScheduleInput>(key: K, value: ScheduleInput[K]) => setInput((i) => ({ ...i, [key]: value }));
  const submit = () =>
    save.mutate(
      { id: schedule?.id ?? null, input: { ...input, weekday: input.frequency === 'weekly' ? input.weekday : null, dayOfMonth: input.frequency === 'monthly' ? input.dayOfMonth : null } },
      { onSuccess: onDone },
    );

  return (
    <Stack>
      <TextInput label={t('benchmark.schedules.form.name')} value={input.name} onChange={(e) => set('name', e.currentTarget.value)} required data-testid="schedule-name" />
      <TagsInput
        label={t('benchmark.schedules.form.recipients')}
        description={t('benchmark.schedules.form.recipientsHelp')}
        value={input.recipients}
        onChange={(v) => set('recipients', v)}
        splitChars={[',', ' ', ';']}
        data-testid="schedule-recipients"
      />
      <Group grow>
        <Select
          label={t('benchmark.schedules.form.frequency')}
          data={FREQUENCIES.map((f) => ({ value: f, label: t(`benchmark.schedules.frequency.${f}`) }))}
          value={input.frequency}
          onChange={(v) => v && set('frequency', v as ScheduleInput['frequency'])}
          allowDeselect={false}
        />
        {input.frequency === 'weekly' && (
          <Select
            label={t('benchmark.schedules.form.weekday')}
            data={WEEKDAYS.map((d) => ({ value: String(d), label: t(`benchmark.schedules.weekday.${d}`) }))}
            value={String(input.weekday ?? 1)}
            onChange={(v) => v && set('weekday', Number(v))}
            allowDeselect={false}
          />
        )}
        {input.frequency === 'monthly' && (
          <NumberInput
            label={t('benchmark.schedules.form.dayOfMonth')}
            description={t('benchmark.schedules.form.dayOfMonthHelp')}
            min={1}
            max={31}
            value={input.dayOfMonth ?? 1}
            onChange={(v) => set('dayOfMonth', typeof v === 'number' ? v : 1)}
          />
        )}
        <Select
          label={t('benchmark.schedules.form.hour')}
          data={HOURS.map((h) => ({ value: String(h), label: pad(h) }))}
          value={String(input.hour)}
          onChange={(v) => v && set('hour', Number(v))}
          allowDeselect={false}
        />
      </Group>
      <TextInput
        label={t('benchmark.schedules.form.timeZone')}
        description={t('benchmark.schedules.form.timeZoneHelp')}
        placeholder="Europe/Amsterdam"
        value={input.timeZone ?? ''}
        onChange={(e) => set('timeZone', e.currentTarget.value.trim() || undefined)}
      />
      <Group grow>
        <Select
          label={t('benchmark.schedules.form.range')}
          data={RANGES.map((r) => ({ value: r, label: t(`benchmark.schedules.range.${r}`) }))}
          value={input.range}
          onChange={(v) => v && set('range', v as ScheduleInput['range'])}
          allowDeselect={false}
        />
        <Select
          label={t('benchmark.schedules.form.interval')}
          data={INTERVALS.map((i) => ({ value: i, label: t(`benchmark.schedules.interval.${i}`) }))}
          value={input.interval}
          onChange={(v) => v && set('interval', v as ScheduleInput['interval'])}
          allowDeselect={false}
        />
        <Select
          label={t('benchmark.schedules.form.groupBy')}
          data={GROUPINGS.map((g) => ({ value: g, label: t(`benchmark.schedules.groupBy.${g}`) }))}
          value={input.groupBy}
          onChange={(v) => v && set('groupBy', v as ScheduleInput['groupBy'])}
          allowDeselect={false}
        />
        <Select
          label={t('benchmark.schedules.form.language')}
          data={[
            { value: 'nl', label: 'Nederlands' },
            { value: 'en', label: 'English' },
          ]}
          value={input.language}
          onChange={(v) => v && set('language', v as ScheduleInput['language'])}
          allowDeselect={false}
        />
      </Group>
      <Switch label={t('benchmark.schedules.form.enabled')} checked={input.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
      <ErrorAlert error={save.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('benchmark.schedules.form.cancel')}
        </Button>
        <Button onClick={submit} loading={save.isPending} disabled={!input.name.trim() || input.recipients.length === 0} data-testid="schedule-save">
          {t('benchmark.schedules.form.save')}
        </Button>
      </Group>
    </Stack>
  );
}
