// Published worked examples C1–C6 and A1–A2 from ../shared/docs/workforce-reference.md; each case
// names the source the reference cites. Tolerances are half a unit in the last digit published.
import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, offeredLoad, probabilityOfWait, UnstableQueueError, type ErlangCMetrics } from '../../src/workforce/erlang.ts';
import { erlangA, SERVICE_LEVEL_CONVENTION } from '../../src/workforce/erlangA.ts';
import { applyShrinkage, requiredAgents } from '../../src/workforce/staffing.ts';

/** |got − want| ≤ half a unit of the last published decimal. */
function near(got: number, want: number, decimals: number): void {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

const halfHour = { contacts: 100, intervalSeconds: 1800, ahtSeconds: 180 };

function stable(r: ReturnType<typeof erlangC>): ErlangCMetrics {
  if (!r.stable) throw r.error;
  return r;
}

describe('Erlang C, published cases', () => {
  it('C1: 100 calls / 30 min, AHT 180 s, 14 agents, 20 s (CRAN ErlangC 0.1.0 README; pyworkforce 0.1.0 README; Call Centre Helper)', () => {
    expect(offeredLoad(halfHour)).toBe(10);
    const r = stable(erlangC(halfHour, 14, 20));
    near(r.probabilityOfWait, 0.1741319, 7);
    near(r.serviceLevel, 0.88835, 5);
    near(r.asaSeconds, 7.836, 3);
    near(r.occupancy * 100, 71.4, 1);
  });

  it('C2: the same with 11 agents (CRAN ErlangC README)', () => {
    const r = stable(erlangC(halfHour, 11, 20));
    near(r.probabilityOfWait, 0.6821182, 7);
    near(r.serviceLevel, 0.3896138, 7);
  });

  it('C3: 80% in 20 s, occupancy ≤ 85%, shrinkage 30% → 14 on the phones, 20 scheduled (pyworkforce README; CRAN ErlangC)', () => {
    const r = requiredAgents(halfHour, { serviceLevel: { target: 0.8, withinSeconds: 20 }, maxOccupancy: 0.85 }, { kind: 'erlangC' }, { shrinkage: 0.3 });
    expect(r.agents).toBe(14);
    expect(r.scheduled).toBe(20);
  });

  it('C4: 2 agents, 30 calls/h, AHT 60 s: P(W > 10 s) = 0.0779, "fewer than 8 percent" (al911.org, Footbridge "Call Calc")', () => {
    const r = stable(erlangC({ contacts: 30, intervalSeconds: 3600, ahtSeconds: 60 }, 2, 10));
    near(1 - r.serviceLevel, 0.0779, 4);
    expect(1 - r.serviceLevel).toBeLessThan(0.08);
  });

  it('C5: the same with 20 s wrap-up (AHT 80 s): P(W > 10 s) = 0.141, "QOS falls to 14 percent" (same note)', () => {
    const r = stable(erlangC({ contacts: 30, intervalSeconds: 3600, ahtSeconds: 80 }, 2, 10));
    near(1 - r.serviceLevel, 0.141, 3);
  });

  it('C6: 200 calls / 30 min, AHT 180 s, 80% within 60 s → 23 agents, occupancy 87% (phubers/erlang R package vignette)', () => {
    const r = requiredAgents({ ...halfHour, contacts: 200 }, { serviceLevel: { target: 0.8, withinSeconds: 60 } }, { kind: 'erlangC' });
    expect(r.agents).toBe(23);
    near(r.occupancy * 100, 87, 0);
  });
});

describe('Erlang A, published cases', () => {
  const a1 = { ...halfHour, patienceSeconds: 300 };

  it('A1: patience 5 min, 14 agents, t = 20 s (pyworkforce test suite, exact chain)', () => {
    const r = erlangA(a1, 14, 20);
    near(r.probabilityOfWait, 0.14526, 5);
    near(r.probabilityOfAbandon, 0.013984, 6);
    near(r.occupancy, 0.704297, 6);
    near(r.meanWaitSeconds / 60, 0.069919, 6);
    expect(r.serviceLevelConvention).toBe(SERVICE_LEVEL_CONVENTION);
    expect(SERVICE_LEVEL_CONVENTION).toBe('answered-within-t-over-all-arrivals');
    near(r.serviceLevel, 0.916792, 6);
  });

  it('A2: SL ≥ 80% in 20 s, occupancy ≤ 85%, P(abandon) ≤ 5%, shrinkage 30% → 13 agents, 19 scheduled (pyworkforce guide "Erlang A")', () => {
    const r = requiredAgents(
      halfHour,
      { serviceLevel: { target: 0.8, withinSeconds: 20 }, maxOccupancy: 0.85, maxAbandon: 0.05 },
      { kind: 'erlangA', patienceSeconds: 300 },
      { shrinkage: 0.3 },
    );
    expect(r.agents).toBe(13);
    expect(r.scheduled).toBe(19);
    near(r.serviceLevel, 0.858, 3);
    near(r.occupancy, 0.75, 3);
    near(r.probabilityOfAbandon, 0.025, 3);
    near(r.probabilityOfWait, 0.226, 3);
  });
});

describe('edges', () => {
  it('refuses N ≤ A with a typed result, never a number', () => {
    const r = erlangC(halfHour, 10, 20);
    expect(r.stable).toBe(false);
    if (!r.stable) {
      expect(r.error).toBeInstanceOf(UnstableQueueError);
      expect(r.error.code).toBe('unstable_queue');
    }
    expect(() => probabilityOfWait(9, 10)).toThrow(UnstableQueueError);
  });

  it('works for 2,000 agents without overflow, and Erlang B matches a small hand value', () => {
    near(erlangB(2, 0.5), 1 / 13, 15); // B(2, 0.5) = (0.125) / (1 + 0.5 + 0.125)
    const big = stable(erlangC({ contacts: 19_500, intervalSeconds: 1800, ahtSeconds: 180 }, 2000, 20));
    expect(big.probabilityOfWait).toBeGreaterThan(0);
    expect(big.probabilityOfWait).toBeLessThan(1);
    expect(Number.isFinite(big.asaSeconds)).toBe(true);
    const a = erlangA({ contacts: 19_500, intervalSeconds: 1800, ahtSeconds: 180, patienceSeconds: 300 }, 2000, 20);
    expect(a.probabilityOfWait).toBeLessThanOrEqual(big.probabilityOfWait);
    // Overloaded with patient callers: the tail peaks far above state N and must not overflow.
    const over = erlangA({ contacts: 40_000, intervalSeconds: 1800, ahtSeconds: 180, patienceSeconds: 3000 }, 1500, 20);
    expect(over.probabilityOfWait).toBeCloseTo(1, 9);
    expect(over.occupancy).toBeLessThanOrEqual(1);
    near(over.occupancy, 1, 6);
  });

  it('shrinkage rounds up, but not past an exact quotient', () => {
    expect(applyShrinkage(14, 0.3)).toBe(20);
    expect(applyShrinkage(13, 0.3)).toBe(19);
    expect(applyShrinkage(0, 0.3)).toBe(0);
    expect(() => applyShrinkage(10, 1)).toThrow(RangeError);
  });
});
