import { describe, expect, it } from 'vitest';
import {
  bgNbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgNbd,
  prepareBgNbd,
  probabilityAlive,
} from '../../src/clv/bgnbd.ts';
import { simulateBgNbd } from '../../src/clv/simulate.ts';
import { cdnowSummary } from './data.ts';

/** Equal to `digits` significant figures. */
const sig = (value: number, digits: number) => Number(value.toPrecision(digits));
// Full-precision published parameters (README of the data: Fader, Hardie & Lee 2005a; BTYD vignette).
const published = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 };

describe('BG/NBD on the CDNOW 2,357-customer sample (weeks)', () => {
  const customers = cdnowSummary();

  it('fits the published parameters and log-likelihood to 3 significant figures', () => {
    const fit = fitBgNbd(customers);
    expect(sig(fit.params.r, 3)).toBe(0.243);
    expect(sig(fit.params.alpha, 4)).toBe(4.414);
    expect(sig(fit.params.a, 3)).toBe(0.793);
    expect(sig(fit.params.b, 4)).toBe(2.426);
    expect(fit.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(sig(fit.logLikelihood, 3)).toBe(-9580);
    // The maximum: no better than the published point, and at least as good.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(published, prepareBgNbd(customers)) - 1e-6);
  });

  it('is deterministic', () => {
    expect(fitBgNbd(customers)).toEqual(fitBgNbd(customers));
  });

  it("reproduces the paper's worked example: E[X(39) | x=2, t_x=30.43, T=38.86] = 1.226", () => {
    expect(expectedPurchases(published, { frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
    const fit = fitBgNbd(customers);
    expect(expectedPurchases(fit.params, { frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  it('reproduces the published expectations for a new customer', () => {
    expect(expectedPurchasesNewCustomer(published, 1)).toBeCloseTo(0.0532, 4);
    expect(expectedPurchasesNewCustomer(published, 3)).toBeCloseTo(0.1506, 4);
    expect(expectedPurchasesNewCustomer(published, 32)).toBeCloseTo(1.0437, 4);
    // Spreadsheet: 1.8576; the exact ₂F₁ (checked against mpmath) gives 1.85794 at these parameters.
    expect(expectedPurchasesNewCustomer(published, 78)).toBeCloseTo(1.8579, 4);
  });

  it('reproduces the BTYD vignette for customer 1516 (x=26, t_x=216 days, T=31 weeks)', () => {
    const c1516 = { frequency: 26, recency: 216 / 7, T: 31 };
    expect(expectedPurchases(published, c1516, 52)).toBeCloseTo(25.7566, 2);
    expect(probabilityAlive(published, c1516)).toBeCloseTo(0.96885, 4);
  });

  it('"more purchases, less alive": E[X(52) | x, t_x=20, T=39] falls with x', () => {
    const expected = [0.34746, 0.042834, 0.004159, 0.00035837];
    [10, 15, 20, 25].forEach((x, i) => {
      const value = expectedPurchases(published, { frequency: x, recency: 20, T: 39 }, 52);
      expect(sig(value, 4)).toBe(sig(expected[i]!, 4));
    });
  });

  it('P(alive) is exactly 1 without repeat purchases, and finite for huge x', () => {
    expect(probabilityAlive(published, { frequency: 0, recency: 0, T: 38 })).toBe(1);
    const heavy = { frequency: 5000, recency: 10, T: 300 };
    expect(probabilityAlive(published, heavy)).toBe(0);
    expect(expectedPurchases(published, heavy, 52)).toBe(0);
    const busy = { frequency: 5000, recency: 299.9, T: 300 };
    expect(Number.isFinite(expectedPurchases(published, busy, 52))).toBe(true);
    expect(expectedPurchases(published, busy, 52)).toBeGreaterThan(100);
  });

  it('recovers the parameters of a simulated population', () => {
    const truth = { r: 0.5, alpha: 6, a: 0.8, b: 2.5 };
    const fit = fitBgNbd(simulateBgNbd(truth, 20_000, 42, 1, 52));
    expect(fit.params.r).toBeCloseTo(truth.r, 1);
    expect(fit.params.alpha / truth.alpha).toBeGreaterThan(0.85);
    expect(fit.params.alpha / truth.alpha).toBeLessThan(1.15);
    expect(fit.params.a / truth.a).toBeGreaterThan(0.7);
    expect(fit.params.a / truth.a).toBeLessThan(1.3);
    expect(fit.params.b / truth.b).toBeGreaterThan(0.6);
    expect(fit.params.b / truth.b).toBeLessThan(1.4);
  });
});
