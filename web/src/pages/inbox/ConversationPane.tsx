import { ActionIcon, Badge, Box, Button, Group, Menu, Notification, Select, Stack, TagsInput, Text, Title, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCurrentSession } from '../../session';
import { PRIORITIES, type Conversation, type PersonRef, type Priority } from '../../types';
import { snoozeUntil, useSendMessage, useUpdateConversation } from './actions';
import { KnowledgeSuggestions } from '../../knowledge';
import { WrapUpForm } from '../../outcomes/WrapUpForm';
import { CallBar } from './CallBar';
import { VideoCallPanel } from '../../video/VideoCallPanel';
import { Composer, type ComposerHandle } from './Composer';
import { customerLabel, useDateFormatters, useLanguage } from './format';
import { BackIcon, ChannelIcon, ClockIcon, PanelIcon } from './icons';
import { channelName, STATUS_COLORS } from './labels';
import { useConversationPresence, type OtherAgent } from './presence';
import { useReplyOptions, useTeammates } from './queries';
import { useShortcuts } from './shortcuts';
import { Timeline } from './Timeline';
import { TransferDialog } from './TransferDialog';
import { SlaBadge } from '../../sla/SlaBadge';
import { MacroMenu } from '../../automation/MacroMenu';

const UNASSIGNED = '__unassigned__';

interface ConversationPaneProps {
  conversation: Conversation;
  onBack?: () => void;
  onTogglePanel: () => void;
  panelOpen: boolean;
}

