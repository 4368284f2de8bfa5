import { Badge, Button, Group, NumberInput, Paper, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { useCurrentSession } from '../session';
import type { Conversation } from '../types';
import { useDispositions, useRecordWrapUp, useWrapUp } from './api';
import { outcomeKindLabel } from './labels';
import { OUTCOME_KINDS, REVENUE_KINDS, type OutcomeKind, type WrapUp, type WrapUpState } from './types';

const IMPLIED = '__implied__';

/**
 * The desk's wrap-up: on a resolved conversation the agent who handled it (or a supervisor) picks
 * a disposition code, the outcome and its amount, and a note. In 'required' mode it stands out
 * until submitted, since routing holds the agent's capacity for it.
 */
export function WrapUpForm({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const handledByMe = conversation.assignee?.id === user.id;
  const mayRecord = handledByMe || hasRole(user.role, 'supervisor');
  const visible = conversation.status === 'resolved' && mayRecord;
  const state = useWrapUp(conversation.id, `${conversation.status}:${conversation.resolvedAt ?? ''}`, visible);
  if (!visible || !state.data || state.data.mode === 'off') return null;
  return <WrapUpPanel key={conversation.id} t={t} conversationId={conversation.id} state={state.data} />;
}

function WrapUpPanel({ t, conversationId, state }: { t: TFunction; conversationId: string; state: WrapUpState }) {
  const [editing, setEditing] = useState(!state.wrapUp);
  useEffect(() => {
    if (!state.wrapUp) setEditing(true);
  }, [state.wrapUp]);
  const prominent = state.awaiting && !state.wrapUp;
  const answered = state.surveys.filter((s) => s.status === 'answered');

  return (
    <Paper
      mx="md"
      my={6}
      p="sm"
      withBorder
      style={prominent ? { borderColor: 'var(--mantine-color-orange-5)', borderWidth: 2, background: 'var(--mantine-color-orange-0)' } : undefined}
      data-testid="wrap-up-form"
      data-awaiting={state.awaiting || undefined}
      data-mode={state.mode}
    >
      <Group justify="space-between" mb={editing ? 'xs' : 0} wrap="nowrap">
        <Group gap="xs">
          <Text fw={600} size="sm">{prominent ? t('outcomes.form.titleRequired') : t('outcomes.form.title')}</Text>
          {state.wrapUp && <Badge color="green" variant="light" size="sm" data-testid="wrap-up-recorded">{t('outcomes.form.recorded')}</Badge>}
          {answered.map((s) => (
            <Badge key={s.id} variant="light" color="blue" size="sm" tt="none" data-testid="survey-score">
              {t(`outcomes.surveyKinds.${s.kind}`)}: {s.score}
            </Badge>
          ))}
        </Group>
        {!editing && (
          <Button size="xs" variant="subtle" onClick={() => setEditing(true)} data-testid="wrap-up-edit">{t('outcomes.form.change')}</Button>
        )}
      </Group>
      {prominent && <Text size="xs" c="orange.9" mb="xs">{t('outcomes.form.requiredHint', { seconds: state.maxSeconds })}</Text>}
      {editing ? (
        <WrapUpFields t={t} conversationId={conversationId} current={state.wrapUp} onDone={() => setEditing(false)} />
      ) : state.wrapUp ? (
        <WrapUpSummary t={t} wrapUp={state.wrapUp} />
      ) : null}
    </Paper>
  );
}

function WrapUpSummary({ t, wrapUp }: { t: TFunction; wrapUp: WrapUp }) {
  const { i18n } = useTranslation();
  const dispositions = useDispositions();
  const code = dispositions.data?.items.find((d) => d.code === wrapUp.disposition);
  const label = code ? (i18n.language === 'en' ? code.labelEn : code.labelNl) : wrapUp.disposition;
  const amount = wrapUp.amount !== null && wrapUp.currency ? new Intl.NumberFormat(i18n.language, { style: 'currency', currency: wrapUp.currency }).format(wrapUp.amount) : null;
  return (
    <Text size="sm" c="dimmed" data-testid="wrap-up-summary">
      {[label, wrapUp.outcome ? outcomeKindLabel(t, wrapUp.outcome) : null, amount, wrapUp.note].filter(Boolean).join(' · ')}
    </Text>
  );
}

function WrapUpFields({ t, conversationId, current, onDone }: { t: TFunction; conversationId: string; current: WrapUp | null; onDone: () => void }) {
  const { i18n } = useTranslation();
  const dispositions = useDispositions();
  const record = useRecordWrapUp(conversationId);
  const [disposition, setDisposition] = useState<string | null>(current?.disposition ?? null);
  const [outcome, setOutcome] = useState<string>(current?.outcome ?? IMPLIED);
  const [amount, setAmount] = useState<number | string>(current?.amount ?? '');
  const [currency, setCurrency] = useState(current?.currency ?? '');
  const [note, setNote] = useState(current?.note ?? '');

  const active = useMemo(() => (dispositions.data?.items ?? []).filter((d) => d.active || d.code === current?.disposition), [dispositions.data, current]);
  const chosen = active.find((d) => d.code === disposition);
  const effectiveOutcome = outcome === IMPLIED ? (chosen?.outcome ?? null) : outcome;
  const needsAmount = REVENUE_KINDS.has(effectiveOutcome ?? '');
  const amountMissing = needsAmount && (amount === '' || amount === undefined);

  const submit = () =>
    record.mutate(
      {
        disposition: disposition!,
        outcome: outcome === IMPLIED ? undefined : (outcome as OutcomeKind),
        amount: amount === '' ? null : Number(amount),
        currency: currency.trim() ? currency.trim().toUpperCase() : null,
        note: note.trim() || null,
      },
      { onSuccess: onDone },
    );

  if (active.length === 0 && !dispositions.isPending) return <Text size="sm" c="dimmed">{t('outcomes.form.noCodes')}</Text>;
  return (
    <Stack gap={6}>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          size="xs"
          w={220}
          label={t('outcomes.form.disposition')}
          placeholder={t('outcomes.form.dispositionPlaceholder')}
          searchable={active.length > 8}
          value={disposition}
          onChange={setDisposition}
          data={active.map((d) => ({ value: d.code, label: i18n.language === 'en' ? d.labelEn : d.labelNl }))}
          data-testid="wrap-up-disposition"
        />
        <Select
          size="xs"
          w={200}
          label={t('outcomes.form.outcome')}
          allowDeselect={false}
          value={outcome}
          onChange={(value) => setOutcome(value ?? IMPLIED)}
          data={[
            { value: IMPLIED, label: chosen ? t('outcomes.form.implied', { kind: outcomeKindLabel(t, chosen.outcome) }) : t('outcomes.form.impliedNone') },
            ...OUTCOME_KINDS.map((k) => ({ value: k, label: outcomeKindLabel(t, k) })),
          ]}
          data-testid="wrap-up-outcome"
        />
        <NumberInput
          size="xs"
          w={130}
          label={t('outcomes.form.amount')}
          min={0}
          decimalScale={2}
          decimalSeparator={i18n.language === 'en' ? '.' : ','}
          hideControls
          value={amount}
          onChange={setAmount}
          error={amountMissing ? t('outcomes.form.amountRequired') : undefined}
          withAsterisk={needsAmount}
          data-testid="wrap-up-amount"
        />
        <TextInput
          size="xs"
          w={90}
          label={t('outcomes.form.currency')}
          placeholder={t('outcomes.form.currencyPlaceholder')}
          maxLength={3}
          value={currency}
          onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
          data-testid="wrap-up-currency"
        />
      </Group>
      <Textarea size="xs" label={t('outcomes.form.note')} autosize minRows={1} maxRows={4} maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="wrap-up-note" />
      <ErrorAlert error={record.error} />
      <Group justify="flex-end" gap="xs">
        {current && <Button size="xs" variant="default" onClick={onDone}>{t('common.cancel')}</Button>}
        <Button size="xs" onClick={submit} loading={record.isPending} disabled={!disposition || amountMissing} data-testid="wrap-up-submit">
          {t('outcomes.form.submit')}
        </Button>
      </Group>
    </Stack>
  );
}
