// Pure edits of a scenario being prepared on the simulations page. A scenario is plain JSON; each
// edit returns a new object, so the editor can hold it in state and the JSON view stays in step.
import type { AgentGroup, DemandStream, Scenario, SimulationSummary } from './types';

/** A deep copy: a variant must never share arrays with the run it came from. */
export function cloneScenario(scenario: Scenario): Scenario {
  return structuredClone(scenario);
}

/**
 * A copy to vary: the same scenario under a new name ("Base — variant 2"), numbered past every run
 * and the given names so runs stay apart in the comparison.
 */
export function variantOf(scenario: Scenario, takenNames: readonly string[], word: string): Scenario {
  const base = scenario.name.replace(new RegExp(` — ${escapeRegExp(word)} \\d+$`), '');
  const taken = new Set(takenNames);
  let n = 2;
  while (taken.has(`${base} — ${word} ${n}`)) n++;
  return { ...cloneScenario(scenario), name: `${base} — ${word} ${n}`.slice(0, 200) };
}

export function withStream(scenario: Scenario, index: number, patch: Partial<DemandStream>): Scenario {
  return { ...scenario, demand: scenario.demand.map((s, i) => (i === index ? { ...s, ...patch } : s)) };
}

export function withGroup(scenario: Scenario, index: number, patch: Partial<AgentGroup>): Scenario {
  return { ...scenario, agents: scenario.agents.map((g, i) => (i === index ? { ...g, ...patch } : g)) };
}

/**
 * Every agent group's head count changed by a share (0.1: ten per cent more), by at least one agent
 * per group, so small groups change too; never below zero.
 */
export function scaleAgents(scenario: Scenario, share: number): Scenario {
  const step = (count: number) => (count === 0 ? 0 : Math.max(1, Math.round(count * Math.abs(share))) * Math.sign(share));
  return { ...scenario, agents: scenario.agents.map((g) => ({ ...g, count: Math.max(0, g.count + step(g.count)) })) };
}

/** Contacts a stream brings over the day, after its arrival factor. */
export function streamVolume(stream: DemandStream): number {
  return stream.arrivals.reduce((sum, a) => sum + a, 0) * (stream.arrivalFactor ?? 1);
}

export function totalAgents(scenario: Scenario): number {
  return scenario.agents.reduce((sum, g) => sum + g.count, 0);
}

/** Run names in use (for numbering variants). */
export function runNames(runs: readonly SimulationSummary[] | undefined): string[] {
  return (runs ?? []).map((r) => r.name);
}

/** Reads the raw JSON editor's text: a scenario-shaped object, or the reason it is not one. */
export function parseScenarioText(text: string): { scenario: Scenario } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'object' };
  const candidate = value as Partial<Scenario>;
  if (typeof candidate.name !== 'string' || !Array.isArray(candidate.demand) || !Array.isArray(candidate.agents)) return { error: 'shape' };
  // The server checks the rest (parseScenario) and names every problem.
  return { scenario: value as Scenario };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
