import { escapeHtml } from '../platform/http/html.ts';
import type { Grouping, Interval, KpiReport, Kpis } from './reports.ts';

/**
 * Scheduled reports, the pure part: when a schedule runs next (in its time zone, correct across
 * daylight-saving changes), which period a run covers, and the e-mail it sends.
 */
export const frequencies = ['daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof frequencies)[number];
export const reportRanges = ['yesterday', 'last_7_days', 'last_month'] as const;
export type ReportRange = (typeof reportRanges)[number];
export const reportLanguages = ['nl', 'en'] as const;
export type ReportLanguage = (typeof reportLanguages)[number];

export interface ScheduleTiming {
  frequency: Frequency;
  /** Local hour, 0–23. */
  hour: number;
  /** ISO weekday 1 (Monday)–7 (Sunday); weekly only. */
  weekday: number | null;
  /** 1–31; monthly only. A month without that day uses its last day. */
  dayOfMonth: number | null;
  timeZone: string;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows the IANA time zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of an instant in a zone, written as if it were UTC (ms). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(instantMs)).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

function localDateOf(instant: Date, timeZone: string): LocalDate {
  const wall = new Date(wallClockMs(instant.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The instant at which the zone's clocks show the given local date and hour. A time skipped by a
 * spring-forward change moves on to the first time that exists (02:00 becomes 03:00 in
 * Amsterdam); a time that occurs twice in autumn is its first occurrence.
 */
export function zonedTime(date: LocalDate, hour: number, timeZone: string): Date {
  const wanted = Date.UTC(date.year, date.month - 1, date.day, hour);
  const offsetBefore = wallClockMs(wanted - 86_400_000, timeZone) - (wanted - 86_400_000);
  const offsetAfter = wallClockMs(wanted + 86_400_000, timeZone) - (wanted + 86_400_000);
  const matches = [wanted - offsetBefore, wanted - offsetAfter].filter((t) => wallClockMs(t, timeZone) === wanted);
  if (matches.length > 0) return new Date(Math.min(...matches));
  return new Date(wanted - offsetBefore);
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const isoWeekday = (date: LocalDate) => ((new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7) + 1;

function runsOn(timing: ScheduleTiming, date: LocalDate): boolean {
  switch (timing.frequency) {
    case 'daily':
      return true;
    case 'weekly':
      return isoWeekday(date) === timing.weekday;
    case 'monthly':
      return date.day === Math.min(timing.dayOfMonth ?? 1, daysInMonth(date.year, date.month));
  }
}

/** The first run strictly after `after`. */
export function nextRunAfter(timing: ScheduleTiming, after: Date): Date {
  let date = localDateOf(after, timing.timeZone);
  // A monthly schedule runs at most 31 days apart; two months bound the search.
  for (let i = 0; i < 63; i++, date = addDays(date, 1)) {
    if (!runsOn(timing, date)) continue;
    const at = zonedTime(date, timing.hour, timing.timeZone);
    if (at.getTime() > after.getTime()) return at;
  }
  throw new Error('no run found within two months (the schedule is invalid)');
}

/**
 * The period a run covers, as local midnights of the run's zone: yesterday, the seven days before
 * the run's day, or the previous calendar month. The run's own day is never included.
 */
export function reportPeriod(range: ReportRange, runAt: Date, timeZone: string): { from: Date; to: Date } {
  const today = localDateOf(runAt, timeZone);
  const midnight = (d: LocalDate) => zonedTime(d, 0, timeZone);
  switch (range) {
    case 'yesterday':
      return { from: midnight(addDays(today, -1)), to: midnight(today) };
    case 'last_7_days':
      return { from: midnight(addDays(today, -7)), to: midnight(today) };
    case 'last_month': {
      const first = { year: today.year, month: today.month, day: 1 };
      const previous = today.month === 1 ? { year: today.year - 1, month: 12, day: 1 } : { year: today.year, month: today.month - 1, day: 1 };
      return { from: midnight(previous), to: midnight(first) };
    }
  }
}

// --- the e-mail ---

const texts = {
  nl: {
    subject: (name: string, period: string) => `Rapportage ${name}: ${period}`,
    intro: (name: string, period: string) => `Geplande rapportage "${name}" over ${period}.`,
    figure: 'Kengetal',
    value: 'Waarde',
    rows: 'Per regel',
    attachment: 'De volledige cijfers staan in de bijgevoegde CSV.',
    footer: 'Verstuurd door Hoorn. Het schema wijzigen kan op de benchmarkpagina.',
    none: '–',
    total: 'Totaal',
  },
  en: {
    subject: (name: string, period: string) => `Report ${name}: ${period}`,
    intro: (name: string, period: string) => `Scheduled report "${name}" for ${period}.`,
    figure: 'Figure',
    value: 'Value',
    rows: 'By row',
    attachment: 'The full figures are in the attached CSV.',
    footer: 'Sent by Hoorn. The schedule can be changed on the benchmark page.',
    none: '–',
    total: 'Total',
  },
} as const;

type Format = 'count' | 'percent' | 'seconds' | 'money' | 'score';
const summaryFigures: Array<{ key: keyof Kpis; format: Format; nl: string; en: string }> = [
  { key: 'conversations', format: 'count', nl: 'Gesprekken', en: 'Conversations' },
  { key: 'offered', format: 'count', nl: 'Aangeboden', en: 'Offered' },
  { key: 'answered', format: 'count', nl: 'Beantwoord', en: 'Answered' },
  { key: 'abandonRate', format: 'percent', nl: 'Uitval', en: 'Abandon rate' },
  { key: 'serviceLevel', format: 'percent', nl: 'Serviceniveau', en: 'Service level' },
  { key: 'averageSpeedOfAnswerSeconds', format: 'seconds', nl: 'Gem. wachttijd (s)', en: 'Average speed of answer (s)' },
  { key: 'averageHandleTimeSeconds', format: 'seconds', nl: 'Gem. afhandeltijd (s)', en: 'Average handle time (s)' },
  { key: 'firstContactResolution', format: 'percent', nl: 'Opgelost bij eerste contact', en: 'First contact resolution' },
  { key: 'containmentRate', format: 'percent', nl: 'Afgehandeld door selfservice', en: 'Self-service containment' },
  { key: 'csat', format: 'score', nl: 'CSAT (1–5)', en: 'CSAT (1–5)' },
  { key: 'nps', format: 'score', nl: 'NPS', en: 'NPS' },
  { key: 'revenue', format: 'money', nl: 'Omzet', en: 'Revenue' },
  { key: 'revenuePerContact', format: 'money', nl: 'Omzet per contact', en: 'Revenue per contact' },
  { key: 'cost', format: 'money', nl: 'Kosten', en: 'Cost' },
  { key: 'margin', format: 'money', nl: 'Marge', en: 'Margin' },
  { key: 'slaBreaches', format: 'count', nl: 'SLA-overschrijdingen', en: 'SLA breaches' },
];
/** The few figures shown per row (the CSV has them all). */
const rowFigures = summaryFigures.filter((f) => ['conversations', 'answered', 'serviceLevel', 'averageHandleTimeSeconds', 'revenue'].includes(f.key));
const MAX_ROWS_IN_MAIL = 50;

function formatFigure(value: number | null, format: Format, language: ReportLanguage, currency: string): string {
  if (value === null || !Number.isFinite(value)) return texts[language].none;
  const locale = language === 'nl' ? 'nl-NL' : 'en-GB';
  switch (format) {
    case 'count':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
    case 'percent':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    case 'seconds':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
    case 'score':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
    case 'money':
      return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value);
  }
}

/** "1 t/m 30 november 2026" style period in the schedule's zone and language (`to` is exclusive). */
export function describePeriod(period: { from: Date; to: Date }, timeZone: string, language: ReportLanguage): string {
  const locale = language === 'nl' ? 'nl-NL' : 'en-GB';
  const format = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
  const lastDay = new Date(period.to.getTime() - 1);
  const first = format.format(period.from);
  const last = format.format(lastDay);
  if (first === last) return first;
  return language === 'nl' ? `${first} t/m ${last}` : `${first} – ${last}`;
}

export interface ReportMail {
  subject: string;
  html: string;
  text: string;
}

/** The e-mail of one run: a summary table of the totals and the first rows; the CSV is attached by the caller. */
export function composeReportMail(input: {
  name: string;
  language: ReportLanguage;
  timeZone: string;
  period: { from: Date; to: Date };
  report: Pick<KpiReport, 'currency' | 'totals' | 'rows' | 'groupBy' | 'interval'>;
}): ReportMail {
  const { language, report } = input;
  const t = texts[language];
  const period = describePeriod(input.period, input.timeZone, language);
  const fmt = (value: number | null, format: Format) => formatFigure(value, format, language, report.currency);
  const cell = (text: string, tag: 'td' | 'th' = 'td', align: 'left' | 'right' = 'left') =>
    `<${tag} style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:${align}">${escapeHtml(text)}</${tag}>`;

  const summary = summaryFigures.map((f) => `<tr>${cell(f[language])}${cell(fmt(report.totals[f.key] as number | null, f.format), 'td', 'right')}</tr>`).join('');
  const showRows = report.groupBy !== 'none' || report.interval !== 'total';
  const rowLabel = (row: KpiReport['rows'][number]) => [row.bucket ? row.bucket.slice(0, 16).replace('T', ' ') : null, row.label ?? row.key].filter(Boolean).join(' · ') || t.total;
  const rows = report.rows.slice(0, MAX_ROWS_IN_MAIL);
  const rowTable = showRows && rows.length > 0
    ? `<h3 style="font-size:14px">${escapeHtml(t.rows)}</h3><table style="border-collapse:collapse;font-size:13px"><tr>${cell('', 'th')}${rowFigures.map((f) => cell(f[language], 'th', 'right')).join('')}</tr>${rows
        .map((row) => `<tr>${cell(rowLabel(row))}${rowFigures.map((f) => cell(fmt(row.kpis[f.key] as number | null, f.format), 'td', 'right')).join('')}</tr>`)
        .join('')}</table>`
    : '';

  const html = [
    '<!doctype html><html><body style="font-family:Arial,sans-serif;color:#222">',
    `<p>${escapeHtml(t.intro(input.name, period))}</p>`,
    `<table style="border-collapse:collapse;font-size:13px"><tr>${cell(t.figure, 'th')}${cell(t.value, 'th', 'right')}</tr>${summary}</table>`,
    rowTable,
    `<p>${escapeHtml(t.attachment)}</p>`,
    `<p style="color:#777;font-size:12px">${escapeHtml(t.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  const text = [
    t.intro(input.name, period),
    '',
    ...summaryFigures.map((f) => `${f[language]}: ${fmt(report.totals[f.key] as number | null, f.format)}`),
    '',
    t.attachment,
  ].join('\n');
  return { subject: t.subject(input.name, period), html, text };
}

/** The attachment's file name: `<name>-<from>.csv`, safe in every mail program. */
export function csvFileName(name: string, period: { from: Date }, timeZone: string): string {
  const day = localDateOf(period.from, timeZone);
  const slug = name.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'rapport';
  return `${slug}-${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}.csv`;
}

export type { Grouping, Interval };
