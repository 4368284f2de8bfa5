import type { TFunction } from 'i18next';
import { Anchor, Box, Button, Center, Divider, Group, Loader, Stack, Text } from '@mantine/core';
import { Fragment, type CSSProperties, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { describeError } from '../../errors';
import { useRetryDelivery } from './actions';
import type { Attachment, Conversation, Message } from '../../types';
import { customerLabel, formatBytes, useDateFormatters, useLanguage, useNow, type DateFormatters } from './format';
import { AlertIcon, CheckIcon, ClockIcon, DoubleCheckIcon, PaperclipIcon } from './icons';
import { CallRecordingLink } from '../../video/CallRecordingLink';
import { usePendingMessages, type PendingMessage } from './pending';
import { flattenMessages, useMessages } from './queries';

/** Within this distance from the bottom the timeline counts as "at the bottom" and follows new messages. */
const STICK_THRESHOLD_PX = 64;
/** Load older messages when scrolled this close to the top. */
const LOAD_OLDER_PX = 240;

/** Image types shown inline. SVG is left out: opened on our origin it could run script. */
const PREVIEW_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

type Entry = { type: 'message'; message: Message } | { type: 'pending'; pending: PendingMessage };

function entryKey(e: Entry): string {
  return e.type === 'message' ? e.message.id : `pending:${e.pending.clientMessageId}`;
}
function entryTime(e: Entry): string {
  return e.type === 'message' ? e.message.createdAt : e.pending.createdAt;
}

interface TimelineProps {
  conversation: Conversation;
  meId: string;
  onRetry: (pending: PendingMessage) => void;
  onDiscard: (pending: PendingMessage) => void;
}

export function Timeline({ conversation, meId, onRetry, onDiscard }: TimelineProps) {
  const { t } = useTranslation();
  const dates = useDateFormatters();
  const now = useNow(60_000);
  const messages = useMessages(conversation.id);
  const pending = usePendingMessages(conversation.id);
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const snapshot = useRef<{ firstKey: string | null; lastKey: string | null; count: number; scrollHeight: number } | null>(null);

  const entries = useMemo<Entry[]>(
    () => [
      ...flattenMessages(messages.data).map((message) => ({ type: 'message' as const, message })),
      ...pending.map((p) => ({ type: 'pending' as const, pending: p })),
    ],
    [messages.data, pending],
  );

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = messages;
  const loadOlder = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const scrollToBottom = useCallback(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
    stick.current = true;
    setUnseen(0);
  }, []);

  // Keep the view anchored: older messages prepended keep what the agent is reading in place;
  // new messages at the bottom are followed when at the bottom, else counted for the pill.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const firstKey = entries[0] ? entryKey(entries[0]) : null;
    const last = entries[entries.length - 1];
    const lastKey = last ? entryKey(last) : null;
    const prev = snapshot.current;
    if (prev && prev.firstKey !== null && firstKey !== prev.firstKey && lastKey === prev.lastKey) {
      el.scrollTop += el.scrollHeight - prev.scrollHeight;
    } else if (prev && lastKey !== prev.lastKey && prev.lastKey !== null && last) {
      const mine = last.type === 'pending' || (last.message.authorType === 'agent' && last.message.author?.id === meId);
      if (stick.current || mine) scrollToBottom();
      else {
        const added = Math.max(1, entries.length - prev.count);
        setUnseen((n) => n + added);
      }
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
    snapshot.current = { firstKey, lastKey, count: entries.length, scrollHeight: el.scrollHeight };
  }, [entries, meId, scrollToBottom]);

  // Images and fonts change heights after render: stay at the bottom if we were there.
  useEffect(() => {
    const content = contentRef.current;
    const el = scrollRef.current;
    if (!content || !el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
      if (snapshot.current) snapshot.current.scrollHeight = el.scrollHeight;
    });
    ro.observe(content);
    return () => ro.disconnect();
  }, []);

  // A short conversation does not scroll: keep loading older pages until it does.
  useEffect(() => {
    const el = scrollRef.current;
    if (el && messages.isSuccess && el.scrollHeight <= el.clientHeight + LOAD_OLDER_PX) loadOlder();
  }, [entries.length, messages.isSuccess, loadOlder]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD_PX;
    stick.current = atBottom;
    if (atBottom && unseen) setUnseen(0);
    if (el.scrollTop < LOAD_OLDER_PX) loadOlder();
  };

  let previousDay = '';
  return (
    <Box pos="relative" style={{ flex: 1, minHeight: 0 }}>
      <div
        ref={scrollRef}
        onScroll={onScroll}
        style={{ height: '100%', overflowY: 'auto', overflowAnchor: 'none' }}
        data-testid="timeline"
        role="log"
        aria-label={t('inbox.timeline.label')}
        aria-live="polite"
        aria-relevant="additions"
        tabIndex={-1}
      >
        <Stack ref={contentRef} gap="sm" p="md">
          {messages.isPending ? (
            <Center h={160}>
              <Loader size="sm" />
            </Center>
          ) : messages.isError ? (
            <ErrorAlert error={messages.error} />
          ) : null}
          {isFetchingNextPage && (
            <Center>
              <Loader size="xs" />
            </Center>
          )}
          {messages.isSuccess && !hasNextPage && entries.length > 0 && (
            <Text size="xs" c="dimmed" ta="center">
              {t('inbox.timeline.start')}
            </Text>
          )}
          {messages.isSuccess && entries.length === 0 && (
            <Text size="sm" c="dimmed" ta="center" py="xl">
              {t('inbox.timeline.empty')}
            </Text>
          )}
          {entries.map((entry) => {
            const day = dates.day(entryTime(entry), now);
            const showDay = day !== previousDay;
            previousDay = day;
            return (
              <Fragment key={entryKey(entry)}>
                {showDay && <Divider label={day} labelPosition="center" my={4} />}
                {entry.type === 'message' ? (
                  <MessageItem message={entry.message} conversation={conversation} dates={dates} />
                ) : (
                  <PendingItem pending={entry.pending} dates={dates} onRetry={onRetry} onDiscard={onDiscard} />
                )}
              </Fragment>
            );
          })}
        </Stack>
      </div>
      {unseen > 0 && (
        <Button
          size="xs"
          radius="xl"
          pos="absolute"
          bottom={12}
          left="50%"
          style={{ transform: 'translateX(-50%)', boxShadow: 'var(--mantine-shadow-md)' }}
          onClick={scrollToBottom}
          data-testid="new-messages-pill"
        >
          {t('inbox.timeline.newMessages', { count: unseen })}
        </Button>
      )}
    </Box>
  );
}

