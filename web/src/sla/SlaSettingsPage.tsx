import { ActionIcon, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { channelLabel } from '../flows/channelLabel';
import { useDeleteCalendar, useDeletePolicy, useSlaCalendars, useSlaPolicies } from './api';
import { CalendarModal } from './CalendarModal';
import { formatSeconds } from './format';
import { PolicyModal } from './PolicyModal';
import { SLA_METRICS, WEEKDAYS, type SlaCalendar, type SlaPolicy } from './types';

/** Admin page: business-hours calendars and SLA policies (supervisors may look). */
export function SlaSettingsPage() {
  const { t } = useTranslation();
  return (
    <Stack data-testid="sla-page">
      <PageHeader title={t('sla.title')} description={t('sla.description')} />
      <PoliciesCard t={t} />
      <CalendarsCard t={t} />
    </Stack>
  );
}

function hoursSummary(t: TFunction, calendar: SlaCalendar): string {
  if (calendar.alwaysOpen) return t('sla.calendars.alwaysOpen');
  return WEEKDAYS.filter((d) => calendar.week[d]?.length)
    .map((d) => `${t(`sla.weekdaysShort.${d}`)} ${calendar.week[d]!.map(([o, c]) => `${o}–${c}`).join(', ')}`)
    .join(' · ');
}

function CalendarsCard({ t }: { t: TFunction }) {
  const calendars = useSlaCalendars();
  const remove = useDeleteCalendar();
  const [editing, setEditing] = useState<SlaCalendar | 'new' | null>(null);
  const items = calendars.data?.items ?? [];
  return (
    <Paper withBorder p="md" data-testid="sla-calendars">
      <Group justify="space-between" mb="sm">
        <Stack gap={2}>
          <Title order={2} size="h4">{t('sla.calendars.title')}</Title>
          <Text size="sm" c="dimmed">{t('sla.calendars.description')}</Text>
        </Stack>
        <Button onClick={() => setEditing('new')} data-testid="sla-calendar-add">{t('sla.calendars.add')}</Button>
      </Group>
      {calendars.isPending ? <CenteredLoader /> : <ErrorAlert error={calendars.error} />}
      <ErrorAlert error={remove.error} />
      {items.length === 0 && !calendars.isPending ? (
        <Text size="sm" c="dimmed">{t('sla.calendars.empty')}</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sla.calendars.name')}</Table.Th>
              <Table.Th>{t('sla.calendars.hours')}</Table.Th>
              <Table.Th>{t('sla.calendars.holidays')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id} data-testid="sla-calendar-row" data-name={c.name}>
                <Table.Td>
                  <Text size="sm" fw={500}>{c.name}</Text>
                  <Text size="xs" c="dimmed">{c.timeZone}</Text>
                </Table.Td>
                <Table.Td><Text size="sm">{hoursSummary(t, c)}</Text></Table.Td>
                <Table.Td>{c.alwaysOpen ? '—' : t('sla.calendars.holidayCount', { count: c.holidays.length })}</Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setEditing(c)}>{t('sla.edit')}</Button>
                    <ActionIcon variant="subtle" color="red" aria-label={t('sla.delete')} onClick={() => window.confirm(t('sla.calendars.confirmDelete', { name: c.name })) && remove.mutate(c.id)}>×</ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && <CalendarModal t={t} calendar={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Paper>
  );
}

function conditionsSummary(t: TFunction, policy: SlaPolicy): string {
  const c = policy.conditions;
  const parts = [
    c.channels.length ? c.channels.map((ch) => channelLabel(t, ch)).join(', ') : null,
    c.priorities.length ? c.priorities.map((p) => t(`inbox.priority.${p}`)).join(', ') : null,
    c.valueTiers.length ? `${t('sla.policies.valueTiers')}: ${c.valueTiers.join(', ')}` : null,
    c.queueIds.length ? t('sla.policies.queueCount', { count: c.queueIds.length }) : null,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : t('sla.policies.everything');
}

function PoliciesCard({ t }: { t: TFunction }) {
  const policies = useSlaPolicies();
  const calendars = useSlaCalendars();
  const remove = useDeletePolicy();
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const items = policies.data?.items ?? [];
  const calendarName = (id: string | null) => (id ? calendars.data?.items.find((c) => c.id === id)?.name ?? '…' : t('sla.policies.alwaysOpen'));
  return (
    <Paper withBorder p="md" data-testid="sla-policies">
      <Group justify="space-between" mb="sm">
        <Stack gap={2}>
          <Title order={2} size="h4">{t('sla.policies.title')}</Title>
          <Text size="sm" c="dimmed">{t('sla.policies.description')}</Text>
        </Stack>
        <Button onClick={() => setEditing('new')} data-testid="sla-policy-add">{t('sla.policies.add')}</Button>
      </Group>
      {policies.isPending ? <CenteredLoader /> : <ErrorAlert error={policies.error} />}
      <ErrorAlert error={remove.error} />
      {items.length === 0 && !policies.isPending ? (
        <Text size="sm" c="dimmed">{t('sla.policies.empty')}</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sla.policies.position')}</Table.Th>
              <Table.Th>{t('sla.policies.name')}</Table.Th>
              <Table.Th>{t('sla.policies.conditions')}</Table.Th>
              <Table.Th>{t('sla.policies.targets')}</Table.Th>
              <Table.Th>{t('sla.policies.calendar')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((p) => (
              <Table.Tr key={p.id} data-testid="sla-policy-row" data-name={p.name}>
                <Table.Td>{p.position}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={500}>{p.name}</Text>
                    {!p.enabled && <Badge color="gray" variant="light" tt="none">{t('sla.policies.disabled')}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td><Text size="sm">{conditionsSummary(t, p)}</Text></Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    {SLA_METRICS.filter((m) => p.targets[m]).map((m) => (
                      <Text key={m} size="xs">{t(`sla.metrics.${m}`)}: {formatSeconds(t, p.targets[m]!)}</Text>
                    ))}
                  </Stack>
                </Table.Td>
                <Table.Td><Text size="sm">{calendarName(p.calendarId)}</Text></Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setEditing(p)}>{t('sla.edit')}</Button>
                    <ActionIcon variant="subtle" color="red" aria-label={t('sla.delete')} onClick={() => window.confirm(t('sla.policies.confirmDelete', { name: p.name })) && remove.mutate(p.id)}>×</ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <PolicyModal
          t={t}
          policy={editing === 'new' ? null : editing}
          nextPosition={items.reduce((max, p) => Math.max(max, p.position), 0) + 10}
          onClose={() => setEditing(null)}
        />
      )}
    </Paper>
  );
}
