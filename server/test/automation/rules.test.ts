import { describe, expect, it } from 'vitest';
import { evaluateRules, MAX_CHAIN, ruleBodySchema, type Rule, type RuleBody, type RuleSubject } from '../../src/automation/rules.ts';

const subject = (over: Partial<RuleSubject> = {}): RuleSubject => ({
  trigger: 'message.received',
  channel: 'x',
  text: 'Jullie reageren veel te traag, waardeloos!',
  language: 'nl',
  sentiment: 'negative',
  sentimentScore: -0.7,
  tier: 'gold',
  previousTier: null,
  businessHours: true,
  priority: 'normal',
  status: 'open',
  tags: ['vip', 'social'],
  attributes: { intent: 'complaint', orders: 3, topics: ['billing', 'delivery'] },
  csat: null,
  public: true,
  idleMinutes: 12,
  ...over,
});

let nextId = 0;
type RuleInput = Omit<Partial<RuleBody>, 'conditions'> & { conditions?: { all?: unknown[]; any?: unknown[] } };
const rule = (body: RuleInput, position = nextId): Rule => ({
  id: `r${++nextId}`,
  position,
  ...ruleBodySchema.parse({ name: 'rule', trigger: 'message.received', actions: [{ type: 'add_tags', tags: ['hit'] }], ...body }),
});
const when = (...all: unknown[]) => rule({ conditions: { all } });
const matches = (r: Rule, s: RuleSubject = subject()) => evaluateRules([r], s).traces[0]!.matched;

describe('conditions', () => {
  it.each([
    [{ field: 'channel', op: 'is', value: 'x' }, true],
    [{ field: 'channel', op: 'is_not', value: 'x' }, false],
    [{ field: 'channel', op: 'in', value: ['facebook', 'x', 'youtube'] }, true],
    [{ field: 'channel', op: 'not_in', value: ['email'] }, true],
    [{ field: 'text', op: 'contains', value: 'TRAAG' }, true],
    [{ field: 'text', op: 'not_contains', value: 'traag' }, false],
    [{ field: 'text', op: 'matches', value: '\\bte\\s+traag\\b' }, true],
    [{ field: 'text', op: 'matches', value: '^bedankt' }, false],
    [{ field: 'language', op: 'is', value: 'nl' }, true],
    [{ field: 'language', op: 'exists' }, true],
    [{ field: 'sentiment', op: 'is', value: 'negative' }, true],
    [{ field: 'sentiment', op: 'in', value: ['positive', 'neutral'] }, false],
    [{ field: 'sentimentScore', op: 'lt', value: -0.5 }, true],
    [{ field: 'sentimentScore', op: 'gte', value: 0 }, false],
    [{ field: 'tier', op: 'is', value: 'Gold' }, true],
    [{ field: 'tier', op: 'not_exists' }, false],
    [{ field: 'businessHours', op: 'is', value: false }, false],
    [{ field: 'priority', op: 'is', value: 'normal' }, true],
    [{ field: 'status', op: 'is_not', value: 'resolved' }, true],
    [{ field: 'tags', op: 'contains', value: 'vip' }, true],
    [{ field: 'tags', op: 'contains', value: 'vi' }, false],
    [{ field: 'tags', op: 'not_contains', value: 'spam' }, true],
    [{ field: 'attribute', key: 'intent', op: 'is', value: 'complaint' }, true],
    [{ field: 'attribute', key: 'orders', op: 'gt', value: 2 }, true],
    [{ field: 'attribute', key: 'orders', op: 'lte', value: 2 }, false],
    [{ field: 'attribute', key: 'topics', op: 'contains', value: 'billing' }, true],
    [{ field: 'attribute', key: 'missing', op: 'not_exists' }, true],
    [{ field: 'csat', op: 'exists' }, false],
    [{ field: 'public', op: 'is', value: true }, true],
    [{ field: 'idleMinutes', op: 'gte', value: 12 }, true],
    [{ field: 'idleMinutes', op: 'gt', value: 60 }, false],
    [{ field: 'previousTier', op: 'not_exists' }, true],
    [{ field: 'previousTier', op: 'is', value: 'silver' }, false],
  ])('%j → %s', (condition, expected) => {
    expect(matches(when(condition))).toBe(expected);
  });

  it('reads CSAT on a survey answer', () => {
    const low = when({ field: 'csat', op: 'lte', value: 2 });
    expect(matches({ ...low, trigger: 'csat.received' }, subject({ trigger: 'csat.received', csat: 1 }))).toBe(true);
    expect(matches({ ...low, trigger: 'csat.received' }, subject({ trigger: 'csat.received', csat: 4 }))).toBe(false);
  });

  it('reads the tier before and after a value tier change', () => {
    const up = { ...when({ field: 'previousTier', op: 'in', value: ['silver', 'bronze'] }, { field: 'tier', op: 'is', value: 'gold' }), trigger: 'customer.tier_changed' as const };
    expect(matches(up, subject({ trigger: 'customer.tier_changed', previousTier: 'silver', tier: 'gold' }))).toBe(true);
    expect(matches(up, subject({ trigger: 'customer.tier_changed', previousTier: 'platinum', tier: 'gold' }))).toBe(false);
  });

  it('a scheduled rule needs its rhythm, and only it has one', () => {
    const body = (over: Record<string, unknown>) => ruleBodySchema.safeParse({ name: 'x', actions: [{ type: 'resolve' }], ...over });
    expect(body({ trigger: 'schedule' }).error?.issues[0]?.message).toMatch(/how often it runs/);
    expect(body({ trigger: 'schedule', schedule: { everyMinutes: 1 } }).success).toBe(false);
    expect(body({ trigger: 'schedule', schedule: { everyMinutes: 60 } }).data?.schedule).toEqual({ everyMinutes: 60 });
    expect(body({ trigger: 'message.received', schedule: { everyMinutes: 60 } }).error?.issues[0]?.message).toMatch(/only a scheduled rule/);
    expect(body({ trigger: 'message.received' }).data?.schedule).toBeNull();
  });

  it('needs every "all" and one "any"', () => {
    const r = rule({ conditions: { all: [{ field: 'channel', op: 'is', value: 'x' }], any: [{ field: 'tier', op: 'is', value: 'platinum' }, { field: 'tags', op: 'contains', value: 'vip' }] } });
    expect(matches(r)).toBe(true);
    expect(matches(r, subject({ tags: [] }))).toBe(false);
    const trace = evaluateRules([r], subject({ tags: [] })).traces[0]!;
    expect(trace.conditions.map((c) => [c.group, c.passed])).toEqual([['all', true], ['any', false], ['any', false]]);
  });

  it('refuses a condition that cannot be evaluated, saying why', () => {
    const bad = (c: unknown) => ruleBodySchema.safeParse({ name: 'x', trigger: 'message.received', conditions: { all: [c] }, actions: [{ type: 'resolve' }] });
    expect(bad({ field: 'channel', op: 'gt', value: 3 }).error?.issues[0]?.message).toMatch(/channel does not take "gt"/);
    expect(bad({ field: 'attribute', op: 'is', value: 'a' }).error?.issues[0]?.message).toMatch(/names the attribute/);
    expect(bad({ field: 'text', op: 'matches', value: '(' }).error?.issues[0]?.message).toMatch(/not a valid pattern/);
    expect(bad({ field: 'channel', op: 'in', value: 'x' }).error?.issues[0]?.message).toMatch(/list of values/);
    expect(bad({ field: 'text', op: 'contains' }).error?.issues[0]?.message).toMatch(/needs a value/);
  });
});

