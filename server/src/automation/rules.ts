// Automation rules, pure: on an event, when conditions hold, do actions. The service gathers the
// subject (the conversation as the event left it, the message's text, language and sentiment, the
// customer's tier, whether it is business hours), this file decides which rules match and what they
// would do, with a trace of every condition, and the service carries the actions out.
//
// Order and stop: rules run by position; a matching rule with `stop` ends the run. Loops: an event
// caused by a rule's action carries the chain of rules that led to it; a rule never runs again on an
// event its own action caused (directly or through others), and a chain longer than MAX_CHAIN ends
// there, so two rules that trigger each other stop after a bounded number of hops.
import { z } from 'zod';

export const triggers = [
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
export type Trigger = (typeof triggers)[number];

export const conditionFields = [
  'channel',
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
  'public',
  'idleMinutes',
] as const;
export type ConditionField = (typeof conditionFields)[number];
export const operators = ['is', 'is_not', 'in', 'not_in', 'contains', 'not_contains', 'matches', 'lt', 'lte', 'gt', 'gte', 'exists', 'not_exists'] as const;
export type Operator = (typeof operators)[number];

/** Which operators each field takes; anything else is refused when the rule is saved. */
const FIELD_OPERATORS: Record<ConditionField, readonly Operator[]> = {
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

const MAX_PATTERN = 200;

export const conditionSchema = z
  .object({
    field: z.enum(conditionFields),
    /** The attribute's name, for `attribute`. */
    key: z.string().min(1).max(100).optional(),
    op: z.enum(operators),
    value: z.union([z.string().max(1000), z.number(), z.boolean(), z.array(z.string().max(200)).max(100)]).optional(),
  })
  .superRefine((c, ctx) => {
    if (!FIELD_OPERATORS[c.field].includes(c.op)) ctx.addIssue({ code: 'custom', message: `${c.field} does not take "${c.op}" (it takes ${FIELD_OPERATORS[c.field].join(', ')})` });
    if (c.field === 'attribute' && !c.key) ctx.addIssue({ code: 'custom', message: 'an attribute condition names the attribute (key)' });
    if (c.op !== 'exists' && c.op !== 'not_exists' && c.value === undefined) ctx.addIssue({ code: 'custom', message: `"${c.op}" needs a value` });
    if ((c.op === 'in' || c.op === 'not_in') && !Array.isArray(c.value)) ctx.addIssue({ code: 'custom', message: `"${c.op}" needs a list of values` });
    if (['lt', 'lte', 'gt', 'gte'].includes(c.op) && typeof c.value !== 'number') ctx.addIssue({ code: 'custom', message: `"${c.op}" needs a number` });
    if (c.op === 'matches') {
      if (typeof c.value !== 'string' || c.value.length > MAX_PATTERN) ctx.addIssue({ code: 'custom', message: `"matches" needs a pattern of at most ${MAX_PATTERN} characters` });
      else {
        try {
          new RegExp(c.value, 'iu');
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: `not a valid pattern: ${(e as Error).message}` });
        }
      }
    }
  });
export type Condition = z.infer<typeof conditionSchema>;

const priority = z.enum(['low', 'normal', 'high', 'urgent']);
export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add_tags'), tags: z.array(z.string().min(1).max(50)).min(1).max(20) }),
  z.object({ type: z.literal('remove_tags'), tags: z.array(z.string().min(1).max(50)).min(1).max(20) }),
  z.object({ type: z.literal('set_priority'), priority }),
  z.object({ type: z.literal('set_attribute'), key: z.string().min(1).max(100), value: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]) }),
  z.object({ type: z.literal('route_to_queue'), queueId: z.string().min(1) }),
  z.object({ type: z.literal('assign'), agentId: z.string().min(1) }),
  /** A reply to the customer on the conversation's channel; placeholders as in canned responses. */
  z.object({ type: z.literal('auto_reply'), body: z.string().min(1).max(4000) }),
  z.object({ type: z.literal('snooze'), minutes: z.number().int().min(1).max(60 * 24 * 90) }),
  z.object({ type: z.literal('resolve') }),
  z.object({ type: z.literal('add_note'), body: z.string().min(1).max(4000) }),
  z.object({ type: z.literal('send_webhook'), endpointId: z.string().min(1) }),
  /** Hands the conversation to a published self-service flow (a bot takes over until it ends or hands off). */
  z.object({ type: z.literal('trigger_flow'), flowId: z.string().min(1) }),
]);
export type Action = z.infer<typeof actionSchema>;

/** A scheduled rule's rhythm: every so many minutes it looks at the workspace's open conversations. */
export const ruleScheduleSchema = z.object({ everyMinutes: z.number().int().min(5).max(7 * 24 * 60) });
export type RuleSchedule = z.infer<typeof ruleScheduleSchema>;

export const ruleBodySchema = z
  .object({
    name: z.string().min(1).max(200),
    enabled: z.boolean().default(true),
    trigger: z.enum(triggers),
    /** Only for the `schedule` trigger, which needs it. */
    schedule: ruleScheduleSchema.nullable().default(null),
    /** Every one of `all` must hold, and at least one of `any` when `any` is not empty. */
    conditions: z.object({ all: z.array(conditionSchema).max(50).default([]), any: z.array(conditionSchema).max(50).default([]) }).default({ all: [], any: [] }),
    actions: z.array(actionSchema).min(1).max(20),
    /** When this rule matches, no later rule runs on the event. */
    stop: z.boolean().default(false),
  })
  .superRefine((rule, ctx) => {
    if (rule.trigger === 'schedule' && !rule.schedule) ctx.addIssue({ code: 'custom', path: ['schedule'], message: 'a scheduled rule says how often it runs (schedule.everyMinutes)' });
    if (rule.trigger !== 'schedule' && rule.schedule) ctx.addIssue({ code: 'custom', path: ['schedule'], message: 'only a scheduled rule has a schedule' });
  });
