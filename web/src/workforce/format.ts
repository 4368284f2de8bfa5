import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatKpi, type KpiFormat } from '../analytics/kpiFormat';
import { channelLabel } from '../flows/channelLabel';
import type { StreamInfo } from './types';

/** The page's figure formatter in the UI language; null (no denominator) is a dash, never 0. */
export function useFigures(currency = 'EUR') {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => {
    const fmt = (value: number | null | undefined, format: KpiFormat) => formatKpi(value, format, language, currency);
    const decimal = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    const decimals2 = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
    return {
      language,
      /** For Mantine's NumberInput, so "16,9 %" reads as Dutch does. */
      decimalSeparator: new Intl.NumberFormat(language).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.',
      fmt,
      /** Forecast counts are expected values: one decimal. */
      decimal: (value: number | null | undefined) => (value == null || !Number.isFinite(value) ? '—' : decimal.format(value)),
      decimals2: (value: number | null | undefined) => (value == null || !Number.isFinite(value) ? '—' : decimals2.format(value)),
    };
  }, [language, currency]);
}

/** "Web chat · Service": a demand stream as a planner names it. */
export function streamLabel(t: TFunction, stream: Pick<StreamInfo, 'channel' | 'queueId' | 'queueName'>): string {
  return `${channelLabel(t, stream.channel)} · ${stream.queueName ?? stream.queueId}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

function timeFormat(language: string, timeZone: string, withDay: boolean): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}|${withDay}`;
  let format = timeFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = withDay ? { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit' };
    try {
      format = new Intl.DateTimeFormat(language, { ...options, timeZone });
    } catch {
      format = new Intl.DateTimeFormat(language, options);
    }
    timeFormats.set(key, format);
  }
  return format;
}

/** An interval's start as local time of day ("08:30"), or with its day when the range spans days. */
export function slotLabel(iso: string, language: string, timeZone: string, withDay = false): string {
  return timeFormat(language, timeZone, withDay).format(new Date(iso));
}

/** The local day (YYYY-MM-DD) an instant falls on in the time zone. */
export function localDate(iso: string, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  } catch {
    parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A YYYY-MM-DD day in the UI language ("wo 25 nov."). */
export function dayLabel(date: string, language: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const at = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12));
  return new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(at);
}

/** The backtest's method and baselines by the names the server gives them; an unknown name is shown as it comes. */
export function methodLabel(t: TFunction, name: string): string {
  switch (name) {
    case 'seasonal':
      return t('workforce.forecast.methods.seasonal');
    case 'previous day, same slot':
      return t('workforce.forecast.methods.previousDay');
    case 'same weekday last week, same slot':
    case 'same weekday last week':
      return t('workforce.forecast.methods.sameWeekdayLastWeek');
    case 'mean of last 4 same weekdays':
      return t('workforce.forecast.methods.meanOfSameWeekdays');
    case 'mean of last 20 days':
      return t('workforce.forecast.methods.meanOfLastDays');
    default:
      return name;
  }
}

/** Series colours for charts, from Mantine's palette. */
export const PALETTE = ['blue-6', 'teal-6', 'orange-6', 'grape-6', 'cyan-6', 'pink-6', 'lime-7', 'indigo-6', 'yellow-7', 'red-6'].map((name) => `var(--mantine-color-${name})`);
export const paletteColor = (i: number) => PALETTE[i % PALETTE.length] as string;
