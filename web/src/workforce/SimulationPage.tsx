import { Button, Group, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useAnalyticsSettings } from '../analytics/api';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useDeleteSimulation, useRunSimulation, useScenarioFromWorkspace, useSimulationDetails, useSimulations, workforceKeys } from './api';
import { ScenarioEditor } from './ScenarioEditor';
import { runNames, variantOf } from './scenarioDraft';
import { SimulationCompare } from './SimulationCompare';
import { SimulationRuns } from './SimulationRuns';
import type { IntervalMinutes, Scenario, SimulationDetail, SimulationResult } from './types';

/**
 * What-if days: a scenario built from the workspace (its forecast, agents and own routing), varied
 * in an editor, run on the server through the real routing engine, and runs compared side by side.
 */
export function SimulationPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const settings = useAnalyticsSettings();
  const simulations = useSimulations();
  const fromWorkspace = useScenarioFromWorkspace();
  const runSimulation = useRunSimulation();
  const deleteSimulation = useDeleteSimulation();
  const [date, setDate] = useState('');
  const [interval, setIntervalMinutes] = useState<IntervalMinutes>(15);
  const [draft, setDraft] = useState<Scenario | null>(null);
  const [compared, setCompared] = useState<string[]>([]);
  const [variantError, setVariantError] = useState<unknown>(null);
  const editorRef = useRef<HTMLDivElement>(null);

  const runs = useMemo(() => simulations.data?.simulations ?? [], [simulations.data]);
  const shownCompared = compared.filter((id) => runs.some((r) => r.id === id && r.status === 'done'));
  const details = useSimulationDetails(shownCompared);
  const done = details.map((d) => d.data).filter((d): d is SimulationDetail & { result: SimulationResult } => !!d?.result);
  const detailError = details.find((d) => d.isError)?.error;

  const edit = (scenario: Scenario) => {
    runSimulation.reset();
    setDraft(scenario);
    // The editor may be below the fold; bring it into view once it has rendered.
    requestAnimationFrame(() => editorRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };
  const newFromWorkspace = () =>
    fromWorkspace.mutate({ ...(date ? { date } : {}), intervalMinutes: interval }, { onSuccess: (scenario) => edit(scenario) });
  const variantWord = t('workforce.sim.variantWord');
  const takenNames = () => [...runNames(runs), ...(draft ? [draft.name] : [])];
  const variantOfDraft = () => draft && edit(variantOf(draft, takenNames(), variantWord));
  const variantOfRun = async (id: string) => {
    setVariantError(null);
    try {
      const detail = await client.fetchQuery({
        queryKey: workforceKeys.simulation(id),
        queryFn: ({ signal }) => api.get<SimulationDetail>(`/api/workforce/simulations/${encodeURIComponent(id)}`, undefined, signal),
      });
      edit(variantOf(detail.scenario, takenNames(), variantWord));
    } catch (error) {
      setVariantError(error);
    }
  };
  const run = () => {
    if (!draft) return;
    runSimulation.mutate({ scenario: draft, name: draft.name });
  };
  const toggleCompare = (id: string) => setCompared((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const remove = (id: string) => {
    if (!window.confirm(t('workforce.sim.runs.confirmDelete'))) return;
    deleteSimulation.mutate(id, { onSuccess: () => setCompared((ids) => ids.filter((x) => x !== id)) });
  };

  return (
    <Stack data-testid="simulation-page">
      <PageHeader title={t('workforce.sim.title')} description={t('workforce.sim.description')} />
      <Paper withBorder radius="md" p="md" data-testid="sim-new">
        <Title order={2} size="h4" mb={4}>
          {t('workforce.sim.new.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('workforce.sim.new.description')}
        </Text>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput type="date" label={t('workforce.sim.new.date')} description={date ? undefined : t('workforce.forecast.fromDefault')} value={date} onChange={(e) => setDate(e.currentTarget.value)} data-testid="sim-new-date" />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('workforce.interval')}
            </Text>
            <SegmentedControl value={String(interval)} onChange={(v) => setIntervalMinutes(Number(v) as IntervalMinutes)} data={[15, 30].map((m) => ({ value: String(m), label: t('workforce.minutes', { count: m }) }))} data-testid="sim-new-interval" />
          </Stack>
          <Button onClick={newFromWorkspace} loading={fromWorkspace.isPending} data-testid="sim-from-workspace">
            {t('workforce.sim.new.fromWorkspace')}
          </Button>
        </Group>
        {fromWorkspace.isError && (
          <Stack mt="sm">
            <ErrorAlert error={fromWorkspace.error} testId="sim-from-workspace-error" />
          </Stack>
        )}
      </Paper>

      <div ref={editorRef}>
        {draft && (
          <ScenarioEditor
            scenario={draft}
            onChange={setDraft}
            onRun={run}
            onVariant={variantOfDraft}
            onDiscard={() => setDraft(null)}
            running={runSimulation.isPending}
            runError={runSimulation.error}
          />
        )}
        {runSimulation.isSuccess && (
          <Text size="sm" c="teal" mt="xs" data-testid="sim-started">
            {t('workforce.sim.started')}
          </Text>
        )}
      </div>

      {variantError ? <ErrorAlert error={variantError} /> : null}
      {deleteSimulation.isError && <ErrorAlert error={deleteSimulation.error} />}
      {simulations.isError && <ErrorAlert error={simulations.error} testId="sim-runs-error" />}
      {simulations.isPending && !simulations.isError ? (
        <CenteredLoader />
      ) : (
        <SimulationRuns runs={runs} compared={shownCompared} onToggleCompare={toggleCompare} onVariant={(id) => void variantOfRun(id)} onDelete={remove} deleting={deleteSimulation.isPending ? (deleteSimulation.variables ?? null) : null} />
      )}

      {detailError ? <ErrorAlert error={detailError} /> : null}
      {done.length > 0 && <SimulationCompare runs={done} currency={settings.data?.currency ?? 'EUR'} />}
      {done.length === 1 && (
        <Text size="xs" c="dimmed" ta="center" data-testid="sim-compare-hint">
          {t('workforce.sim.compare.pickAnother')}
        </Text>
      )}
    </Stack>
  );
}
