import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  prepareParetoNbd,
  type ParetoNbdParams,
} from '../../src/clv/paretonbd.ts';
import { lgamma } from '../../src/clv/special.ts';
import { simulateParetoNbd } from '../../src/clv/simulate.ts';
import { cdnowSummary } from './data.ts';

/** Equal to `digits` significant figures. */
const sig = (value: number, digits: number) => Number(value.toPrecision(digits));

// Published CDNOW Pareto/NBD estimates (weeks), two sources that agree to 3 significant figures:
// - Fader & Hardie's figures as asserted by the Python `lifetimes` test suite
//   (test_params_out_is_close_to_Hardie_paper): r 0.553, α 10.578, s 0.606, β 11.669;
// - R package BTYD, `pnbd.EstimateParameters` on its cdnowSummary (BTYD walkthrough vignette output,
//   also quoted in the BTYDplus CDNOW demo): 0.5534 10.5802 0.6061 11.6562, pnbd.cbs.LL −9594.976.
const hardie: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
const btyd: ParetoNbdParams = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };

/** Log-likelihood of one customer straight from the model's integral form, by Simpson's rule:
 *  ln Γ(r+x) − ln Γ(r) + r ln α + s ln β + ln[(α+T)^−(r+x)(β+T)^−s + s ∫_{t_x}^T (α+τ)^−(r+x)(β+τ)^−(s+1) dτ]. */
function quadratureLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number, n = 20_000): number {
  const { r, alpha, s, beta } = p;
  const f = (u: number) => Math.pow(alpha + u, -(r + x)) * Math.pow(beta + u, -(s + 1));
  const h = (T - tx) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) sum += (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * f(tx + i * h);
  const died = tx < T ? (s * sum * h) / 3 : 0;
  const alive = Math.pow(alpha + T, -(r + x)) * Math.pow(beta + T, -s);
  return lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta) + Math.log(alive + died);
}

