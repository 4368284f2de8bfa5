import type { TFunction } from 'i18next';
import type { OutcomeKind } from './types';

/** An outcome kind's name in the UI language; "no outcome" for null. */
export function outcomeKindLabel(t: TFunction, kind: string | null): string {
  return kind ? t(`outcomes.kinds.${kind as OutcomeKind}`) : t('outcomes.noKind');
}
