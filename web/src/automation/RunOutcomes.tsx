import { Badge, Group, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { actionLabel, type Names } from './labels';
import type { ActionOutcome, ActionResult, AutomationRun } from './types';

export const OUTCOME_COLORS: Record<ActionOutcome, string> = { done: 'green', unchanged: 'gray', skipped: 'yellow', failed: 'red' };

/** Which rules matched in a run and what each of their actions did (with the reason when it did not). */
export function RunOutcomes({ t, run, names }: { t: TFunction; run: AutomationRun; names: Names }) {
  const matched = run.traces.filter((trace) => trace.matched);
  if (matched.length === 0) return <Text size="xs" c="dimmed">{t('automation.runs.nothingMatched')}</Text>;
  return (
    <Stack gap={6}>
      {matched.map((trace) => (
        <Stack key={trace.ruleId} gap={2} data-testid="run-rule" data-rule-id={trace.ruleId}>
          <Text size="sm" fw={600} data-testid="run-rule-name">{trace.name}</Text>
          {run.results
            .filter((result) => result.ruleId === trace.ruleId)
            .map((result, i) => (
              <ActionOutcomeLine key={i} t={t} result={result} names={names} testId="run-action" />
            ))}
        </Stack>
      ))}
    </Stack>
  );
}

/** One action's outcome: a badge (done, unchanged, skipped, failed), what it does, and why when it did not. */
export function ActionOutcomeLine({ t, result, names, testId }: { t: TFunction; result: Pick<ActionResult, 'action' | 'outcome' | 'detail'>; names: Names; testId: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid={testId} data-outcome={result.outcome} data-type={result.action.type}>
      <Badge size="xs" variant="light" color={OUTCOME_COLORS[result.outcome]} style={{ flexShrink: 0 }} title={result.detail}>
        {t(`automation.outcomes.${result.outcome}`)}
      </Badge>
      <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
        {actionLabel(t, result.action, names)}
        {result.detail && (
          <Text span size="xs" c="dimmed">
            {' '}
            ({result.detail})
          </Text>
        )}
      </Text>
    </Group>
  );
}