function authorName(t: TFunction, m: Message, conversation: Conversation): string {
  if (m.author?.name) return m.author.name;
  switch (m.authorType) {
    case 'customer':
      return customerLabel(t, conversation.customer);
    case 'bot':
      return t('inbox.author.bot');
    case 'system':
      return t('inbox.author.system');
    default:
      return t('inbox.author.agent');
  }
}

function bubbleStyle(kind: Message['kind'], direction: Message['direction']): CSSProperties {
  if (kind === 'note') {
    return { background: 'var(--mantine-color-yellow-0)', border: '1px solid var(--mantine-color-yellow-4)' };
  }
  if (direction === 'outbound') {
    return { background: 'var(--mantine-color-blue-0)', border: '1px solid var(--mantine-color-blue-2)' };
  }
  return { background: 'var(--mantine-color-gray-0)', border: '1px solid var(--mantine-color-gray-3)' };
}

function MessageItem({ message: m, conversation, dates }: { message: Message; conversation: Conversation; dates: DateFormatters }) {
  const { t } = useTranslation();
  const isNote = m.kind === 'note';
  const outbound = m.direction === 'outbound' || isNote;

  if (m.authorType === 'system' && !isNote) {
    return (
      <Text
        size="xs"
        c="dimmed"
        ta="center"
        data-testid="timeline-message"
        data-direction={m.direction}
        data-kind={m.kind}
        data-message-id={m.id}
        style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
      >
        <span data-testid="message-body">{m.body}</span> · {dates.time(m.createdAt)}
        {conversation.channelType === 'webchat' && <CallRecordingLink conversation={conversation} messageId={m.id} />}
      </Text>
    );
  }

  return (
    <Box
      data-testid="timeline-message"
      data-direction={m.direction}
      data-kind={m.kind}
      data-message-id={m.id}
      data-status={m.status}
      style={{ alignSelf: outbound ? 'flex-end' : 'flex-start', maxWidth: 'min(78%, 640px)', minWidth: 0 }}
    >
      <Group gap={6} justify={outbound ? 'flex-end' : 'flex-start'} mb={2} wrap="nowrap">
        {isNote && (
          <Text size="xs" fw={700} c="yellow.9" tt="uppercase">
            {t('inbox.timeline.note')}
          </Text>
        )}
        <Text size="xs" fw={600} truncate="end">
          {authorName(t, m, conversation)}
        </Text>
        <Text size="xs" c="dimmed" component="time" dateTime={m.createdAt} title={dates.full(m.createdAt)} style={{ whiteSpace: 'nowrap' }}>
          {dates.time(m.createdAt)}
        </Text>
      </Group>
      <Box px="sm" py={8} style={{ ...bubbleStyle(m.kind, m.direction), borderRadius: 'var(--mantine-radius-md)' }}>
        {m.redacted && (
          <Text size="sm" c="dimmed" fs="italic" data-testid="message-redacted">
            {t('inbox.timeline.redacted')}
          </Text>
        )}
        {m.body && (
          <Text size="sm" data-testid="message-body" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {m.body}
          </Text>
        )}
        {m.attachments.length > 0 && <Attachments attachments={m.attachments} />}
      </Box>
      {m.kind === 'message' && m.direction === 'outbound' && <DeliveryStatus status={m.status} error={m.error} />}
      {m.kind === 'message' && m.direction === 'outbound' && m.status === 'failed' && <RetryDelivery conversationId={conversation.id} messageId={m.id} />}
    </Box>
  );
}

