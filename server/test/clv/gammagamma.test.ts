import { describe, expect, it } from 'vitest';
import { conditionalExpectedSpend, fitGammaGamma, spendCustomers } from '../../src/clv/gammagamma.ts';
import { expectedPurchases } from '../../src/clv/bgnbd.ts';
import { expectedClv, MONTH_IN_WEEKS } from '../../src/clv/value.ts';
import { readCdnowTransactions } from '../../src/clv/clv.files.ts';
import { summarize } from '../../src/clv/summary.ts';
import { cdnowWithSpend, dataFile } from './data.ts';

const spend = () => cdnowWithSpend().map((c) => ({ ...c, monetaryValue: c.monetaryValue! }));

describe('Gamma-Gamma on the CDNOW sample (946 repeat customers, zbar)', () => {
  it('fits the published p 6.25, q 3.74, v (γ) 15.44 and log-likelihood about -4055.92', () => {
    const customers = spend();
    expect(spendCustomers(customers)).toHaveLength(946);
    const fit = fitGammaGamma(customers);
    expect(fit.params.p).toBeCloseTo(6.25, 2);
    expect(fit.params.q).toBeCloseTo(3.74, 2);
    expect(fit.params.v).toBeCloseTo(15.44, 1);
    expect(Math.abs(fit.params.v - 15.44)).toBeLessThan(0.01);
    expect(fit.logLikelihood).toBeCloseTo(-4055.92, 1);
  });

  it("reproduces the spreadsheet's E(M | x, zbar) for customers 1-10 (fitted parameters, unrounded zbar)", () => {
    const fit = fitGammaGamma(spend());
    // The spreadsheet uses the exact zbar (customer 1: 22.345, printed 22.35 in the CSV).
    const exact = new Map(summarize(readCdnowTransactions(dataFile('CDNOW_sample.txt')), '1997-09-30', 'week').map((s) => [s.customerId, s]));
    const expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    expected.forEach((value, i) => expect(conditionalExpectedSpend(fit.params, exact.get(String(i + 1))!)).toBeCloseTo(value, 2));
  });

  it('expected CLV: undiscounted equals E(M)·E[Y(H)], discounting lowers it', () => {
    const bg = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 };
    const gg = { p: 6.25, q: 3.74, v: 15.44 };
    const customer = { frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 };
    const plain = expectedClv(bg, gg, customer, { periods: 12, periodLength: MONTH_IN_WEEKS, discountRate: 0 });
    expect(plain).toBeCloseTo(conditionalExpectedSpend(gg, customer) * expectedPurchases(bg, customer, 12 * MONTH_IN_WEEKS), 10);
    const discounted = expectedClv(bg, gg, customer, { periods: 12, periodLength: MONTH_IN_WEEKS, discountRate: 0.01 });
    expect(discounted).toBeLessThan(plain);
    expect(discounted).toBeGreaterThan(plain / 1.01 ** 12);
  });
});
