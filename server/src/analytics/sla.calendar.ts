/**
 * Business calendars and business-time arithmetic, pure (no clock, no I/O).
 *
 * A calendar says when service time counts: weekly opening hours in a time zone, minus holidays,
 * or every second (24/7). Local wall-clock times are turned into instants with Intl, so a day on
 * which the clocks change is 23 or 25 real hours long and an interval that spans the change
 * counts the seconds that really pass.
 */

export type Weekday = '0' | '1' | '2' | '3' | '4' | '5' | '6';
export const weekdays: Weekday[] = ['0', '1', '2', '3', '4', '5', '6'];

export interface BusinessCalendar {
  /** IANA zone, e.g. Europe/Amsterdam. */
  timeZone: string;
  /** Every second counts; `week` and `holidays` are ignored. */
  alwaysOpen: boolean;
  /** Weekday (0 = Sunday) -> [open, close) as "HH:MM"; close may be "24:00". A missing day is closed. */
  week: Partial<Record<Weekday, Array<[string, string]>>>;
  /** Local dates (YYYY-MM-DD) on which nothing counts. */
  holidays: string[];
}

export const ALWAYS_OPEN: BusinessCalendar = { timeZone: 'UTC', alwaysOpen: true, week: {}, holidays: [] };

/** How far ahead a calendar is searched for open time before it is declared never open. */
const MAX_DAYS_AHEAD = 3 * 366;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(at: number, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year!, m: parts.month!, d: parts.day!, h: parts.hour! % 24, mi: parts.minute!, s: parts.second! };
}

/** Milliseconds the zone is ahead of UTC at an instant (+3,600,000 for Amsterdam in winter). */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant at which a zone's clocks show this local time. A time skipped by a spring-forward
 * change is moved forward by the length of the gap (02:30 becomes 03:30, as Temporal's
 * "compatible" rule does); a time that occurs twice in autumn maps to its first occurrence.
 */
export function localToInstant(date: string, minutes: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const before = offsetAt(naive - DAY_MS / 2, timeZone);
  const after = offsetAt(naive + DAY_MS / 2, timeZone);
  // Try the offset in force before a change first: it gives the earlier of two occurrences.
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = naive - offset;
    if (offsetAt(candidate, timeZone) === offset) return candidate;
  }
  // In the gap of a spring-forward change: the moment the clocks jump.
  return naive - before;
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(at: number, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return String(new Date(Date.UTC(y, m - 1, d)).getUTCDay()) as Weekday;
}

/** "HH:MM" -> minutes after midnight; "24:00" is 1440. */
export function parseHhmm(value: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 1440 ? minutes : null;
}

/** What is wrong with a calendar's hours, as [field path, message] pairs; empty when it is fine. */
export function calendarProblems(calendar: BusinessCalendar): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (!isValidTimeZone(calendar.timeZone)) problems.push(['timeZone', `unknown time zone "${calendar.timeZone}"`]);
  let intervals = 0;
  for (const day of weekdays) {
    const list = calendar.week[day] ?? [];
    const parsed: Array<[number, number]> = [];
    list.forEach(([open, close], i) => {
      const o = parseHhmm(open);
      const c = parseHhmm(close);
      if (o === null || c === null || o >= 1440) problems.push([`week.${day}.${i}`, 'times are HH:MM (close may be 24:00)']);
      else if (o >= c) problems.push([`week.${day}.${i}`, 'closes before it opens']);
      else parsed.push([o, c]);
    });
    parsed.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < parsed.length; i++) if (parsed[i]![0] < parsed[i - 1]![1]) problems.push([`week.${day}`, 'opening hours overlap']);
    intervals += list.length;
  }
  if (!calendar.alwaysOpen && intervals === 0) problems.push(['week', 'a calendar that is not 24/7 needs opening hours on at least one day']);
  calendar.holidays.forEach((date, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
      problems.push([`holidays.${i}`, 'dates are YYYY-MM-DD']);
    }
  });
  return problems;
}

/** The open intervals of one local date, as instants [start, end), in order. */
function openIntervalsOn(calendar: BusinessCalendar, date: string, holidays: Set<string>): Array<[number, number]> {
  if (holidays.has(date)) return [];
  const list = calendar.week[weekdayOf(date)] ?? [];
  const result: Array<[number, number]> = [];
  for (const [open, close] of list) {
    const o = parseHhmm(open);
    const c = parseHhmm(close);
    if (o === null || c === null || o >= c) continue;
    const start = localToInstant(date, o, calendar.timeZone);
    const end = c === 1440 ? localToInstant(nextDate(date), 0, calendar.timeZone) : localToInstant(date, c, calendar.timeZone);
    if (end > start) result.push([start, end]);
  }
  return result.sort((a, b) => a[0] - b[0]);
}

/**
 * Open intervals overlapping [from, ∞), clipped to start at `from`, in order. Stops after
 * MAX_DAYS_AHEAD days (a calendar whose hours fall only on holidays never opens).
 */
function* openIntervalsFrom(calendar: BusinessCalendar, from: number): Generator<[number, number]> {
  const holidays = new Set(calendar.holidays);
  // Start a day early: an interval closing at 24:00 of yesterday may still be open.
  let date = localDate(from - DAY_MS, calendar.timeZone);
  for (let i = 0; i < MAX_DAYS_AHEAD; i++, date = nextDate(date)) {
    for (const [start, end] of openIntervalsOn(calendar, date, holidays)) {
      if (end <= from) continue;
      yield [Math.max(start, from), end];
    }
  }
}

/** Business milliseconds in [from, to); zero when `to` is not after `from`. */
export function businessMsBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  if (calendar.alwaysOpen) return to - from;
  let total = 0;
  for (const [start, end] of openIntervalsFrom(calendar, from)) {
    if (start >= to) break;
    total += Math.min(end, to) - start;
  }
  return total;
}

/**
 * The instant at which `ms` business milliseconds have passed since `from`. Zero returns `from`
 * itself. Throws when the calendar has no open time in the next three years.
 */
export function addBusinessMs(calendar: BusinessCalendar, from: number, ms: number): number {
  if (ms <= 0) return from;
  if (calendar.alwaysOpen) return from + ms;
  let left = ms;
  for (const [start, end] of openIntervalsFrom(calendar, from)) {
    if (end - start >= left) return start + left;
    left -= end - start;
  }
  throw new Error('The calendar has no open time in the next three years');
}

/** Business seconds between two instants. */
export function businessSecondsBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  return businessMsBetween(calendar, from.getTime(), to.getTime()) / 1000;
}

/** The instant `seconds` business seconds after `from`. */
export function addBusinessSeconds(calendar: BusinessCalendar, from: Date, seconds: number): Date {
  return new Date(addBusinessMs(calendar, from.getTime(), seconds * 1000));
}

/** Whether business time is counting at an instant. */
export function isBusinessTime(calendar: BusinessCalendar, at: Date): boolean {
  return businessMsBetween(calendar, at.getTime(), at.getTime() + 1) === 1;
}
