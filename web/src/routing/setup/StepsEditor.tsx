import { ActionIcon, Autocomplete, Badge, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ExpressionInput } from '../ExpressionInput';
import { numberOrUndefined } from '../format';
import { move, removeAt, replaceAt } from '../listEdit';
import { STRATEGIES, type Step, type Strategy, type Weights } from '../types';

const WEIGHT_KEYS: readonly (keyof Weights)[] = ['proficiency', 'idle', 'occupancy', 'fairness', 'value', 'sticky'];

interface StepsEditorProps {
  steps: Step[];
  onChange: (steps: Step[]) => void;
  queueOptions: { value: string; label: string }[];
  skills: string[];
  taskFields: string[];
  canEdit: boolean;
  /** Makes the expression test ids unique per list: `expr-step-agent-<idPrefix>-<index>`. */
  idPrefix: string;
}

function isStrategy(value: unknown): value is Strategy {
  return typeof value === 'string' && (STRATEGIES as readonly string[]).includes(value);
}

/** Drops empty optional fields so the saved step stays minimal. */
function clean(step: Step): Step {
  const out: Step = { queueId: step.queueId };
  for (const [key, value] of Object.entries(step) as [keyof Step, unknown][]) {
    if (key === 'queueId' || value === undefined || value === '' || value === false) continue;
    (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

export function StepsEditor({ steps, onChange, queueOptions, skills, taskFields, canEdit, idPrefix }: StepsEditorProps) {
  const { t } = useTranslation();
  const setStep = (i: number, step: Step) => onChange(replaceAt(steps, i, clean(step)));
  const skillOptions = [...skills, ...taskFields.map((f) => `task.${f}`)];

  return (
    <Stack gap="sm">
      {steps.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('routing.step.none')}
        </Text>
      )}
      {steps.map((step, i) => (
        <Paper key={i} withBorder p="sm" radius="sm" bg="gray.0" data-testid="workflow-step" data-index={i}>
          <Stack gap="xs">
            <Group justify="space-between" wrap="nowrap">
              <Badge variant="light">{t('routing.step.title', { index: i + 1 })}</Badge>
              {canEdit && (
                <Group gap={4} wrap="nowrap">
                  <ActionIcon variant="default" disabled={i === 0} aria-label={t('routing.common.moveUp')} onClick={() => onChange(move(steps, i, -1))} data-testid="step-up">
                    ↑
                  </ActionIcon>
                  <ActionIcon variant="default" disabled={i === steps.length - 1} aria-label={t('routing.common.moveDown')} onClick={() => onChange(move(steps, i, 1))} data-testid="step-down">
                    ↓
                  </ActionIcon>
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(removeAt(steps, i))} data-testid="step-remove">
                    {t('routing.common.remove')}
                  </Button>
                </Group>
              )}
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="xs">
              <Select
                label={t('routing.step.queue')}
                required
                searchable
                allowDeselect={false}
                data={queueOptions.some((o) => o.value === step.queueId) || !step.queueId ? queueOptions : [...queueOptions, { value: step.queueId, label: step.queueId }]}
                value={step.queueId || null}
                onChange={(value) => setStep(i, { ...step, queueId: value ?? '' })}
                readOnly={!canEdit}
                data-testid="step-queue"
              />
              <Select
                label={t('routing.step.strategy')}
                clearable
                placeholder={t('routing.strategies.longest-idle')}
                data={STRATEGIES.map((s) => ({ value: s, label: t(`routing.strategies.${s}`) }))}
                value={step.strategy ?? null}
                onChange={(value) => setStep(i, { ...step, strategy: isStrategy(value) ? value : undefined, weights: value === 'weighted' ? step.weights : undefined })}
                readOnly={!canEdit}
                data-testid="step-strategy"
              />
              <Autocomplete
                label={t('routing.step.skill')}
                description={t('routing.step.skillHint')}
                data={skillOptions}
                value={step.skill ?? ''}
                onChange={(value) => setStep(i, { ...step, skill: value.trim() || undefined })}
                readOnly={!canEdit}
                data-testid="step-skill"
              />
              <NumberInput
                label={t('routing.step.priority')}
                description={t('routing.step.priorityHint')}
                allowDecimal={false}
                value={step.priority ?? ''}
                onChange={(v) => setStep(i, { ...step, priority: numberOrUndefined(v) })}
                readOnly={!canEdit}
                data-testid="step-priority"
              />
              <NumberInput
                label={t('routing.step.timeoutSeconds')}
                description={t('routing.step.timeoutHint')}
                min={1}
                allowDecimal={false}
                value={step.timeoutSeconds ?? ''}
                onChange={(v) => setStep(i, { ...step, timeoutSeconds: numberOrUndefined(v) })}
                readOnly={!canEdit}
                data-testid="step-timeout"
              />
              <NumberInput
                label={t('routing.step.parallelOffers')}
                description={t('routing.step.parallelOffersHint')}
                min={1}
                allowDecimal={false}
                value={step.parallelOffers ?? ''}
                onChange={(v) => setStep(i, { ...step, parallelOffers: numberOrUndefined(v) })}
                readOnly={!canEdit}
                data-testid="step-parallel"
              />
              <NumberInput
                label={t('routing.step.offerTimeoutSeconds')}
                description={t('routing.step.offerTimeoutHint')}
                min={1}
                allowDecimal={false}
                value={step.offerTimeoutSeconds ?? ''}
                onChange={(v) => setStep(i, { ...step, offerTimeoutSeconds: numberOrUndefined(v) })}
                readOnly={!canEdit}
                data-testid="step-offer-timeout"
              />
              <Switch
                mt="lg"
                label={t('routing.step.preferredAgentOnly')}
                checked={step.preferredAgentOnly === true}
                onChange={(e) => setStep(i, { ...step, preferredAgentOnly: e.currentTarget.checked })}
                data-testid="step-preferred"
              />
            </SimpleGrid>
            <ExpressionInput
              label={t('routing.step.agentExpression')}
              description={t('routing.step.agentExpressionHint')}
              placeholder="agent.languages HAS task.language"
              place="step"
              readOnly={!canEdit}
              value={step.agentExpression ?? ''}
              onChange={(value) => setStep(i, { ...step, agentExpression: value || undefined })}
              testId={`step-agent-${idPrefix}-${i}`}
            />
            <ExpressionInput
              label={t('routing.step.skipIf')}
              description={t('routing.step.skipIfHint')}
              placeholder="queue.waiting > 10"
              place="skip"
              readOnly={!canEdit}
              value={step.skipIf ?? ''}
              onChange={(value) => setStep(i, { ...step, skipIf: value || undefined })}
              testId={`step-skip-${idPrefix}-${i}`}
            />
            {step.strategy === 'weighted' && (
              <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="xs" data-testid="step-weights">
                {WEIGHT_KEYS.map((key) => (
                  <NumberInput
                    key={key}
                    size="xs"
                    label={t(`routing.weights.${key}`)}
                    min={0}
                    step={0.5}
                    value={step.weights?.[key] ?? ''}
                    onChange={(v) => {
                      const weights = { ...step.weights, [key]: numberOrUndefined(v) };
                      if (weights[key] === undefined) delete weights[key];
                      setStep(i, { ...step, weights: Object.keys(weights).length ? weights : undefined });
                    }}
                    readOnly={!canEdit}
                  />
                ))}
              </SimpleGrid>
            )}
          </Stack>
        </Paper>
      ))}
      {canEdit && (
        <Group>
          <Button size="xs" variant="light" onClick={() => onChange([...steps, { queueId: queueOptions[0]?.value ?? '' }])} data-testid="step-add">
            {t('routing.step.add')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
