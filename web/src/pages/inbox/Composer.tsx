import type { TFunction } from 'i18next';
import { ActionIcon, Alert, Box, Button, CloseButton, Group, Kbd, Loader, Paper, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { describeError } from '../../errors';
import type { Attachment, CannedResponse, ReplyOptions, ReplyTemplate, TemplateInput } from '../../types';
import { useNow } from './format';
import { ClockIcon, PaperclipIcon } from './icons';
import { drafts } from './pending';
import { useCannedResponses } from './queries';

export type ComposerMode = 'reply' | 'note';

export interface ComposerHandle {
  focus: (mode?: ComposerMode) => void;
  /** Adds text at the end of the draft (a knowledge article's link). */
  append: (text: string) => void;
}

export interface SendInput {
  body: string;
  kind: 'message' | 'note';
  attachments: Attachment[];
}

interface Upload {
  key: string;
  name: string;
  state: 'uploading' | 'done' | 'error';
  attachment?: Attachment;
  error?: string;
}

interface ComposerProps {
  conversationId: string;
  /** The channel's limits (length, reply window, templates, opt-out); undefined while loading. */
  replyOptions?: ReplyOptions;
  onSend: (input: SendInput) => void;
  onSendTemplate: (template: TemplateInput, preview: string) => void;
  onTyping: () => void;
  /** The draft as it changes (knowledge suggestions read it). */
  onDraftChange?: (text: string) => void;
  ref?: Ref<ComposerHandle>;
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
/** A canned-response trigger: "/" at the very start, then the filter text (no spaces). */
const SLASH = /^\/(\S*)$/;

let uploadCounter = 0;

export function Composer({ conversationId, replyOptions, onSend, onSendTemplate, onTyping, onDraftChange, ref }: ComposerProps) {
  const { t } = useTranslation();
  const saved = drafts.get(conversationId);
  const [body, setBody] = useState(saved?.body ?? '');
  const [mode, setMode] = useState<ComposerMode>(saved?.mode ?? 'reply');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [pickerDismissed, setPickerDismissed] = useState(false);
  const [highlight, setHighlight] = useState(0);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (body || mode === 'note') drafts.set(conversationId, { body, mode });
    else drafts.delete(conversationId);
  }, [conversationId, body, mode]);
  useEffect(() => {
    onDraftChange?.(body);
  }, [body, onDraftChange]);

  useImperativeHandle(ref, () => ({
    focus: (next) => {
      if (next) setMode(next);
      const el = textareaRef.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    },
    append: (text) => {
      setBody((current) => (current.trim() ? `${current.trimEnd()} ${text}` : text));
      textareaRef.current?.focus();
    },
  }));

  // Canned responses: "/" at the start opens the picker, filtered by what follows.
  const slash = SLASH.exec(body);
  const pickerOpen = slash !== null && !pickerDismissed;
  const [cannedQuery] = useDebouncedValue(slash?.[1] ?? '', 120);
  const canned = useCannedResponses(conversationId, cannedQuery, pickerOpen);
  const options: CannedResponse[] = useMemo(() => (pickerOpen ? (canned.data?.items ?? []) : []), [pickerOpen, canned.data]);
  useEffect(() => setHighlight(0), [cannedQuery]);

  const now = useNow(30_000);
  const uploading = uploads.some((u) => u.state === 'uploading');
  const ready = uploads.filter((u) => u.state === 'done' && u.attachment).map((u) => u.attachment!);
  // A channel that carries no written replies (a phone call): notes only.
  const notesOnly = replyOptions?.maxTextLength === 0;
  useEffect(() => {
    if (notesOnly && mode === 'reply') setMode('note');
  }, [notesOnly, mode]);
  const replying = mode === 'reply';
  const replyWindow = replyOptions?.window ?? null;
  const windowOpen = replyWindow ? replyWindow.open && replyWindow.closesAt !== null && Date.parse(replyWindow.closesAt) > now : true;
  // Free text is refused by the channel: the customer opted out, or the reply window closed.
  const optedOut = replying && replyOptions?.optedOut === true;
  const windowClosed = replying && !optedOut && !windowOpen;
  const blocked = optedOut || windowClosed;
  const maxLength = replyOptions?.maxTextLength ?? null;
  const tooLong = replying && maxLength !== null && body.length > maxLength;
  const canSend = !uploading && !blocked && !tooLong && (body.trim() !== '' || ready.length > 0);

  const send = () => {
    if (!canSend) return;
    onSend({ body, kind: mode === 'note' ? 'note' : 'message', attachments: ready });
    setBody('');
    setUploads([]);
    setPickerDismissed(false);
    textareaRef.current?.focus();
  };

  const insert = (item: CannedResponse) => {
    const text = item.rendered ?? item.body;
    setBody(text);
    setPickerDismissed(true);
    requestAnimationFrame(() => {
      const el = textareaRef.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(text.length, text.length);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
      return;
    }
    if (!pickerOpen) {
      // Escape leaves the reply box so the single-key shortcuts work again.
      if (e.key === 'Escape') e.currentTarget.blur();
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setPickerDismissed(true);
    } else if (options.length > 0 && e.key === 'ArrowDown') {
      e.preventDefault();
      setHighlight((i) => (i + 1) % options.length);
    } else if (options.length > 0 && e.key === 'ArrowUp') {
      e.preventDefault();
      setHighlight((i) => (i - 1 + options.length) % options.length);
    } else if (options.length > 0 && (e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      e.preventDefault();
      insert(options[Math.min(highlight, options.length - 1)]!);
    }
  };

  const addFiles = (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) {
      const key = `u${++uploadCounter}`;
      setUploads((prev) => [...prev, { key, name: file.name, state: 'uploading' }]);
      api
        .upload<Attachment>('/api/attachments', file)
        .then((attachment) => setUploads((prev) => prev.map((u) => (u.key === key ? { ...u, state: 'done', attachment } : u))))
        .catch((error: unknown) =>
          setUploads((prev) => prev.map((u) => (u.key === key ? { ...u, state: 'error', error: describeError(t, error).message } : u))),
        );
    }
  };

  const note = mode === 'note';
  const sendHint = IS_MAC ? '⌘ ↵' : 'Ctrl ↵';

  return (
    <Box
      p="sm"
      data-window={replyWindow ? (windowOpen ? 'open' : 'closed') : undefined}
      data-opted-out={replyOptions?.optedOut || undefined}
      style={{
        borderTop: '1px solid var(--mantine-color-gray-3)',
        background: note ? 'var(--mantine-color-yellow-0)' : undefined,
        transition: 'background 120ms',
      }}
      data-mode={mode}
      data-testid="reply-box"
    >
      {replying && !optedOut && replyWindow && windowOpen && replyWindow.closesAt && (
        <Group gap={4} mb={6} c="dimmed" wrap="nowrap" data-testid="reply-window" data-open="true">
          <ClockIcon size={12} />
          <Text size="xs" c="dimmed">
            {t('inbox.replyOptions.windowOpen', { duration: formatDuration(t, Date.parse(replyWindow.closesAt) - now) })}
          </Text>
        </Group>
      )}
      {optedOut && (
        <Alert color="orange" variant="light" mb="xs" p="xs" title={t('inbox.replyOptions.optedOutTitle')} data-testid="reply-opted-out">
          <Text size="xs">{t('inbox.replyOptions.optedOut')}</Text>
        </Alert>
      )}
      {windowClosed && replyWindow && (
        <Stack gap="xs" mb="xs">
          <Alert color="yellow" variant="light" p="xs" data-testid="reply-window" data-open="false">
            <Text size="xs">{t('inbox.replyOptions.windowClosed', { hours: replyWindow.hours })}</Text>
          </Alert>
          <TemplatePicker key={conversationId} templates={replyOptions?.templates ?? []} onSend={onSendTemplate} />
        </Stack>
      )}
      <Box pos="relative">
        {pickerOpen && (
          <Paper
            shadow="md"
            withBorder
            pos="absolute"
            bottom="calc(100% + 6px)"
            left={0}
            right={0}
            mah={260}
            style={{ overflowY: 'auto', zIndex: 20 }}
            role="listbox"
            id={`canned-${conversationId}`}
            aria-label={t('inbox.canned.label')}
            data-testid="canned-picker"
          >
            {canned.isPending && (
              <Group p="xs" gap="xs">
                <Loader size="xs" />
                <Text size="xs" c="dimmed">
                  {t('common.loading')}
                </Text>
              </Group>
            )}
            {!canned.isPending && options.length === 0 && (
              <Text size="xs" c="dimmed" p="xs">
                {canned.isError ? describeError(t, canned.error).message : t('inbox.canned.empty')}
              </Text>
            )}
            {options.map((item, index) => (
              <Box
                key={item.id}
                role="option"
                aria-selected={index === highlight}
                data-testid="canned-option"
                data-shortcode={item.shortcode}
                px="sm"
                py={6}
                style={{ cursor: 'pointer', background: index === highlight ? 'var(--mantine-color-blue-0)' : undefined }}
                onMouseEnter={() => setHighlight(index)}
                onMouseDown={(e) => {
                  e.preventDefault(); // keep focus in the textarea
                  insert(item);
                }}
              >
                <Group gap={6} wrap="nowrap">
                  <Text size="xs" ff="monospace" c="blue.7" style={{ flexShrink: 0 }}>
                    /{item.shortcode}
                  </Text>
                  <Text size="sm" fw={500} truncate="end">
                    {item.title}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" truncate="end">
                  {(item.rendered ?? item.body).replace(/\s+/g, ' ')}
                </Text>
              </Box>
            ))}
          </Paper>
        )}
        <Textarea
          ref={textareaRef}
          autosize
          minRows={2}
          maxRows={10}
          value={body}
          disabled={blocked}
          placeholder={note ? t('inbox.reply.notePlaceholder') : t('inbox.reply.placeholder')}
          aria-label={note ? t('inbox.reply.noteLabel') : t('inbox.reply.label')}
          aria-expanded={pickerOpen}
          aria-controls={pickerOpen ? `canned-${conversationId}` : undefined}
          aria-autocomplete="list"
          onChange={(e) => {
            setBody(e.currentTarget.value);
            setPickerDismissed(false);
            if (e.currentTarget.value) onTyping();
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setPickerDismissed(true)}
          onFocus={() => setPickerDismissed(false)}
          styles={{
            input: note ? { background: 'var(--mantine-color-yellow-1)', borderColor: 'var(--mantine-color-yellow-6)' } : undefined,
          }}
          data-testid="reply-input"
        />
      </Box>

      {uploads.length > 0 && (
        <Group gap={6} mt={6}>
          {uploads.map((u) => (
            <Group
              key={u.key}
              gap={4}
              px={8}
              py={2}
              wrap="nowrap"
              style={{ border: `1px solid var(--mantine-color-${u.state === 'error' ? 'red-4' : 'gray-3'})`, borderRadius: 999, maxWidth: 260 }}
              data-testid="reply-upload"
              data-state={u.state}
            >
              {u.state === 'uploading' ? <Loader size={10} /> : <PaperclipIcon size={12} />}
              <Text size="xs" truncate="end" c={u.state === 'error' ? 'red.7' : undefined} title={u.error ?? u.name}>
                {u.name}
              </Text>
              <CloseButton size="xs" aria-label={t('inbox.reply.removeFile', { name: u.name })} onClick={() => setUploads((prev) => prev.filter((x) => x.key !== u.key))} />
            </Group>
          ))}
        </Group>
      )}

      <Group justify="space-between" mt={8} gap="xs" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <SegmentedControl<ComposerMode>
            size="xs"
            value={mode}
            onChange={setMode}
            data={[
              { value: 'reply', label: t('inbox.reply.modeReply'), disabled: notesOnly },
              { value: 'note', label: t('inbox.reply.modeNote') },
            ]}
            color={note ? 'yellow' : undefined}
            aria-label={t('inbox.reply.mode')}
            data-testid="reply-mode"
          />
          <input
            ref={fileRef}
            type="file"
            multiple
            style={{ display: 'none' }}
            onChange={(e) => {
              addFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
            data-testid="reply-file"
          />
          <Tooltip label={t('inbox.reply.attach')}>
            <ActionIcon variant="subtle" color="gray" onClick={() => fileRef.current?.click()} aria-label={t('inbox.reply.attach')}>
              <PaperclipIcon size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
        <Group gap={8} wrap="nowrap">
          {replying && !blocked && maxLength !== null && (
            <Text
              size="xs"
              c={tooLong ? 'red.7' : 'dimmed'}
              fw={tooLong ? 600 : undefined}
              title={tooLong ? t('inbox.replyOptions.tooLong', { max: maxLength }) : undefined}
              aria-live="polite"
              data-testid="reply-counter"
              data-over={tooLong || undefined}
            >
              {t('inbox.replyOptions.counter', { count: body.length, max: maxLength })}
            </Text>
          )}
          <Text size="xs" c="dimmed" visibleFrom="md">
            <Kbd size="xs">{sendHint}</Kbd>
          </Text>
          <Button size="xs" color={note ? 'yellow' : 'blue'} onClick={send} disabled={!canSend} data-testid="reply-send">
            {note ? t('inbox.reply.sendNote') : t('inbox.reply.send')}
          </Button>
        </Group>
      </Group>
      {tooLong && maxLength !== null && (
        <Text size="xs" c="red.7" mt={4} data-testid="reply-too-long">
          {t('inbox.replyOptions.tooLong', { max: maxLength })}
        </Text>
      )}
      {note && (
        <Stack gap={0} mt={4}>
          <Text size="xs" c="yellow.9">
            {t('inbox.reply.noteHint')}
          </Text>
        </Stack>
      )}
    </Box>
  );
}

/** "3 u" / "3 h" from an hour on, "25 min" below it. */
function formatDuration(t: TFunction, ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes >= 60) return t('inbox.replyOptions.hours', { count: Math.floor(minutes / 60) });
  return t('inbox.replyOptions.minutes', { count: minutes });
}

/** The template body with its parameters filled in ({{1}}, {{2}}, ...); empty ones stay as placeholders. */
export function renderTemplate(body: string, parameters: readonly string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (all, n: string) => parameters[Number(n) - 1]?.trim() || all);
}

const templateKey = (tpl: ReplyTemplate) => `${tpl.name}|${tpl.language}`;

/** With the reply window closed the channel only carries approved templates. */
function TemplatePicker({ templates, onSend }: { templates: readonly ReplyTemplate[]; onSend: (template: TemplateInput, preview: string) => void }) {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<string | null>(templates.length === 1 ? templateKey(templates[0]!) : null);
  const [parameters, setParameters] = useState<string[]>([]);
  const template = templates.find((tpl) => templateKey(tpl) === selected) ?? null;

  if (templates.length === 0) {
    return (
      <Text size="xs" c="dimmed" data-testid="template-none">
        {t('inbox.replyOptions.templateNone')}
      </Text>
    );
  }
  const values = template ? Array.from({ length: template.parameters }, (_, i) => parameters[i] ?? '') : [];
  const complete = template !== null && values.every((v) => v.trim() !== '');
  return (
    <Paper withBorder p="xs" radius="md" data-testid="template-picker">
      <Stack gap={6}>
        <Select
          size="xs"
          label={t('inbox.replyOptions.template')}
          placeholder={t('inbox.replyOptions.templatePlaceholder')}
          data={templates.map((tpl) => ({ value: templateKey(tpl), label: `${tpl.name} (${tpl.language})` }))}
          value={selected}
          onChange={(value) => {
            setSelected(value);
            setParameters([]);
          }}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          data-testid="template-select"
        />
        {template && (
          <>
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="template-preview">
              {renderTemplate(template.body, values)}
            </Text>
            {values.map((value, i) => (
              <TextInput
                key={i}
                size="xs"
                label={t('inbox.replyOptions.templateParameter', { n: i + 1 })}
                value={value}
                onChange={(e) => {
                  const next = [...values];
                  next[i] = e.currentTarget.value;
                  setParameters(next);
                }}
                data-testid={`template-parameter-${i + 1}`}
              />
            ))}
            <Group justify="flex-end">
              <Button
                size="xs"
                disabled={!complete}
                onClick={() => {
                  onSend({ name: template.name, language: template.language, parameters: values.map((v) => v.trim()) }, renderTemplate(template.body, values));
                  setParameters([]);
                }}
                data-testid="template-send"
              >
                {t('inbox.replyOptions.templateSend')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
