import { ActionIcon, Button, Group, Modal, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSaveCalendar } from './api';
import { WEEKDAYS, type SlaCalendar, type SlaCalendarInput, type Weekday } from './types';

const emptyCalendar = (): SlaCalendarInput => ({
  name: '',
  timeZone: 'Europe/Amsterdam',
  alwaysOpen: false,
  week: { '1': [['09:00', '17:00']], '2': [['09:00', '17:00']], '3': [['09:00', '17:00']], '4': [['09:00', '17:00']], '5': [['09:00', '17:00']] },
  holidays: [],
});

/** Edits a business-hours calendar: name, zone, 24/7 or hours per weekday, and holidays. */
export function CalendarModal({ t, calendar, onClose }: { t: TFunction; calendar: SlaCalendar | null; onClose: () => void }) {
  const save = useSaveCalendar();
  const [form, setForm] = useState<SlaCalendarInput>(() =>
    calendar ? { name: calendar.name, timeZone: calendar.timeZone, alwaysOpen: calendar.alwaysOpen, week: calendar.week, holidays: calendar.holidays } : emptyCalendar(),
  );
  const setDay = (day: Weekday, intervals: Array<[string, string]>) => setForm((f) => ({ ...f, week: { ...f.week, [day]: intervals } }));
  const submit = () => save.mutate({ id: calendar?.id, input: form }, { onSuccess: onClose });
  const holidays = [...form.holidays];

  return (
    <Modal opened onClose={onClose} size="lg" title={calendar ? t('sla.calendars.edit') : t('sla.calendars.add')} data-testid="sla-calendar-modal">
      <Stack>
        <TextInput label={t('sla.calendars.name')} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} required data-testid="sla-calendar-name" />
        <TextInput label={t('sla.calendars.timeZone')} description={t('sla.calendars.timeZoneHelp')} value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.currentTarget.value })} required />
        <Switch label={t('sla.calendars.alwaysOpen')} checked={form.alwaysOpen} onChange={(e) => setForm({ ...form, alwaysOpen: e.currentTarget.checked })} data-testid="sla-calendar-always" />
        {!form.alwaysOpen && (
          <Stack gap={4}>
            <Title order={3} size="h5">{t('sla.calendars.hours')}</Title>
            <Table withRowBorders={false}>
              <Table.Tbody>
                {WEEKDAYS.map((day) => {
                  const intervals = form.week[day] ?? [];
                  return (
                    <Table.Tr key={day} data-testid="sla-calendar-day" data-day={day}>
                      <Table.Td w={110}>{t(`sla.weekdays.${day}`)}</Table.Td>
                      <Table.Td>
                        <Stack gap={4}>
                          {intervals.length === 0 && <Text size="sm" c="dimmed">{t('sla.calendars.closed')}</Text>}
                          {intervals.map(([open, close], i) => (
                            <Group key={i} gap={4} wrap="nowrap">
                              <TextInput aria-label={t('sla.calendars.opens')} w={120} placeholder="08:00" value={open} onChange={(e) => setDay(day, intervals.map((iv, j) => (j === i ? [e.currentTarget.value, iv[1]] : iv)))} />
                              <Text size="sm">–</Text>
                              <TextInput aria-label={t('sla.calendars.closes')} w={120} value={close} placeholder="24:00" onChange={(e) => setDay(day, intervals.map((iv, j) => (j === i ? [iv[0], e.currentTarget.value] : iv)))} />
                              <ActionIcon variant="subtle" color="red" aria-label={t('sla.calendars.removeHours')} onClick={() => setDay(day, intervals.filter((_, j) => j !== i))}>×</ActionIcon>
                            </Group>
                          ))}
                        </Stack>
                      </Table.Td>
                      <Table.Td w={90}>
                        <Button size="compact-xs" variant="subtle" onClick={() => setDay(day, [...intervals, intervals.length ? ['13:00', '17:00'] : ['09:00', '17:00']])}>
                          {t('sla.calendars.addHours')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <Title order={3} size="h5" mt="sm">{t('sla.calendars.holidays')}</Title>
            {holidays.length === 0 && <Text size="sm" c="dimmed">{t('sla.calendars.noHolidays')}</Text>}
            {holidays.map((h, i) => (
              <Group key={i} gap={4} wrap="nowrap" data-testid="sla-holiday">
                <TextInput aria-label={t('sla.calendars.holidayDate')} type="date" w={160} value={h.date} onChange={(e) => setForm({ ...form, holidays: holidays.map((x, j) => (j === i ? { ...x, date: e.currentTarget.value } : x)) })} />
                <TextInput aria-label={t('sla.calendars.holidayName')} style={{ flex: 1 }} value={h.name} onChange={(e) => setForm({ ...form, holidays: holidays.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)) })} />
                <ActionIcon variant="subtle" color="red" aria-label={t('sla.calendars.removeHoliday')} onClick={() => setForm({ ...form, holidays: holidays.filter((_, j) => j !== i) })}>×</ActionIcon>
              </Group>
            ))}
            <Group>
              <Button size="xs" variant="default" onClick={() => setForm({ ...form, holidays: [...holidays, { date: '', name: '' }] })} data-testid="sla-holiday-add">
                {t('sla.calendars.addHoliday')}
              </Button>
            </Group>
          </Stack>
        )}
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={submit} loading={save.isPending} disabled={!form.name.trim()} data-testid="sla-calendar-save">{t('sla.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