function DeliveryStatus({ status, error }: { status: Message['status']; error: string | null }) {
  const { t } = useTranslation();
  if (status === 'received') return null;
  const icon =
    status === 'queued' ? <ClockIcon size={12} /> : status === 'sent' ? <CheckIcon size={12} /> : status === 'failed' ? <AlertIcon size={12} /> : <DoubleCheckIcon size={12} />;
  const color = status === 'failed' ? 'red.7' : status === 'read' ? 'blue.6' : 'dimmed';
  return (
    <Group gap={4} justify="flex-end" mt={2} c={color} data-testid="message-status" data-status={status} wrap="nowrap">
      {icon}
      <Text size="xs" c={color} style={{ overflowWrap: 'anywhere' }}>
        {status === 'failed' && error ? t('inbox.delivery.failedWith', { error }) : t(`inbox.delivery.${status}`)}
      </Text>
    </Group>
  );
}

/** A reply the outbox gave up on: the agent can send it once more (same message, new attempt). */
function RetryDelivery({ conversationId, messageId }: { conversationId: string; messageId: string }) {
  const { t } = useTranslation();
  const retry = useRetryDelivery(conversationId);
  return (
    <Stack gap={2} mt={4} align="flex-end">
      <Button size="compact-xs" variant="light" loading={retry.isPending} onClick={() => retry.mutate(messageId)} data-testid="message-retry-delivery">
        {t('inbox.delivery.retry')}
      </Button>
      {retry.isError && (
        <Text size="xs" c="red.7" ta="right" data-testid="message-retry-error">
          {t('inbox.delivery.retryFailed', { error: describeError(t, retry.error).message })}
        </Text>
      )}
    </Stack>
  );
}

