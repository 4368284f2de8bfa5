// The check the reference suggests (../shared/docs/workforce-reference.md, "Limits worth a test"):
// a long simulated M/M/N+M centre must put the exact P(wait) and P(abandon) inside its confidence
// intervals, by batch means over a long run. Seeded, so the outcome is deterministic.
import { describe, expect, it } from 'vitest';
import { erlangA } from '../../src/workforce/erlangA.ts';
import { seededUniform } from '../../src/workforce/simulate.ts';

/** Simulates the birth–death chain event by event; returns per-batch P(wait) and P(abandon) of arrivals. */
function simulate(N: number, lambda: number, mu: number, theta: number, batches: number, arrivalsPerBatch: number, seed: number) {
  const random = seededUniform(seed);
  let n = 0;
  const wait: number[] = [];
  const abandon: number[] = [];
  // warm-up
  for (let i = 0; i < 10 * arrivalsPerBatch; ) {
    const up = lambda;
    const total = up + Math.min(n, N) * mu + Math.max(n - N, 0) * theta;
    if (random() * total < up) {
      n++;
      i++;
    } else n--;
  }
  for (let b = 0; b < batches; b++) {
    let arrivals = 0;
    let waited = 0;
    let abandoned = 0;
    while (arrivals < arrivalsPerBatch) {
      const served = Math.min(n, N) * mu;
      const total = lambda + served + Math.max(n - N, 0) * theta;
      const u = random() * total;
      if (u < lambda) {
        arrivals++;
        if (n >= N) waited++;
        n++;
      } else {
        if (u >= lambda + served) abandoned++;
        n--;
      }
    }
    wait.push(waited / arrivals);
    abandon.push(abandoned / arrivals);
  }
  return { wait, abandon };
}

function interval(xs: number[]): [number, number] {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
  const half = 2.09 * (sd / Math.sqrt(xs.length)); // t(0.975, 19)
  return [m - half, m + half];
}

describe('Erlang A against a simulated M/M/N+M centre (batch means)', () => {
  it('A1 scenario: exact P(wait) and P(abandon) lie in the 95% intervals of 20 batches × 40,000 calls', () => {
    const exact = erlangA({ contacts: 100, intervalSeconds: 1800, ahtSeconds: 180, patienceSeconds: 300 }, 14, 20);
    const sim = simulate(14, 100 / 1800, 1 / 180, 1 / 300, 20, 40_000, 4242);
    const [wLo, wHi] = interval(sim.wait);
    const [aLo, aHi] = interval(sim.abandon);
    expect(exact.probabilityOfWait).toBeGreaterThanOrEqual(wLo);
    expect(exact.probabilityOfWait).toBeLessThanOrEqual(wHi);
    expect(exact.probabilityOfAbandon).toBeGreaterThanOrEqual(aLo);
    expect(exact.probabilityOfAbandon).toBeLessThanOrEqual(aHi);
  });
});
