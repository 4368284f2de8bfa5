import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, setLanguage, type Language } from '../i18n';

// Language codes are shown as-is, so these labels are the same in every language.
const DATA: { value: Language; label: string }[] = [
  { value: 'nl', label: 'NL' },
  { value: 'en', label: 'EN' },
];

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const value = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;
  return (
    <SegmentedControl<Language>
      size="xs"
      data={DATA}
      value={value}
      onChange={(lng) => void setLanguage(lng)}
      aria-label={t('language.label')}
      data-testid="language-switch"
    />
  );
}
