/**
 * Properties of the routing engine over random worlds and random event sequences (fast-check):
 * capacity is never exceeded, offers only go to eligible routable agents, no ready agent sits next
 * to a task it could serve, service order is priority then age, and escalation fires exactly at
 * its timeouts in virtual time. The checks recompute everything from the engine's public views and
 * from plain-JS versions of the world's rules, not from the engine's own indexes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoutingEngine } from '../../../src/routing/engine/engine.ts';
import type { AgentSpec, CapacityProfile, Decision, RoutingConfig, RoutingEvent } from '../../../src/routing/engine/model.ts';
import { T0, config } from './world.ts';

const CHANNELS = ['chat', 'email', 'voice'] as const;
const PROFILE: CapacityProfile = { total: 100, cost: { chat: 25, email: 10, voice: 100 }, exclusive: ['voice'], maxPerChannel: { email: 3 } };
const ROUTABLE = new Set(['available']);

/** The world's rules in plain JS, mirroring config(): billing queue needs the skill; steps need 4+, then 1+. */
function stepRule(topic: unknown, stepIndex: number): { queue: 'billing' | 'general'; ok: (a: AgentSpec) => boolean } {
  if (topic !== 'billing') return { queue: 'general', ok: () => true };
  const level = (a: AgentSpec) => a.skills.billing ?? 0;
  if (stepIndex === 0) return { queue: 'billing', ok: (a) => 'billing' in a.skills && level(a) >= 4 };
  if (stepIndex === 1) return { queue: 'billing', ok: (a) => 'billing' in a.skills && level(a) >= 1 };
  return { queue: 'general', ok: () => true };
}

const agentArb = (i: number) =>
  fc.record({
    billing: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    presence: fc.constantFrom('available', 'available', 'break'),
  }).map(
    ({ billing, presence }): AgentSpec => ({
      id: `a${i}`,
      attributes: { team: 'a' },
      skills: billing === undefined ? {} : { billing },
      languages: ['nl'],
      capacity: PROFILE,
      presence,
    }),
  );

type Command =
  | { kind: 'create'; topic: 'billing' | 'other'; channel: (typeof CHANNELS)[number]; priority: number }
  | { kind: 'accept' | 'reject' | 'complete' | 'cancel'; pick: number }
  | { kind: 'presence'; agent: number; presence: string }
  | { kind: 'wait'; ms: number };

const commandArb = (channels: ReadonlyArray<(typeof CHANNELS)[number]>): fc.Arbitrary<Command> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('create' as const), topic: fc.constantFrom('billing' as const, 'other' as const), channel: fc.constantFrom(...channels), priority: fc.integer({ min: 0, max: 3 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('accept' as const, 'reject' as const, 'complete' as const, 'cancel' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('presence' as const), agent: fc.nat(), presence: fc.constantFrom('available', 'break', 'offline') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 45_000 }) }) },
  );

interface Shadow {
  agents: Map<string, AgentSpec>;
  stepOf: Map<string, number>;
  topicOf: Map<string, unknown>;
  channelOf: Map<string, string>;
}

/** Turns a command into an engine event against the engine's current state (or undefined). */
function toEvent(engine: RoutingEngine, shadow: Shadow, c: Command, n: number): RoutingEvent | undefined {
  const tasks = [...engine.taskIds()].map((id) => engine.task(id)!);
  const pick = <T,>(xs: T[], i: number) => (xs.length ? xs[i % xs.length] : undefined);
  switch (c.kind) {
    case 'create':
      return { type: 'task.create', task: { id: `t${n}`, workflowId: 'main', channel: c.channel, attributes: { topic: c.topic }, priority: c.priority, slaSeconds: 60 } };
    case 'accept':
    case 'reject': {
      const offers = tasks.flatMap((t) => t.offers.map((o) => ({ taskId: t.id, agentId: o.agentId })));
      const o = pick(offers, c.pick);
      return o && { type: c.kind === 'accept' ? 'offer.accept' : 'offer.reject', ...o };
    }
    case 'complete': {
      const t = pick(tasks.filter((x) => x.state === 'assigned'), c.pick);
      return t && { type: 'task.complete', taskId: t.id };
    }
    case 'cancel': {
      const t = pick(tasks, c.pick);
      return t && { type: 'task.cancel', taskId: t.id, reason: 'abandoned' };
    }
    case 'presence': {
      const ids = [...shadow.agents.keys()];
      const id = pick(ids, c.agent);
      return id === undefined ? undefined : { type: 'agent.presence', agentId: id, presence: c.presence };
    }
    case 'wait':
      return undefined;
  }
}

