/** Runs `fn` for a warm-up, then for `iterations`, and returns operations per second. */
export async function opsPerSecond(fn: (i: number) => Promise<unknown>, iterations: number, warmup = Math.ceil(iterations / 10)): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn(warmup + i);
  return iterations / ((performance.now() - start) / 1000);
}

export interface Row {
  name: string;
  baseline: string;
  opsPerSecond: number;
  baselineOpsPerSecond: number;
}

export function printTable(rows: Row[]): void {
  const lines = rows.map((r) => [
    r.name,
    r.opsPerSecond.toFixed(0),
    r.baseline,
    r.baselineOpsPerSecond.toFixed(0),
    (r.baselineOpsPerSecond / r.opsPerSecond).toFixed(2),
  ]);
  const header = ['benchmark', 'ops/s', 'baseline', 'baseline ops/s', 'cost ratio (baseline/this)'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`);
}
