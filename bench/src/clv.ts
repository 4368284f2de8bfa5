// Lifetime-value benchmark: maximum-likelihood fit of BG/NBD (server/src/clv, pure) on the CDNOW
// sample and on a generated population, and of Pareto/NBD on the CDNOW sample, each next to a
// baseline measured in the same run on the same data: one evaluation of that model's log-likelihood
// (what every optimiser step pays at least once). The ratio fit time / one log-likelihood pass is
// the number of passes the fit costs.
//
//   npm run bench -- clv
//
// Knobs: BENCH_CLV_CUSTOMERS (generated customers, default 1,000,000), BENCH_SEED.
// Goals (issue 6): CDNOW fit under 0.5 s, 1,000,000 customers under 60 s.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bgNbdLogLikelihood, fitBgNbd, prepareBgNbd, type BgNbdData } from '../../server/src/clv/bgnbd.ts';
import { readSummaryCsv } from '../../server/src/clv/clv.files.ts';
import { fitGammaGamma } from '../../server/src/clv/gammagamma.ts';
import { fitParetoNbd, paretoNbdLogLikelihood, prepareParetoNbd, type ParetoNbdData } from '../../server/src/clv/paretonbd.ts';
import { simulateBgNbd } from '../../server/src/clv/simulate.ts';

const CUSTOMERS = Number(process.env.BENCH_CLV_CUSTOMERS ?? 1_000_000);
const SEED = Number(process.env.BENCH_SEED ?? 20_260_302);
const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../reference-data/clv');
const published = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 };
// Pareto/NBD on CDNOW as published by Fader & Hardie (the baseline pass is evaluated here).
const publishedParetoNbd = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

const ms = (since: number) => performance.now() - since;
const fmt = (v: number) => v.toPrecision(4);

interface ClvRow {
  name: string;
  customers: number;
  fitMs: number;
  evaluations: number;
  passMs: number;
  goalMs: number;
  result: string;
}

function onePass(data: BgNbdData): number {
  const start = performance.now();
  bgNbdLogLikelihood(published, data);
  return ms(start);
}

function oneParetoNbdPass(data: ParetoNbdData): number {
  const start = performance.now();
  paretoNbdLogLikelihood(publishedParetoNbd, data);
  return ms(start);
}

export function clvBenchmark(): void {
  const rows: ClvRow[] = [];

  // 1. CDNOW 2,357-customer summary (weeks), first fit in the process (cold JIT), then a warm one.
  const cdnow = readSummaryCsv(path.join(dataFile('cdnow_customers_summary_with_transactions.csv')));
  for (const label of ['cold', 'warm']) {
    const start = performance.now();
    const fit = fitBgNbd(prepareBgNbd(cdnow));
    const fitMs = ms(start);
    const pass = Math.min(...Array.from({ length: 20 }, () => onePass(prepareBgNbd(cdnow))));
    rows.push({
      name: `BG/NBD fit, CDNOW (${label})`,
      customers: cdnow.length,
      fitMs,
      evaluations: fit.evaluations,
      passMs: pass,
      goalMs: 500,
      result: `r ${fmt(fit.params.r)} α ${fmt(fit.params.alpha)} a ${fmt(fit.params.a)} b ${fmt(fit.params.b)} LL ${fit.logLikelihood.toFixed(2)}`,
    });
  }
  // Pareto/NBD on the same summary: first Pareto/NBD fit in the process, then a warm one.
  for (const label of ['cold', 'warm']) {
    const start = performance.now();
    const fit = fitParetoNbd(prepareParetoNbd(cdnow));
    const fitMs = ms(start);
    const pass = Math.min(...Array.from({ length: 20 }, () => oneParetoNbdPass(prepareParetoNbd(cdnow))));
    rows.push({
      name: `Pareto/NBD fit, CDNOW (${label})`,
      customers: cdnow.length,
      fitMs,
      evaluations: fit.evaluations,
      passMs: pass,
      goalMs: 500,
      result: `r ${fmt(fit.params.r)} α ${fmt(fit.params.alpha)} s ${fmt(fit.params.s)} β ${fmt(fit.params.beta)} LL ${fit.logLikelihood.toFixed(2)}`,
    });
  }
  const ggStart = performance.now();
  const gg = fitGammaGamma(cdnow.map((c) => ({ frequency: c.frequency, monetaryValue: c.monetaryValue ?? 0 })));
  const ggMs = ms(ggStart);

  // 2. A generated population from the CDNOW parameters, T uniform in [1, 39] weeks.
  const genStart = performance.now();
  const generated = simulateBgNbd(published, CUSTOMERS, SEED, 1, 39);
  const genMs = ms(genStart);
  const start = performance.now();
  const data = prepareBgNbd(generated);
  let lastReport = 0;
  const fit = fitBgNbd(data, {
    onIteration: (i, v) => {
      if (performance.now() - lastReport > 2000) {
        process.stderr.write(`  ... generated fit: iteration ${i}, -LL/customer ${v.toFixed(6)}\n`);
        lastReport = performance.now();
      }
    },
  });
  const fitMs = ms(start);
  rows.push({
    name: 'BG/NBD fit, generated',
    customers: CUSTOMERS,
    fitMs,
    evaluations: fit.evaluations,
    passMs: Math.min(onePass(data), onePass(data), onePass(data)),
    goalMs: 60_000,
    result: `r ${fmt(fit.params.r)} α ${fmt(fit.params.alpha)} a ${fmt(fit.params.a)} b ${fmt(fit.params.b)} (truth: CDNOW's)`,
  });

  const header = ['benchmark', 'customers', 'fit ms', 'LL evals', 'baseline: 1 LL pass ms', 'fit / pass', 'goal ms', 'met', 'fitted'];
  const lines = rows.map((r) => [
    r.name,
    String(r.customers),
    r.fitMs.toFixed(1),
    String(r.evaluations),
    r.passMs.toFixed(3),
    (r.fitMs / r.passMs).toFixed(0),
    String(r.goalMs),
    r.fitMs < r.goalMs ? 'yes' : 'NO',
    r.result,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\nCLV benchmarks (pure math; data generated with seed ${SEED} in ${(genMs / 1000).toFixed(1)} s)\n\n`);
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(line).join('\n')}\n`);
  process.stdout.write(
    `\nGamma-Gamma fit, CDNOW 946 repeat customers: ${ggMs.toFixed(1)} ms (p ${fmt(gg.params.p)} q ${fmt(gg.params.q)} v ${fmt(gg.params.v)}; ${gg.evaluations} LL evals)\n`,
  );
}

function dataFile(name: string): string {
  return path.join(dataDir, name);
}
