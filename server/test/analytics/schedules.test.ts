import { describe, expect, it } from 'vitest';
import type { KpiReport, Kpis } from '../../src/analytics/reports.ts';
import { ConfigError, loadConfig } from '../../src/platform/config.ts';
import { composeReportMail, csvFileName, describePeriod, nextRunAfter, reportPeriod, zonedTime, type ScheduleTiming } from '../../src/analytics/schedules.ts';

const AMS = 'Europe/Amsterdam';
const daily = (hour: number, timeZone = AMS): ScheduleTiming => ({ frequency: 'daily', hour, weekday: null, dayOfMonth: null, timeZone });
const iso = (d: Date) => d.toISOString();

describe('zoned times', () => {
  it('turns a local hour into the instant, winter and summer', () => {
    expect(iso(zonedTime({ year: 2026, month: 1, day: 15 }, 7, AMS))).toBe('2026-01-15T06:00:00.000Z');
    expect(iso(zonedTime({ year: 2026, month: 7, day: 15 }, 7, AMS))).toBe('2026-07-15T05:00:00.000Z');
    expect(iso(zonedTime({ year: 2026, month: 7, day: 15 }, 7, 'America/New_York'))).toBe('2026-07-15T11:00:00.000Z');
  });

  it('moves a time skipped in spring to the first time that exists, and takes the first of a doubled autumn hour', () => {
    // 29 March 2026: Amsterdam's clocks jump from 02:00 to 03:00.
    expect(iso(zonedTime({ year: 2026, month: 3, day: 29 }, 2, AMS))).toBe('2026-03-29T01:00:00.000Z');
    // 25 October 2026: 02:00–03:00 happens twice; the first is still summer time (UTC+2).
    expect(iso(zonedTime({ year: 2026, month: 10, day: 25 }, 2, AMS))).toBe('2026-10-25T00:00:00.000Z');
  });
});

describe('next run', () => {
  it('runs daily at the local hour, today when the hour is still to come, else tomorrow', () => {
    expect(iso(nextRunAfter(daily(7), new Date('2026-11-23T05:00:00Z')))).toBe('2026-11-23T06:00:00.000Z');
    expect(iso(nextRunAfter(daily(7), new Date('2026-11-23T06:00:00Z')))).toBe('2026-11-24T06:00:00.000Z');
    expect(iso(nextRunAfter(daily(7), new Date('2026-11-23T22:30:00Z')))).toBe('2026-11-24T06:00:00.000Z');
  });

  it('keeps the local hour across the daylight-saving changes', () => {
    const spring = nextRunAfter(daily(7), new Date('2026-03-28T06:00:00Z'));
    expect(iso(spring)).toBe('2026-03-29T05:00:00.000Z'); // 07:00 CEST
    expect(iso(nextRunAfter(daily(7), new Date('2026-10-24T05:00:00Z')))).toBe('2026-10-25T06:00:00.000Z'); // 07:00 CET
    // An hour in the spring gap runs once, at 03:00, and the day after at 02:00 again.
    const gap = nextRunAfter(daily(2), new Date('2026-03-28T01:00:00Z'));
    expect(iso(gap)).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(nextRunAfter(daily(2), gap))).toBe('2026-03-30T00:00:00.000Z');
    // The doubled autumn hour runs once.
    const doubled = nextRunAfter(daily(2), new Date('2026-10-24T12:00:00Z'));
    expect(iso(doubled)).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(nextRunAfter(daily(2), doubled))).toBe('2026-10-26T01:00:00.000Z');
  });

  it('runs weekly on the ISO weekday', () => {
    const mondays = { frequency: 'weekly', hour: 8, weekday: 1, dayOfMonth: null, timeZone: AMS } as const;
    // 23 November 2026 is a Monday.
    expect(iso(nextRunAfter(mondays, new Date('2026-11-23T06:00:00Z')))).toBe('2026-11-23T07:00:00.000Z');
    expect(iso(nextRunAfter(mondays, new Date('2026-11-23T07:00:00Z')))).toBe('2026-11-30T07:00:00.000Z');
    const sundays = { ...mondays, weekday: 7 };
    expect(iso(nextRunAfter(sundays, new Date('2026-11-23T07:00:00Z')))).toBe('2026-11-29T07:00:00.000Z');
  });

  it('runs monthly on the day, or the last day of a shorter month', () => {
    const first = { frequency: 'monthly', hour: 6, weekday: null, dayOfMonth: 1, timeZone: AMS } as const;
    expect(iso(nextRunAfter(first, new Date('2026-11-23T12:00:00Z')))).toBe('2026-12-01T05:00:00.000Z');
    const thirtyFirst = { ...first, dayOfMonth: 31 };
    expect(iso(nextRunAfter(thirtyFirst, new Date('2026-11-23T12:00:00Z')))).toBe('2026-11-30T05:00:00.000Z');
    expect(iso(nextRunAfter(thirtyFirst, new Date('2027-01-31T12:00:00Z')))).toBe('2027-02-28T05:00:00.000Z');
    expect(iso(nextRunAfter(thirtyFirst, new Date('2028-02-01T00:00:00Z')))).toBe('2028-02-29T05:00:00.000Z');
  });

  it('counts the local date in the schedule\'s zone, not UTC', () => {
    // 23:30 UTC on the 23rd is already the 24th in Tokyo.
    expect(iso(nextRunAfter(daily(9, 'Asia/Tokyo'), new Date('2026-11-23T23:30:00Z')))).toBe('2026-11-24T00:00:00.000Z');
    expect(iso(nextRunAfter(daily(9, 'Asia/Tokyo'), new Date('2026-11-24T00:00:00Z')))).toBe('2026-11-25T00:00:00.000Z');
  });
});