export type RuleBody = z.infer<typeof ruleBodySchema>;

export interface Rule extends RuleBody {
  id: string;
  position: number;
}

/** What conditions read: the conversation as the event left it, and the event's own facts. */
export interface RuleSubject {
  trigger: Trigger;
  channel: string;
  /** The inbound message's text for `message.received`, else the conversation's latest inbound text ('' when none). */
  text: string;
  language: string | null;
  sentiment: 'negative' | 'neutral' | 'positive' | null;
  sentimentScore: number | null;
  tier: string | null;
  /** The tier before the change, for `customer.tier_changed` (else null). */
  previousTier: string | null;
  businessHours: boolean;
  priority: string;
  status: string;
  tags: string[];
  attributes: Record<string, unknown>;
  csat: number | null;
  /** A post others can see (an X mention, a Facebook or YouTube comment), not a private message. */
  public: boolean;
  /** Whole minutes since the conversation's last message (the quiet time a scheduled rule looks for). */
  idleMinutes: number | null;
}

/** A subject with nothing known yet: the base of a dry run's sample, and of an event without a conversation. */
export function blankSubject(trigger: Trigger): RuleSubject {
  return {
    trigger,
    channel: '',
    text: '',
    language: null,
    sentiment: null,
    sentimentScore: null,
    tier: null,
    previousTier: null,
    businessHours: true,
    priority: 'normal',
    status: 'open',
    tags: [],
    attributes: {},
    csat: null,
    public: false,
    idleMinutes: null,
  };
}

/** How many rule-caused hops an event may be from the first, non-automated event. */
export const MAX_CHAIN = 3;

export interface ConditionTrace {
  group: 'all' | 'any';
  index: number;
  passed: boolean;
  /** The value the condition read, for the trace in the web app. */
  actual: unknown;
}

export interface RuleTrace {
  ruleId: string;
  name: string;
  matched: boolean;
  /** Why it did not run at all. */
  skipped?: 'disabled' | 'other-trigger' | 'stopped' | 'loop' | 'chain-limit';
  conditions: ConditionTrace[];
  actions: Action[];
}

export interface Evaluation {
  traces: RuleTrace[];
  /** The actions to carry out, in order, with the rule each comes from. */
  actions: Array<{ ruleId: string; action: Action }>;
}

function readField(c: Condition, s: RuleSubject): unknown {
  if (c.field === 'attribute') return s.attributes[c.key!];
  return s[c.field];
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

function holds(c: Condition, actual: unknown): boolean {
  const value = c.value;
  switch (c.op) {
    case 'exists':
      return actual !== undefined && actual !== null && actual !== '';
    case 'not_exists':
      return actual === undefined || actual === null || actual === '';
    case 'is':
      return lower(actual) === lower(value);
    case 'is_not':
      return lower(actual) !== lower(value);
    case 'in':
      return (value as string[]).some((v) => lower(v) === lower(actual));
    case 'not_in':
      return !(value as string[]).some((v) => lower(v) === lower(actual));
    case 'contains':
    case 'not_contains': {
      const needle = String(value).toLowerCase();
      // Tags and list attributes contain an element; text contains a substring.
      const found = Array.isArray(actual) ? actual.some((x) => String(x).toLowerCase() === needle) : typeof actual === 'string' && actual.toLowerCase().includes(needle);
      return c.op === 'contains' ? found : !found;
    }
    case 'matches':
      // Patterns are short and checked when saved; the text is cut to keep the match bounded.
      return typeof actual === 'string' && new RegExp(String(value), 'iu').test(actual.slice(0, 10_000));
    case 'lt':
      return typeof actual === 'number' && actual < (value as number);
    case 'lte':
      return typeof actual === 'number' && actual <= (value as number);
    case 'gt':
      return typeof actual === 'number' && actual > (value as number);
    case 'gte':
      return typeof actual === 'number' && actual >= (value as number);
  }
}

/**
 * Runs the rules (sorted by position) against an event's subject. `chain` is the ids of the rules
 * whose actions caused this event, oldest first (empty for an event no rule caused).
 */
export function evaluateRules(rules: readonly Rule[], subject: RuleSubject, chain: readonly string[] = []): Evaluation {
  const traces: RuleTrace[] = [];
  const actions: Evaluation['actions'] = [];
  let stopped = false;
  for (const rule of [...rules].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))) {
    const trace: RuleTrace = { ruleId: rule.id, name: rule.name, matched: false, conditions: [], actions: [] };
    traces.push(trace);
    if (rule.trigger !== subject.trigger) trace.skipped = 'other-trigger';
    else if (!rule.enabled) trace.skipped = 'disabled';
    else if (stopped) trace.skipped = 'stopped';
    else if (chain.includes(rule.id)) trace.skipped = 'loop';
    else if (chain.length >= MAX_CHAIN) trace.skipped = 'chain-limit';
    if (trace.skipped) continue;
    const check = (group: 'all' | 'any') =>
      rule.conditions[group].map((c, index) => {
        const actual = readField(c, subject);
        const passed = holds(c, actual);
        trace.conditions.push({ group, index, passed, actual: c.field === 'text' && typeof actual === 'string' ? actual.slice(0, 200) : actual });
        return passed;
      });
    const all = check('all');
    const any = check('any');
    trace.matched = all.every(Boolean) && (any.length === 0 || any.some(Boolean));
    if (!trace.matched) continue;
    trace.actions = rule.actions;
    for (const action of rule.actions) actions.push({ ruleId: rule.id, action });
    if (rule.stop) stopped = true;
  }
  return { traces, actions };
}