function canHold(profile: CapacityProfile, holding: string[], channel: string): boolean {
  const used = holding.reduce((s, ch) => s + (profile.cost[ch] ?? profile.total), 0);
  if (holding.some((ch) => profile.exclusive?.includes(ch))) return false;
  if (profile.exclusive?.includes(channel) && holding.length > 0) return false;
  if (used + (profile.cost[channel] ?? profile.total) > profile.total) return false;
  const cap = profile.maxPerChannel?.[channel];
  return cap === undefined || holding.filter((ch) => ch === channel).length < cap;
}

function holdingOf(engine: RoutingEngine, agentId: string, shadow: Shadow): string[] {
  return (engine.agent(agentId)?.tasks ?? []).map((id) => shadow.channelOf.get(id) as string);
}

/** Follows decisions in order so each offer is judged against the step and presence of its moment. */
function followDecisions(ds: Decision[], shadow: Shadow, engine: RoutingEngine): void {
  for (const d of ds) {
    if (d.type === 'task.queued') shadow.stepOf.set(d.taskId, d.stepIndex);
    if (d.type === 'agent.presence') {
      const a = shadow.agents.get(d.agentId);
      if (a) shadow.agents.set(d.agentId, { ...a, presence: d.presence });
    }
    if (d.type === 'offer') {
      const agent = shadow.agents.get(d.agentId)!;
      const rule = stepRule(shadow.topicOf.get(d.taskId), shadow.stepOf.get(d.taskId) ?? -1);
      expect(ROUTABLE.has(agent.presence), `offer ${d.taskId} to ${d.agentId} in presence ${agent.presence}`).toBe(true);
      expect(rule.ok(agent), `offer ${d.taskId} (step ${shadow.stepOf.get(d.taskId)}) to ineligible ${d.agentId}`).toBe(true);
    }
  }
  void engine;
}

function checkCapacity(engine: RoutingEngine, shadow: Shadow): void {
  for (const id of shadow.agents.keys()) {
    const holding = holdingOf(engine, id, shadow);
    const used = holding.reduce((s, ch) => s + (PROFILE.cost[ch] ?? PROFILE.total), 0);
    expect(used, `agent ${id} holds ${holding.join(',')}`).toBeLessThanOrEqual(PROFILE.total);
    expect(holding.filter((ch) => ch === 'email').length).toBeLessThanOrEqual(3);
    if (holding.includes('voice')) expect(holding).toEqual(['voice']);
  }
}

/** No routable agent with room sits next to a waiting task whose step it satisfies. */
function checkWorkConserving(engine: RoutingEngine, shadow: Shadow): void {
  for (const id of engine.taskIds()) {
    const t = engine.task(id)!;
    if (t.state !== 'pending') continue;
    const rule = stepRule(shadow.topicOf.get(id), t.stepIndex);
    expect(t.queueId).toBe(rule.queue);
    for (const a of shadow.agents.values()) {
      if (!ROUTABLE.has(a.presence) || t.rejectedBy.includes(a.id)) continue;
      if (!rule.ok(a)) continue;
      const fits = canHold(PROFILE, holdingOf(engine, a.id, shadow), shadow.channelOf.get(id) as string);
      expect(fits, `agent ${a.id} could serve waiting ${id}`).toBe(false);
    }
  }
}

function run(agents: AgentSpec[], commands: Command[], check: (engine: RoutingEngine, shadow: Shadow, ds: Decision[], before: Map<string, ReturnType<RoutingEngine['task']>>) => void, cfg: RoutingConfig = config()) {
  const engine = new RoutingEngine(cfg);
  const shadow: Shadow = { agents: new Map(), stepOf: new Map(), topicOf: new Map(), channelOf: new Map() };
  let now = T0;
  for (const a of agents) {
    shadow.agents.set(a.id, a);
    const ds = engine.apply({ type: 'agent.upsert', agent: a }, now);
    followDecisions(ds, shadow, engine);
  }
  commands.forEach((c, n) => {
    if (c.kind === 'wait') now += c.ms;
    const event = toEvent(engine, shadow, c, n) ?? { type: 'tick' as const };
    if (event.type === 'task.create') {
      shadow.topicOf.set(event.task.id, event.task.attributes.topic);
      shadow.channelOf.set(event.task.id, event.task.channel);
    }
    if (event.type === 'agent.presence') shadow.agents.set(event.agentId, { ...shadow.agents.get(event.agentId)!, presence: event.presence });
    const before = new Map([...engine.taskIds()].map((id) => [id, engine.task(id)]));
    const ds = engine.apply(event, now);
    expect(ds.filter((d) => d.type === 'refused')).toEqual([]);
    followDecisions(ds, shadow, engine);
    check(engine, shadow, ds, before);
  });
}