describe('report period', () => {
  const run = new Date('2026-11-23T06:00:00Z'); // Monday 07:00 in Amsterdam
  it('covers yesterday, the last seven days or last month, in local midnights', () => {
    expect(reportPeriod('yesterday', run, AMS)).toEqual({ from: new Date('2026-11-21T23:00:00Z'), to: new Date('2026-11-22T23:00:00Z') });
    expect(reportPeriod('last_7_days', run, AMS)).toEqual({ from: new Date('2026-11-15T23:00:00Z'), to: new Date('2026-11-22T23:00:00Z') });
    expect(reportPeriod('last_month', run, AMS)).toEqual({ from: new Date('2026-09-30T22:00:00Z'), to: new Date('2026-10-31T23:00:00Z') });
    expect(reportPeriod('last_month', new Date('2027-01-01T06:00:00Z'), AMS)).toEqual({ from: new Date('2026-11-30T23:00:00Z'), to: new Date('2026-12-31T23:00:00Z') });
  });

  it('gives the spring-forward day its 23 hours', () => {
    const p = reportPeriod('yesterday', new Date('2026-03-30T05:00:00Z'), AMS);
    expect(p.to.getTime() - p.from.getTime()).toBe(23 * 3_600_000);
  });

  it('describes the period in the report language', () => {
    expect(describePeriod(reportPeriod('yesterday', run, AMS), AMS, 'nl')).toBe('22 november 2026');
    expect(describePeriod(reportPeriod('last_7_days', run, AMS), AMS, 'nl')).toBe('16 november 2026 t/m 22 november 2026');
    expect(describePeriod(reportPeriod('last_month', run, AMS), AMS, 'en')).toBe('1 October 2026 – 31 October 2026');
  });
});

describe('the e-mail', () => {
  const totals = { offered: 120, answered: 110, serviceLevel: 0.825, revenue: 1234.5, margin: -10, nps: null } as Partial<Kpis> as Kpis;
  const report: Pick<KpiReport, 'currency' | 'totals' | 'rows' | 'groupBy' | 'interval'> = {
    currency: 'EUR',
    totals,
    groupBy: 'channel',
    interval: 'total',
    rows: [{ bucket: null, key: 'webchat', label: '<script>alert(1)</script>', kpis: totals }],
  };
  const period = { from: new Date('2026-11-21T23:00:00Z'), to: new Date('2026-11-22T23:00:00Z') };

  it('has a summary table in the language, figures formatted, and every text escaped', () => {
    const mail = composeReportMail({ name: 'Dag & "nacht"', language: 'nl', timeZone: AMS, period, report });
    expect(mail.subject).toBe('Rapportage Dag & "nacht": 22 november 2026');
    expect(mail.html).toContain('Dag &amp; &quot;nacht&quot;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Serviceniveau');
    expect(mail.html).toMatch(/82,5\s?%/);
    expect(mail.html).toMatch(/€\s?1\.234,50/);
    expect(mail.text).toContain('NPS: –');
    const en = composeReportMail({ name: 'Daily', language: 'en', timeZone: AMS, period, report });
    expect(en.subject).toBe('Report Daily: 22 November 2026');
    expect(en.html).toContain('Service level');
    expect(en.html).toContain('€1,234.50');
  });

  it('names the CSV after the schedule and the first day', () => {
    expect(csvFileName('Dagrapport Klantenservice!', period, AMS)).toBe('dagrapport-klantenservice-2026-11-22.csv');
  });
});

describe('mail configuration (HOORN_MAIL_URL, HOORN_MAIL_FROM)', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('is off when unset, and on with both set', () => {
    expect(loadConfig({}).mail).toBeUndefined();
    expect(loadConfig({ HOORN_MAIL_URL: 'smtp://u:p@smtp.example.nl:587', HOORN_MAIL_FROM: 'Hoorn <rapportages@example.nl>' }).mail).toEqual({ url: 'smtp://u:p@smtp.example.nl:587', from: 'Hoorn <rapportages@example.nl>' });
  });

  it('names the variable that is wrong', () => {
    expect(problems({ HOORN_MAIL_URL: 'smtp://smtp.example.nl' })).toEqual([expect.stringMatching(/^HOORN_MAIL_FROM: .*required/)]);
    expect(problems({ HOORN_MAIL_URL: 'https://smtp.example.nl', HOORN_MAIL_FROM: 'a@example.nl' })).toEqual([expect.stringMatching(/^HOORN_MAIL_URL: /)]);
    expect(problems({ HOORN_MAIL_URL: 'smtp://smtp.example.nl', HOORN_MAIL_FROM: 'not an address' })).toEqual([expect.stringMatching(/^HOORN_MAIL_FROM: /)]);
  });
});