describe('order, stop and loops', () => {
  const tag = (t: string, over: RuleInput = {}, position?: number) => rule({ actions: [{ type: 'add_tags', tags: [t] }], ...over }, position);

  it('runs matching rules by position, each action with its rule, and a rule that stops ends the run', () => {
    const third = tag('third', {}, 3);
    const first = tag('first', {}, 1);
    const second = tag('second', { stop: true }, 2);
    const result = evaluateRules([third, first, second], subject());
    expect(result.actions.map((a) => a.action)).toEqual([{ type: 'add_tags', tags: ['first'] }, { type: 'add_tags', tags: ['second'] }]);
    expect(result.traces.map((t) => [t.ruleId, t.matched, t.skipped])).toEqual([[first.id, true, undefined], [second.id, true, undefined], [third.id, false, 'stopped']]);
  });

  it('a rule that does not match does not stop the run; disabled rules and other triggers are skipped', () => {
    const stopper = rule({ stop: true, conditions: { all: [{ field: 'channel', op: 'is', value: 'email' }] } }, 1);
    const off = tag('off', { enabled: false }, 2);
    const other = tag('other', { trigger: 'conversation.created' }, 3);
    const last = tag('last', {}, 4);
    const result = evaluateRules([stopper, off, other, last], subject());
    expect(result.actions.map((a) => a.ruleId)).toEqual([last.id]);
    expect(result.traces.map((t) => t.skipped)).toEqual([undefined, 'disabled', 'other-trigger', undefined]);
  });

  it('never runs a rule on an event its own action caused, and stops a chain of rules after MAX_CHAIN hops', () => {
    const a = tag('a', {}, 1);
    const b = tag('b', {}, 2);
    // b's action caused this event: b is skipped, a runs.
    const once = evaluateRules([a, b], subject(), [b.id]);
    expect(once.actions.map((x) => x.ruleId)).toEqual([a.id]);
    expect(once.traces.find((t) => t.ruleId === b.id)!.skipped).toBe('loop');
    // a and b triggering each other: each hop adds to the chain, and the chain runs out.
    let chain: string[] = [];
    let hops = 0;
    for (;;) {
      const result = evaluateRules([a, b], subject(), chain);
      if (result.actions.length === 0) break;
      chain = [...chain, ...new Set(result.actions.map((x) => x.ruleId))];
      hops++;
      expect(hops).toBeLessThan(10);
    }
    expect(hops).toBeLessThanOrEqual(MAX_CHAIN);
    expect(evaluateRules([tag('c', {}, 3)], subject(), ['x', 'y', 'z']).traces[0]!.skipped).toBe('chain-limit');
  });
});
