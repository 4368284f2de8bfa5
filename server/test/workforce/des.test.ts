// The simulator drives the real routing engine in virtual time. Against queueing theory: a long
// single-skill M/M/N run must put Erlang C's exact P(wait) inside its 95 % confidence interval, and
// Erlang A's P(wait) and P(abandon) when customers abandon (cases C1 and A1 of
// ../shared/docs/workforce-reference.md: CRAN ErlangC 0.1.0 README / pyworkforce 0.1.0 README, and
// the pyworkforce test suite). Then what the theory does not cover: shifts, skills, the workspace's
// own routing, self-service, determinism.
import { describe, expect, it } from 'vitest';
import { simulateDay, type SimulationResult } from '../../src/workforce/des.ts';
import { erlangC, type ErlangCMetrics } from '../../src/workforce/erlang.ts';
import { erlangA } from '../../src/workforce/erlangA.ts';
import { parseScenario, type ScenarioInput } from '../../src/workforce/scenario.ts';

const flat = (perInterval: number, slots = 96) => Array<number>(slots).fill(perInterval);

function singleSkill(seed: number, agents: number, patienceSeconds: number | null): ScenarioInput {
  return {
    name: 'M/M/N',
    date: '2026-11-25',
    timeZone: 'UTC',
    seed,
    // 100 calls per 30 minutes = 50 per quarter hour, all day.
    demand: [{ id: 'voice', name: 'Voice', channel: 'voice', arrivals: flat(50), handleTime: { meanSeconds: 180, cv: 1 }, patienceSeconds, serviceLevelSeconds: 0 }],
    agents: [{ name: 'Agents', count: agents }],
  };
}

/** Sums the intervals after the first hour (the warm-up from an empty centre). */
function steadyState(result: SimulationResult) {
  let offered = 0;
  let answered = 0;
  let immediate = 0;
  let abandoned = 0;
  for (const row of result.byInterval.slice(4)) {
    offered += row.kpis.offered;
    answered += row.kpis.answered;
    immediate += row.kpis.answeredInServiceLevel;
    abandoned += row.kpis.abandoned;
  }
  return { offered, answered, immediate, abandoned };
}

/** Mean and 95 % half-width (Student t, 19 degrees of freedom) of batch values. */
function interval(values: number[]): { mean: number; half: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  expect(n).toBe(20);
  return { mean, half: 2.093 * Math.sqrt(variance / n) };
}

describe('the simulator against Erlang C and Erlang A', () => {
  it('C1: 100 calls / 30 min, AHT 180 s, 14 agents: the exact P(wait) lies in the 95 % interval of 20 simulated days', () => {
    const exact = erlangC({ contacts: 100, intervalSeconds: 1800, ahtSeconds: 180 }, 14, 20) as ErlangCMetrics;
    expect(exact.probabilityOfWait).toBeCloseTo(0.1741319, 6);
    const waits: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const result = simulateDay(parseScenario(singleSkill(seed, 14, null)));
      const s = steadyState(result);
      expect(s.abandoned).toBe(0);
      // The shift ends at midnight: the few callers still queued then are left unfinished.
      expect(result.unfinished).toBeLessThan(15);
      waits.push(1 - s.immediate / s.answered);
    }
    const { mean, half } = interval(waits);
    expect(Math.abs(mean - exact.probabilityOfWait)).toBeLessThan(half);
    // The interval is tight enough to mean something: a centre of 13 or 15 agents would fall outside it.
    const thirteen = (erlangC({ contacts: 100, intervalSeconds: 1800, ahtSeconds: 180 }, 13, 20) as ErlangCMetrics).probabilityOfWait;
    const fifteen = (erlangC({ contacts: 100, intervalSeconds: 1800, ahtSeconds: 180 }, 15, 20) as ErlangCMetrics).probabilityOfWait;
    expect(Math.abs(mean - thirteen)).toBeGreaterThan(half);
    expect(Math.abs(mean - fifteen)).toBeGreaterThan(half);
  });

  it('A1: the same with a mean patience of 5 minutes: Erlang A’s P(wait) and P(abandon) lie in their 95 % intervals', () => {
    const exact = erlangA({ contacts: 100, intervalSeconds: 1800, ahtSeconds: 180, patienceSeconds: 300 }, 14, 20);
    expect(exact.probabilityOfWait).toBeCloseTo(0.14526, 5);
    expect(exact.probabilityOfAbandon).toBeCloseTo(0.013984, 5);
    const waits: number[] = [];
    const abandons: number[] = [];
    for (let seed = 101; seed <= 120; seed++) {
      const s = steadyState(simulateDay(parseScenario(singleSkill(seed, 14, 300))));
      // An arrival waited unless an agent took it at once; every abandoner waited.
      waits.push(1 - s.immediate / s.offered);
      abandons.push(s.abandoned / s.offered);
    }
    const w = interval(waits);
    const a = interval(abandons);
    expect(Math.abs(w.mean - exact.probabilityOfWait)).toBeLessThan(w.half);
    expect(Math.abs(a.mean - exact.probabilityOfAbandon)).toBeLessThan(a.half);
    // Without abandonment the same centre waits more often (Erlang C's 0.174): the test can tell them apart.
    expect(Math.abs(w.mean - 0.1741319)).toBeGreaterThan(w.half);
  });
});

