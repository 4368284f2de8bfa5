import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClvModel, ValueTier } from './types';

export const TIER_COLORS: Record<ValueTier, string> = { platinum: 'violet', gold: 'yellow', silver: 'gray', bronze: 'orange', none: 'gray' };

/** The model's CLV currency (parameters.clv.currency), if it has one. */
export function modelCurrency(model: ClvModel | null | undefined): string | null {
  const clv = model?.parameters.clv as { currency?: unknown } | undefined;
  return typeof clv?.currency === 'string' ? clv.currency : null;
}

/** Number formatters in the UI language: money (in `currency` when known, else a plain number), percentages, decimals. */
export function useValueFormatters(currency: string | null | undefined) {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => {
    let money: Intl.NumberFormat;
    try {
      money = currency ? new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 }) : new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
    } catch {
      money = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
    }
    const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });
    const decimal = new Intl.NumberFormat(language, { maximumSignificantDigits: 4 });
    return {
      money: (v: number | null | undefined) => (v === null || v === undefined ? '—' : money.format(v)),
      percent: (v: number | null | undefined) => (v === null || v === undefined ? '—' : percent.format(v)),
      decimal: (v: unknown) => (typeof v === 'number' ? decimal.format(v) : '—'),
    };
  }, [language, currency]);
}

/** Churn risk colour: high (≥ 50 %) red, medium (≥ 25 %) orange, else green. */
export function churnColor(risk: number | null | undefined): string {
  if (risk === null || risk === undefined) return 'gray';
  return risk >= 0.5 ? 'red' : risk >= 0.25 ? 'orange' : 'green';
}
