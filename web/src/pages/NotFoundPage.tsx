import { useTranslation } from 'react-i18next';
import { MessagePage } from '../components/MessagePage';

export function NotFoundPage() {
  const { t } = useTranslation();
  return <MessagePage title={t('notFound.title')} message={t('notFound.message')} back={t('notFound.back')} />;
}
