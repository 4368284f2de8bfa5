import type { OpeningHours } from './model.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, string> = { Sun: '0', Mon: '1', Tue: '2', Wed: '3', Thu: '4', Fri: '5', Sat: '6' };

/** Local weekday, date and HH:MM of an instant in a zone (DST handled by Intl). */
export function localTime(at: number, timeZone: string): { weekday: string; date: string; hhmm: string } {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) parts[p.type] = p.value;
  return {
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? '0',
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hhmm: `${parts.hour}:${parts.minute}`,
  };
}

/** Whether a queue with these hours is open at `at`; no hours means always open. Intervals are [open, close). */
export function isOpen(hours: OpeningHours | undefined, at: number): boolean {
  if (!hours) return true;
  const { weekday, date, hhmm } = localTime(at, hours.timeZone);
  if (hours.closedOn?.includes(date)) return false;
  const intervals = hours.week[weekday as keyof OpeningHours['week']] ?? [];
  return intervals.some(([open, close]) => hhmm >= open && hhmm < close);
}

export function validTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
