import { Badge, Group, Paper, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FlowIssue } from './types';

interface IssueListProps {
  issues: FlowIssue[];
  checking: boolean;
  onPick: (issue: FlowIssue) => void;
}

/** Validation issues of the draft, errors first; picking one selects its node. */
export function IssueList({ issues, checking, onPick }: IssueListProps) {
  const { t } = useTranslation();
  const sorted = [...issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  return (
    <Paper withBorder radius="md" p="md" data-testid="flow-issues" data-errors={errors} data-warnings={warnings}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {t('flows.issues.title')}
        </Title>
        <Group gap={6}>
          {checking && (
            <Text size="xs" c="dimmed" data-testid="flow-validating">
              {t('flows.issues.checking')}
            </Text>
          )}
          <Badge color={errors ? 'red' : 'green'} variant="light" data-testid="flow-issues-errors">
            {t('flows.issues.errors', { count: errors })}
          </Badge>
          <Badge color={warnings ? 'yellow' : 'gray'} variant="light">
            {t('flows.issues.warnings', { count: warnings })}
          </Badge>
        </Group>
      </Group>
      {issues.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="flow-issues-none">
          {t('flows.issues.none')}
        </Text>
      ) : (
        <Stack gap={4}>
          {sorted.map((issue, i) => (
            <UnstyledButton
              key={`${issue.nodeId}-${issue.field}-${i}`}
              onClick={() => onPick(issue)}
              p={6}
              style={{ borderRadius: 6, border: '1px solid var(--mantine-color-gray-2)' }}
              data-testid="flow-issue"
              data-severity={issue.severity}
              data-node-id={issue.nodeId ?? ''}
            >
              <Group gap={8} wrap="nowrap" align="flex-start">
                <Badge size="sm" color={issue.severity === 'error' ? 'red' : 'yellow'} variant="filled" style={{ flex: 'none' }}>
                  {t(`flows.issues.${issue.severity}`)}
                </Badge>
                <Text size="xs" ff="monospace" fw={600} style={{ flex: 'none' }}>
                  {issue.nodeId ?? t('flows.issues.flowLevel')}
                </Text>
                <Text size="xs" ff="monospace" c="dimmed" style={{ flex: 'none' }}>
                  {issue.field}
                </Text>
                <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                  {issue.message}
                </Text>
              </Group>
            </UnstyledButton>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
