import type { TFunction } from 'i18next';
import { channelLabel } from '../flows/channelLabel';
import { LIST_OPERATORS, PRIORITIES, SENTIMENTS, STATUSES, VALUE_TIERS, type Action, type Condition, type ConditionField } from './types';

const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);

/** One value as a person reads it: channel, sentiment, priority, status and tier names translated. */
export function valueLabel(t: TFunction, field: ConditionField | null, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('common.none');
  if (Array.isArray(value)) return value.length ? value.map((v) => valueLabel(t, field, v)).join(', ') : t('common.none');
  if (typeof value === 'boolean') return value ? t('automation.yes') : t('automation.no');
  if (typeof value === 'number') return String(Math.round(value * 1000) / 1000);
  if (typeof value !== 'string') return JSON.stringify(value);
  if (field === 'channel') return channelLabel(t, value);
  if (field === 'sentiment' && isOneOf(SENTIMENTS, value)) return t(`automation.sentiments.${value}`);
  if (field === 'priority' && isOneOf(PRIORITIES, value)) return t(`inbox.priority.${value}`);
  if (field === 'status' && isOneOf(STATUSES, value)) return t(`inbox.status.${value}`);
  if ((field === 'tier' || field === 'previousTier') && isOneOf(VALUE_TIERS, value)) return t(`clv.tier.${value}`);
  return value;
}

/** "Channel is X", "Sentiment is one of negative, neutral", "Attribute plan exists". */
export function conditionLabel(t: TFunction, c: Condition): string {
  const field = c.field === 'attribute' ? t('automation.fields.attributeNamed', { key: c.key ?? '?' }) : t(`automation.fields.${c.field}`);
  const op = t(`automation.operators.${c.op}`);
  if (c.op === 'exists' || c.op === 'not_exists') return `${field} ${op}`;
  const value = LIST_OPERATORS.includes(c.op) ? valueLabel(t, c.field, c.value ?? []) : valueLabel(t, c.field, c.value);
  return `${field} ${op} ${value}`;
}

export interface Names {
  queue: (id: string) => string;
  agent: (id: string) => string;
  endpoint: (id: string) => string;
  flow: (id: string) => string;
}

/** What an action does, in a few words: "Priority: High", "Route to queue social-care". */
export function actionLabel(t: TFunction, action: Action, names: Names): string {
  switch (action.type) {
    case 'set_priority':
      return t('automation.summary.set_priority', { priority: t(`inbox.priority.${action.priority}`) });
    case 'route_to_queue':
      return t('automation.summary.route_to_queue', { queue: names.queue(action.queueId) });
    case 'assign':
      return t('automation.summary.assign', { agent: names.agent(action.agentId) });
    case 'add_tags':
      return t('automation.summary.add_tags', { tags: action.tags.join(', ') });
    case 'remove_tags':
      return t('automation.summary.remove_tags', { tags: action.tags.join(', ') });
    case 'set_attribute':
      return t('automation.summary.set_attribute', { key: action.key, value: action.value === null ? t('automation.summary.removed') : valueLabel(t, null, action.value) });
    case 'auto_reply':
      return t('automation.summary.auto_reply', { body: clip(action.body) });
    case 'add_note':
      return t('automation.summary.add_note', { body: clip(action.body) });
    case 'snooze':
      return t('automation.summary.snooze', { count: action.minutes });
    case 'resolve':
      return t('automation.summary.resolve');
    case 'send_webhook':
      return t('automation.summary.send_webhook', { endpoint: names.endpoint(action.endpointId) });
    case 'trigger_flow':
      return t('automation.summary.trigger_flow', { flow: names.flow(action.flowId) });
  }
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Names for ids when the lists are loaded, the id itself until then (or when it is gone). */
export function namesFrom(lists: {
  queues?: Array<{ id: string; name: string }>;
  agents?: Array<{ userId: string; name: string }>;
  endpoints?: Array<{ id: string; name: string }> | null;
  flows?: Array<{ id: string; name: string }>;
}): Names {
  const queues = new Map((lists.queues ?? []).map((q) => [q.id, q.name]));
  const agents = new Map((lists.agents ?? []).map((a) => [a.userId, a.name]));
  const endpoints = new Map((lists.endpoints ?? []).map((e) => [e.id, e.name]));
  const flows = new Map((lists.flows ?? []).map((f) => [f.id, f.name]));
  return {
    queue: (id) => queues.get(id) ?? id,
    agent: (id) => agents.get(id) ?? id,
    endpoint: (id) => endpoints.get(id) ?? id,
    flow: (id) => flows.get(id) ?? id,
  };
}
