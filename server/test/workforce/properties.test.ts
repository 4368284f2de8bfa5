import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangC, offeredLoad } from '../../src/workforce/erlang.ts';
import { erlangA } from '../../src/workforce/erlangA.ts';
import { meetsTargets, queueFigures, requiredAgents, staffingCurve, type QueueModel, type StaffingTargets } from '../../src/workforce/staffing.ts';

const traffic = fc.record({
  contacts: fc.double({ min: 1, max: 3000, noNaN: true }),
  intervalSeconds: fc.constantFrom(900, 1800, 3600),
  ahtSeconds: fc.double({ min: 30, max: 900, noNaN: true }),
});

describe('Erlang C properties', () => {
  it('P(wait) is in [0, 1] and SL(t) increases with N', () => {
    fc.assert(
      fc.property(traffic, fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 120, noNaN: true }), (t, extra, within) => {
        const n = Math.floor(offeredLoad(t)) + 1;
        const a = erlangC(t, n, within);
        const b = erlangC(t, n + extra, within);
        if (!a.stable || !b.stable) throw new Error('expected stable');
        for (const r of [a, b]) {
          expect(r.probabilityOfWait).toBeGreaterThanOrEqual(0);
          expect(r.probabilityOfWait).toBeLessThanOrEqual(1);
        }
        expect(b.serviceLevel).toBeGreaterThanOrEqual(a.serviceLevel - 1e-12);
        expect(b.probabilityOfWait).toBeLessThanOrEqual(a.probabilityOfWait + 1e-12);
      }),
    );
  });
});

describe('Erlang A properties', () => {
  it('probabilities are in [0, 1], SL increases with N, and P(abandon) ≤ P(wait)', () => {
    fc.assert(
      fc.property(traffic, fc.double({ min: 10, max: 1200, noNaN: true }), fc.integer({ min: 1, max: 400 }), fc.double({ min: 0, max: 120, noNaN: true }), (t, patience, n, within) => {
        const input = { ...t, patienceSeconds: patience };
        fc.pre(offeredLoad(t) < 600);
        const a = erlangA(input, n, within);
        const b = erlangA(input, n + 1, within);
        for (const r of [a, b]) {
          for (const p of [r.probabilityOfWait, r.probabilityOfAbandon, r.serviceLevel, r.occupancy]) {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1);
          }
          expect(r.probabilityOfAbandon).toBeLessThanOrEqual(r.probabilityOfWait + 1e-12);
        }
        expect(b.serviceLevel).toBeGreaterThanOrEqual(a.serviceLevel - 1e-9);
        expect(b.probabilityOfAbandon).toBeLessThanOrEqual(a.probabilityOfAbandon + 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('converges to Erlang C as patience grows (N > A)', () => {
    fc.assert(
      fc.property(traffic, fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 120, noNaN: true }), (t, extra, within) => {
        fc.pre(offeredLoad(t) < 300);
        const n = Math.floor(offeredLoad(t)) + extra;
        const c = erlangC(t, n, within);
        if (!c.stable) throw c.error;
        let previous = Infinity;
        for (const factor of [1e2, 1e4, 1e6]) {
          const a = erlangA({ ...t, patienceSeconds: factor * t.ahtSeconds * 1000 }, n, within);
          const gap = Math.abs(a.probabilityOfWait - c.probabilityOfWait) + Math.abs(a.serviceLevel - c.serviceLevel);
          // Shrinks as patience grows, down to the chain's rounding noise (~1e-11), where it may wobble.
          expect(gap).toBeLessThanOrEqual(previous + 1e-9);
          previous = gap;
        }
        const far = erlangA({ ...t, patienceSeconds: 1e9 * t.ahtSeconds }, n, within);
        expect(far.probabilityOfWait).toBeCloseTo(c.probabilityOfWait, 6);
        expect(far.serviceLevel).toBeCloseTo(c.serviceLevel, 6);
        // E[queue] is the most sensitive near N ≈ A (its first-order gap grows like γ/(N − A)³).
        expect(Math.abs(far.meanWaitSeconds - c.asaSeconds)).toBeLessThanOrEqual(1e-4 * c.asaSeconds + 1e-9);
        expect(far.occupancy).toBeCloseTo(c.occupancy, 6);
      }),
      { numRuns: 50 },
    );
  });
});

describe('staffing is minimal', () => {
  const targets: fc.Arbitrary<StaffingTargets> = fc.record(
    {
      serviceLevel: fc.record({ target: fc.double({ min: 0.5, max: 0.95, noNaN: true }), withinSeconds: fc.double({ min: 5, max: 120, noNaN: true }) }),
      maxMeanWaitSeconds: fc.double({ min: 5, max: 300, noNaN: true }),
      maxOccupancy: fc.double({ min: 0.6, max: 1, noNaN: true }),
      maxAbandon: fc.double({ min: 0.01, max: 0.2, noNaN: true }),
    },
    { requiredKeys: [] },
  );
  const model: fc.Arbitrary<QueueModel> = fc.oneof(
    fc.constant<QueueModel>({ kind: 'erlangC' }),
    fc.double({ min: 30, max: 1200, noNaN: true }).map((p): QueueModel => ({ kind: 'erlangA', patienceSeconds: p })),
  );

  it('N meets every target and N − 1 fails one (or is unstable)', () => {
    fc.assert(
      fc.property(traffic, targets, model, (t, goal, m) => {
        fc.pre(offeredLoad(t) < 500);
        const r = requiredAgents(t, goal, m);
        expect(meetsTargets(r, goal)).toBe(true);
        const within = goal.serviceLevel?.withinSeconds ?? 0;
        const below = r.agents - 1;
        if (below < 1) return;
        if (m.kind === 'erlangC' && below <= offeredLoad(t)) return; // unstable: fails by definition
        expect(meetsTargets(queueFigures(t, below, m, within), goal)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('chat: k slots per agent, the least whole number of agents', () => {
    fc.assert(
      fc.property(traffic, fc.integer({ min: 1, max: 4 }), (t, k) => {
        const goal = { serviceLevel: { target: 0.8, withinSeconds: 60 } };
        const r = requiredAgents(t, goal, { kind: 'erlangC' }, { concurrency: k });
        expect(r.slots).toBe(r.agents * k);
        expect(meetsTargets(r, goal)).toBe(true);
        const fewer = (r.agents - 1) * k;
        if (fewer > offeredLoad(t)) expect(meetsTargets(queueFigures(t, fewer, { kind: 'erlangC' }, 60), goal)).toBe(false);
      }),
    );
  });
});

describe('staffing curve', () => {
  it('solves each interval, keeps zero-volume intervals at the floor', () => {
    const volumes = [0, 20, 100, 200, 50];
    const curve = staffingCurve(
      volumes.map((contacts, i) => ({ contacts, ahtSeconds: 180, label: `${String(7 + i).padStart(2, "0")}:00` })),
      { intervalSeconds: 1800, targets: { serviceLevel: { target: 0.8, withinSeconds: 20 } }, model: { kind: 'erlangC' }, shrinkage: 0.3, minAgents: 1 },
    );
    expect(curve.map((c) => c.label)).toEqual(['07:00', '08:00', '09:00', '10:00', '11:00']);
    expect(curve[0]!.agents).toBe(1);
    expect(curve[2]!.agents).toBe(14); // C3 without the occupancy cap
    expect(curve[3]!.agents).toBeGreaterThan(curve[4]!.agents);
    for (const c of curve) expect(c.scheduled).toBeGreaterThanOrEqual(c.agents);
  });
});
