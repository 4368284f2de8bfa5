import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/PageHeader';

/** Placeholder while the page is being built. */
export function OutcomesSettingsPage() {
  const { t } = useTranslation();
  return <PageHeader title={t('outcomes.title')} />;
}
