import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/PageHeader';

/** Placeholder while the page is being built. */
export function SlaSettingsPage() {
  const { t } = useTranslation();
  return <PageHeader title={t('sla.title')} />;
}
