import { Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface JsonEditorProps {
  /** The object being edited; re-shown when it changes from elsewhere (a drag, another selection). */
  value: Record<string, unknown>;
  /** Called with every edit that parses to an object; returns an error to show instead, if any. */
  onChange: (value: Record<string, unknown>) => string | null;
  readOnly?: boolean;
  label: string;
  testId: string;
  minRows?: number;
}

/** A monospace JSON text area: the text is the admin's while typing; parsed edits flow into the draft. */
export function JsonEditor({ value, onChange, readOnly, label, testId, minRows = 14 }: JsonEditorProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => JSON.stringify(value, null, 2));
  const [error, setError] = useState<string | null>(null);
  // The object this editor last handed out: when it comes back unchanged, the text stays as typed.
  const committed = useRef<string>(JSON.stringify(value));

  useEffect(() => {
    const json = JSON.stringify(value);
    if (json === committed.current) return;
    committed.current = json;
    setText(JSON.stringify(value, null, 2));
    setError(null);
  }, [value]);

  const change = (next: string) => {
    setText(next);
    let parsed: unknown;
    try {
      parsed = JSON.parse(next);
    } catch (e) {
      setError(t('flows.editor.jsonInvalid', { message: e instanceof Error ? e.message : String(e) }));
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setError(t('flows.editor.jsonInvalid', { message: '{ … }' }));
      return;
    }
    const problem = onChange(parsed as Record<string, unknown>);
    if (problem === null) committed.current = JSON.stringify(parsed);
    setError(problem);
  };

  return (
    <div>
      <Textarea
        label={label}
        value={text}
        onChange={(e) => change(e.currentTarget.value)}
        readOnly={readOnly}
        autosize
        minRows={minRows}
        maxRows={32}
        spellCheck={false}
        error={error !== null}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12, lineHeight: 1.45 } }}
        data-testid={testId}
      />
      {error && (
        <Text size="xs" c="red.7" mt={4} data-testid={`${testId}-error`}>
          {error}
        </Text>
      )}
    </div>
  );
}
