/** Number formatting for the benchmark page; null (no denominator) is a dash, never 0. */
export function formatNumber(value: number | null | undefined, language: string, style: 'count' | 'percent' | 'money' | 'score' | 'seconds', currency = 'EUR'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (style) {
    case 'count':
      return new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(value);
    case 'percent':
      return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    case 'score':
      return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value);
    case 'seconds':
      return `${new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(value)} s`;
    case 'money':
      try {
        return new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value);
      } catch {
        return `${new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(value)} ${currency}`;
      }
  }
}

/** A reference figure: "79,3%" (the file gives percentages of centres, 0–100). */
export const formatReference = (value: number, language: string) => `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value)}%`;
