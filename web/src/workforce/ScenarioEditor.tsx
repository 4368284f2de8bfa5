import { Alert, Badge, Button, Group, JsonInput, List, NumberInput, Paper, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { channelLabel } from '../flows/channelLabel';
import { useFigures } from './format';
import { parseScenarioText, scaleAgents, streamVolume, totalAgents, withGroup, withStream } from './scenarioDraft';
import { STRATEGIES, type Scenario, type Strategy } from './types';

const optionalNumber = (value: string | number): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

interface ScenarioEditorProps {
  scenario: Scenario;
  onChange: (scenario: Scenario) => void;
  onRun: () => void;
  onVariant: () => void;
  onDiscard: () => void;
  running: boolean;
  runError: unknown;
}

/** The main knobs of a scenario as a form, and the whole scenario as JSON for everything else. */
export function ScenarioEditor({ scenario, onChange, onRun, onVariant, onDiscard, running, runError }: ScenarioEditorProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('knobs');
  const [text, setText] = useState('');
  const [textError, setTextError] = useState<string | null>(null);

  const openTab = (next: string | null) => {
    if (next === 'json') {
      setText(JSON.stringify(scenario, null, 2));
      setTextError(null);
    }
    setTab(next);
  };
  const editText = (value: string) => {
    setText(value);
    const parsed = parseScenarioText(value);
    if ('scenario' in parsed) {
      setTextError(null);
      onChange(parsed.scenario);
    } else {
      setTextError(parsed.error === 'shape' || parsed.error === 'object' ? t('workforce.sim.editor.jsonShape') : t('workforce.sim.editor.jsonInvalid', { reason: parsed.error }));
    }
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="scenario-editor">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Stack gap={0}>
          <Title order={2} size="h4">
            {t('workforce.sim.editor.title')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('workforce.sim.editor.summary', { date: scenario.date, streams: scenario.demand.length, agents: totalAgents(scenario), interval: scenario.intervalMinutes ?? 15 })}
          </Text>
        </Stack>
        <Group gap="xs">
          <Button variant="default" onClick={onDiscard} data-testid="scenario-discard">
            {t('workforce.sim.editor.discard')}
          </Button>
          <Button variant="light" onClick={onVariant} data-testid="scenario-variant">
            {t('workforce.sim.copyAsVariant')}
          </Button>
          <Button onClick={onRun} loading={running} disabled={!!textError} data-testid="scenario-run">
            {t('workforce.sim.editor.run')}
          </Button>
        </Group>
      </Group>
      {runError ? <RunError error={runError} /> : null}
      <Tabs value={tab} onChange={openTab} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="knobs" data-testid="scenario-tab-knobs">
            {t('workforce.sim.editor.knobs')}
          </Tabs.Tab>
          <Tabs.Tab value="json" data-testid="scenario-tab-json">
            {t('workforce.sim.editor.json')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="knobs">
          <Knobs scenario={scenario} onChange={onChange} />
        </Tabs.Panel>
        <Tabs.Panel value="json">
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              {t('workforce.sim.editor.jsonHint')}
            </Text>
            <JsonInput value={text} onChange={editText} autosize minRows={12} maxRows={30} spellCheck={false} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }} error={textError} aria-label={t('workforce.sim.editor.json')} data-testid="scenario-json" />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
}

function Knobs({ scenario, onChange }: { scenario: Scenario; onChange: (scenario: Scenario) => void }) {
  const { t } = useTranslation();
  const { decimal, decimalSeparator } = useFigures();
  return (
    <Stack gap="md">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput label={t('workforce.sim.editor.name')} w={320} maxLength={200} value={scenario.name} onChange={(e) => onChange({ ...scenario, name: e.currentTarget.value })} data-testid="scenario-name" />
        <Select
          label={t('workforce.sim.editor.strategy')}
          w={240}
          allowDeselect={false}
          data={[{ value: '', label: t('workforce.sim.strategies.workspace') }, ...STRATEGIES.map((s) => ({ value: s, label: t(`workforce.sim.strategies.${s}`) }))]}
          value={scenario.strategy ?? ''}
          onChange={(v) => {
            const { strategy: _previous, ...rest } = scenario;
            onChange(v ? { ...rest, strategy: v as Strategy } : rest);
          }}
          data-testid="scenario-strategy"
        />
        <NumberInput label={t('workforce.sim.editor.seed')} w={110} allowDecimal={false} value={scenario.seed ?? 1} onChange={(v) => typeof v === 'number' && onChange({ ...scenario, seed: v })} data-testid="scenario-seed" />
        <NumberInput label={t('workforce.sim.editor.costPerAgentHour')} w={150} min={0} decimalScale={2} decimalSeparator={decimalSeparator} value={scenario.costPerAgentHour ?? 35} onChange={(v) => typeof v === 'number' && onChange({ ...scenario, costPerAgentHour: v })} data-testid="scenario-cost" />
      </Group>

      <Stack gap={4}>
        <Group justify="space-between">
          <Text fw={600}>{t('workforce.sim.editor.agents')}</Text>
          <Group gap={4}>
            <Text size="xs" c="dimmed">
              {t('workforce.sim.editor.scaleAgents')}
            </Text>
            <Button size="compact-xs" variant="default" onClick={() => onChange(scaleAgents(scenario, -0.1))} data-testid="scenario-agents-minus">
              −10 %
            </Button>
            <Button size="compact-xs" variant="default" onClick={() => onChange(scaleAgents(scenario, 0.1))} data-testid="scenario-agents-plus">
              +10 %
            </Button>
          </Group>
        </Group>
        <Table fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('workforce.sim.editor.group')}</Table.Th>
              <Table.Th>{t('workforce.sim.editor.skills')}</Table.Th>
              <Table.Th>{t('workforce.sim.editor.shifts')}</Table.Th>
              <Table.Th>{t('workforce.sim.editor.count')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {scenario.agents.map((group, index) => (
              <Table.Tr key={index} data-testid="scenario-group-row">
                <Table.Td>{group.name}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {Object.entries(group.skills ?? {}).map(([skill, level]) => (
                      <Badge key={skill} size="xs" variant="light">
                        {skill} {level}
                      </Badge>
                    ))}
                    {(group.languages ?? []).map((language) => (
                      <Badge key={language} size="xs" variant="outline" color="gray">
                        {language}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{(group.shifts ?? [{ start: '00:00', end: '24:00' }]).map((s) => `${s.start}–${s.end}`).join(', ')}</Text>
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    size="xs"
                    w={100}
                    min={0}
                    max={100_000}
                    allowDecimal={false}
                    value={group.count}
                    onChange={(v) => typeof v === 'number' && onChange(withGroup(scenario, index, { count: v }))}
                    aria-label={t('workforce.sim.editor.countOf', { group: group.name })}
                    data-testid="scenario-group-count"
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>

      <Stack gap={4}>
        <Text fw={600}>{t('workforce.sim.editor.demand')}</Text>
        <Table.ScrollContainer minWidth={760}>
          <Table fz="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('workforce.forecast.stream')}</Table.Th>
                <Table.Th ta="right">{t('workforce.sim.editor.volume')}</Table.Th>
                <Table.Th>{t('workforce.sim.editor.arrivalFactor')}</Table.Th>
                <Table.Th>{t('workforce.sim.editor.containment')}</Table.Th>
                <Table.Th>{t('workforce.sim.editor.handleTime')}</Table.Th>
                <Table.Th>{t('workforce.sim.editor.patience')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {scenario.demand.map((stream, index) => (
                <Table.Tr key={stream.id} data-testid="scenario-stream-row">
                  <Table.Td>
                    <Text size="sm">{stream.name}</Text>
                    <Text size="xs" c="dimmed">
                      {channelLabel(t, stream.channel)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{decimal(streamVolume(stream))}</Table.Td>
                  <Table.Td>
                    <NumberInput size="xs" w={90} min={0} max={100} step={0.1} decimalScale={2} decimalSeparator={decimalSeparator} prefix="× " value={stream.arrivalFactor ?? 1} onChange={(v) => typeof v === 'number' && onChange(withStream(scenario, index, { arrivalFactor: v }))} aria-label={t('workforce.sim.editor.arrivalFactor')} data-testid="scenario-arrival-factor" />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      w={90}
                      min={0}
                      max={100}
                      decimalScale={1}
                      decimalSeparator={decimalSeparator}
                      suffix=" %"
                      value={Math.round((stream.selfServiceContainment ?? 0) * 1000) / 10}
                      onChange={(v) => typeof v === 'number' && onChange(withStream(scenario, index, { selfServiceContainment: Math.min(1, Math.max(0, v / 100)) }))}
                      aria-label={t('workforce.sim.editor.containment')}
                      data-testid="scenario-containment"
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      w={100}
                      min={1}
                      suffix=" s"
                      decimalScale={0}
                      value={Math.round(stream.handleTime.meanSeconds)}
                      onChange={(v) => typeof v === 'number' && v > 0 && onChange(withStream(scenario, index, { handleTime: { ...stream.handleTime, meanSeconds: v } }))}
                      aria-label={t('workforce.sim.editor.handleTime')}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      w={110}
                      min={1}
                      suffix=" s"
                      decimalScale={0}
                      placeholder={t('workforce.sim.editor.neverAbandon')}
                      value={stream.patienceSeconds == null ? '' : Math.round(stream.patienceSeconds)}
                      onChange={(v) => onChange(withStream(scenario, index, { patienceSeconds: optionalNumber(v) ?? null }))}
                      aria-label={t('workforce.sim.editor.patience')}
                      data-testid="scenario-patience"
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Text size="xs" c="dimmed">
          {t('workforce.sim.editor.demandHint')}
        </Text>
      </Stack>
    </Stack>
  );
}

/** The server's reasons for refusing a scenario, one per line when it lists them. */
function RunError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const problems = isApiError(error) ? problemsOf(error.details) : [];
  if (problems.length === 0) return <ErrorAlert error={error} testId="scenario-run-error" />;
  return (
    <Alert color="red" variant="light" title={t('workforce.sim.editor.invalid')} mb="sm" data-testid="scenario-run-error">
      <List size="sm">
        {problems.map((p, i) => (
          <List.Item key={i}>{p}</List.Item>
        ))}
      </List>
    </Alert>
  );
}

function problemsOf(details: unknown): string[] {
  const list = Array.isArray(details) ? details : details && typeof details === 'object' && Array.isArray((details as { problems?: unknown }).problems) ? (details as { problems: unknown[] }).problems : [];
  return list.map((p) => (typeof p === 'string' ? p : p && typeof p === 'object' && 'message' in p ? `${pathOf(p)}${String(p.message)}` : JSON.stringify(p)));
}

function pathOf(problem: object): string {
  const path = 'path' in problem ? problem.path : undefined;
  if (Array.isArray(path)) return path.length ? `${path.join('.')}: ` : '';
  return typeof path === 'string' && path ? `${path}: ` : '';
}
