// `hoorn simulate` as a user runs it (a separate process, no database), and `hoorn forecast` /
// `hoorn staff` in-process against a test platform with a hand-made history.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsSegments } from '../../src/analytics/analytics.schema.ts';
import { localToInstant } from '../../src/analytics/sla.calendar.ts';
import { registerWorkforceCommands } from '../../src/cli/workforce.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { simulateDay } from '../../src/workforce/des.ts';
import { parseScenario, type ScenarioInput } from '../../src/workforce/scenario.ts';
import { addDays } from '../../src/workforce/workforce.service.ts';
import { runHoorn } from '../cli/run.ts';
import { makeTestApp, makeWorkspace, type TestContext } from '../helpers.ts';

const scenario: ScenarioInput = {
  name: 'Proef',
  date: '2026-04-23',
  timeZone: 'Europe/Amsterdam',
  intervalMinutes: 60,
  demand: [
    { id: 'chat', name: 'Chat', channel: 'webchat', arrivals: [0, 0, 0, 0, 0, 0, 0, 0, 10, 12, 12, 10, 8, 8, 10, 10, 8, 6, 0, 0, 0, 0, 0, 0], handleTime: { meanSeconds: 240, cv: 1 }, patienceSeconds: 120 },
    { id: 'voice', name: 'Telefoon', channel: 'voice', arrivals: [0, 0, 0, 0, 0, 0, 0, 0, 20, 25, 25, 20, 15, 15, 20, 20, 15, 10, 0, 0, 0, 0, 0, 0], handleTime: { meanSeconds: 180, cv: 0.8 } },
  ],
  agents: [{ name: 'Team', count: 4, shifts: [{ start: '08:00', end: '18:00' }] }],
};

