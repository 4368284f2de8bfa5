import { Box, Code, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';
import { checkExpression, routingKeys } from './api';
import type { ExpressionIssue, ExpressionPlace } from './types';

interface ExpressionInputProps {
  label: string;
  description?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  place: ExpressionPlace;
  /** Suffix of the test ids: the input is `expr-<testId>`. */
  testId: string;
  placeholder?: string;
  required?: boolean;
  readOnly?: boolean;
  /** Told whether the (debounced) source currently has issues. */
  onValidity?: (valid: boolean) => void;
}

/** An expression field that the server checks as you type (debounced), with the error spans underlined. */
export function ExpressionInput({ label, description, value, onChange, place, testId, placeholder, required, readOnly, onValidity }: ExpressionInputProps) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(value, 250);
  const source = debounced.trim();
  const check = useQuery({
    queryKey: routingKeys.check(place, debounced),
    queryFn: () => checkExpression(debounced, place),
    enabled: source !== '',
    staleTime: Infinity,
    retry: false,
    placeholderData: keepPreviousData,
  });
  // Results for an older text are shown only while the new one is still being checked.
  const issues: ExpressionIssue[] = source === '' ? [] : (check.data?.issues ?? []);
  const upToDate = value === debounced && !check.isPlaceholderData;
  const valid = source === '' || (check.isSuccess && issues.length === 0);

  useEffect(() => {
    if (upToDate && (source === '' || check.isSuccess)) onValidity?.(valid);
  }, [upToDate, valid, source, check.isSuccess, onValidity]);

  const state = source === '' ? 'empty' : check.isFetching || !upToDate ? 'checking' : check.isError ? 'unknown' : issues.length ? 'invalid' : 'valid';

  return (
    <Stack gap={4}>
      <TextInput
        label={label}
        description={description}
        placeholder={placeholder}
        required={required}
        readOnly={readOnly}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={state === 'invalid' && upToDate}
        spellCheck={false}
        autoComplete="off"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        rightSection={state === 'checking' ? <Loader size={14} /> : null}
        data-testid={`expr-${testId}`}
        data-state={state}
      />
      {issues.length > 0 && (
        <Stack gap={4} data-testid={`expr-${testId}-issues`}>
          <Code block fz="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} aria-hidden>
            <Highlighted source={debounced} issues={issues} />
          </Code>
          {issues.map((issue, i) => (
            <Text key={i} size="xs" c="red.7" data-testid="expr-issue" data-position={issue.position} data-length={issue.length}>
              {t('routing.expression.issueAt', { position: issue.position + 1 })} {issue.message}
            </Text>
          ))}
        </Stack>
      )}
      {check.isError && source !== '' && (
        <Text size="xs" c="dimmed">
          {t('routing.expression.checkFailed')} {describeError(t, check.error).message}
        </Text>
      )}
    </Stack>
  );
}

/** The source with every issue's span underlined in red; a zero-length span shows a caret. */
function Highlighted({ source, issues }: { source: string; issues: ExpressionIssue[] }) {
  const marks = new Array<boolean>(source.length + 1).fill(false);
  const carets = new Set<number>();
  for (const issue of issues) {
    const start = Math.max(0, Math.min(source.length, issue.position));
    if (issue.length <= 0) carets.add(start);
    for (let i = start; i < Math.min(source.length, start + issue.length); i++) marks[i] = true;
  }
  const parts: ReactNode[] = [];
  let i = 0;
  while (i <= source.length) {
    if (carets.has(i)) {
      parts.push(
        <Box key={`c${i}`} component="span" c="red.7" fw={700}>
          ‸
        </Box>,
      );
    }
    if (i === source.length) break;
    const marked = marks[i];
    let j = i;
    while (j < source.length && marks[j] === marked && (j === i || !carets.has(j))) j++;
    const text = source.slice(i, j);
    parts.push(
      marked ? (
        <Box
          key={i}
          component="mark"
          bg="red.1"
          c="red.9"
          style={{ textDecoration: 'underline wavy var(--mantine-color-red-7)', textUnderlineOffset: 3 }}
          data-testid="expr-issue-span"
        >
          {text}
        </Box>
      ) : (
        <span key={i}>{text}</span>
      ),
    );
    i = j;
  }
  return <>{parts}</>;
}
