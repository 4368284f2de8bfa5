import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Conversation, ConversationCustomer } from '../../types';

/** Customer name, else email, else phone, else "Visitor". */
export function customerLabel(t: TFunction, customer: ConversationCustomer | null | undefined): string {
  return customer?.name?.trim() || customer?.email?.trim() || customer?.phone?.trim() || t('inbox.visitor');
}

/** One line of plain text for list previews. */
export function previewText(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The last message as one line (outbound ones are marked with an icon by the caller). */
export function conversationPreview(t: TFunction, c: Conversation): string {
  if (!c.lastMessage) return c.subject ?? '';
  return previewText(c.lastMessage.body) || t('inbox.attachmentOnly');
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = parts[0]![0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]![0] ?? '') : '';
  return (first + last).toUpperCase();
}

export function formatBytes(size: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(language, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
}

/** A clock that ticks every `intervalMs` (for relative times). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function useLanguage(): string {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage ?? i18n.language;
}

export interface DateFormatters {
  /** Compact age for lists: "nu", "5 min", "3 u", "ma", "12 mrt". */
  relative: (iso: string | null | undefined, now: number) => string;
  /** Full date and time, for titles and the customer panel. */
  full: (iso: string | null | undefined) => string;
  /** Time of day, for messages. */
  time: (iso: string | null | undefined) => string;
  /** Day heading in the timeline: "Vandaag", "Gisteren" or a date. */
  day: (iso: string, now: number) => string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function useDateFormatters(): DateFormatters {
  const { t } = useTranslation();
  const language = useLanguage();
  const justNow = t('inbox.time.now');
  const today = t('inbox.time.today');
  const yesterday = t('inbox.time.yesterday');
  return useMemo(() => {
    const minutes = new Intl.NumberFormat(language, { style: 'unit', unit: 'minute', unitDisplay: 'short' });
    const hours = new Intl.NumberFormat(language, { style: 'unit', unit: 'hour', unitDisplay: 'narrow' });
    const weekday = new Intl.DateTimeFormat(language, { weekday: 'short' });
    const shortDate = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short' });
    const shortDateYear = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric' });
    const full = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
    const longDay = new Intl.DateTimeFormat(language, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    const parse = (iso: string | null | undefined) => {
      if (!iso) return null;
      const ms = Date.parse(iso);
      return Number.isNaN(ms) ? null : ms;
    };
    return {
      relative: (iso, now) => {
        const ms = parse(iso);
        if (ms === null) return '';
        const diff = Math.max(0, now - ms);
        if (diff < MINUTE) return justNow;
        if (diff < HOUR) return minutes.format(Math.floor(diff / MINUTE));
        if (diff < DAY) return hours.format(Math.floor(diff / HOUR));
        if (diff < 6 * DAY) return weekday.format(ms);
        return new Date(ms).getFullYear() === new Date(now).getFullYear() ? shortDate.format(ms) : shortDateYear.format(ms);
      },
      full: (iso) => {
        const ms = parse(iso);
        return ms === null ? '' : full.format(ms);
      },
      time: (iso) => {
        const ms = parse(iso);
        return ms === null ? '' : time.format(ms);
      },
      day: (iso, now) => {
        const ms = parse(iso);
        if (ms === null) return '';
        const d = startOfDay(ms);
        const t0 = startOfDay(now);
        if (d === t0) return today;
        if (d === startOfDay(t0 - DAY / 2)) return yesterday;
        return longDay.format(ms);
      },
    };
  }, [language, justNow, today, yesterday]);
}

/** A UUID for `clientMessageId`; `crypto.randomUUID` only exists in secure contexts. */
export function newClientMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
