// `hoorn forecast`, `hoorn staff` and `hoorn simulate`: workforce planning from the command line.
// forecast and staff read a workspace's history (the database); simulate runs a scenario file
// locally and needs nothing else.
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ZodError } from 'zod';
import { findWorkspaceBySlug } from '../platform/auth/auth.store.ts';
import { AppError } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import type { Kpis } from '../analytics/reports.ts';
import { simulateDay, type SimulationResult } from '../workforce/des.ts';
import { parseScenario, ScenarioError, type Scenario } from '../workforce/scenario.ts';
import { staffingRequest } from '../workforce/workforce.routes.ts';
import { forecastArrivals, staffingPlan, type Forecast, type StaffingPlan } from '../workforce/workforce.service.ts';

export interface WorkforceCliDeps {
  /** Runs work against the database (main.ts: the platform from the environment's configuration). */
  withPlatform: <T>(work: (p: Platform) => Promise<T>) => Promise<T>;
  /** Where results go (default stdout); progress always goes to stderr. */
  write?: (text: string) => void;
}

const wholeNumber = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
  return n;
};
const number = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('a number');
  return n;
};
const date = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('a date YYYY-MM-DD');
  return value;
};

async function workspaceId(p: Platform, slug: string): Promise<string> {
  const workspace = await findWorkspaceBySlug(p.db, slug);
  if (!workspace) throw new AppError(404, 'not_found', `No workspace "${slug}"`);
  return workspace.id;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);
const secs = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${x.toFixed(1)} s`);
const weekday = (d: string) => ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(`${d}T00:00:00Z`).getUTCDay()];

/** Local HH:MM of an instant, for the tables. */
function hhmm(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** Left-aligned first column, right-aligned numbers. */
function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n') + '\n';
}

export function formatForecast(f: Forecast): string {
  let out = `Forecast from ${f.from}, ${f.days} days of ${f.intervalMinutes}-minute intervals (${f.timeZone}), learnt from ${f.historyDays} days of history\n`;
  if (f.streams.length === 0) return `${out}No contacts arrived in the history.\n`;
  for (const s of f.streams) {
    const bt = s.backtest;
    const best = bt ? Math.min(...bt.baselines.map((b) => b.wape ?? Infinity)) : null;
    out += `\n${s.id}${s.queueName ? ` (${s.queueName})` : ''}: handle time ${secs(s.handleTimeSeconds)}${s.handleTimeCv !== null ? ` (cv ${s.handleTimeCv.toFixed(2)})` : ''}, patience ${secs(s.patienceSeconds)}, abandoned ${pct(s.abandonRate)}`;
    out += bt ? `, backtest over ${bt.testDays} days: WAPE ${bt.wape?.toFixed(3) ?? '–'} (best baseline ${Number.isFinite(best) ? best!.toFixed(3) : '–'})\n` : ', no backtest (history under three weeks)\n';
    out += table(
      ['date', 'contacts', 'busiest interval', 'holiday'],
      s.days.map((d) => {
        const peak = d.intervals.reduce((a, b) => (b.forecast > a.forecast ? b : a), d.intervals[0]!);
        return [`${d.date} ${weekday(d.date)}`, d.total.toFixed(1), peak.forecast > 0 ? `${hhmm(peak.start, f.timeZone)} (${peak.forecast.toFixed(1)})` : '–', d.holiday ?? ''];
      }),
    );
  }
  return out;
}

export function formatStaffing(plan: StaffingPlan): string {
  let out = `Staffing from ${plan.from}, ${plan.days} day(s) of ${plan.intervalMinutes}-minute intervals (${plan.timeZone}); service level = ${plan.serviceLevelConvention}\n`;
  for (const s of plan.streams) {
    out += `\n${s.id}${s.queueName ? ` (${s.queueName})` : ''}: ${s.model === 'erlangA' ? `Erlang A, patience ${secs(s.patienceSeconds)}` : 'Erlang C'}, ${s.concurrency} at once, handle time ${secs(s.handleTimeSeconds)}\n`;
    const busy = s.intervals.filter((i) => i.arrivals > 0 || i.agents > 0);
    out += busy.length
      ? table(
          ['interval', 'contacts', 'agents', 'scheduled', 'SL', 'mean wait', 'occupancy', 'abandoned'],
          busy.map((i) => [`${i.start.slice(0, 10)} ${hhmm(i.start, plan.timeZone)}`, i.arrivals.toFixed(1), String(i.agents), String(i.scheduled), pct(i.serviceLevel), secs(i.meanWaitSeconds), pct(i.occupancy), pct(i.abandonRate)]),
        )
      : 'no contacts forecast\n';
  }
  for (const s of plan.skipped) out += `\n${s.id}: left out, ${s.reason}\n`;
  out += plan.peak ? `\nPeak: ${plan.peak.scheduled} scheduled at ${plan.peak.start.slice(0, 10)} ${hhmm(plan.peak.start, plan.timeZone)}\n` : '\nNo streams to staff.\n';
  return out;
}

function kpiRow(label: string, k: Kpis): string[] {
  return [label, String(k.offered), String(k.answered), String(k.abandoned), pct(k.serviceLevel), secs(k.averageSpeedOfAnswerSeconds), secs(k.averageHandleTimeSeconds), pct(k.occupancy), k.cost.toFixed(0)];
}

export function formatSimulation(r: SimulationResult): string {
  let out = `Simulated ${r.date} (${r.timeZone}) of "${r.scenario}", seed ${r.seed}: ${r.contacts} contacts, ${r.routingEvents} routing events`;
  out += `${r.refused ? `, ${r.refused} refused by routing` : ''}${r.unfinished ? `, ${r.unfinished} unfinished` : ''}\n\n`;
  out += table(
    ['stream', 'offered', 'answered', 'abandoned', 'SL', 'ASA', 'AHT', 'occupancy', 'cost'],
    [...r.byStream.map((s) => kpiRow(s.label ?? s.key ?? '', s.kpis)), kpiRow('Total', r.totals)],
  );
  out += `\nStaffed ${r.totals.staffedHours.toFixed(1)} agent hours, busy ${r.totals.busyHours.toFixed(1)}.\n`;
  return out;
}

/** A scenario file, or an error that lists every problem in it. */
export function readScenarioFile(file: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return parseScenario(json);
  } catch (error) {
    if (error instanceof ZodError) throw new Error(`${file} is not a valid scenario:\n${error.issues.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`).join('\n')}`);
    if (error instanceof ScenarioError) throw new Error(`${file} is not a valid scenario:\n${error.problems.map((m) => `  ${m}`).join('\n')}`);
    throw error;
  }
}

