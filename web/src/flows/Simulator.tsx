import { Alert, Box, Button, Code, Group, List, NativeSelect, Paper, ScrollArea, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/ErrorAlert';
import { flowIssuesOf, useSimulate } from './api';
import { channelLabel } from './channelLabel';
import { spokenText } from './model';
import type { CustomerInput, RunAwait, SimMessage, SimulateResponse } from './types';

export const SIM_CHANNELS = ['webchat', 'sms', 'whatsapp', 'messenger', 'instagram', 'telegram', 'x', 'voice'] as const;

type Entry = { id: number; from: 'bot'; messages: SimMessage[]; twiml: string | null } | { id: number; from: 'customer'; text: string };

interface SimulatorProps {
  flowId: string;
  /** Unsaved edits: the simulator runs the saved draft, so it offers to save first. */
  dirty: boolean;
  canSave: boolean;
  /** Saves the draft; resolves false when saving failed. */
  onSave: () => Promise<boolean>;
}

/** Try the saved draft as a customer would, on any channel and in either language. */
export function Simulator({ flowId, dirty, canSave, onSave }: SimulatorProps) {
  const { t, i18n } = useTranslation();
  const simulate = useSimulate(flowId);
  const [channel, setChannel] = useState<string>('webchat');
  const [language, setLanguage] = useState<'nl' | 'en'>(i18n.resolvedLanguage === 'en' ? 'en' : 'nl');
  const [entries, setEntries] = useState<Entry[]>([]);
  const [runState, setRunState] = useState<unknown>(null);
  const [awaiting, setAwaiting] = useState<RunAwait | null>(null);
  const [text, setText] = useState('');
  const [digits, setDigits] = useState('');
  const nextId = useRef(1);
  const bottom = useRef<HTMLDivElement>(null);
  const voice = channel === 'voice';
  const started = runState !== null;
  const done = awaiting?.type === 'done' ? awaiting.outcome : null;

  useEffect(() => {
    bottom.current?.scrollIntoView?.({ block: 'nearest' });
  }, [entries.length]);

  const reset = () => {
    setEntries([]);
    setRunState(null);
    setAwaiting(null);
    setText('');
    setDigits('');
    simulate.reset();
  };

  const receive = (response: SimulateResponse, customer?: string) => {
    setEntries((prev) => [
      ...prev,
      ...(customer !== undefined ? [{ id: nextId.current++, from: 'customer' as const, text: customer }] : []),
      { id: nextId.current++, from: 'bot' as const, messages: response.messages, twiml: response.twiml },
    ]);
    setRunState(response.state);
    setAwaiting(response.await);
  };

  const start = async () => {
    if (dirty) {
      if (!canSave || !(await onSave())) return;
    }
    reset();
    simulate.mutate({ channel, language }, { onSuccess: (response) => receive(response) });
  };

  const send = (input: CustomerInput, shown: string) => {
    if (!started || done) return;
    simulate.mutate({ channel, language, state: runState, input }, { onSuccess: (response) => receive(response, shown) });
  };

  const sendText = () => {
    const value = text.trim();
    if (!value) return;
    send(voice ? { type: 'speech', text: value } : { type: 'text', text: value }, value);
    setText('');
  };
  const sendDigits = () => {
    const value = digits.trim();
    if (!value) return;
    send({ type: 'digits', digits: value }, `⌨ ${value}`);
    setDigits('');
  };

  const lastBot = [...entries].reverse().find((e) => e.from === 'bot');
  const canAnswer = started && !done && awaiting?.type === 'input' && !simulate.isPending;
  const issues = flowIssuesOf(simulate.error);

  return (
    <Paper withBorder radius="md" p="md" data-testid="flow-simulator">
      <Title order={2} size="h4" mb={4}>
        {t('flows.sim.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('flows.sim.description')}
      </Text>
      <Group align="flex-end" gap="sm" mb="sm" wrap="wrap">
        <NativeSelect
          label={t('flows.sim.channel')}
          value={channel}
          onChange={(e) => {
            setChannel(e.currentTarget.value);
            reset();
          }}
          data={SIM_CHANNELS.map((c) => ({ value: c, label: channelLabel(t, c) }))}
          data-testid="sim-channel"
        />
        <div>
          <Text size="sm" fw={500} mb={2}>
            {t('flows.sim.language')}
          </Text>
          <SegmentedControl
            value={language}
            onChange={(v) => {
              setLanguage(v === 'en' ? 'en' : 'nl');
              reset();
            }}
            data={[
              { value: 'nl', label: 'NL' },
              { value: 'en', label: 'EN' },
            ]}
            data-testid="sim-language"
          />
        </div>
        <Button onClick={() => void start()} loading={simulate.isPending && !started} disabled={dirty && !canSave} data-testid="sim-start">
          {started ? t('flows.sim.restart') : dirty ? t('flows.sim.saveAndStart') : t('flows.sim.start')}
        </Button>
      </Group>
      {dirty && (
        <Alert color="yellow" variant="light" mb="sm" data-testid="sim-unsaved">
          {t('flows.sim.unsaved')}
        </Alert>
      )}
      {simulate.error ? (
        issues.length > 0 ? (
          <Alert color="red" variant="light" role="alert" title={t('flows.sim.invalid')} mb="sm" data-testid="sim-error">
            <List size="sm">
              {issues.map((issue, i) => (
                <List.Item key={i}>
                  {issue.nodeId ?? t('flows.issues.flowLevel')} · {issue.field}: {issue.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : (
          <Box mb="sm">
            <ErrorAlert error={simulate.error} testId="sim-error" />
          </Box>
        )
      ) : null}

      {started && (
        <ScrollArea.Autosize mah={460} type="auto" data-testid="sim-transcript">
          <Stack gap="xs" pr="xs">
            {entries.map((entry) =>
              entry.from === 'customer' ? (
                <Group key={entry.id} justify="flex-end">
                  <Box bg="blue.6" c="white" px="sm" py={6} maw="80%" style={{ borderRadius: 12, whiteSpace: 'pre-wrap' }} data-testid="sim-customer-message">
                    <Text size="sm">{entry.text}</Text>
                  </Box>
                </Group>
              ) : (
                <Stack key={entry.id} gap={4} data-testid="sim-bot-turn">
                  {entry.twiml !== null && <VoiceTurn twiml={entry.twiml} />}
                  {entry.messages.map((m, i) => (
                    <Box key={i} bg="gray.1" px="sm" py={6} maw="85%" style={{ borderRadius: 12, whiteSpace: 'pre-wrap' }} data-testid="sim-bot-message">
                      <Text size="sm">{m.text}</Text>
                      {m.articleId && (
                        <Text size="xs" c="dimmed">
                          ↗ {m.articleId}
                        </Text>
                      )}
                      {m.buttons && m.buttons.length > 0 && (
                        <Group gap={6} mt={6}>
                          {m.buttons.map((b) => (
                            <Button
                              key={b.value}
                              size="compact-xs"
                              variant="outline"
                              disabled={!canAnswer || entry !== lastBot}
                              onClick={() => send({ type: 'choice', value: b.value }, b.label)}
                              data-testid="sim-button"
                              data-value={b.value}
                            >
                              {b.label}
                            </Button>
                          ))}
                        </Group>
                      )}
                    </Box>
                  ))}
                </Stack>
              ),
            )}
            <div ref={bottom} />
          </Stack>
        </ScrollArea.Autosize>
      )}

      {started && !done && (
        <Stack gap="xs" mt="sm">
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <TextInput
              style={{ flex: 1 }}
              placeholder={voice ? t('flows.sim.speechPlaceholder') : t('flows.sim.textPlaceholder')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  if (canAnswer) sendText();
                }
              }}
              disabled={!canAnswer}
              data-testid="sim-input"
            />
            <Button onClick={sendText} disabled={!canAnswer || !text.trim()} loading={simulate.isPending} data-testid="sim-send">
              {t('flows.sim.send')}
            </Button>
          </Group>
          {voice && (
            <Group gap="xs" wrap="nowrap" align="flex-end">
              <TextInput
                style={{ flex: 1 }}
                label={t('flows.sim.digits')}
                placeholder="1"
                value={digits}
                onChange={(e) => setDigits(e.currentTarget.value.replace(/[^0-9*#]/g, ''))}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    if (canAnswer) sendDigits();
                  }
                }}
                disabled={!canAnswer}
                data-testid="sim-digits"
              />
              <Button onClick={sendDigits} disabled={!canAnswer || !digits} data-testid="sim-send-digits">
                {t('flows.sim.send')}
              </Button>
            </Group>
          )}
          <Group gap="xs">
            <Button size="xs" variant="subtle" color="gray" onClick={() => send({ type: 'no_input' }, `(${t('flows.sim.noInput')})`)} disabled={!canAnswer} data-testid="sim-no-input">
              {t('flows.sim.noInput')}
            </Button>
            {awaiting?.type === 'input' && (
              <Text size="xs" c="dimmed" data-testid="sim-waiting">
                {t('flows.sim.waitingAt', { node: awaiting.nodeId })}
              </Text>
            )}
          </Group>
        </Stack>
      )}

      {done && (
        <Alert
          mt="sm"
          color={done.result === 'contained' ? 'green' : 'orange'}
          variant="light"
          title={done.result === 'contained' ? t('flows.sim.contained') : t('flows.sim.handedOff')}
          data-testid="sim-outcome"
          data-result={done.result}
        >
          <Stack gap={4}>
            <Text size="sm">
              {t('flows.sim.reason')}: <Code data-testid="sim-outcome-reason">{done.reason}</Code> · {t('flows.sim.atNode', { node: done.nodeId })}
            </Text>
            {done.result === 'handed_off' && (
              <>
                <Text size="sm">
                  {t('flows.sim.queue')}: <Code data-testid="sim-outcome-queue">{done.queueId}</Code>
                </Text>
                <Text size="sm">{t('flows.sim.attributes')}:</Text>
                <Code block data-testid="sim-outcome-attributes">
                  {JSON.stringify(done.attributes, null, 2)}
                </Code>
              </>
            )}
            <Group>
              <Button size="xs" variant="light" onClick={() => void start()} data-testid="sim-restart">
                {t('flows.sim.restart')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
    </Paper>
  );
}

function VoiceTurn({ twiml }: { twiml: string }) {
  const spoken = spokenText(twiml);
  return (
    <Stack gap={4}>
      {spoken.map((line, i) => (
        <Box key={i} bg="gray.1" px="sm" py={6} maw="85%" style={{ borderRadius: 12 }} data-testid="sim-spoken">
          <Group gap={6} wrap="nowrap" align="flex-start">
            <Text size="sm" c="dimmed" style={{ flex: 'none' }} aria-hidden="true">
              ♪
            </Text>
            <Text size="sm">{line}</Text>
          </Group>
        </Box>
      ))}
      <Code block style={{ whiteSpace: 'pre-wrap', fontSize: 11 }} data-testid="sim-twiml">
        {prettyXml(twiml)}
      </Code>
    </Stack>
  );
}

/** Line breaks between TwiML elements so the document reads as a tree. */
function prettyXml(xml: string): string {
  let depth = 0;
  return xml
    .replace(/>\s*</g, '>\n<')
    .split('\n')
    .map((line) => {
      if (/^<\//.test(line)) depth = Math.max(0, depth - 1);
      const out = `${'  '.repeat(depth)}${line}`;
      if (/^<[^!?/][^>]*[^/]>$/.test(line) && !/<\/[^>]+>$/.test(line)) depth++;
      return out;
    })
    .join('\n');
}
