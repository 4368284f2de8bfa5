import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';
import { issuesOf } from './api';

/** An API error; a 400 with `details.issues` lists every issue (what the change would break). */
export function IssuesAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const issues = issuesOf(error);
  const { message, detail } = describeError(t, error);
  return (
    <Alert color="red" variant="light" role="alert" title={issues.length ? t('routing.setup.invalidConfig') : t('common.errorTitle')} data-testid="routing-save-error">
      {issues.length ? (
        <List size="sm" spacing={2}>
          {issues.map((issue, i) => (
            <List.Item key={i} data-testid="config-issue">
              {issue}
            </List.Item>
          ))}
        </List>
      ) : (
        <>
          <Text size="sm">{message}</Text>
          {detail && (
            <Text size="xs" c="dimmed" mt={4}>
              {detail}
            </Text>
          )}
        </>
      )}
    </Alert>
  );
}
