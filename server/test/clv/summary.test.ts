import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCdnowTransactions } from '../../src/clv/clv.files.ts';
import { dayNumber, summarize } from '../../src/clv/summary.ts';
import { cdnowSummary, cdnowWithSpend, dataFile } from './data.ts';

// Half up, as the published files: the float mean of 18.13 and 18.14 is 18.134999999999998.
const round2 = (v: number) => Math.round(v * 100 + 1e-7) / 100;

describe('summary builder', () => {
  it('rebuilds cdnow_customers_summary.csv from CDNOW_sample.txt (end 1997-09-30, weeks)', () => {
    const built = new Map(summarize(readCdnowTransactions(dataFile('CDNOW_sample.txt')), '1997-09-30', 'week').map((s) => [s.customerId, s]));
    const published = cdnowSummary();
    expect(built.size).toBe(published.length);
    expect(built.size).toBe(2357);
    const mismatches = published.filter((p) => {
      const s = built.get(p.customerId);
      return !s || s.frequency !== p.frequency || round2(s.recency) !== p.recency || round2(s.T) !== p.T;
    });
    expect(mismatches).toEqual([]);
    const spend = cdnowWithSpend();
    expect(spend.filter((p) => round2(built.get(p.customerId)!.monetaryValue) !== p.monetaryValue)).toEqual([]);
  });

  it('counts purchase days, not transactions, and ignores what follows the calibration end', () => {
    const s = summarize(
      [
        { customerId: 'a', date: '2024-01-01', amount: 10 },
        { customerId: 'a', date: '2024-01-01', amount: 5 },
        { customerId: 'a', date: '2024-01-08', amount: 20 },
        { customerId: 'a', date: '2024-01-08', amount: 4 },
        { customerId: 'a', date: '2024-01-15', amount: 6 },
        { customerId: 'a', date: '2024-02-01', amount: 100 },
        { customerId: 'b', date: '2024-02-01', amount: 1 },
      ],
      '2024-01-29',
      'day',
    );
    expect(s).toEqual([{ customerId: 'a', frequency: 2, recency: 14, T: 28, monetaryValue: 15 }]);
  });

  it('parses dates strictly', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('19970101')).toBe(dayNumber('1997-01-01'));
    expect(dayNumber('2014-03-08 00:00:00')).toBe(dayNumber('2014-03-08'));
    expect(() => dayNumber('2023-02-29')).toThrow('not a date');
    expect(() => dayNumber('tomorrow')).toThrow('not a date');
  });

  it('handles the full 23,570-customer cohort', () => {
    expect(fs.existsSync(dataFile('CDNOW_master.txt'))).toBe(true);
    const all = summarize(readCdnowTransactions(dataFile('CDNOW_master.txt')), '1997-09-30', 'week');
    expect(all).toHaveLength(23_570);
    // One customer of the full cohort has only $0.00 repeat purchases (README).
    expect(all.filter((c) => c.frequency > 0 && c.monetaryValue === 0)).toHaveLength(1);
  });
});
