/**
 * Automation rules as the server's /api/automation speaks them (server/src/automation/rules.ts):
 * on a trigger, when the conditions hold, do the actions; rules run by position.
 */

export const TRIGGERS = [
  'message.received',
  'conversation.created',
  'conversation.updated',
  'conversation.resolved',
  'sla.warning',
  'sla.breached',
  'csat.received',
  'customer.tier_changed',
  'schedule',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const CONDITION_FIELDS = [
  'channel',
  'public',
  'text',
  'language',
  'sentiment',
  'sentimentScore',
  'tier',
  'previousTier',
  'businessHours',
  'priority',
  'status',
  'tags',
  'attribute',
  'csat',
  'idleMinutes',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const OPERATORS = ['is', 'is_not', 'in', 'not_in', 'contains', 'not_contains', 'matches', 'lt', 'lte', 'gt', 'gte', 'exists', 'not_exists'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Which operators each field takes; the server refuses any other (kept in step with rules.ts). */
export const FIELD_OPERATORS: Record<ConditionField, readonly Operator[]> = {
  channel: ['is', 'is_not', 'in', 'not_in'],
  text: ['contains', 'not_contains', 'matches'],
  language: ['is', 'is_not', 'in', 'not_in', 'exists', 'not_exists'],
  sentiment: ['is', 'is_not', 'in', 'not_in'],
  sentimentScore: ['lt', 'lte', 'gt', 'gte'],
  tier: ['is', 'is_not', 'in', 'not_in', 'exists', 'not_exists'],
  previousTier: ['is', 'is_not', 'in', 'not_in', 'exists', 'not_exists'],
  businessHours: ['is'],
  priority: ['is', 'is_not', 'in', 'not_in'],
  status: ['is', 'is_not', 'in', 'not_in'],
  tags: ['contains', 'not_contains'],
  attribute: ['is', 'is_not', 'in', 'not_in', 'contains', 'not_contains', 'matches', 'lt', 'lte', 'gt', 'gte', 'exists', 'not_exists'],
  csat: ['is', 'lt', 'lte', 'gt', 'gte', 'exists', 'not_exists'],
  public: ['is'],
  idleMinutes: ['lt', 'lte', 'gt', 'gte'],
};

export const LIST_OPERATORS: readonly Operator[] = ['in', 'not_in'];
export const NUMBER_OPERATORS: readonly Operator[] = ['lt', 'lte', 'gt', 'gte'];
export const PRESENCE_OPERATORS: readonly Operator[] = ['exists', 'not_exists'];

/** Channel types a rule can name (the medium, as conversations carry it). */
export const CHANNEL_TYPES = ['webchat', 'email', 'whatsapp', 'sms', 'voice', 'messenger', 'instagram', 'facebook', 'telegram', 'x', 'youtube', 'api'] as const;
export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type RulePriority = (typeof PRIORITIES)[number];
export const STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export const LANGUAGES = ['nl', 'en'] as const;
export const VALUE_TIERS = ['platinum', 'gold', 'silver', 'bronze', 'none'] as const;

export type ConditionValue = string | number | boolean | string[];

export interface Condition {
  field: ConditionField;
  /** The attribute's name, for `attribute`. */
  key?: string;
  op: Operator;
  value?: ConditionValue;
}

export const ACTION_TYPES = ['set_priority', 'route_to_queue', 'assign', 'add_tags', 'remove_tags', 'set_attribute', 'auto_reply', 'add_note', 'snooze', 'resolve', 'send_webhook', 'trigger_flow'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export type Action =
  | { type: 'add_tags'; tags: string[] }
  | { type: 'remove_tags'; tags: string[] }
  | { type: 'set_priority'; priority: RulePriority }
  | { type: 'set_attribute'; key: string; value: string | number | boolean | null }
  | { type: 'route_to_queue'; queueId: string }
  | { type: 'assign'; agentId: string }
  | { type: 'auto_reply'; body: string }
  | { type: 'snooze'; minutes: number }
  | { type: 'resolve' }
  | { type: 'add_note'; body: string }
  | { type: 'send_webhook'; endpointId: string }
  | { type: 'trigger_flow'; flowId: string };

export interface RuleBody {
  name: string;
  enabled: boolean;
  trigger: Trigger;
  /** Only for the `schedule` trigger: how often the rule looks at the open conversations. */
  schedule: { everyMinutes: number } | null;
  /** Every one of `all` must hold, and at least one of `any` when `any` is not empty. */
  conditions: { all: Condition[]; any: Condition[] };
  actions: Action[];
  /** When this rule matches, no later rule runs on the event. */
  stop: boolean;
}

export interface Rule extends RuleBody {
  id: string;
  position: number;
  updatedAt: string;
}

export interface ConditionTrace {
  group: 'all' | 'any';
  index: number;
  passed: boolean;
  /** The value the condition read. */
  actual: unknown;
}

export interface RuleTrace {
  ruleId: string;
  name: string;
  matched: boolean;
  skipped?: 'disabled' | 'other-trigger' | 'stopped' | 'loop' | 'chain-limit';
  conditions: ConditionTrace[];
  actions: Action[];
}

export type ActionOutcome = 'done' | 'unchanged' | 'skipped' | 'failed';

export interface ActionResult {
  ruleId: string;
  action: Action;
  outcome: ActionOutcome;
  detail?: string;
}

export interface AutomationRun {
  id: number;
  trigger: Trigger;
  conversationId: string | null;
  messageId: string | null;
  chain: string[];
  traces: RuleTrace[];
  results: ActionResult[];
  matched: number;
  at: string;
}

/** A sample event for a dry run; a field left out comes from the conversation (or a default). */
export interface TestSample {
  conversationId?: string;
  channel?: string;
  text?: string;
  tier?: string | null;
  previousTier?: string | null;
  idleMinutes?: number | null;
  businessHours?: boolean;
  public?: boolean;
}

/** What the rule read in a dry run: the sample as the server completed and analysed it. */
export interface TestSubject {
  channel?: string;
  text?: string;
  language?: string | null;
  sentiment?: Sentiment | null;
  sentimentScore?: number | null;
  [key: string]: unknown;
}

export interface TestResult {
  matched: boolean;
  trace: RuleTrace;
  subject: TestSubject;
}

export interface WebhookEndpoint {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
}

/** The actions a macro may hold: the rules' actions (a macro's reply is the agent's own). */
export const MACRO_ACTION_TYPES = ['add_tags', 'remove_tags', 'set_priority', 'set_attribute', 'auto_reply', 'add_note', 'route_to_queue', 'assign', 'snooze', 'resolve', 'send_webhook', 'trigger_flow'] as const satisfies readonly ActionType[];

export interface MacroBody {
  name: string;
  actions: Action[];
  /** The caller's own; shared macros are kept by supervisors. Fixed once made. */
  personal: boolean;
}

export interface Macro extends MacroBody {
  id: string;
  updatedAt: string;
}

export interface MacroRunResult {
  results: Array<{ action: Action; outcome: ActionOutcome; detail?: string }>;
  conversation: Record<string, unknown>;
}

/** An outbound webhook endpoint as an admin sees it (never its secret, apart from once). */
export interface WebhookEndpointDetail extends WebhookEndpoint {
  eventTypes: string[];
  /** Why Hoorn switched it off itself (the receiver answered 410 Gone). */
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookEndpointWithSecret extends WebhookEndpointDetail {
  secret: string;
}

export const DELIVERY_STATUSES = ['pending', 'failed', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  source: 'subscription' | 'rule' | 'test';
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  body: string;
}

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'done', 'canceled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_CHANNEL_TYPES = ['email', 'sms', 'whatsapp'] as const;
export const SKIP_REASONS = ['opted_out', 'no_identity', 'erased', 'canceled', 'failed'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const ATTRIBUTE_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists'] as const;
export type AttributeOp = (typeof ATTRIBUTE_OPS)[number];
export interface AttributeCondition {
  key: string;
  op: AttributeOp;
  value?: string | number | boolean;
}

export interface CampaignSegment {
  valueTiers?: Array<(typeof VALUE_TIERS)[number]>;
  minChurnRisk?: number;
  attributes?: Record<string, string | number | boolean>;
  attributeConditions?: AttributeCondition[];
  hasIdentity?: boolean;
}

export interface CampaignBody {
  name: string;
  channelId: string;
  message: { text: string; subject?: string | null; template?: { name: string; language: string; parameters: string[] } | null };
  segment: CampaignSegment;
  quietHours: { start: string; end: string } | null;
  /** A lower cap under the channel's campaign rate; null: the channel's alone. */
  ratePerMinute: number | null;
  scheduledAt: string | null;
  /** Customers who enter the segment after launch are added while it runs (until endsAt). */
  dynamic: boolean;
  endsAt: string | null;
}

export interface Campaign extends CampaignBody {
  id: string;
  status: CampaignStatus;
  launchedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const RECIPIENT_STATUSES = ['pending', 'sent', ...SKIP_REASONS] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export interface CampaignRecipient {
  id: string;
  customerId: string;
  name: string | null;
  position: number;
  status: RecipientStatus;
  dueAt: string | null;
  conversationId: string | null;
  messageId: string | null;
  error: string | null;
  sentAt: string | null;
  repliedAt: string | null;
  converted: boolean;
}

export interface WebhookDeliveryAttempt {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  responseExcerpt: string | null;
}

export interface WebhookDeliveryWithAttempts extends WebhookDelivery {
  attemptLog: WebhookDeliveryAttempt[];
}

export interface CampaignPreview {
  size: number;
  sendable: number;
  skipped: Record<SkipReason, number>;
  first: Array<{ customerId: string; name: string | null; status: string }>;
}

export interface CampaignResults {
  recipients: number;
  pending: number;
  skipped: Record<string, number>;
  sent: number;
  delivered: number;
  confirmedDelivered: number;
  queued: number;
  failed: number;
  replied: number;
  convertedRevenue: { amount: number; currency: string };
}