describe('hoorn simulate (a process, no database)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoorn-simulate-'));
    fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(scenario));
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...scenario, demand: [{ ...scenario.demand[0], arrivals: [1, 2, 3] }], agents: [{ name: 'Laat', count: 1, shifts: [{ start: '18:00', end: '08:00' }] }] }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints a KPI table per stream and the totals, the same day as simulateDay', { timeout: 120_000 }, () => {
    const expected = simulateDay(parseScenario(scenario));
    const text = runHoorn(['simulate', '--scenario', path.join(dir, 'scenario.json')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Simulated 2026-04-23 (Europe/Amsterdam) of "Proef", seed 1: ${expected.contacts} contacts`);
    const lines = text.stdout.split('\n');
    const row = (label: string) => lines.find((l) => l.startsWith(label))!.trim().split(/\s{2,}/);
    expect(row('stream')).toEqual(['stream', 'offered', 'answered', 'abandoned', 'SL', 'ASA', 'AHT', 'occupancy', 'cost']);
    expect(row('Chat').slice(1, 4)).toEqual([expected.byStream[0]!.kpis.offered, expected.byStream[0]!.kpis.answered, expected.byStream[0]!.kpis.abandoned].map(String));
    expect(row('Telefoon').slice(1, 2)).toEqual([String(expected.byStream[1]!.kpis.offered)]);
    expect(row('Total').slice(1, 4)).toEqual([expected.totals.offered, expected.totals.answered, expected.totals.abandoned].map(String));

    const json = runHoorn(['simulate', '--scenario', path.join(dir, 'scenario.json'), '--json']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.contacts).toBe(expected.contacts);
    expect(result.contacts).toBeGreaterThan(0);
    expect(result.totals).toEqual(expected.totals);
  });

  it('lists every problem of a bad scenario file', { timeout: 120_000 }, () => {
    const bad = runHoorn(['simulate', '--scenario', path.join(dir, 'bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a valid scenario');
    expect(bad.stderr).toContain('demand "chat" has 3 arrival counts; a day of 60-minute intervals has 24');
    expect(bad.stderr).toContain('agent group "Laat" has a shift ending before it starts');
    expect(runHoorn(['simulate', '--scenario', path.join(dir, 'missing.json')]).stderr).toContain('missing.json');
  });
});

describe('hoorn forecast and hoorn staff (in-process)', () => {
  const TZ = 'Europe/Amsterdam';
  let t: TestContext;
  let slug: string;
  let output: string[];

  /** The commands as main.ts registers them, over the test platform. */
  async function hoorn(args: string[]): Promise<string> {
    output = [];
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerWorkforceCommands(program, { withPlatform: (work) => work(t.platform), write: (text) => output.push(text) });
    await program.parseAsync(args, { from: 'user' });
    return output.join('');
  }

  beforeAll(async () => {
    t = await makeTestApp({ clock: new ManualClock('2026-04-22T10:00:00Z') });
    const ws = await makeWorkspace(t.platform);
    slug = ws.slug;
    // Three weeks of weekdays, each with 4 calls at 10:00–10:15 local (answered after 5 s, 200 s of work).
    const rows = [];
    for (let date = '2026-04-01'; date < '2026-04-22'; date = addDays(date, 1)) {
      if ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay())) continue;
      for (let i = 0; i < 4; i++) {
        const startedAt = new Date(localToInstant(date, 10 * 60 + i * 3, TZ));
        rows.push({ workspaceId: ws.id, taskId: randomUUID(), seq: 0, channel: 'voice', queueId: 'q1', startedAt, answeredAt: new Date(startedAt.getTime() + 5_000), endedAt: new Date(startedAt.getTime() + 205_000), outcome: 'answered' });
      }
    }
    await t.platform.db.insert(analyticsSegments).values(rows);
  });
  afterAll(() => t.close());

  it('forecast prints JSON as the API does, and a table per stream', async () => {
    const json = JSON.parse(await hoorn(['forecast', '--workspace', slug, '--weeks', '3', '--days', '2', '--json']));
    expect(json).toMatchObject({ from: '2026-04-23', days: 2, intervalMinutes: 15, historyDays: 21 });
    expect(json.streams).toHaveLength(1);
    expect(json.streams[0]).toMatchObject({ id: 'voice:q1', handleTimeSeconds: 200, patienceSeconds: null });
    expect(json.streams[0].days[0].total).toBeCloseTo(4, 2);
    expect(json.streams[0].backtest).not.toBeNull();

    const text = await hoorn(['forecast', '--workspace', slug, '--weeks', '3', '--days', '2']);
    expect(text).toContain('Forecast from 2026-04-23, 2 days of 15-minute intervals (Europe/Amsterdam)');
    expect(text).toContain('voice:q1: handle time 200.0 s');
    expect(text).toMatch(/2026-04-23 Thu\s+4\.0/);
    await expect(hoorn(['forecast', '--workspace', 'no-such-workspace'])).rejects.toThrow('No workspace "no-such-workspace"');
    await expect(hoorn(['forecast', '--days', '40'])).rejects.toThrow(/whole number from 1 to 28/);
  });

  it('staff prints the staffing plan with Erlang C for a stream nobody abandons', async () => {
    const plan = JSON.parse(await hoorn(['staff', '--workspace', slug, '--weeks', '3', '--service-level', '0.9', '--within', '15', '--shrinkage', '0.25', '--json']));
    expect(plan.streams[0]).toMatchObject({ id: 'voice:q1', model: 'erlangC', concurrency: 1, handleTimeSeconds: 200 });
    expect(plan.peak.scheduled).toBeGreaterThan(0);
    const text = await hoorn(['staff', '--workspace', slug, '--weeks', '3']);
    expect(text).toContain('voice:q1: Erlang C, 1 at once, handle time 200.0 s');
    expect(text).toMatch(/Peak: \d+ scheduled at 2026-04-23 \d\d:\d\d/);
    await expect(hoorn(['staff', '--workspace', slug, '--service-level', '1.2'])).rejects.toThrow('targets.serviceLevel is a share below 1');
  });
});
