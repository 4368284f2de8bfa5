import { ActionIcon, Button, Group, NumberInput, Select, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { AttributeValueInput } from './ConditionEditor';
import { PRIORITIES, type Action, type ActionType, type RulePriority } from './types';

/** A fresh action of a type, with what can be filled in already. */
export function newAction(type: ActionType): Action {
  switch (type) {
    case 'set_priority':
      return { type, priority: 'high' };
    case 'route_to_queue':
      return { type, queueId: '' };
    case 'assign':
      return { type, agentId: '' };
    case 'add_tags':
    case 'remove_tags':
      return { type, tags: [] };
    case 'set_attribute':
      return { type, key: '', value: '' };
    case 'auto_reply':
    case 'add_note':
      return { type, body: '' };
    case 'snooze':
      return { type, minutes: 60 };
    case 'resolve':
      return { type };
    case 'send_webhook':
      return { type, endpointId: '' };
    case 'trigger_flow':
      return { type, flowId: '' };
  }
}

export interface Option {
  value: string;
  label: string;
}

interface ActionEditorProps {
  t: TFunction;
  action: Action;
  onChange: (action: Action) => void;
  onRemove: () => void;
  /** The action types to offer (send_webhook only when the server has webhook endpoints). */
  types: readonly ActionType[];
  queues: Option[];
  agents: Option[];
  endpoints: Option[];
  /** Published self-service flows. */
  flows: Option[];
  testId: string;
}

/** One action: its type and the inputs that type takes. */
export function ActionEditor({ t, action, onChange, onRemove, types, queues, agents, endpoints, flows, testId }: ActionEditorProps) {
  const offered = types.includes(action.type) ? types : [...types, action.type];
  return (
    <Group align="flex-start" gap="xs" wrap="nowrap" data-testid={testId} data-type={action.type}>
      <Select
        label={t('automation.editor.actionType')}
        w={210}
        allowDeselect={false}
        value={action.type}
        onChange={(v) => v && v !== action.type && onChange(newAction(v as ActionType))}
        data={offered.map((type) => ({ value: type, label: t(`automation.actions.${type}`) }))}
        data-testid={`${testId}-type`}
      />
      <Stack gap="xs" style={{ flex: 1 }}>
        <ActionInputs t={t} action={action} onChange={onChange} queues={queues} agents={agents} endpoints={endpoints} flows={flows} testId={testId} />
      </Stack>
      <ActionIcon variant="subtle" color="red" mt={28} aria-label={t('automation.editor.removeAction')} onClick={onRemove} data-testid={`${testId}-remove`}>
        ×
      </ActionIcon>
    </Group>
  );
}

function ActionInputs({ t, action, onChange, queues, agents, endpoints, flows, testId }: Omit<ActionEditorProps, 'onRemove' | 'types'>): ReactNode {
  switch (action.type) {
    case 'set_priority':
      return (
        <Select
          label={t('automation.editor.priority')}
          allowDeselect={false}
          value={action.priority}
          onChange={(v) => v && onChange({ ...action, priority: v as RulePriority })}
          data={PRIORITIES.map((p) => ({ value: p, label: t(`inbox.priority.${p}`) }))}
          data-testid={`${testId}-priority`}
        />
      );
    case 'route_to_queue':
      return (
        <Select
          label={t('automation.editor.queue')}
          placeholder={t('automation.editor.choose')}
          nothingFoundMessage={t('automation.editor.noQueues')}
          searchable
          value={action.queueId || null}
          onChange={(v) => onChange({ ...action, queueId: v ?? '' })}
          data={queues}
          data-testid={`${testId}-queue`}
        />
      );
    case 'assign':
      return (
        <Select
          label={t('automation.editor.agent')}
          placeholder={t('automation.editor.choose')}
          searchable
          value={action.agentId || null}
          onChange={(v) => onChange({ ...action, agentId: v ?? '' })}
          data={agents}
          data-testid={`${testId}-agent`}
        />
      );
    case 'add_tags':
    case 'remove_tags':
      return <TagsInput label={t('automation.editor.tags')} description={t('automation.editor.tagsHelp')} value={action.tags} onChange={(tags) => onChange({ ...action, tags })} data-testid={`${testId}-tags`} />;
    case 'set_attribute':
      return (
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput label={t('automation.editor.attributeKey')} w={160} value={action.key} onChange={(e) => onChange({ ...action, key: e.currentTarget.value })} data-testid={`${testId}-key`} />
          <AttributeValueInput t={t} value={action.value} onChange={(value) => onChange({ ...action, value })} testId={`${testId}-value`} />
        </Group>
      );
    case 'auto_reply':
      return (
        <Textarea
          label={t('automation.editor.replyBody')}
          description={t('automation.editor.replyHint', { placeholder: '{{customer.first_name}}' })}
          autosize
          minRows={2}
          maxLength={4000}
          value={action.body}
          onChange={(e) => onChange({ ...action, body: e.currentTarget.value })}
          data-testid={`${testId}-body`}
        />
      );
    case 'add_note':
      return <Textarea label={t('automation.editor.note')} autosize minRows={2} maxLength={4000} value={action.body} onChange={(e) => onChange({ ...action, body: e.currentTarget.value })} data-testid={`${testId}-body`} />;
    case 'snooze':
      return (
        <NumberInput
          label={t('automation.editor.minutes')}
          w={160}
          min={1}
          max={60 * 24 * 90}
          value={action.minutes}
          onChange={(v) => onChange({ ...action, minutes: typeof v === 'number' ? Math.round(v) : 1 })}
          data-testid={`${testId}-minutes`}
        />
      );
    case 'resolve':
      return (
        <Text size="sm" c="dimmed" mt={28}>
          {t('automation.editor.resolveHelp')}
        </Text>
      );
    case 'send_webhook':
      return (
        <Select
          label={t('automation.editor.endpoint')}
          placeholder={t('automation.editor.choose')}
          nothingFoundMessage={t('automation.editor.noEndpoints')}
          value={action.endpointId || null}
          onChange={(v) => onChange({ ...action, endpointId: v ?? '' })}
          data={endpoints}
          data-testid={`${testId}-endpoint`}
        />
      );
    case 'trigger_flow':
      return (
        <Select
          label={t('automation.editor.flow')}
          description={t('automation.editor.flowHelp')}
          placeholder={t('automation.editor.choose')}
          nothingFoundMessage={t('automation.editor.noFlows')}
          value={action.flowId || null}
          onChange={(v) => onChange({ ...action, flowId: v ?? '' })}
          data={flows}
          data-testid={`${testId}-flow`}
        />
      );
  }
}

interface ActionListProps extends Pick<ActionEditorProps, 't' | 'types' | 'queues' | 'agents' | 'endpoints' | 'flows'> {
  actions: Action[];
  onChange: (actions: Action[]) => void;
  /** Shown while the list is empty (a rule or macro needs one action). */
  emptyText: string;
  /** `rule` → rule-actions, action-0…, rule-add-action. */
  testIdPrefix: { list: string; item: string; add: string };
}

/** The actions of a rule or macro, in order, with an "add action" button (at most 20). */
export function ActionList({ t, actions, onChange, emptyText, testIdPrefix, ...options }: ActionListProps) {
  return (
    <Stack gap="sm" data-testid={testIdPrefix.list}>
      {actions.map((action, i) => (
        <ActionEditor
          key={i}
          t={t}
          action={action}
          onChange={(next) => onChange(actions.map((x, j) => (j === i ? next : x)))}
          onRemove={() => onChange(actions.filter((_, j) => j !== i))}
          {...options}
          testId={`${testIdPrefix.item}-${i}`}
        />
      ))}
      {actions.length === 0 && <Text size="sm" c="red">{emptyText}</Text>}
      <Group>
        <Button size="xs" variant="default" onClick={() => onChange([...actions, newAction('add_tags')])} disabled={actions.length >= 20} data-testid={testIdPrefix.add}>
          {t('automation.editor.addAction')}
        </Button>
      </Group>
    </Stack>
  );
}
