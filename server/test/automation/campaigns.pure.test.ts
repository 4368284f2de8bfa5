import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inSegment, isQuiet, launchStatus, localMinuteOfDay, nextSendableAt, pacedSendTimes, segmentSchema, sendBudget, quietHoursSchema } from '../../src/automation/campaigns.ts';

const AMS = 'Europe/Amsterdam';
const at = (iso: string) => new Date(iso).getTime();
const candidate = (attributes: Record<string, unknown>, identity: { optedOut: boolean } | null = { optedOut: false }, erased = false) => ({ attributes, identity, erased });

describe('segments', () => {
  const seg = (s: unknown) => segmentSchema.parse(s);

  it('selects by value tier, churn risk and attribute equality, all of them at once', () => {
    const s = seg({ valueTiers: ['gold', 'platinum'], minChurnRisk: 0.5, attributes: { plan: 'pro' } });
    expect(inSegment(s, candidate({ valueTier: 'gold', churnRisk: 0.7, plan: 'pro' }))).toBe(true);
    expect(inSegment(s, candidate({ valueTier: 'silver', churnRisk: 0.7, plan: 'pro' }))).toBe(false);
    expect(inSegment(s, candidate({ valueTier: 'gold', churnRisk: 0.3, plan: 'pro' }))).toBe(false);
    expect(inSegment(s, candidate({ valueTier: 'gold', plan: 'pro' }))).toBe(false); // never scored
    expect(inSegment(s, candidate({ valueTier: 'gold', churnRisk: 0.5, plan: 'basic' }))).toBe(false);
    expect(inSegment(s, candidate({ valueTier: 'gold', churnRisk: 0.5, plan: 'pro' }))).toBe(true); // churnRisk >= x
  });

  it('an empty segment is everyone with an identity; hasIdentity off keeps the others (to be skipped)', () => {
    expect(inSegment(seg({}), candidate({}))).toBe(true);
    expect(inSegment(seg({}), candidate({}, null))).toBe(false);
    expect(inSegment(seg({ hasIdentity: false }), candidate({}, null))).toBe(true);
    // Erased customers have no identities left: they are listed (as erased), not dropped.
    expect(inSegment(seg({}), candidate({}, null, true))).toBe(true);
  });

  it('gives the reason a member is skipped at launch', () => {
    expect(launchStatus(candidate({}))).toBe('pending');
    expect(launchStatus(candidate({}, { optedOut: true }))).toBe('opted_out');
    expect(launchStatus(candidate({}, null))).toBe('no_identity');
    expect(launchStatus(candidate({}, null, true))).toBe('erased');
  });

  it('refuses bad segments and quiet hours', () => {
    expect(segmentSchema.safeParse({ minChurnRisk: 1.5 }).success).toBe(false);
    expect(segmentSchema.safeParse({ valueTiers: ['diamond'] }).success).toBe(false);
    expect(quietHoursSchema.safeParse({ start: '21:00', end: '21:00' }).success).toBe(false);
    expect(quietHoursSchema.safeParse({ start: '25:00', end: '09:00' }).success).toBe(false);
    expect(quietHoursSchema.safeParse({ start: '21:00', end: '09:00' }).success).toBe(true);
  });
});

describe('quiet hours in the workspace time zone', () => {
  const night = { start: '21:00', end: '09:00' };

  it('reads local wall-clock minutes (Amsterdam is UTC+1 in winter, +2 in summer)', () => {
    expect(localMinuteOfDay(at('2026-01-15T20:30:00Z'), AMS)).toBe(21 * 60 + 30);
    expect(localMinuteOfDay(at('2026-07-15T20:30:00Z'), AMS)).toBe(22 * 60 + 30);
  });

  it('knows a window over midnight and one within a day', () => {
    expect(isQuiet(at('2026-01-15T19:59:00Z'), night, AMS)).toBe(false); // 20:59 local
    expect(isQuiet(at('2026-01-15T20:00:00Z'), night, AMS)).toBe(true); // 21:00
    expect(isQuiet(at('2026-01-16T07:59:00Z'), night, AMS)).toBe(true); // 08:59
    expect(isQuiet(at('2026-01-16T08:00:00Z'), night, AMS)).toBe(false); // 09:00
    const lunch = { start: '12:00', end: '13:00' };
    expect(isQuiet(at('2026-01-15T11:30:00Z'), lunch, AMS)).toBe(true);
    expect(isQuiet(at('2026-01-15T12:00:00Z'), lunch, AMS)).toBe(false);
    expect(isQuiet(at('2026-01-15T11:30:00Z'), null, AMS)).toBe(false);
  });

  it('a send in quiet hours waits for their end, also over a change of the clocks', () => {
    expect(nextSendableAt(at('2026-01-15T21:30:00Z'), night, AMS)).toBe(at('2026-01-16T08:00:00Z'));
    expect(nextSendableAt(at('2026-01-15T10:00:00Z'), night, AMS)).toBe(at('2026-01-15T10:00:00Z'));
    // The night of 28 to 29 March 2026 is an hour shorter: 09:00 local is 07:00 UTC.
    expect(nextSendableAt(at('2026-03-28T21:00:00Z'), night, AMS)).toBe(at('2026-03-29T07:00:00Z'));
  });
});

describe('pacing', () => {
  it('spreads sends at the rate: one a minute, or 60/rate seconds apart', () => {
    const start = at('2026-01-15T10:00:00Z');
    expect(pacedSendTimes(3, start, 1, null, AMS)).toEqual([start, start + 60_000, start + 120_000]);
    expect(pacedSendTimes(4, start, 120, null, AMS)).toEqual([start, start + 500, start + 1000, start + 1500]);
  });

  it('sends that would fall in quiet hours move to their end and keep their spacing', () => {
    const start = at('2026-01-15T19:58:00Z'); // 20:58 local
    const times = pacedSendTimes(4, start, 1, { start: '21:00', end: '09:00' }, AMS);
    expect(times).toEqual([start, start + 60_000, at('2026-01-16T08:00:00Z'), at('2026-01-16T08:01:00Z')]);
  });

  it('never exceeds the rate in any minute and never sends in quiet hours (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 86_400_000 }), (count, rate, offset) => {
        const quiet = { start: '21:00', end: '09:00' };
        const times = pacedSendTimes(count, at('2026-01-15T00:00:00Z') + offset, rate, quiet, AMS);
        expect(times.length).toBe(count);
        for (let i = 0; i < times.length; i++) {
          expect(isQuiet(times[i]!, quiet, AMS)).toBe(false);
          if (i >= rate) expect(times[i]! - times[i - rate]!).toBeGreaterThanOrEqual(60_000 - 1);
          if (i > 0) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the budget is what the last minute left of the rate', () => {
    expect(sendBudget(10, 3)).toBe(7);
    expect(sendBudget(1, 1)).toBe(0);
    expect(sendBudget(1, 5)).toBe(0);
  });
});
