import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';

interface ErrorAlertProps {
  error: unknown;
  title?: string;
  testId?: string;
}

/** Shows an API (or other) error as a translated Mantine alert. */
export function ErrorAlert({ error, title, testId }: ErrorAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;
  const { message, detail } = describeError(t, error);
  return (
    <Alert color="red" variant="light" role="alert" title={title ?? t('common.errorTitle')} data-testid={testId}>
      <Text size="sm">{message}</Text>
      {detail && (
        <Text size="xs" c="dimmed" mt={4}>
          {detail}
        </Text>
      )}
    </Alert>
  );
}
