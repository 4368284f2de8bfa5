import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export type DateStyle = 'dateTime' | 'time';

const OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
};

/**
 * Returns a formatter for ISO timestamps in the current UI language.
 * `null`/invalid values render as the translated "none" placeholder.
 */
export function useFormatDate(style: DateStyle = 'dateTime'): (iso: string | null | undefined) => string {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const none = t('common.none');
  return useMemo(() => {
    const formatter = new Intl.DateTimeFormat(language, OPTIONS[style]);
    return (iso) => {
      if (!iso) return none;
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? none : formatter.format(date);
    };
  }, [language, style, none]);
}
