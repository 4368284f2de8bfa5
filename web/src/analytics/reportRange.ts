import type { KpiInterval } from './types';

export const RANGE_PRESETS = ['today', 'yesterday', 'last7', 'last30', 'thisMonth'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const REPORT_INTERVALS = ['15m', 'hour', 'day', 'week', 'month'] as const satisfies readonly KpiInterval[];
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

export interface DateRange {
  from: Date;
  to: Date;
}

/** A calendar day (month 1-12); fields may overflow (day 0, day 32), as with Date.UTC. */
interface Day {
  year: number;
  month: number;
  day: number;
}

function dayOf(at: Date, timeZone: string): Day {
  const w = wallClock(at.getTime(), timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

/** The instant a (possibly overflowing) calendar day begins in the time zone. */
function midnight(d: Day, timeZone: string): Date {
  const n = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return new Date(zonedInstant(n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate(), 0, 0, timeZone));
}

/**
 * The range a preset stands for, in the workspace's days (its reporting time zone), so "today" is
 * the same day the reports and the wallboard count. Ranges that include today end at the next
 * whole minute rather than at midnight, so the time series has no empty future.
 */
export function presetRange(preset: RangePreset, now: Date, timeZone: string): DateRange {
  const today = dayOf(now, timeZone);
  const shifted = (days: number) => midnight({ ...today, day: today.day + days }, timeZone);
  const soon = new Date(Math.ceil((now.getTime() + 1) / 60_000) * 60_000);
  switch (preset) {
    case 'today':
      return { from: shifted(0), to: soon };
    case 'yesterday':
      return { from: shifted(-1), to: shifted(0) };
    case 'last7':
      return { from: shifted(-6), to: soon };
    case 'last30':
      return { from: shifted(-29), to: soon };
    case 'thisMonth':
      return { from: midnight({ ...today, day: 1 }, timeZone), to: soon };
  }
}

/** The interval that makes a readable chart of a range: hours for a day, days for up to two months. */
export function defaultInterval(range: DateRange): ReportInterval {
  const days = (range.to.getTime() - range.from.getTime()) / 86_400_000;
  if (days <= 2) return 'hour';
  if (days <= 62) return 'day';
  return days <= 190 ? 'week' : 'month';
}

/** `yyyy-mm-dd` of the day an instant falls on in the time zone, for `<input type="date">`. */
export function toDateInput(at: Date, timeZone: string): string {
  const d = dayOf(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/** A custom range from two `yyyy-mm-dd` inputs, both days included; undefined while incomplete or reversed. */
export function customRange(fromInput: string, toInput: string, timeZone: string): DateRange | undefined {
  const parse = (s: string): Day | undefined => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
  };
  const from = parse(fromInput);
  const to = parse(toInput);
  if (!from || !to) return undefined;
  const range = { from: midnight(from, timeZone), to: midnight({ ...to, day: to.day + 1 }, timeZone) };
  return range.to > range.from ? range : undefined;
}

/** Whether the browser knows a time zone (an unknown one falls back to the browser's own). */
export function knownTimeZone(timeZone: string | undefined): string {
  const fallback = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!timeZone) return fallback;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return fallback;
  }
}

/** How a bucket is labelled on the chart's axis, in the report's time zone. */
export function bucketFormatter(interval: KpiInterval, range: DateRange, language: string, timeZone: string): (iso: string) => string {
  const multiDay = range.to.getTime() - range.from.getTime() > 86_400_000;
  const options: Intl.DateTimeFormatOptions =
    interval === '15m' || interval === 'hour'
      ? multiDay
        ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
        : { hour: '2-digit', minute: '2-digit' }
      : interval === 'month'
        ? { month: 'short', year: 'numeric' }
        : { day: 'numeric', month: 'short' };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(language, { ...options, timeZone });
  } catch {
    format = new Intl.DateTimeFormat(language, options);
  }
  return (iso) => format.format(new Date(iso));
}

// ------------------------------------------------------------ the buckets of a time series

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in a time zone. */
function wallClock(at: number, timeZone: string) {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    partFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

/** The instant a wall-clock time occurs in a time zone (the later one's offset in a DST gap). */
function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (at: number) => {
    const w = wallClock(at, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
  };
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}

/**
 * Every bucket start of `interval` in [from, to) in the report's time zone, as the API labels them
 * (local starts of 15 minutes, hours, days, Monday weeks, months). The API leaves out buckets
 * without figures; a time series needs them as zeros. Undefined for more than `max` buckets.
 */
export function bucketStarts(interval: KpiInterval, from: Date, to: Date, timeZone: string, max = 3000): string[] | undefined {
  if (interval === 'total') return [];
  if (knownTimeZone(timeZone) !== timeZone) return undefined;
  const w = wallClock(from.getTime(), timeZone);
  // The wall-clock start of the bucket holding `from`.
  let cursor = { year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute };
  if (interval === '15m') cursor.minute -= cursor.minute % 15;
  else cursor = { ...cursor, minute: 0, ...(interval === 'hour' ? {} : { hour: 0 }) };
  if (interval === 'week') {
    const weekday = (new Date(Date.UTC(cursor.year, cursor.month - 1, cursor.day)).getUTCDay() + 6) % 7; // Monday 0
    cursor.day -= weekday;
  }
  if (interval === 'month') cursor.day = 1;
  const step = (c: typeof cursor) => {
    // Date.UTC normalises overflowing fields (minute 60, day 32, month 13).
    const next = new Date(
      Date.UTC(
        c.year,
        c.month - 1 + (interval === 'month' ? 1 : 0),
        c.day + (interval === 'day' ? 1 : interval === 'week' ? 7 : 0),
        c.hour + (interval === 'hour' ? 1 : 0),
        c.minute + (interval === '15m' ? 15 : 0),
      ),
    );
    return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: next.getUTCHours(), minute: next.getUTCMinutes() };
  };
  const starts: string[] = [];
  const seen = new Set<string>();
  for (;;) {
    const at = zonedInstant(cursor.year, cursor.month, cursor.day, cursor.hour, cursor.minute, timeZone);
    if (at >= to.getTime()) break;
    const iso = new Date(at).toISOString();
    // An hour that a DST change repeats or skips maps onto one instant: keep it once.
    if (!seen.has(iso)) {
      seen.add(iso);
      starts.push(iso);
    }
    if (starts.length > max) return undefined;
    cursor = step(cursor);
  }
  return starts;
}
