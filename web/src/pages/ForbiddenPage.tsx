import { useTranslation } from 'react-i18next';
import { MessagePage } from '../components/MessagePage';

export function ForbiddenPage() {
  const { t } = useTranslation();
  return <MessagePage title={t('forbidden.title')} message={t('forbidden.message')} back={t('forbidden.back')} />;
}
