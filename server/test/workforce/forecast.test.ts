// Forecast tests run on seeded synthetic data only: CI has no access to ../shared. The real-data
// backtest (bank_calls) is in bench/src/workforce.ts and docs/workforce.md.
import { describe, expect, it } from 'vitest';
import { aggregate, backtest, dayOfWeek, errorFigures, meanOfLastDays, meanOfSameWeekdays, NAIVE_BASELINES, previousDay, sameWeekdayLastWeek, seasonalForecaster, type DayCounts } from '../../src/workforce/forecast.ts';
import { poisson, seededUniform, simulateArrivals } from '../../src/workforce/simulate.ts';

describe('error figures on a hand-made case', () => {
  it('WAPE = Σ|a − f| / Σa; MAPE = mean |a − f| / a over a > 0', () => {
    const e = errorFigures([10, 0, 20, 30], [12, 1, 15, 30]);
    expect(e.wape).toBeCloseTo(8 / 60, 15);
    expect(e.mape).toBeCloseTo((0.2 + 0.25 + 0) / 3, 15);
    expect(e.zeroBuckets).toBe(1);
  });

  it('backtest: rolling one-day-ahead, pooled over test days, aggregated buckets, daily-total APE', () => {
    const days: DayCounts[] = [
      { date: '2003-03-03', counts: [10, 20] },
      { date: '2003-03-04', counts: [12, 18] },
      { date: '2003-03-05', counts: [6, 30] },
    ];
    const r = backtest(days, previousDay, { testDays: 2, aggregations: [1, 2] });
    expect(r.testDates).toEqual(['2003-03-04', '2003-03-05']);
    // slots: actual 12 18 6 30, forecast 10 20 12 18
    expect(r.byAggregation.get(1)!.wape).toBeCloseTo(22 / 66, 15);
    expect(r.byAggregation.get(1)!.mape).toBeCloseTo((2 / 12 + 2 / 18 + 6 / 6 + 12 / 30) / 4, 15);
    // pairs: actual 30 36, forecast 30 30
    expect(r.byAggregation.get(2)!.wape).toBeCloseTo(6 / 66, 15);
    expect(r.byAggregation.get(2)!.mape).toBeCloseTo((0 + 6 / 36) / 2, 15);
    expect(r.dailyTotalApe).toBeCloseTo((0 + 6 / 36) / 2, 15);
  });

  it('aggregates whole buckets only (169 five-minute slots → 28 half-hours)', () => {
    expect(aggregate([1, 2, 3, 4, 5], 2)).toEqual([3, 7]);
    expect(aggregate(new Array(169).fill(1), 6)).toHaveLength(28);
  });
});

describe('naive baselines', () => {
  const d = (date: string, v: number): DayCounts => ({ date, counts: [v, v] });
  // Mon 3 .. Fri 7, Mon 10, (Tue 11 missing), Wed 12 .. Fri 14, Mon 17; forecast Tue 18.
  const history = [d('2003-03-03', 1), d('2003-03-04', 2), d('2003-03-05', 3), d('2003-03-06', 4), d('2003-03-07', 5), d('2003-03-10', 6), d('2003-03-12', 8), d('2003-03-13', 9), d('2003-03-14', 10), d('2003-03-17', 11)];

  it('follow the calendar and skip missing days', () => {
    expect(dayOfWeek('2003-03-18')).toBe(2);
    expect(previousDay(history, '2003-03-18')).toEqual([11, 11]);
    // last week's Tuesday (03-11) is missing: the most recent earlier Tuesday (03-04)
    expect(sameWeekdayLastWeek(history, '2003-03-18')).toEqual([2, 2]);
    expect(meanOfSameWeekdays(4)(history.slice(0, -1), '2003-03-17')).toEqual([3.5, 3.5]); // Mondays 03-03 and 03-10
    expect(meanOfLastDays(3)(history, '2003-03-18')).toEqual([10, 10]);
  });
});

describe('Poisson generator', () => {
  it('has the right mean and variance', () => {
    const random = seededUniform(7);
    for (const mean of [3, 40, 900]) {
      const xs = Array.from({ length: 20_000 }, () => poisson(random, mean));
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
      expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(mean / xs.length));
      expect(v / mean).toBeGreaterThan(0.95);
      expect(v / mean).toBeLessThan(1.05);
    }
  });
});

describe('the seasonal forecaster on synthetic arrivals', () => {
  // 07:00–21:05 in 5-minute slots: a morning peak, a lunch dip and an evening tail.
  const profile = Array.from({ length: 169 }, (_, i) => {
    const h = 7 + i / 12;
    return 0.2 + Math.exp(-(((h - 10.5) / 1.6) ** 2)) + 0.8 * Math.exp(-(((h - 14.5) / 2) ** 2)) - 0.25 * Math.exp(-(((h - 12.5) / 0.5) ** 2));
  });
  const days = simulateArrivals(
    {
      start: '2003-03-03',
      calendarDays: 7 * 24,
      dailyMean: 20_000,
      growthPerDay: 0.002,
      weekday: [0, 1.25, 1.05, 1, 0.95, 0.85, 0],
      profile,
      closed: new Set(['2003-05-26', '2003-07-04']),
    },
    20_260_302,
  );

  it('has weekdays only, holidays left out', () => {
    expect(days.some((x) => x.date === '2003-05-26')).toBe(false);
    expect(days.every((x) => dayOfWeek(x.date) >= 1 && dayOfWeek(x.date) <= 5)).toBe(true);
  });

  it('beats every naive baseline at 5-min and 30-min WAPE and MAPE over the last 20 days', () => {
    const opts = { testDays: 20, aggregations: [1, 6] };
    const ours = backtest(days, seasonalForecaster(), opts);
    for (const b of NAIVE_BASELINES) {
      const theirs = backtest(days, b.forecaster, opts);
      for (const a of [1, 6]) {
        expect(ours.byAggregation.get(a)!.wape, `${b.name}, ${a} slot(s)`).toBeLessThan(theirs.byAggregation.get(a)!.wape);
        expect(ours.byAggregation.get(a)!.mape, `${b.name}, ${a} slot(s)`).toBeLessThan(theirs.byAggregation.get(a)!.mape);
      }
    }
  });
});
