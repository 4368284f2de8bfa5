import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/PageHeader';

/** Placeholder while the page is being built. */
export function WallboardPage() {
  const { t } = useTranslation();
  return <PageHeader title={t('wallboard.title')} />;
}
