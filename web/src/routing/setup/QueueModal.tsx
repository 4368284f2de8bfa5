import { ActionIcon, Button, Checkbox, Fieldset, Group, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSaveQueue } from '../api';
import { ExpressionInput } from '../ExpressionInput';
import { numberOrUndefined } from '../format';
import { IssuesAlert } from '../IssuesAlert';
import { removeAt, replaceAt } from '../listEdit';
import { WEEKDAYS, type OpeningHours, type Queue, type QueueInput, type Weekday } from '../types';

function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Amsterdam';
  } catch {
    return 'Europe/Amsterdam';
  }
}

const DEFAULT_HOURS = (): OpeningHours => ({
  timeZone: localZone(),
  week: { '1': [['09:00', '17:00']], '2': [['09:00', '17:00']], '3': [['09:00', '17:00']], '4': [['09:00', '17:00']], '5': [['09:00', '17:00']] },
});

function toInput(queue: Queue | null): QueueInput {
  if (!queue) return { name: '', eligibility: '', order: 'fifo', serviceLevelSeconds: 60 };
  const { id: _id, ...rest } = queue;
  return rest;
}

export function QueueModal({ queue, canEdit, onClose }: { queue: Queue | null; canEdit: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<QueueInput>(() => toInput(queue));
  const save = useSaveQueue();
  const set = <K extends keyof QueueInput>(key: K, value: QueueInput[K]) => setForm((prev) => ({ ...prev, [key]: value }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input: QueueInput = { ...form, name: form.name.trim(), eligibility: form.eligibility.trim() };
    save.mutate({ id: queue?.id, input }, { onSuccess: onClose });
  };

  const hours = form.hours;
  const setDay = (day: Weekday, ranges: Array<[string, string]>) => {
    if (!hours) return;
    const week = { ...hours.week };
    if (ranges.length) week[day] = ranges;
    else delete week[day];
    set('hours', { ...hours, week });
  };

  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={queue ? t('routing.queue.editTitle', { name: queue.name }) : t('routing.queue.new')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={onSubmit}>
        <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack>
            <IssuesAlert error={save.error} />
            <TextInput label={t('routing.queue.name')} required data-autofocus value={form.name} onChange={(e) => set('name', e.currentTarget.value)} data-testid="queue-name" />
            <ExpressionInput
              label={t('routing.queue.eligibility')}
              description={t('routing.queue.eligibilityHint')}
              placeholder="agent.skills.billing >= 2"
              place="queue"
              value={form.eligibility}
              onChange={(value) => set('eligibility', value)}
              readOnly={!canEdit}
              testId="eligibility"
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('routing.queue.order')}
              </Text>
              <SegmentedControl
                data={[
                  { value: 'fifo', label: t('routing.queue.fifo') },
                  { value: 'lifo', label: t('routing.queue.lifo') },
                ]}
                value={form.order}
                onChange={(value) => set('order', value === 'lifo' ? 'lifo' : 'fifo')}
                data-testid="queue-order"
              />
            </Stack>
            <Group grow>
              <NumberInput
                label={t('routing.queue.maxSize')}
                description={t('routing.queue.maxSizeHint')}
                min={1}
                allowDecimal={false}
                value={form.maxSize ?? ''}
                onChange={(v) => set('maxSize', numberOrUndefined(v))}
                data-testid="queue-max-size"
              />
              <NumberInput
                label={t('routing.queue.serviceLevelSeconds')}
                description={t('routing.queue.serviceLevelHint')}
                min={1}
                allowDecimal={false}
                value={form.serviceLevelSeconds ?? ''}
                onChange={(v) => set('serviceLevelSeconds', numberOrUndefined(v))}
                data-testid="queue-service-level"
              />
            </Group>
            <Checkbox
              label={t('routing.queue.limitHours')}
              checked={hours !== undefined}
              onChange={(e) => set('hours', e.currentTarget.checked ? DEFAULT_HOURS() : undefined)}
              data-testid="queue-hours-enabled"
            />
            {hours && (
              <Fieldset legend={t('routing.queue.hours')} data-testid="queue-hours">
                <Stack gap="xs">
                  <TextInput
                    label={t('routing.queue.timeZone')}
                    description={t('routing.queue.timeZoneHint')}
                    value={hours.timeZone}
                    onChange={(e) => set('hours', { ...hours, timeZone: e.currentTarget.value })}
                    data-testid="queue-time-zone"
                  />
                  {WEEKDAYS.map((day) => {
                    const ranges = hours.week[day] ?? [];
                    return (
                      <Group key={day} align="center" gap="xs" wrap="nowrap" data-testid={`queue-day-${day}`}>
                        <Text size="sm" w={90} style={{ flex: 'none' }}>
                          {t(`routing.weekdays.${day}`)}
                        </Text>
                        <Stack gap={4} style={{ flex: 1 }}>
                          {ranges.length === 0 && (
                            <Text size="sm" c="dimmed">
                              {t('routing.queue.closedDay')}
                            </Text>
                          )}
                          {ranges.map(([open, close], i) => (
                            <Group key={i} gap={4} wrap="nowrap">
                              <TextInput
                                type="time"
                                size="xs"
                                aria-label={t('routing.queue.opens')}
                                value={open}
                                onChange={(e) => setDay(day, replaceAt(ranges, i, [e.currentTarget.value, close]))}
                              />
                              <Text size="xs">–</Text>
                              <TextInput
                                type="time"
                                size="xs"
                                aria-label={t('routing.queue.closes')}
                                value={close}
                                onChange={(e) => setDay(day, replaceAt(ranges, i, [open, e.currentTarget.value]))}
                              />
                              <ActionIcon variant="subtle" color="red" aria-label={t('routing.common.remove')} onClick={() => setDay(day, removeAt(ranges, i))}>
                                ×
                              </ActionIcon>
                            </Group>
                          ))}
                        </Stack>
                        <Button size="compact-xs" variant="subtle" onClick={() => setDay(day, [...ranges, ['09:00', '17:00']])}>
                          {t('routing.queue.addRange')}
                        </Button>
                      </Group>
                    );
                  })}
                </Stack>
              </Fieldset>
            )}
          </Stack>
        </fieldset>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>
            {canEdit ? t('common.cancel') : t('common.close')}
          </Button>
          {canEdit && (
            <Button type="submit" loading={save.isPending} data-testid="queue-save">
              {t('routing.common.save')}
            </Button>
          )}
        </Group>
      </form>
    </Modal>
  );
}