export function ConversationPane({ conversation, onBack, onTogglePanel, panelOpen }: ConversationPaneProps) {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const composer = useRef<ComposerHandle>(null);
  const [draft, setDraft] = useState('');
  const update = useUpdateConversation();
  const { send, sendTemplate, retry, discard } = useSendMessage(conversation.id);
  const replyOptions = useReplyOptions(conversation.id);
  const presence = useConversationPresence(conversation.id, user.id);
  const c = conversation;
  // Both belong to one conversation: the pane stays mounted when the agent opens another.
  const [transferFor, setTransferFor] = useState<string | null>(null);
  const [transferred, setTransferred] = useState<{ conversationId: string; to: string } | null>(null);
  useEffect(() => {
    if (!transferred) return;
    const timer = setTimeout(() => setTransferred(null), 6000);
    return () => clearTimeout(timer);
  }, [transferred]);

  const patch = (p: Parameters<typeof update.mutate>[0]['patch'], assignee?: PersonRef | null) => update.mutate({ id: c.id, patch: p, assignee });
  const assignToMe = () => {
    if (c.assignee?.id !== user.id) patch({ assigneeId: user.id }, { id: user.id, name: user.name });
  };
  const resolve = () => {
    if (c.status !== 'resolved') patch({ status: 'resolved' });
  };

  useShortcuts({
    r: () => composer.current?.focus('reply'),
    n: () => composer.current?.focus('note'),
    e: resolve,
    a: assignToMe,
  });

  return (
    <Stack gap={0} h="100%" miw={0}>
      <Stack gap={8} px="md" py="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
          <Group gap="xs" wrap="nowrap" miw={0} style={{ flex: 1 }}>
            {onBack && (
              <ActionIcon variant="subtle" color="gray" onClick={onBack} aria-label={t('inbox.back')} data-testid="inbox-back">
                <BackIcon size={18} />
              </ActionIcon>
            )}
            <Box miw={0}>
              <Title
                order={2}
                size="h4"
                lineClamp={1}
                style={{ overflowWrap: 'anywhere' }}
                title={`${customerLabel(t, c.customer)}${c.subject ? ` · ${c.subject}` : ''}`}
                data-testid="conversation-title"
              >
                {customerLabel(t, c.customer)}
                {c.subject ? ` · ${c.subject}` : ''}
              </Title>
              <ConversationMeta conversation={c} />
            </Box>
          </Group>
          <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
            <SlaBadge conversationId={c.id} />
            <MacroMenu conversationId={c.id} />
            <Button size="xs" variant="default" onClick={() => setTransferFor(c.id)} data-testid="transfer-button">
              {t('inbox.transfer.button')}
            </Button>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button size="xs" variant="default" leftSection={<ClockIcon size={14} />} data-testid="snooze-menu">
                  {t('inbox.actions.snooze')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => patch({ status: 'snoozed', snoozedUntil: snoozeUntil('1h') })} data-testid="snooze-1h">
                  {t('inbox.snooze.hour')}
                </Menu.Item>
                <Menu.Item onClick={() => patch({ status: 'snoozed', snoozedUntil: snoozeUntil('tomorrow') })} data-testid="snooze-tomorrow">
                  {t('inbox.snooze.tomorrow')}
                </Menu.Item>
                <Menu.Item onClick={() => patch({ status: 'snoozed', snoozedUntil: snoozeUntil('nextWeek') })} data-testid="snooze-next-week">
                  {t('inbox.snooze.nextWeek')}
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item onClick={() => patch({ status: 'pending', snoozedUntil: null })} disabled={c.status === 'pending'} data-testid="status-pending">
                  {t('inbox.actions.markPending')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {c.status !== 'open' && (
              <Button size="xs" variant="default" onClick={() => patch({ status: 'open', snoozedUntil: null })} data-testid="reopen-button">
                {t('inbox.actions.reopen')}
              </Button>
            )}
            {c.status !== 'resolved' && (
              <Button size="xs" color="green" onClick={resolve} data-testid="resolve-button">
                {t('inbox.actions.resolve')}
              </Button>
            )}
            <Tooltip label={panelOpen ? t('inbox.customer.hide') : t('inbox.customer.show')}>
              <ActionIcon
                size={30}
                variant={panelOpen ? 'light' : 'subtle'}
                color="gray"
                onClick={onTogglePanel}
                aria-label={panelOpen ? t('inbox.customer.hide') : t('inbox.customer.show')}
                aria-pressed={panelOpen}
                data-testid="customer-panel-toggle"
              >
                <PanelIcon size={18} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        <Group gap={6} wrap="wrap">
          {c.assignee?.id === user.id ? (
            <Button size="xs" variant="default" onClick={() => patch({ assigneeId: null }, null)} data-testid="unassign">
              {t('inbox.actions.unassign')}
            </Button>
          ) : (
            <Button size="xs" variant="light" onClick={assignToMe} data-testid="assign-me">
              {t('inbox.actions.assignMe')}
            </Button>
          )}
          <AssigneeSelect conversation={c} onChange={(assignee) => patch({ assigneeId: assignee?.id ?? null }, assignee)} />
          <Select
            size="xs"
            w={100}
            aria-label={t('inbox.actions.priority')}
            allowDeselect={false}
            value={c.priority}
            onChange={(value) => value && value !== c.priority && patch({ priority: value as Priority })}
            data={PRIORITIES.map((p) => ({ value: p, label: t(`inbox.priority.${p}`) }))}
            data-testid="priority-select"
          />
          <TagsInput
            size="xs"
            style={{ flex: 1, minWidth: 140 }}
            aria-label={t('inbox.actions.tags')}
            placeholder={c.tags.length ? undefined : t('inbox.actions.addTags')}
            value={c.tags}
            onChange={(tags) => patch({ tags })}
            clearable={false}
            splitChars={[',']}
            maxTags={30}
            data-testid="tags-input"
          />
        </Group>
        {update.error ? <ErrorAlert error={update.error} /> : null}
        {transferred?.conversationId === c.id && (
          <Notification color="green" withBorder onClose={() => setTransferred(null)} closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="transfer-success">
            {t('inbox.transfer.done', { name: transferred.to })}
          </Notification>
        )}
      </Stack>

      {transferFor === c.id && (
        <TransferDialog conversation={c} onClose={() => setTransferFor(null)} onTransferred={(to) => setTransferred({ conversationId: c.id, to })} />
      )}

      <CallBar conversation={c} meId={user.id} />
      <VideoCallPanel key={`video:${c.id}`} conversation={c} meId={user.id} />
      <WrapUpForm conversation={c} />

      <Timeline key={`timeline:${c.id}`} conversation={c} meId={user.id} onRetry={retry} onDiscard={discard} />

      <PresenceBar others={presence.others} customerTyping={presence.customerTyping} customerName={customerLabel(t, c.customer)} />
      {/* Suggestions while the agent writes; the timeline keeps its room otherwise. */}
      {draft.trim().length >= 3 && (
        <KnowledgeSuggestions conversationId={c.id} draftText={draft} hideWhenEmpty limit={2} onInsertLink={(link) => composer.current?.append(link.url)} />
      )}
      <Composer
        key={`composer:${c.id}`}
        ref={composer}
        onDraftChange={setDraft}
        conversationId={c.id}
        replyOptions={replyOptions.data}
        onSend={(input) => {
          send(input);
          presence.stoppedTyping();
        }}
        onSendTemplate={sendTemplate}
        onTyping={presence.sendTyping}
      />
    </Stack>
  );
}

function ConversationMeta({ conversation: c }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const dates = useDateFormatters();
  return (
    <Group gap={6} wrap="nowrap" mt={2}>
      <Badge
        size="xs"
        variant="light"
        tt="none"
        color="gray"
        leftSection={<ChannelIcon type={c.channelType} size={10} />}
        style={{ flexShrink: 0 }}
        data-testid="conversation-channel"
        data-channel-type={c.channelType}
      >
        {channelName(t, c.channelType)}
      </Badge>
      <Badge size="xs" variant="light" color={STATUS_COLORS[c.status]} data-testid="conversation-status" data-status={c.status} style={{ flexShrink: 0 }}>
        {t(`inbox.status.${c.status}`)}
      </Badge>
      <Text size="xs" c="dimmed" truncate="end" data-testid="conversation-assignee">
        {c.assignee ? t('inbox.assignedTo', { name: c.assignee.name }) : t('inbox.unassigned')}
        {c.status === 'snoozed' && c.snoozedUntil ? ` · ${t('inbox.snoozedUntil', { date: dates.full(c.snoozedUntil) })}` : ''}
      </Text>
    </Group>
  );
}

function AssigneeSelect({ conversation: c, onChange }: { conversation: Conversation; onChange: (assignee: PersonRef | null) => void }) {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const users = useTeammates();

  const people = useMemo(() => {
    const byId = new Map<string, PersonRef>();
    byId.set(user.id, { id: user.id, name: user.name });
    if (c.assignee) byId.set(c.assignee.id, c.assignee);
    for (const u of users.data?.items ?? []) byId.set(u.id, { id: u.id, name: u.name });
    return [...byId.values()].sort((a, b) => (a.id === user.id ? -1 : b.id === user.id ? 1 : a.name.localeCompare(b.name)));
  }, [user, c.assignee, users.data]);

  return (
    <Select
      size="xs"
      w={160}
      searchable={people.length > 6}
      allowDeselect={false}
      aria-label={t('inbox.actions.assignee')}
      value={c.assignee?.id ?? UNASSIGNED}
      onChange={(value) => {
        if (!value || value === (c.assignee?.id ?? UNASSIGNED)) return;
        onChange(value === UNASSIGNED ? null : (people.find((p) => p.id === value) ?? null));
      }}
      data={[
        { value: UNASSIGNED, label: t('inbox.unassigned') },
        ...people.map((p) => ({ value: p.id, label: p.id === user.id ? t('inbox.actions.me', { name: p.name }) : p.name })),
      ]}
      nothingFoundMessage={t('inbox.nothingFound')}
      data-testid="assign-select"
    />
  );
}

function PresenceBar({ others, customerTyping, customerName }: { others: OtherAgent[]; customerTyping: boolean; customerName: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (others.length === 0 && !customerTyping) return null;
  const list = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' });
  const typing = others.filter((o) => o.typing).map((o) => o.name);
  const viewing = others.filter((o) => !o.typing).map((o) => o.name);
  return (
    <Stack gap={2} px="md" py={4} style={{ borderTop: '1px solid var(--mantine-color-gray-2)', background: 'var(--mantine-color-gray-0)' }} aria-live="polite">
      {others.length > 0 && (
        <Text size="xs" c="orange.8" fw={500} data-testid="presence-hint" data-typing={typing.length > 0 || undefined}>
          {[
            typing.length ? t('inbox.presence.typing', { names: list.format(typing), count: typing.length }) : null,
            viewing.length ? t('inbox.presence.viewing', { names: list.format(viewing), count: viewing.length }) : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      )}
      {customerTyping && (
        <Text size="xs" c="dimmed" fs="italic" data-testid="customer-typing">
          {t('inbox.presence.customerTyping', { name: customerName })}
        </Text>
      )}
    </Stack>
  );
}
