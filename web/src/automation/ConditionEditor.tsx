import { ActionIcon, Group, MultiSelect, NumberInput, SegmentedControl, Select, Switch, TagsInput, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { channelLabel } from '../flows/channelLabel';
import { valueLabel } from './labels';
import {
  CHANNEL_TYPES,
  CONDITION_FIELDS,
  FIELD_OPERATORS,
  LANGUAGES,
  LIST_OPERATORS,
  NUMBER_OPERATORS,
  PRESENCE_OPERATORS,
  PRIORITIES,
  SENTIMENTS,
  STATUSES,
  VALUE_TIERS,
  type Condition,
  type ConditionField,
  type ConditionValue,
  type Operator,
} from './types';

/** Fields whose values come from a fixed list: a select for one value, a multi-select for "is one of". */
const CHOICES: Partial<Record<ConditionField, readonly string[]>> = {
  channel: CHANNEL_TYPES,
  sentiment: SENTIMENTS,
  priority: PRIORITIES,
  status: STATUSES,
  language: LANGUAGES,
  tier: VALUE_TIERS,
  previousTier: VALUE_TIERS,
};

/** A value a new condition starts with, so it is valid as soon as it is added. */
const FIRST_VALUE: Partial<Record<ConditionField, ConditionValue>> = {
  channel: 'webchat',
  sentiment: 'negative',
  priority: 'high',
  status: 'open',
  language: 'nl',
  tier: 'gold',
  previousTier: 'silver',
  idleMinutes: 24 * 60,
  sentimentScore: -0.25,
  csat: 3,
  businessHours: true,
  public: true,
};

function valueFor(field: ConditionField, op: Operator, previous?: ConditionValue): ConditionValue | undefined {
  if (PRESENCE_OPERATORS.includes(op)) return undefined;
  if (LIST_OPERATORS.includes(op)) {
    if (Array.isArray(previous)) return previous;
    if (typeof previous === 'string' && previous) return [previous];
    const first = FIRST_VALUE[field];
    return typeof first === 'string' ? [first] : [];
  }
  if (NUMBER_OPERATORS.includes(op)) return typeof previous === 'number' ? previous : typeof FIRST_VALUE[field] === 'number' ? FIRST_VALUE[field] : 0;
  if (Array.isArray(previous)) return previous[0] ?? FIRST_VALUE[field] ?? '';
  if (previous !== undefined && typeof previous === typeof (FIRST_VALUE[field] ?? '')) return previous;
  return FIRST_VALUE[field] ?? '';
}

/** A fresh condition on a field: its first operator and a fitting value. */
export function newCondition(field: ConditionField = 'channel'): Condition {
  const op = FIELD_OPERATORS[field][0]!;
  return { field, op, value: valueFor(field, op), ...(field === 'attribute' ? { key: '' } : {}) };
}

function optionLabel(t: TFunction, field: ConditionField, value: string): string {
  if (field === 'channel') return channelLabel(t, value);
  if (field === 'language') return t(`automation.languages.${value as (typeof LANGUAGES)[number]}`);
  return valueLabel(t, field, value);
}

interface ConditionEditorProps {
  t: TFunction;
  condition: Condition;
  onChange: (condition: Condition) => void;
  onRemove: () => void;
  /** Prefix of this row's test ids, e.g. `condition-all-0`. */
  testId: string;
}

/** One condition: field, an operator that field takes, and a value input fitting both. */
export function ConditionEditor({ t, condition: c, onChange, onRemove, testId }: ConditionEditorProps) {
  const setField = (field: ConditionField) => onChange(newCondition(field));
  const setOp = (op: Operator) => {
    const { value: _value, ...rest } = c;
    const value = valueFor(c.field, op, c.value);
    onChange(value === undefined ? { ...rest, op } : { ...rest, op, value });
  };
  return (
    <Group align="flex-end" gap="xs" wrap="wrap" data-testid={testId} data-field={c.field}>
      <Select
        label={t('automation.editor.field')}
        w={170}
        allowDeselect={false}
        value={c.field}
        onChange={(v) => v && setField(v as ConditionField)}
        data={CONDITION_FIELDS.map((f) => ({ value: f, label: t(`automation.fields.${f}`) }))}
        data-testid={`${testId}-field`}
      />
      {c.field === 'attribute' && (
        <TextInput label={t('automation.editor.attributeKey')} w={140} value={c.key ?? ''} onChange={(e) => onChange({ ...c, key: e.currentTarget.value })} data-testid={`${testId}-key`} />
      )}
      <Select
        label={t('automation.editor.operator')}
        w={150}
        allowDeselect={false}
        value={c.op}
        onChange={(v) => v && setOp(v as Operator)}
        data={FIELD_OPERATORS[c.field].map((op) => ({ value: op, label: t(`automation.operators.${op}`) }))}
        data-testid={`${testId}-op`}
      />
      <ValueInput t={t} condition={c} onChange={(value) => onChange({ ...c, value })} testId={`${testId}-value`} />
      <ActionIcon variant="subtle" color="red" mb={4} aria-label={t('automation.editor.removeCondition')} onClick={onRemove} data-testid={`${testId}-remove`}>
        ×
      </ActionIcon>
    </Group>
  );
}

function ValueInput({ t, condition: c, onChange, testId }: { t: TFunction; condition: Condition; onChange: (value: ConditionValue) => void; testId: string }): ReactNode {
  const label = t('automation.editor.value');
  if (PRESENCE_OPERATORS.includes(c.op)) return null;
  const choices = CHOICES[c.field];
  if (choices) {
    const data = choices.map((v) => ({ value: v, label: optionLabel(t, c.field, v) }));
    return LIST_OPERATORS.includes(c.op) ? (
      <MultiSelect label={label} miw={200} data={data} value={Array.isArray(c.value) ? c.value : []} onChange={onChange} data-testid={testId} />
    ) : (
      <Select label={label} w={180} allowDeselect={false} data={data} value={typeof c.value === 'string' ? c.value : null} onChange={(v) => v && onChange(v)} data-testid={testId} />
    );
  }
  if (c.field === 'public' || c.field === 'businessHours') {
    return <Switch mb={8} label={c.value === true ? t('automation.yes') : t('automation.no')} checked={c.value === true} onChange={(e) => onChange(e.currentTarget.checked)} data-testid={testId} />;
  }
  if (c.field === 'sentimentScore' || c.field === 'csat' || NUMBER_OPERATORS.includes(c.op)) {
    const score = c.field === 'sentimentScore';
    return (
      <NumberInput
        label={label}
        w={120}
        min={score ? -1 : c.field === 'csat' ? 1 : c.field === 'idleMinutes' ? 0 : undefined}
        max={score ? 1 : c.field === 'csat' ? 5 : undefined}
        step={score ? 0.05 : 1}
        decimalScale={score ? 2 : undefined}
        value={typeof c.value === 'number' ? c.value : ''}
        onChange={(v) => onChange(typeof v === 'number' ? v : Number(v) || 0)}
        data-testid={testId}
      />
    );
  }
  if (LIST_OPERATORS.includes(c.op)) {
    return <TagsInput label={label} miw={200} value={Array.isArray(c.value) ? c.value : []} onChange={onChange} data-testid={testId} />;
  }
  if (c.field === 'attribute' && (c.op === 'is' || c.op === 'is_not')) return <AttributeValueInput t={t} value={c.value} onChange={onChange} testId={testId} />;
  const placeholder = c.op === 'matches' ? t('automation.editor.patternPlaceholder') : c.field === 'tags' ? t('automation.editor.tagPlaceholder') : undefined;
  return (
    <TextInput
      label={c.op === 'matches' ? t('automation.editor.pattern') : label}
      miw={220}
      placeholder={placeholder}
      value={typeof c.value === 'string' ? c.value : ''}
      onChange={(e) => onChange(e.currentTarget.value)}
      data-testid={testId}
    />
  );
}

type ValueKind = 'text' | 'number' | 'boolean';

/** An attribute may hold text, a number or yes/no; "is" compares with the same kind. */
export function AttributeValueInput({ t, value, onChange, testId }: { t: TFunction; value: unknown; onChange: (value: string | number | boolean) => void; testId: string }) {
  const kind: ValueKind = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text';
  const setKind = (next: string) => onChange(next === 'number' ? 0 : next === 'boolean' ? true : '');
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <SegmentedControl
        size="xs"
        mb={4}
        value={kind}
        onChange={setKind}
        data={[
          { value: 'text', label: t('automation.editor.kindText') },
          { value: 'number', label: t('automation.editor.kindNumber') },
          { value: 'boolean', label: t('automation.editor.kindBoolean') },
        ]}
      />
      {kind === 'number' ? (
        <NumberInput label={t('automation.editor.value')} w={120} value={value as number} onChange={(v) => onChange(typeof v === 'number' ? v : Number(v) || 0)} data-testid={testId} />
      ) : kind === 'boolean' ? (
        <Switch mb={8} label={value === true ? t('automation.yes') : t('automation.no')} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} data-testid={testId} />
      ) : (
        <TextInput label={t('automation.editor.value')} w={180} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value)} data-testid={testId} />
      )}
    </Group>
  );
}