function PendingItem({ pending: p, dates, onRetry, onDiscard }: { pending: PendingMessage; dates: DateFormatters; onRetry: (p: PendingMessage) => void; onDiscard: (p: PendingMessage) => void }) {
  const { t } = useTranslation();
  const failed = p.state === 'failed';
  return (
    <Box
      data-testid="timeline-message"
      data-direction="outbound"
      data-kind={p.kind}
      data-message-id={`pending:${p.clientMessageId}`}
      data-status={failed ? 'failed' : 'sending'}
      data-pending="true"
      style={{ alignSelf: 'flex-end', maxWidth: 'min(78%, 640px)', minWidth: 0, opacity: failed ? 1 : 0.75 }}
    >
      <Group gap={6} justify="flex-end" mb={2}>
        {p.kind === 'note' && (
          <Text size="xs" fw={700} c="yellow.9" tt="uppercase">
            {t('inbox.timeline.note')}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {dates.time(p.createdAt)}
        </Text>
      </Group>
      <Box px="sm" py={8} style={{ ...bubbleStyle(p.kind, 'outbound'), borderRadius: 'var(--mantine-radius-md)', borderStyle: 'dashed' }}>
        {p.template && (
          <Text size="xs" c="dimmed" fw={600}>
            {t('inbox.replyOptions.templateLabel', { name: p.template.name })}
          </Text>
        )}
        {p.body && (
          <Text size="sm" data-testid="message-body" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {p.body}
          </Text>
        )}
        {p.attachments.length > 0 && <Attachments attachments={p.attachments} />}
      </Box>
      {failed ? (
        <Stack gap={4} mt={4} align="flex-end">
          <Text size="xs" c="red.7" ta="right" style={{ overflowWrap: 'anywhere' }}>
            {t('inbox.delivery.notSent', { error: p.error ?? '' })}
          </Text>
          <Group gap={6} wrap="nowrap">
            <Button size="compact-xs" variant="light" onClick={() => onRetry(p)} data-testid="message-retry">
              {t('inbox.delivery.retry')}
            </Button>
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onDiscard(p)} data-testid="message-discard">
              {t('inbox.delivery.discard')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Group gap={4} mt={2} c="dimmed" justify="flex-end" wrap="nowrap">
          <ClockIcon size={12} />
          <Text size="xs" c="dimmed">
            {t('inbox.delivery.sending')}
          </Text>
        </Group>
      )}
    </Box>
  );
}

export function Attachments({ attachments }: { attachments: readonly Attachment[] }) {
  const language = useLanguage();
  return (
    <Stack gap={6} mt={6}>
      {attachments.map((a) => {
        const href = `/api/attachments/${encodeURIComponent(a.id)}`;
        if (PREVIEW_TYPES.has(a.contentType.toLowerCase())) {
          return (
            <a key={a.id} href={href} target="_blank" rel="noopener noreferrer" data-testid="message-attachment" title={a.name}>
              <img
                src={href}
                alt={a.name}
                loading="lazy"
                style={{ display: 'block', maxWidth: '100%', width: 'auto', maxHeight: 220, borderRadius: 6, border: '1px solid var(--mantine-color-gray-3)' }}
              />
            </a>
          );
        }
        return (
          <Anchor key={a.id} href={href} download={a.name} size="sm" data-testid="message-attachment" style={{ display: 'inline-flex', alignItems: 'center', gap: 4, overflowWrap: 'anywhere' }}>
            <PaperclipIcon size={14} />
            <span>{a.name}</span>
            <Text span size="xs" c="dimmed">
              ({formatBytes(a.size, language)})
            </Text>
          </Anchor>
        );
      })}
    </Stack>
  );
}