describe('Pareto/NBD on the CDNOW 2,357-customer sample (weeks)', () => {
  const customers = cdnowSummary();
  const data = prepareParetoNbd(customers);

  it('fits the published parameters and log-likelihood to 3 significant figures', () => {
    const fit = fitParetoNbd(data);
    expect(sig(fit.params.r, 3)).toBe(0.553);
    expect(sig(fit.params.alpha, 3)).toBe(10.6);
    expect(sig(fit.params.s, 3)).toBe(0.606);
    expect(sig(fit.params.beta, 3)).toBe(11.7);
    // BTYD: −9594.976 (−9595.0 rounded); measured −9594.974.
    expect(fit.logLikelihood).toBeCloseTo(-9594.976, 1);
    expect(sig(fit.logLikelihood, 3)).toBe(-9590);
    // The maximum: at least as good as both published points.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(paretoNbdLogLikelihood(hardie, data) - 1e-6);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(paretoNbdLogLikelihood(btyd, data) - 1e-6);
    expect(paretoNbdLogLikelihood(btyd, data)).toBeCloseTo(-9594.976, 1);
  });

  it('is deterministic', () => {
    expect(fitParetoNbd(data)).toEqual(fitParetoNbd(customers));
  });

  it('reproduces the BTYD documentation for E[X(t)] of a new customer', () => {
    // lifetimes' test_expectation_returns_same_value_as_R_BTYD, quoting BTYD's pnbd.Expectation
    // example (params c(0.55, 10.56, 0.61, 11.64), t = 1:9).
    const example = { r: 0.55, alpha: 10.56, s: 0.61, beta: 11.64 };
    const published = [0.05077821, 0.09916088, 0.14542507, 0.1897993, 0.23247466, 0.27361274, 0.31335159, 0.35181024, 0.38909211];
    published.forEach((want, i) => expect(paretoNbdExpectedPurchasesNewCustomer(example, i + 1)).toBeCloseTo(want, 7));
    expect(paretoNbdExpectedPurchasesNewCustomer(example, 0)).toBe(0);
  });

  it('reproduces the BTYD walkthrough for customer 1516 (x=26, t_x=216 days, T=31 weeks)', () => {
    // Walkthrough: pnbd.ConditionalExpectedTransactions(params, T.star = 52, ...) = 25.46 and
    // pnbd.PAlive = 0.9979 at its fitted parameters (the same 25.46 is lifetimes'
    // test_conditional_expectation_returns_same_value_as_R_BTYD, tolerance 0.01).
    const c1516 = { frequency: 26, recency: 216 / 7, T: 31 };
    for (const p of [btyd, hardie]) {
      const e = paretoNbdExpectedPurchases(p, c1516, 52);
      expect(Math.abs(e - 25.46)).toBeLessThan(0.01);
      expect(sig(e, 3)).toBe(25.5);
      expect(paretoNbdProbabilityAlive(p, c1516)).toBeCloseTo(0.9979, 4);
    }
  });

  it('E[Y(t)] matches the model definition integrated numerically', () => {
    // Given alive at T, λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T) independently, and
    // E[Y(t) | λ, μ, alive] = λ (1 − e^−μt)/μ, so E[Y(t)] = P(alive) · (r+x)/(α+T) · ∫_0^t ((β+T)/(β+T+u))^s du.
    const cases: [ParetoNbdParams, { frequency: number; recency: number; T: number }, number][] = [
      [hardie, { frequency: 2, recency: 30.43, T: 38.86 }, 39],
      [hardie, { frequency: 0, recency: 0, T: 20 }, 52],
      [{ r: 1.3, alpha: 4, s: 1, beta: 9 }, { frequency: 7, recency: 12, T: 30 }, 26], // s = 1: the limit form
      [{ r: 0.4, alpha: 30, s: 2.5, beta: 2 }, { frequency: 15, recency: 3, T: 40 }, 100],
    ];
    for (const [p, c, t] of cases) {
      const n = 2000;
      const h = t / n;
      let integral = 0;
      for (let i = 0; i <= n; i++) integral += (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * Math.pow((p.beta + c.T) / (p.beta + c.T + i * h), p.s);
      integral *= h / 3;
      const want = paretoNbdProbabilityAlive(p, c) * ((p.r + c.frequency) / (p.alpha + c.T)) * integral;
      expect(paretoNbdExpectedPurchases(p, c, t)).toBeCloseTo(want, 9);
    }
  });

  it('P(alive) against the likelihood pieces computed by quadrature, and a sanity table', () => {
    // P(alive) = (alive piece) / (whole likelihood): check with the integral form.
    const p = hardie;
    for (const c of [{ frequency: 0, recency: 0, T: 30 }, { frequency: 4, recency: 10, T: 30 }, { frequency: 26, recency: 216 / 7, T: 31 }]) {
      const aliveLog = lgamma(p.r + c.frequency) - lgamma(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta) - (p.r + c.frequency) * Math.log(p.alpha + c.T) - p.s * Math.log(p.beta + c.T);
      const want = Math.exp(aliveLog - quadratureLogLikelihood(p, c.frequency, c.recency, c.T));
      expect(paretoNbdProbabilityAlive(p, c)).toBeCloseTo(want, 10);
    }
    // Exactly 1 when the last purchase is at T; below 1 without repeat purchases (unlike BG/NBD).
    expect(paretoNbdProbabilityAlive(p, { frequency: 3, recency: 20, T: 20 })).toBe(1);
    expect(paretoNbdProbabilityAlive(p, { frequency: 0, recency: 0, T: 30 })).toBeLessThan(1);
    // Heavy buyers who went silent are dead; heavy buyers who just bought are alive; no overflow.
    expect(paretoNbdProbabilityAlive(p, { frequency: 5000, recency: 10, T: 300 })).toBe(0);
    expect(paretoNbdExpectedPurchases(p, { frequency: 5000, recency: 10, T: 300 }, 52)).toBe(0);
    const busy = { frequency: 5000, recency: 299.9, T: 300 };
    expect(paretoNbdProbabilityAlive(p, busy)).toBeGreaterThan(0.9);
    expect(paretoNbdExpectedPurchases(p, busy, 52)).toBeGreaterThan(100);
    expect(Number.isFinite(paretoNbdLogLikelihood(p, prepareParetoNbd([busy, { frequency: 5000, recency: 10, T: 300 }])))).toBe(true);
  });

  it('recovers the parameters of a simulated population', () => {
    const truth = { r: 0.6, alpha: 8, s: 0.8, beta: 12 };
    const fit = fitParetoNbd(simulateParetoNbd(truth, 10_000, 42, 1, 52));
    const ratio = (k: keyof ParetoNbdParams) => fit.params[k] / truth[k];
    expect(ratio('r')).toBeGreaterThan(0.85);
    expect(ratio('r')).toBeLessThan(1.15);
    expect(ratio('alpha')).toBeGreaterThan(0.8);
    expect(ratio('alpha')).toBeLessThan(1.2);
    // The dropout parameters are identified only through silences, so they are looser.
    expect(ratio('s')).toBeGreaterThan(0.6);
    expect(ratio('s')).toBeLessThan(1.5);
    expect(ratio('beta')).toBeGreaterThan(0.5);
    expect(ratio('beta')).toBeLessThan(2);
    expect(simulateParetoNbd(truth, 50, 7)).toEqual(simulateParetoNbd(truth, 50, 7));
  });
});

const params = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.1, max: 100, noNaN: true }),
  s: fc.double({ min: 0.05, max: 5, noNaN: true }),
  beta: fc.double({ min: 0.1, max: 100, noNaN: true }),
});
const smoothParams = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 1, max: 100, noNaN: true }),
  s: fc.double({ min: 0.05, max: 5, noNaN: true }),
  beta: fc.double({ min: 1, max: 100, noNaN: true }),
});
const customer = fc
  .record({ x: fc.integer({ min: 0, max: 300 }), T: fc.double({ min: 0.5, max: 400, noNaN: true }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ x, T, share }) => ({ frequency: x, recency: x === 0 ? 0 : share * T, T }));

