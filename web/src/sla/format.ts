import type { TFunction } from 'i18next';

/** A duration in its two largest units ("1 u 20 min", "45 s"), in the page's language. */
export function formatSeconds(t: TFunction, total: number): string {
  const seconds = Math.max(0, Math.round(Math.abs(total)));
  const parts: Array<[number, 'd' | 'h' | 'm' | 's']> = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return t('sla.units.s', { count: 0 });
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => t(`sla.units.${unit}`, { count: n }))
    .join(' ');
}