export function registerWorkforceCommands(program: Command, deps: WorkforceCliDeps): void {
  const write = deps.write ?? ((text: string) => process.stdout.write(text));

  program
    .command('forecast')
    .description("Forecast arrivals per channel and queue from a workspace's history, with the backtest")
    .option('--workspace <slug>', 'workspace slug', 'demo')
    .option('--from <date>', 'first day to forecast, YYYY-MM-DD (default: tomorrow)', date)
    .option('--days <n>', 'days to forecast (1–28)', wholeNumber(1, 28), 7)
    .addOption(new Option('--interval <minutes>', 'interval length').choices(['15', '30']).default('15'))
    .option('--weeks <n>', 'weeks of history (1–52)', wholeNumber(1, 52), 8)
    .option('--json', 'print the forecast as JSON (as the API returns it)')
    .action(async (opts: { workspace: string; from?: string; days: number; interval: string; weeks: number; json?: boolean }) => {
      const forecast = await deps.withPlatform(async (p) =>
        forecastArrivals(p, await workspaceId(p, opts.workspace), { from: opts.from, days: opts.days, intervalMinutes: Number(opts.interval) as 15 | 30, weeks: opts.weeks }),
      );
      write(opts.json ? `${JSON.stringify(forecast)}\n` : formatForecast(forecast));
    });

  program
    .command('staff')
    .description('Agents needed per interval to meet service targets (Erlang C, or Erlang A where customers abandon)')
    .option('--workspace <slug>', 'workspace slug', 'demo')
    .option('--from <date>', 'first day, YYYY-MM-DD (default: tomorrow)', date)
    .option('--days <n>', 'days (1–7)', wholeNumber(1, 7), 1)
    .addOption(new Option('--interval <minutes>', 'interval length').choices(['15', '30']).default('30'))
    .option('--weeks <n>', 'weeks of history (1–52)', wholeNumber(1, 52), 8)
    .option('--service-level <share>', 'service level target, such as 0.8', number, 0.8)
    .option('--within <seconds>', 'answered within this many seconds', number, 20)
    .option('--max-occupancy <share>', 'occupancy cap, such as 0.85', number)
    .option('--max-abandon <share>', 'abandonment cap, such as 0.05 (Erlang A)', number)
    .option('--max-asa <seconds>', 'mean wait cap', number)
    .option('--shrinkage <share>', 'share of paid time off the queues, such as 0.3', number, 0)
    .addOption(new Option('--model <model>', 'queueing model').choices(['auto', 'erlangC', 'erlangA']).default('auto'))
    .option('--json', 'print the plan as JSON (as the API returns it)')
    .action(async (opts: Record<string, unknown> & { workspace: string; json?: boolean }) => {
      const parsed = staffingRequest.safeParse({
        from: opts.from,
        days: opts.days,
        intervalMinutes: Number(opts.interval),
        weeks: opts.weeks,
        targets: { serviceLevel: opts.serviceLevel, withinSeconds: opts.within, maxOccupancy: opts.maxOccupancy, maxAbandonRate: opts.maxAbandon, maxAsaSeconds: opts.maxAsa },
        shrinkage: opts.shrinkage,
        model: opts.model,
      });
      if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues.map((i) => i.message).join('; '));
      const plan = await deps.withPlatform(async (p) => staffingPlan(p, await workspaceId(p, opts.workspace), parsed.data));
      write(opts.json ? `${JSON.stringify(plan)}\n` : formatStaffing(plan));
    });

  program
    .command('simulate')
    .description('Simulate one day of a scenario file through the routing engine; prints KPIs per stream and in total. No database.')
    .requiredOption('--scenario <file>', 'scenario JSON (docs/workforce.md; the web app and POST /api/workforce/scenarios/from-workspace make one)')
    .option('--json', 'print the whole result as JSON')
    .action((opts: { scenario: string; json?: boolean }) => {
      const scenario = readScenarioFile(opts.scenario);
      // Progress on stderr (shown when stderr is a terminal); stdout carries only the result.
      const bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: 'simulate {bar} {percentage}% of the day', hideCursor: false, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(100, 0);
      const result = simulateDay(scenario, { onProgress: (fraction) => bar.update(Math.round(fraction * 100)) });
      bar.stop();
      write(opts.json ? `${JSON.stringify(result)}\n` : formatSimulation(result));
    });
}