describe('a day of the centre', () => {
  const base = (overrides: Partial<ScenarioInput> = {}): ScenarioInput => ({
    name: 'Day',
    date: '2026-11-25',
    timeZone: 'Europe/Amsterdam',
    seed: 7,
    demand: [
      { id: 'chat', name: 'Chat', channel: 'webchat', arrivals: flat(0).map((_, i) => (i >= 32 && i < 68 ? 30 : 0)), handleTime: { meanSeconds: 420, cv: 0.8 }, patienceSeconds: 240, skill: 'chat' },
      { id: 'mail', name: 'E-mail', channel: 'email', arrivals: flat(0).map((_, i) => (i >= 28 && i < 72 ? 12 : 0)), handleTime: { meanSeconds: 600, cv: 0.5 }, skill: 'mail' },
    ],
    agents: [
      { name: 'Chat', count: 12, skills: { chat: 3 }, shifts: [{ start: '08:00', end: '17:00' }] },
      { name: 'Mail', count: 3, skills: { mail: 3 }, shifts: [{ start: '07:00', end: '18:00' }] },
    ],
    ...overrides,
  });

  it('logs agents in by their shifts, serves each stream with its skilled agents and reports the analytics KPIs', () => {
    const result = simulateDay(parseScenario(base()));
    expect(result.unfinished).toBe(0);
    expect(result.contacts).toBeGreaterThan(1000);
    const at = (hhmm: string) => result.byInterval.find((r) => new Date(r.start!).toLocaleTimeString('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }) === hhmm)!;
    expect(at('06:00').agentsLoggedIn).toBe(0);
    expect(at('07:15').agentsLoggedIn).toBe(3);
    expect(at('12:00').agentsLoggedIn).toBe(15);
    const chat = result.byStream.find((r) => r.key === 'chat')!.kpis;
    const mail = result.byStream.find((r) => r.key === 'mail')!.kpis;
    expect(chat.offered).toBe(chat.answered + chat.abandoned);
    expect(mail.abandoned).toBe(0);
    expect(mail.answered).toBe(mail.offered);
    // Chat agents hold up to 4 chats each (capacity 25 of 100), so chat rarely waits long.
    expect(chat.averageHandleTimeSeconds).toBeGreaterThan(300);
    expect(chat.averageHandleTimeSeconds).toBeLessThan(540);
    expect(result.totals.occupancy).toBeGreaterThan(0);
    expect(result.totals.occupancy).toBeLessThanOrEqual(1);
    expect(result.totals.staffedHours).toBeGreaterThanOrEqual(12 * 9 + 3 * 11);
    expect(result.totals.cost).toBeCloseTo(result.totals.staffedHours * 35, 0);
    // The stream costs add up to the day's cost.
    expect(chat.cost + mail.cost).toBeCloseTo(result.totals.cost, 0);
  });

  it('with nobody skilled for a stream, its customers give up: routing decides who may serve', () => {
    const input = base();
    input.agents = [input.agents[0]!];
    const result = simulateDay(parseScenario(input));
    const mail = result.byStream.find((r) => r.key === 'mail')!.kpis;
    expect(mail.offered).toBeGreaterThan(300);
    expect(mail.answered).toBe(0);
    // E-mail customers never give up here, so they are still waiting when the day's work is done.
    expect(result.unfinished).toBe(mail.offered);
  });

  it('is deterministic for a seed, and more agents or more self-service change the day the way they should', () => {
    const one = simulateDay(parseScenario(base()));
    expect(simulateDay(parseScenario(base()))).toEqual(one);
    expect(simulateDay(parseScenario(base({ seed: 8 }))).contacts).not.toBe(one.contacts);
    const fewer = base();
    fewer.agents[0]!.count = 3; // 12 chat slots for a load of 14 Erlangs
    const short = simulateDay(parseScenario(fewer));
    expect(short.totals.abandonRate!).toBeGreaterThan(one.totals.abandonRate! + 0.05);
    expect(short.totals.averageSpeedOfAnswerSeconds!).toBeGreaterThan(one.totals.averageSpeedOfAnswerSeconds!);
    const bot = base();
    bot.demand[0]!.selfServiceContainment = 0.5;
    const contained = simulateDay(parseScenario(bot));
    const chat = contained.byStream.find((r) => r.key === 'chat')!.kpis;
    expect(chat.selfServiceRuns).toBe(chat.conversations);
    expect(chat.containmentRate!).toBeGreaterThan(0.45);
    expect(chat.containmentRate!).toBeLessThan(0.55);
    expect(chat.offered).toBe(chat.selfServiceRuns - chat.selfServiceContained);
  });

  it('runs the workspace’s own routing: a workflow filter on the task’s language and a queue’s eligibility expression', () => {
    const scenario = parseScenario({
      name: 'Own routing',
      date: '2026-11-25',
      timeZone: 'UTC',
      seed: 3,
      routing: {
        queues: [
          { id: 'nl', name: 'Nederlands', eligibility: 'agent.languages HAS "nl"', order: 'fifo' },
          { id: 'en', name: 'English', eligibility: 'agent.languages HAS "en"', order: 'fifo' },
        ],
        workflows: [{ id: 'main', name: 'Main', filters: [{ name: 'English', expression: 'task.language == "en"', steps: [{ queueId: 'en' }] }], defaultSteps: [{ queueId: 'nl' }] }],
        taskFields: { language: 'string' },
      },
      demand: [
        { id: 'nl', name: 'NL', channel: 'voice', workflowId: 'main', attributes: { language: 'nl' }, arrivals: flat(10), handleTime: { meanSeconds: 120 }, patienceSeconds: 60 },
        { id: 'en', name: 'EN', channel: 'voice', workflowId: 'main', attributes: { language: 'en' }, arrivals: flat(10), handleTime: { meanSeconds: 120 }, patienceSeconds: 60 },
      ],
      agents: [{ name: 'Dutch', count: 4, languages: ['nl'] }],
    });
    const result = simulateDay(scenario);
    const nl = result.byStream.find((r) => r.key === 'nl')!.kpis;
    const en = result.byStream.find((r) => r.key === 'en')!.kpis;
    expect(nl.answered).toBeGreaterThan(0.8 * nl.offered);
    expect(en.answered).toBe(0);
    expect(en.abandoned).toBe(en.offered);
  });

  it('refuses a scenario that does not add up, listing every problem', () => {
    expect(() => parseScenario({ ...base(), demand: [{ ...base().demand[0]!, arrivals: [1, 2] }, base().demand[0]!] })).toThrow(/96.*appears twice|appears twice.*96/s);
  });
});
