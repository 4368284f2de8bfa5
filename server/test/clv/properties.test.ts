import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedPurchases, probabilityAlive } from '../../src/clv/bgnbd.ts';
import { conditionalExpectedSpend } from '../../src/clv/gammagamma.ts';

const params = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.1, max: 100, noNaN: true }),
  a: fc.double({ min: 0.05, max: 5, noNaN: true }).filter((a) => Math.abs(a - 1) > 1e-3),
  b: fc.double({ min: 0.05, max: 10, noNaN: true }),
});
const customer = fc
  .record({ x: fc.integer({ min: 0, max: 300 }), T: fc.double({ min: 0.5, max: 400, noNaN: true }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ x, T, share }) => ({ frequency: x, recency: x === 0 ? 0 : share * T, T }));

describe('BG/NBD properties', () => {
  it('P(alive) is a probability, 1 for x = 0', () => {
    fc.assert(
      fc.property(params, customer, (p, c) => {
        const alive = probabilityAlive(p, c);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        if (c.frequency === 0) expect(alive).toBe(1);
      }),
    );
  });

  it('expected purchases are finite, non-negative and grow with the horizon', () => {
    fc.assert(
      fc.property(params, customer, fc.double({ min: 0.1, max: 200, noNaN: true }), fc.double({ min: 0, max: 200, noNaN: true }), (p, c, t, more) => {
        const near = expectedPurchases(p, c, t);
        const far = expectedPurchases(p, c, t + more);
        expect(Number.isFinite(near)).toBe(true);
        expect(near).toBeGreaterThanOrEqual(-1e-12);
        expect(far).toBeGreaterThanOrEqual(near - 1e-9 * (1 + near));
      }),
    );
  });

  it('E(M | x, zbar) lies between the population mean and the customer mean', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 1.1, max: 20, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        (p, q, v, x, zbar) => {
          const m = conditionalExpectedSpend({ p, q, v }, { frequency: x, monetaryValue: zbar });
          const population = (p * v) / (q - 1);
          expect(m).toBeGreaterThanOrEqual(Math.min(population, zbar) * (1 - 1e-12));
          expect(m).toBeLessThanOrEqual(Math.max(population, zbar) * (1 + 1e-12));
        },
      ),
    );
  });
});

describe('the Euler-transformed ₂F₁ in E[Y(t)]', () => {
  /** Direct series of ₂F₁(r+x, b+x; a+b+x−1; z): fine for small x and z, where nothing overflows. */
  const direct = (A: number, B: number, C: number, z: number) => {
    let term = 1;
    let sum = 1;
    for (let n = 0; n < 5000 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= ((A + n) * (B + n) * z) / ((C + n) * (n + 1));
      sum += term;
    }
    return sum;
  };
  it('agrees with eq. 10 evaluated directly where the direct series is safe', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 0, max: 5 }), fc.double({ min: 1, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), (p, x, T, share) => {
        const { r, alpha, a, b } = p;
        fc.pre(a + b + x - 1 > 0.05);
        const t = share * (alpha + T); // z = t / (α+T+t) <= 1/2
        const c = { frequency: x, recency: x === 0 ? 0 : T / 2, T };
        const z = t / (alpha + T + t);
        const bracket = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * direct(r + x, b + x, a + b + x - 1, z);
        const want = ((a + b + x - 1) / (a - 1)) * bracket * probabilityAlive(p, c);
        const got = expectedPurchases(p, c, t);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-8 * (1 + Math.abs(want)));
      }),
    );
  });
});