// Few agents and many tasks, so lines form and agents free up while others wait.
const worldArb = (channels: ReadonlyArray<(typeof CHANNELS)[number]>) =>
  fc.tuple(fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => agentArb(i)))), fc.array(commandArb(channels), { minLength: 1, maxLength: 80 }));

describe('routing engine properties', () => {
  it('never exceeds capacity, offers only to eligible routable agents, and leaves no match unmade', () => {
    fc.assert(
      // Voice is rare so agents fill up with mixes of chat and email near the edge of their budget.
      fc.property(worldArb(['chat', 'email', 'chat', 'email', 'voice']), ([agents, commands]) => {
        run(agents, commands, (engine, shadow) => {
          checkCapacity(engine, shadow);
          checkWorkConserving(engine, shadow);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('serves higher priority first within a queue, then the oldest', () => {
    fc.assert(
      fc.property(worldArb(['chat']), ([agents, commands]) => {
        // Replays decisions in order, so each offer is judged against the line as it stood then.
        interface Line {
          queueId?: string;
          stepIndex: number;
          priority: number;
          createdAt: number;
          offers: number;
          waiting: boolean;
          rejectedBy: Set<string>;
        }
        const line = new Map<string, Line>();
        run(agents, commands, (engine, shadow, ds) => {
          for (const id of engine.taskIds()) {
            if (!line.has(id)) line.set(id, { stepIndex: -1, priority: 0, createdAt: engine.task(id)!.createdAt, offers: 0, waiting: true, rejectedBy: new Set() });
          }
          for (const d of ds) {
            const t = 'taskId' in d ? line.get(d.taskId) : undefined;
            if (!t) continue;
            switch (d.type) {
              case 'task.queued':
                Object.assign(t, { queueId: d.queueId, stepIndex: d.stepIndex, priority: d.priority });
                break;
              case 'task.priority':
                t.priority = d.priority;
                break;
              case 'offer.timeout':
              case 'offer.rejected':
                t.rejectedBy.add(d.agentId);
                t.offers--;
                break;
              case 'offer.rescinded':
                t.offers--;
                break;
              case 'task.assigned':
              case 'task.canceled':
              case 'task.rejected':
                t.waiting = false;
                break;
              case 'offer': {
                const agent = shadow.agents.get(d.agentId)!;
                for (const [id, other] of line) {
                  if (id === d.taskId || !other.waiting || other.offers > 0 || other.queueId !== t.queueId) continue;
                  if (other.rejectedBy.has(d.agentId) || !stepRule(shadow.topicOf.get(id), other.stepIndex).ok(agent)) continue;
                  const ahead = other.priority > t.priority || (other.priority === t.priority && other.createdAt < t.createdAt);
                  expect(ahead, `${id} (p${other.priority}) was passed over for ${d.taskId} (p${t.priority})`).toBe(false);
                }
                t.offers++;
                break;
              }
            }
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('fires escalation steps exactly at their timeouts in virtual time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 10_000 }), (waits, createdOffset) => {
        // No agents: a billing task walks its steps purely on the clock (30 s, then 60 s).
        const engine = new RoutingEngine(config());
        const start = T0 + createdOffset;
        engine.apply({ type: 'task.create', task: { id: 't', workflowId: 'main', channel: 'chat', attributes: { topic: 'billing' }, priority: 0 } }, start);
        let now = start;
        for (const w of waits) {
          now += w;
          const ds = engine.apply({ type: 'tick' }, now);
          for (const d of ds) if (d.type === 'task.queued') expect(d.reason).toBe('timeout');
          const elapsed = now - start;
          const expected = elapsed >= 90_000 ? 2 : elapsed >= 30_000 ? 1 : 0;
          const view = engine.task('t')!;
          expect(view.stepIndex).toBe(expected);
          expect(view.stepEnteredAt).toBe([start, start + 30_000, start + 90_000][expected]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
