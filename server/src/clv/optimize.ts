// A deterministic Nelder–Mead simplex minimiser with restarts. The models run it on log-parameters,
// so every point is a valid parameter vector and the scale of α (days vs weeks) does not matter.

export interface MinimizeOptions {
  /** Initial simplex step along each coordinate (default 0.5: a factor e^0.5 on a log-parameter). */
  step?: number;
  /** Stop a run when the simplex's function values and coordinates are this close (default 1e-10). */
  tolerance?: number;
  /** Iterations per run (default 2,000). */
  maxIterations?: number;
  /** Restarts (with a step of step/5) from the best point until a run improves by less than `tolerance` (default up to 5). */
  maxRestarts?: number;
  /** Called after every iteration with the running count and the best value so far. */
  onIteration?: (iteration: number, best: number) => void;
}

export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  restarts: number;
}

export function nelderMead(f: (x: number[]) => number, x0: number[], options: MinimizeOptions = {}): MinimizeResult {
  const step = options.step ?? 0.5;
  const tol = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 2_000;
  const maxRestarts = options.maxRestarts ?? 5;
  const n = x0.length;
  let evaluations = 0;
  let iterations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };

  let best = x0.slice();
  let bestValue = evaluate(best);
  let restarts = 0;
  for (let run = 0; run <= maxRestarts; run++) {
    const before = bestValue;
    const simplex: number[][] = [best.slice()];
    for (let i = 0; i < n; i++) {
      const p = best.slice();
      p[i] = p[i]! + (run === 0 ? step : step / 5);
      simplex.push(p);
    }
    const values = simplex.map((p, i) => (i === 0 ? bestValue : evaluate(p)));
    for (let it = 0; it < maxIterations; it++) {
      iterations++;
      const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
      const s = order.map((i) => simplex[i]!);
      const v = order.map((i) => values[i]!);
      for (let i = 0; i <= n; i++) {
        simplex[i] = s[i]!;
        values[i] = v[i]!;
      }
      options.onIteration?.(iterations, values[0]!);
      const spread = Math.abs(values[n]! - values[0]!);
      let size = 0;
      for (let i = 1; i <= n; i++) for (let j = 0; j < n; j++) size = Math.max(size, Math.abs(simplex[i]![j]! - simplex[0]![j]!));
      if (spread <= tol * (Math.abs(values[0]!) + tol) && size <= Math.sqrt(tol)) break;

      const centroid = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]![j]! / n;
      const towards = (t: number) => centroid.map((c, j) => c + t * (simplex[n]![j]! - c));
      const reflected = towards(-1);
      const fr = evaluate(reflected);
      if (fr < values[0]!) {
        const expanded = towards(-2);
        const fe = evaluate(expanded);
        if (fe < fr) [simplex[n], values[n]] = [expanded, fe];
        else [simplex[n], values[n]] = [reflected, fr];
      } else if (fr < values[n - 1]!) {
        [simplex[n], values[n]] = [reflected, fr];
      } else {
        const outside = fr < values[n]!;
        const contracted = towards(outside ? -0.5 : 0.5);
        const fc = evaluate(contracted);
        if (fc < (outside ? fr : values[n]!)) {
          [simplex[n], values[n]] = [contracted, fc];
        } else {
          for (let i = 1; i <= n; i++) {
            simplex[i] = simplex[i]!.map((x, j) => simplex[0]![j]! + 0.5 * (x - simplex[0]![j]!));
            values[i] = evaluate(simplex[i]!);
          }
        }
      }
    }
    let k = 0;
    for (let i = 1; i <= n; i++) if (values[i]! < values[k]!) k = i;
    if (values[k]! <= bestValue) {
      best = simplex[k]!.slice();
      bestValue = values[k]!;
    }
    restarts = run;
    if (run > 0 && before - bestValue <= tol * (Math.abs(bestValue) + tol)) break;
  }
  return { x: best, value: bestValue, iterations, evaluations, restarts };
}