describe('Pareto/NBD properties', () => {
  it('the log-likelihood agrees with the integral form, for α ≥ β and α < β', () => {
    fc.assert(
      // α, β ≥ 1 keep the integrand smooth enough for Simpson's rule with 20,000 panels.
      fc.property(smoothParams, fc.integer({ min: 0, max: 12 }), fc.double({ min: 1, max: 60, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (p, x, T, share) => {
        const tx = x === 0 ? 0 : share * T;
        const got = paretoNbdLogLikelihood(p, prepareParetoNbd([{ frequency: x, recency: tx, T }]));
        const want = quadratureLogLikelihood(p, x, tx, T);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(want)));
      }),
      { numRuns: 60 },
    );
  });

  it('the log-likelihood is continuous where the ₂F₁ form switches (α = β)', () => {
    fc.assert(
      fc.property(params, customer, (p, c) => {
        const data = prepareParetoNbd([c]);
        const at = paretoNbdLogLikelihood({ ...p, beta: p.alpha }, data);
        const above = paretoNbdLogLikelihood({ ...p, beta: p.alpha * (1 + 1e-9) }, data);
        const below = paretoNbdLogLikelihood({ ...p, beta: p.alpha * (1 - 1e-9) }, data);
        expect(Number.isFinite(at)).toBe(true);
        expect(Math.abs(above - at)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(at)));
        expect(Math.abs(below - at)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(at)));
      }),
    );
  });

  it('P(alive) is a probability, 1 when t_x = T, and falls as the silence since t_x grows', () => {
    fc.assert(
      fc.property(params, customer, fc.double({ min: 0, max: 100, noNaN: true }), (p, c, more) => {
        const alive = paretoNbdProbabilityAlive(p, c);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        expect(paretoNbdProbabilityAlive(p, { ...c, recency: c.T })).toBe(1);
        expect(paretoNbdProbabilityAlive(p, { ...c, T: c.T + more })).toBeLessThanOrEqual(alive + 1e-12);
      }),
    );
  });

  it('expected purchases are finite, non-negative and grow with the horizon', () => {
    fc.assert(
      fc.property(params, customer, fc.double({ min: 0.1, max: 200, noNaN: true }), fc.double({ min: 0, max: 200, noNaN: true }), (p, c, t, more) => {
        const near = paretoNbdExpectedPurchases(p, c, t);
        const far = paretoNbdExpectedPurchases(p, c, t + more);
        expect(Number.isFinite(near)).toBe(true);
        expect(near).toBeGreaterThanOrEqual(0);
        expect(far).toBeGreaterThanOrEqual(near * (1 - 1e-12));
        const fresh = paretoNbdExpectedPurchasesNewCustomer(p, t);
        expect(paretoNbdExpectedPurchasesNewCustomer(p, t + more)).toBeGreaterThanOrEqual(fresh * (1 - 1e-12));
        // A new customer is the conditional expectation at x = t_x = T = 0 (there P(alive) = 1).
        expect(fresh).toBeCloseTo(paretoNbdExpectedPurchases(p, { frequency: 0, recency: 0, T: 0 }, t), 12);
      }),
    );
  });
});
