import { Button, Divider, Group, Modal, MultiSelect, NumberInput, SegmentedControl, Select, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { channelLabel } from '../flows/channelLabel';
import { useQueues } from '../routing/api';
import { useSavePolicy, useSlaCalendars } from './api';
import { DurationInput } from './DurationInput';
import { SLA_CHANNEL_TYPES, SLA_METRICS, SLA_PRIORITIES, VALUE_TIERS, type SlaPolicy, type SlaPolicyInput } from './types';

const ALWAYS = '__always__';
const NONE = '__none__';

const emptyPolicy = (position: number): SlaPolicyInput => ({
  name: '',
  position,
  enabled: true,
  conditions: { channels: [], queueIds: [], priorities: [], valueTiers: [] },
  targets: { first_response: 3600 },
  warning: { kind: 'percent', percent: 80 },
  calendarId: null,
  escalation: { raisePriorityTo: null, moveToQueueId: null, notify: true },
});

/** Edits a policy: which conversations (conditions), targets, warning, calendar and escalation. */
export function PolicyModal({ t, policy, nextPosition, onClose }: { t: TFunction; policy: SlaPolicy | null; nextPosition: number; onClose: () => void }) {
  const save = useSavePolicy();
  const calendars = useSlaCalendars();
  const queues = useQueues();
  const [form, setForm] = useState<SlaPolicyInput>(() => {
    if (!policy) return emptyPolicy(nextPosition);
    const { id: _id, updatedAt: _updatedAt, ...input } = policy;
    return input;
  });
  const setConditions = (patch: Partial<SlaPolicyInput['conditions']>) => setForm((f) => ({ ...f, conditions: { ...f.conditions, ...patch } }));
  const setEscalation = (patch: Partial<SlaPolicyInput['escalation']>) => setForm((f) => ({ ...f, escalation: { ...f.escalation, ...patch } }));
  const submit = () => save.mutate({ id: policy?.id, input: form }, { onSuccess: onClose });
  const queueOptions = (queues.data?.items ?? []).map((q: { id: string; name: string }) => ({ value: q.id, label: q.name }));
  const hasTarget = SLA_METRICS.some((m) => form.targets[m]);

  return (
    <Modal opened onClose={onClose} size="lg" title={policy ? t('sla.policies.edit') : t('sla.policies.add')} data-testid="sla-policy-modal">
      <Stack>
        <Group grow align="flex-start">
          <TextInput label={t('sla.policies.name')} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} required data-testid="sla-policy-name" />
          <NumberInput label={t('sla.policies.position')} description={t('sla.policies.positionHelp')} min={0} max={100_000} value={form.position} onChange={(v) => setForm({ ...form, position: typeof v === 'number' ? v : 0 })} />
        </Group>
        <Switch label={t('sla.policies.enabled')} checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })} />

        <Divider label={t('sla.policies.conditions')} labelPosition="left" />
        <Text size="sm" c="dimmed">{t('sla.policies.conditionsHelp')}</Text>
        <MultiSelect label={t('sla.policies.channels')} placeholder={t('sla.policies.any')} data={SLA_CHANNEL_TYPES.map((c) => ({ value: c, label: channelLabel(t, c) }))} value={form.conditions.channels} onChange={(channels) => setConditions({ channels })} data-testid="sla-policy-channels" />
        <MultiSelect label={t('sla.policies.queues')} placeholder={t('sla.policies.any')} data={queueOptions} value={form.conditions.queueIds} onChange={(queueIds) => setConditions({ queueIds })} />
        <MultiSelect
          label={t('sla.policies.priorities')}
          placeholder={t('sla.policies.any')}
          data={SLA_PRIORITIES.map((p) => ({ value: p, label: t(`inbox.priority.${p}`) }))}
          value={form.conditions.priorities}
          onChange={(priorities) => setConditions({ priorities: priorities as SlaPolicyInput['conditions']['priorities'] })}
        />
        <TagsInput label={t('sla.policies.valueTiers')} description={t('sla.policies.valueTiersHelp')} placeholder={t('sla.policies.any')} data={[...VALUE_TIERS]} value={form.conditions.valueTiers} onChange={(valueTiers) => setConditions({ valueTiers })} />

        <Divider label={t('sla.policies.targets')} labelPosition="left" />
        <Text size="sm" c="dimmed">{t('sla.policies.targetsHelp')}</Text>
        {SLA_METRICS.map((metric) => (
          <DurationInput
            key={metric}
            t={t}
            label={t(`sla.metrics.${metric}`)}
            value={form.targets[metric] ?? null}
            onChange={(seconds) => setForm((f) => ({ ...f, targets: { ...f.targets, [metric]: seconds ?? undefined } }))}
            testId={`sla-target-${metric}`}
          />
        ))}
        <Select
          label={t('sla.policies.calendar')}
          allowDeselect={false}
          value={form.calendarId ?? ALWAYS}
          onChange={(v) => setForm({ ...form, calendarId: !v || v === ALWAYS ? null : v })}
          data={[{ value: ALWAYS, label: t('sla.policies.alwaysOpen') }, ...(calendars.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))]}
          data-testid="sla-policy-calendar"
        />

        <Divider label={t('sla.policies.warning')} labelPosition="left" />
        <Group align="flex-end">
          <SegmentedControl
            value={form.warning.kind}
            onChange={(kind) => setForm({ ...form, warning: kind === 'percent' ? { kind: 'percent', percent: 80 } : { kind: 'before', seconds: 600 } })}
            data={[{ value: 'percent', label: t('sla.policies.warnPercent') }, { value: 'before', label: t('sla.policies.warnBefore') }]}
          />
          {form.warning.kind === 'percent' ? (
            <NumberInput aria-label={t('sla.policies.warnPercent')} min={1} max={99} suffix=" %" w={110} value={form.warning.percent} onChange={(v) => setForm({ ...form, warning: { kind: 'percent', percent: typeof v === 'number' ? v : 80 } })} />
          ) : (
            <DurationInput t={t} label={t('sla.policies.warnBefore')} value={form.warning.seconds} onChange={(seconds) => setForm({ ...form, warning: { kind: 'before', seconds: seconds ?? 60 } })} />
          )}
        </Group>

        <Divider label={t('sla.policies.escalation')} labelPosition="left" />
        <Text size="sm" c="dimmed">{t('sla.policies.escalationHelp')}</Text>
        <Group grow align="flex-start">
          <Select
            label={t('sla.policies.raisePriority')}
            allowDeselect={false}
            value={form.escalation.raisePriorityTo ?? NONE}
            onChange={(v) => setEscalation({ raisePriorityTo: v === 'high' || v === 'urgent' ? v : null })}
            data={[{ value: NONE, label: t('sla.policies.noChange') }, { value: 'high', label: t('inbox.priority.high') }, { value: 'urgent', label: t('inbox.priority.urgent') }]}
            data-testid="sla-policy-raise"
          />
          <Select
            label={t('sla.policies.moveToQueue')}
            allowDeselect={false}
            value={form.escalation.moveToQueueId ?? NONE}
            onChange={(v) => setEscalation({ moveToQueueId: !v || v === NONE ? null : v })}
            data={[{ value: NONE, label: t('sla.policies.noChange') }, ...queueOptions]}
          />
        </Group>
        <Switch label={t('sla.policies.notify')} checked={form.escalation.notify} onChange={(e) => setEscalation({ notify: e.currentTarget.checked })} />

        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={submit} loading={save.isPending} disabled={!form.name.trim() || !hasTarget} data-testid="sla-policy-save">{t('sla.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
