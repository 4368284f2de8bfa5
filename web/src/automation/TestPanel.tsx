import { Badge, Button, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { channelLabel } from '../flows/channelLabel';
import { useTestRule } from './api';
import { conditionLabel, valueLabel } from './labels';
import { CHANNEL_TYPES, VALUE_TIERS, type Condition, type RuleBody, type TestResult, type TestSample } from './types';

type Tristate = 'auto' | 'yes' | 'no';

interface SampleForm {
  conversationId: string;
  channel: string | null;
  public: Tristate;
  text: string;
  tier: string | null;
  previousTier: string | null;
  idleMinutes: number | null;
  businessHours: Tristate;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only what the person filled in: the rest comes from the conversation, or the server's defaults. */
function toSample(form: SampleForm): TestSample {
  const sample: TestSample = {};
  if (form.conversationId.trim()) sample.conversationId = form.conversationId.trim();
  if (form.channel) sample.channel = form.channel;
  if (form.public !== 'auto') sample.public = form.public === 'yes';
  if (form.text.trim()) sample.text = form.text;
  if (form.tier) sample.tier = form.tier;
  if (form.previousTier) sample.previousTier = form.previousTier;
  if (form.idleMinutes !== null) sample.idleMinutes = form.idleMinutes;
  if (form.businessHours !== 'auto') sample.businessHours = form.businessHours === 'yes';
  return sample;
}

/**
 * The dry run beside the editor: a sample event against the rule as it stands (saved or not), and
 * per condition whether it held and what it read, with the language and sentiment the server
 * detected in the sample text.
 */
export function TestPanel({ t, rule }: { t: TFunction; rule: RuleBody }) {
  const test = useTestRule();
  const [form, setForm] = useState<SampleForm>({ conversationId: '', channel: null, public: 'auto', text: '', tier: null, previousTier: null, idleMinutes: null, businessHours: 'auto' });
  // The rule as tested: the trace refers to its conditions by position, and the editor may move on.
  const [tested, setTested] = useState<RuleBody | null>(null);
  const badConversation = form.conversationId.trim() !== '' && !UUID.test(form.conversationId.trim());
  const tristate = (value: Tristate, onChange: (v: Tristate) => void, testId: string) => (
    <SegmentedControl
      size="xs"
      value={value}
      onChange={(v) => onChange(v as Tristate)}
      data={[
        { value: 'auto', label: t('automation.test.auto') },
        { value: 'yes', label: t('automation.yes') },
        { value: 'no', label: t('automation.no') },
      ]}
      data-testid={testId}
    />
  );
  const run = () => {
    const snapshot = structuredClone(rule);
    test.mutate({ rule: snapshot, sample: toSample(form) }, { onSuccess: () => setTested(snapshot) });
  };

  return (
    <Paper withBorder p="md" data-testid="rule-test-panel">
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={3} size="h5">{t('automation.test.title')}</Title>
          <Text size="xs" c="dimmed">{t('automation.test.description')}</Text>
        </Stack>
        <Select
          label={t('automation.test.channel')}
          placeholder={t('automation.test.channelDefault')}
          clearable
          value={form.channel}
          onChange={(channel) => setForm({ ...form, channel })}
          data={CHANNEL_TYPES.map((c) => ({ value: c, label: channelLabel(t, c) }))}
          data-testid="rule-test-channel"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>{t('automation.test.public')}</Text>
          {tristate(form.public, (v) => setForm({ ...form, public: v }), 'rule-test-public')}
        </Stack>
        <Textarea
          label={t('automation.test.text')}
          placeholder={t('automation.test.textPlaceholder')}
          autosize
          minRows={2}
          maxLength={10_000}
          value={form.text}
          onChange={(e) => setForm({ ...form, text: e.currentTarget.value })}
          data-testid="rule-test-text"
        />
        <Select
          label={t('automation.test.tier')}
          placeholder={t('automation.test.tierDefault')}
          clearable
          value={form.tier}
          onChange={(tier) => setForm({ ...form, tier })}
          data={VALUE_TIERS.map((v) => ({ value: v, label: t(`clv.tier.${v}`) }))}
          data-testid="rule-test-tier"
        />
        {rule.trigger === 'customer.tier_changed' && (
          <Select
            label={t('automation.fields.previousTier')}
            clearable
            value={form.previousTier}
            onChange={(previousTier) => setForm({ ...form, previousTier })}
            data={VALUE_TIERS.map((v) => ({ value: v, label: t(`clv.tier.${v}`) }))}
            data-testid="rule-test-previous-tier"
          />
        )}
        {rule.trigger === 'schedule' && (
          <NumberInput
            label={t('automation.fields.idleMinutes')}
            min={0}
            value={form.idleMinutes ?? ''}
            onChange={(v) => setForm({ ...form, idleMinutes: typeof v === 'number' ? v : null })}
            data-testid="rule-test-idle-minutes"
          />
        )}
        <Stack gap={4}>
          <Text size="sm" fw={500}>{t('automation.test.businessHours')}</Text>
          {tristate(form.businessHours, (v) => setForm({ ...form, businessHours: v }), 'rule-test-business-hours')}
        </Stack>
        <TextInput
          label={t('automation.test.conversationId')}
          description={t('automation.test.conversationIdHelp')}
          value={form.conversationId}
          onChange={(e) => setForm({ ...form, conversationId: e.currentTarget.value })}
          error={badConversation ? t('automation.test.conversationIdInvalid') : undefined}
          data-testid="rule-test-conversation"
        />
        <Group justify="flex-end">
          <Button variant="light" onClick={run} loading={test.isPending} disabled={badConversation} data-testid="rule-test-run">
            {t('automation.test.run')}
          </Button>
        </Group>
        <ErrorAlert error={test.error} testId="rule-test-error" />
        {test.data && tested && !test.isPending && <TestOutcome t={t} result={test.data} rule={tested} />}
      </Stack>
    </Paper>
  );
}

function TestOutcome({ t, result, rule }: { t: TFunction; result: TestResult; rule: RuleBody }) {
  const { subject, trace } = result;
  const conditionOf = (group: 'all' | 'any', index: number): Condition | undefined => rule.conditions[group][index];
  return (
    <Stack gap="xs" data-testid="rule-test-result" data-matched={result.matched ? 'true' : 'false'}>
      <Badge size="lg" color={result.matched ? 'green' : 'gray'} variant="light" tt="none" data-testid="rule-test-verdict">
        {result.matched ? t('automation.test.matched') : t('automation.test.notMatched')}
      </Badge>
      <Group gap="lg">
        <Text size="sm" data-testid="rule-test-language">
          {t('automation.test.language')}: <b>{subject.language === 'nl' || subject.language === 'en' ? t(`automation.languages.${subject.language}`) : (subject.language ?? t('automation.test.unknown'))}</b>
        </Text>
        <Text size="sm" data-testid="rule-test-sentiment" data-sentiment={subject.sentiment ?? ''}>
          {t('automation.test.sentiment')}: <b>{subject.sentiment ? t(`automation.sentiments.${subject.sentiment}`) : t('automation.test.unknown')}</b>
          {typeof subject.sentimentScore === 'number' && ` (${subject.sentimentScore.toFixed(2)})`}
        </Text>
      </Group>
      {trace.conditions.length === 0 ? (
        <Text size="sm" c="dimmed">{t('automation.test.noConditions')}</Text>
      ) : (
        <Stack gap={4} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {trace.conditions.map((ct) => {
            const condition = conditionOf(ct.group, ct.index);
            return (
              <Group key={`${ct.group}-${ct.index}`} component="li" gap={6} wrap="nowrap" align="flex-start" data-testid="rule-test-condition" data-passed={ct.passed ? 'true' : 'false'}>
                <Badge size="sm" color={ct.passed ? 'green' : 'red'} variant="light" style={{ flexShrink: 0 }}>
                  {ct.passed ? t('automation.test.passed') : t('automation.test.failed')}
                </Badge>
                <Stack gap={0} miw={0}>
                  <Text size="sm">
                    <Text span size="xs" c="dimmed">{t(`automation.editor.${ct.group}Short`)} · </Text>
                    {condition ? conditionLabel(t, condition) : `#${ct.index + 1}`}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {t('automation.test.read', { value: valueLabel(t, condition?.field ?? null, ct.actual) })}
                  </Text>
                </Stack>
              </Group>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}
