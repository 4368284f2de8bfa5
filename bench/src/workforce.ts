// Workforce benchmark (server/src/workforce, pure math):
// 1. Staffing speed: required agents by Erlang C and by Erlang A, each next to a baseline measured in
//    the same run: the textbook search that recomputes Erlang C from B₀ for every candidate N
//    (O(N²) where ours is O(N)).
// 2. Forecast backtest on ../shared/data/forecast/bank_calls.csv (if present): the seasonal
//    forecaster's WAPE/MAPE on the last 20 days next to the four naive baselines of the data README,
//    all computed here by the same backtest code.
//
//   npm run bench -- workforce
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { erlangB, erlangCFromB, erlangCServiceLevel, offeredLoad, type Traffic } from '../../server/src/workforce/erlang.ts';
import { backtest, daysFromIntervals, DEFAULT_SEASONAL_PARAMS, NAIVE_BASELINES, seasonalForecaster, type BacktestResult, type Forecaster } from '../../server/src/workforce/forecast.ts';
import { requiredAgents, type StaffingTargets } from '../../server/src/workforce/staffing.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bankCalls = path.resolve(repoRoot, '../shared/data/forecast/bank_calls.csv');

/** Calls per second of `fn`, after a warm-up, over at least ~200 ms. */
function callsPerSecond(fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 200 || n < 5) {
    fn();
    n++;
    elapsed = performance.now() - start;
  }
  return n / (elapsed / 1000);
}

/** The textbook search: for N = ⌊A⌋+1, … recompute B(N, A) from B₀, then C and SL, until SL ≥ target. */
function naiveErlangCAgents(traffic: Traffic, target: number, within: number): number {
  const load = offeredLoad(traffic);
  for (let n = Math.floor(load) + 1; ; n++) {
    const c = erlangCFromB(erlangB(n, load), n, load);
    if (erlangCServiceLevel(c, n, load, within, traffic.ahtSeconds) >= target) return n;
  }
}

export function workforceBenchmark(): void {
  const targets: StaffingTargets = { serviceLevel: { target: 0.8, withinSeconds: 20 } };
  const rows: string[][] = [];
  for (const contacts of [100, 1_000, 20_000]) {
    const traffic = { contacts, intervalSeconds: 1800, ahtSeconds: 180 };
    const load = offeredLoad(traffic);
    const baseline = callsPerSecond(() => naiveErlangCAgents(traffic, 0.8, 20));
    const c = requiredAgents(traffic, targets, { kind: 'erlangC' });
    if (c.agents !== naiveErlangCAgents(traffic, 0.8, 20)) throw new Error('Erlang C staffing disagrees with the baseline');
    const cOps = callsPerSecond(() => requiredAgents(traffic, targets, { kind: 'erlangC' }));
    const aTargets = { ...targets, maxAbandon: 0.05 };
    const a = requiredAgents(traffic, aTargets, { kind: 'erlangA', patienceSeconds: 300 });
    const aOps = callsPerSecond(() => requiredAgents(traffic, aTargets, { kind: 'erlangA', patienceSeconds: 300 }));
    rows.push([`Erlang C staffing, A = ${load}`, `${c.agents}`, cOps.toFixed(0), baseline.toFixed(0), (cOps / baseline).toFixed(2)]);
    rows.push([`Erlang A staffing (patience 300 s), A = ${load}`, `${a.agents}`, aOps.toFixed(0), baseline.toFixed(0), (aOps / baseline).toFixed(2)]);
  }
  process.stdout.write('\nWorkforce staffing (80% in 20 s, AHT 180 s, half-hour interval; Erlang A also P(abandon) ≤ 5%)\n');
  process.stdout.write('baseline: Erlang C search recomputing B(N, A) from B0 for every candidate N, same run\n\n');
  table(['benchmark', 'agents', 'ops/s', 'baseline ops/s', 'speed vs baseline'], rows);

  if (!existsSync(bankCalls)) {
    process.stdout.write(`\nForecast backtest skipped: ${bankCalls} not found (it lives outside the repository).\n`);
    return;
  }
  const lines = readFileSync(bankCalls, 'utf8').trim().split('\n').slice(1);
  const days = daysFromIntervals(
    lines.map((line) => {
      const cells = line.split(',');
      return { start: cells[1]!, count: Number(cells[2]) };
    }),
  );
  const methods: { name: string; forecaster: Forecaster }[] = [{ name: 'seasonal (Hoorn)', forecaster: seasonalForecaster(DEFAULT_SEASONAL_PARAMS) }, ...NAIVE_BASELINES];
  const windows: { label: string; data: typeof days }[] = [
    { label: 'last 20 days (reported; parameters not tuned on it)', data: days },
    { label: 'the 20 days before them (validation window the defaults were chosen on)', data: days.slice(0, -20) },
  ];
  for (const w of windows) {
    const results: [string, BacktestResult, number][] = methods.map((m) => {
      const start = performance.now();
      const r = backtest(w.data, m.forecaster, { testDays: 20, aggregations: [1, 6] });
      return [m.name, r, performance.now() - start];
    });
    const r0 = results[0]![1];
    process.stdout.write(`\nForecast backtest, bank_calls (${days.length} weekdays x ${days[0]!.counts.length} five-minute intervals), ${w.label}: ${r0.testDates[0]} .. ${r0.testDates.at(-1)}\n\n`);
    table(
      ['method', 'WAPE 5-min', 'MAPE 5-min', 'WAPE 30-min', 'MAPE 30-min', 'daily-total APE', 'ms'],
      results.map(([name, r, ms]) => [
        name,
        r.byAggregation.get(1)!.wape.toFixed(4),
        r.byAggregation.get(1)!.mape.toFixed(4),
        r.byAggregation.get(6)!.wape.toFixed(4),
        r.byAggregation.get(6)!.mape.toFixed(4),
        r.dailyTotalApe.toFixed(4),
        ms.toFixed(0),
      ]),
    );
  }
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
}
