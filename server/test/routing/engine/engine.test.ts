import { describe, expect, it } from 'vitest';
import { RoutingConfigError, RoutingEngine } from '../../../src/routing/engine/engine.ts';
import type { RoutingEvent } from '../../../src/routing/engine/model.ts';
import { T0, agent, config, ofType, offersIn, step } from './world.ts';

const task = (id: string, attributes: Record<string, unknown> = {}, more: Partial<Extract<RoutingEvent, { type: 'task.create' }>['task']> = {}): RoutingEvent => ({
  type: 'task.create',
  task: { id, workflowId: 'main', channel: 'chat', attributes, priority: 0, ...more },
});

describe('routing engine: skills and escalation', () => {
  it('offers a billing chat to the skilled agent, then escalates to the less skilled at the step timeout', () => {
    const e = new RoutingEngine(config());
    e.apply({ type: 'agent.upsert', agent: agent('novice', { billing: 2 }) }, T0);
    e.apply({ type: 'agent.upsert', agent: agent('expert', { billing: 5 }) }, T0);
    const created = e.apply(task('t1', { topic: 'billing' }), T0 + 1000);
    expect(offersIn(created).map((o) => o.agentId)).toEqual(['expert']);

    const rejected = e.apply({ type: 'offer.reject', taskId: 't1', agentId: 'expert' }, T0 + 3000);
    expect(ofType(rejected, 'offer.rejected')).toHaveLength(1);
    expect(offersIn(rejected)).toEqual([]); // the novice is not skilled enough for step 1

    // Step 1 lasts 30 s from when the task entered it (T0 + 1 s): nothing moves a millisecond early.
    expect(e.apply({ type: 'tick' }, T0 + 30_999)).toEqual([]);
    const escalated = e.apply({ type: 'tick' }, T0 + 31_000);
    expect(ofType(escalated, 'task.queued')[0]).toMatchObject({ stepIndex: 1, reason: 'timeout', queueId: 'billing' });
    expect(offersIn(escalated).map((o) => o.agentId)).toEqual(['novice']);
    expect(e.task('t1')?.stepEnteredAt).toBe(T0 + 31_000);
  });

  it('routes a task that matches no filter through the default steps', () => {
    const e = new RoutingEngine(config());
    e.apply({ type: 'agent.upsert', agent: agent('a1') }, T0);
    const ds = e.apply(task('t1', { topic: 'sales' }), T0);
    expect(ofType(ds, 'task.queued')[0]).toMatchObject({ queueId: 'general' });
    expect(offersIn(ds)[0]?.agentId).toBe('a1');
  });

  it('refuses a configuration with a bad expression and keeps the old one', () => {
    expect(() => new RoutingEngine(config({ queues: [{ id: 'q', name: 'Q', eligibility: 'agent.skils HAS x', order: 'fifo' }] }))).toThrow(RoutingConfigError);
    const e = new RoutingEngine(config());
    const ds = e.apply({ type: 'config', config: config({ queues: [{ id: 'q', name: 'Q', eligibility: 'agent.team = a', order: 'fifo' }] }) }, T0);
    expect(ds[0]).toMatchObject({ type: 'refused', event: 'config' });
    expect(e.statistics(T0).queues.map((q) => q.queueId)).toEqual(['billing', 'general']);
  });
});

describe('routing engine: offers', () => {
  it('puts a missed offer back in line and makes the agent busy', () => {
    const e = new RoutingEngine(config());
    e.apply({ type: 'agent.upsert', agent: agent('a1') }, T0);
    e.apply({ type: 'agent.upsert', agent: agent('a2') }, T0 + 1);
    const first = e.apply(task('t1'), T0 + 10);
    expect(offersIn(first)[0]).toMatchObject({ agentId: 'a1', expiresAt: T0 + 10 + 30_000 });
    const later = e.apply({ type: 'tick' }, T0 + 40_000);
    expect(later.map((d) => d.type)).toEqual(['offer.timeout', 'offer', 'agent.presence']);
    expect(offersIn(later)[0]?.agentId).toBe('a2');
    expect(e.agent('a1')?.presence).toBe('busy');
    expect(e.statistics(T0 + 40_000).queues.find((q) => q.queueId === 'general')?.timedOut).toBe(1);
  });

  it('offers to several agents at once; the first to accept wins and the others are rescinded', () => {
    const c = config({ workflows: [{ id: 'main', name: 'Main', filters: [], defaultSteps: [step('general', { parallelOffers: 3 })] }] });
    const e = new RoutingEngine(c);
    for (const id of ['a1', 'a2', 'a3', 'a4']) e.apply({ type: 'agent.upsert', agent: agent(id) }, T0);
    const ds = e.apply(task('t1'), T0 + 5);
    expect(offersIn(ds).map((o) => o.agentId)).toEqual(['a1', 'a2', 'a3']);
    const accepted = e.apply({ type: 'offer.accept', taskId: 't1', agentId: 'a2' }, T0 + 6);
    expect(accepted[0]).toMatchObject({ type: 'task.assigned', agentId: 'a2', waitedMs: 1 });
    expect(ofType(accepted, 'offer.rescinded').map((d) => d.agentId)).toEqual(['a1', 'a3']);
    const late = e.apply({ type: 'offer.accept', taskId: 't1', agentId: 'a1' }, T0 + 7);
    expect(late[0]).toMatchObject({ type: 'refused' });
    expect(e.agent('a1')?.used).toBe(0);
    expect(e.agent('a2')?.used).toBe(25);
  });

  it('keeps a callback in its place and marks the offer as a callback', () => {
    const e = new RoutingEngine(config());
    e.apply(task('t1', {}, { channel: 'voice' }), T0);
    e.apply(task('t2', {}, { channel: 'voice' }), T0 + 1000);
    e.apply({ type: 'task.callback', taskId: 't1' }, T0 + 2000);
    expect(e.estimate('t1', T0 + 2000)?.position).toBe(1);
    const ds = e.apply({ type: 'agent.upsert', agent: agent('a1') }, T0 + 3000);
    expect(offersIn(ds)).toEqual([{ type: 'offer', taskId: 't1', agentId: 'a1', expiresAt: T0 + 33_000, callback: true }]);
  });
});

describe('routing engine: capacity', () => {
  it('gives an agent four chats of 25 out of 100, and no voice on top of a chat', () => {
    const e = new RoutingEngine(config());
    for (let i = 1; i <= 6; i++) e.apply(task(`c${i}`), T0 + i);
    e.apply(task('v1', {}, { channel: 'voice' }), T0 + 10);
    const ds = e.apply({ type: 'agent.upsert', agent: agent('a1') }, T0 + 20);
    expect(offersIn(ds).map((o) => o.taskId)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(e.agent('a1')).toMatchObject({ used: 100, perChannel: { chat: 4 } });
  });

  it('lets voice block every other channel and honours a hard cap per channel', () => {
    const e = new RoutingEngine(config());
    e.apply(task('v1', {}, { channel: 'voice' }), T0);
    e.apply(task('e1', {}, { channel: 'email' }), T0 + 1);
    const profile = { total: 100, cost: { voice: 100, email: 10, chat: 25 }, exclusive: ['voice'], maxPerChannel: { email: 1 } };
    const ds = e.apply({ type: 'agent.upsert', agent: agent('a1', {}, { capacity: profile }) }, T0 + 2);
    expect(offersIn(ds).map((o) => o.taskId)).toEqual(['v1']);
    e.apply({ type: 'offer.accept', taskId: 'v1', agentId: 'a1' }, T0 + 3);
    const done = e.apply({ type: 'task.complete', taskId: 'v1' }, T0 + 4);
    expect(offersIn(done).map((o) => o.taskId)).toEqual(['e1']);
    e.apply(task('e2', {}, { channel: 'email' }), T0 + 5);
    expect(e.agent('a1')?.perChannel).toEqual({ email: 1 }); // the cap holds e2 back
  });
});

describe('routing engine: order of service', () => {
  it('serves higher priority first, then the oldest; a LIFO queue serves the newest', () => {
    const e = new RoutingEngine(config());
    e.apply(task('old-low', {}, { priority: 0 }), T0);
    e.apply(task('new-high', {}, { priority: 5 }), T0 + 1000);
    e.apply(task('old-high', {}, { priority: 5, createdAt: T0 - 5000 }), T0 + 2000);
    const one = { total: 25, cost: { chat: 25 } };
    const ds = e.apply({ type: 'agent.upsert', agent: agent('a1', {}, { capacity: one }) }, T0 + 3000);
    expect(offersIn(ds).map((o) => o.taskId)).toEqual(['old-high']);

    const lifo = new RoutingEngine(config({ queues: [{ id: 'general', name: 'G', eligibility: '', order: 'lifo' }, { id: 'billing', name: 'B', eligibility: '', order: 'fifo' }] }));
    lifo.apply(task('first'), T0);
    lifo.apply(task('second'), T0 + 1000);
    const l = lifo.apply({ type: 'agent.upsert', agent: agent('a1', {}, { capacity: one }) }, T0 + 2000);
    expect(offersIn(l).map((o) => o.taskId)).toEqual(['second']);
  });

  it('raises priority as the SLA deadline nears', () => {
    const e = new RoutingEngine(config());
    e.apply(task('t1', {}, { slaSeconds: 100 }), T0);
    expect(e.apply({ type: 'tick' }, T0 + 49_999)).toEqual([]);
    expect(e.apply({ type: 'tick' }, T0 + 50_000)).toEqual([{ type: 'task.priority', taskId: 't1', priority: 1 }]);
    const ds = e.apply({ type: 'tick' }, T0 + 200_000);
    expect(ofType(ds, 'task.priority').map((d) => d.priority)).toEqual([3, 8]);
  });

  it('tells a waiting customer their position and an estimated wait', () => {
    const e = new RoutingEngine(config());
    for (let i = 0; i < 5; i++) e.apply(task(`t${i}`), T0 + i);
    expect(e.estimate('t3', T0 + 10)).toMatchObject({ position: 4, waiting: 5 });
    expect(e.estimate('t3', T0 + 10)?.estimatedWaitSeconds).toBeGreaterThan(0);
    expect(e.estimate('nope', T0)).toBeUndefined();
  });
});

describe('routing engine: strategies', () => {
  const single = (strategy: 'longest-idle' | 'least-occupied' | 'round-robin' | 'best-proficiency' | 'weighted', extra = {}) =>
    config({ workflows: [{ id: 'main', name: 'Main', filters: [], defaultSteps: [step('general', { strategy, skill: 'billing', ...extra })] }] });

  it('longest idle picks the agent free for longest', () => {
    const e = new RoutingEngine(single('longest-idle'));
    e.apply({ type: 'agent.upsert', agent: agent('recent') }, T0 + 5000);
    e.apply({ type: 'agent.upsert', agent: agent('waiting-long') }, T0);
    expect(offersIn(e.apply(task('t'), T0 + 6000))[0]?.agentId).toBe('waiting-long');
  });

  it('least occupied picks the agent with the most room', () => {
    const e = new RoutingEngine(single('least-occupied'));
    e.apply({ type: 'agent.upsert', agent: agent('a1') }, T0);
    e.apply({ type: 'agent.upsert', agent: agent('a2') }, T0 + 1);
    e.apply(task('t1'), T0 + 2);
    e.apply({ type: 'offer.accept', taskId: 't1', agentId: 'a1' }, T0 + 3);
    expect(offersIn(e.apply(task('t2'), T0 + 4))[0]?.agentId).toBe('a2');
  });

  it('round robin takes turns', () => {
    const e = new RoutingEngine(single('round-robin'));
    for (const id of ['a', 'b', 'c']) e.apply({ type: 'agent.upsert', agent: agent(id) }, T0);
    const got = [1, 2, 3, 4].map((i) => offersIn(e.apply(task(`t${i}`), T0 + i))[0]?.agentId);
    expect(got).toEqual(['a', 'b', 'c', 'a']);
  });

  it('best proficiency picks the highest level of the step skill', () => {
    const e = new RoutingEngine(single('best-proficiency'));
    e.apply({ type: 'agent.upsert', agent: agent('three', { billing: 3 }) }, T0);
    e.apply({ type: 'agent.upsert', agent: agent('five', { billing: 5 }) }, T0 + 1);
    expect(offersIn(e.apply(task('t'), T0 + 2))[0]?.agentId).toBe('five');
  });

  it('weighted score prefers the sticky agent when everything else is equal', () => {
    const e = new RoutingEngine(single('weighted'));
    e.apply({ type: 'agent.upsert', agent: agent('x', { billing: 3 }) }, T0);
    e.apply({ type: 'agent.upsert', agent: agent('known', { billing: 3 }) }, T0);
    expect(offersIn(e.apply(task('t', {}, { preferredAgentId: 'known' }), T0 + 1))[0]?.agentId).toBe('known');
  });

  it('weighted score sends a platinum customer to the most proficient agent', () => {
    const e = new RoutingEngine(single('weighted', { weights: { proficiency: 0, value: 5, idle: 1 } }));
    e.apply({ type: 'agent.upsert', agent: agent('junior', { billing: 1 }) }, T0 - 600_000);
    e.apply({ type: 'agent.upsert', agent: agent('senior', { billing: 5 }) }, T0);
    expect(offersIn(e.apply(task('vip', { valueTier: 'platinum' }), T0 + 1))[0]?.agentId).toBe('senior');
    expect(offersIn(e.apply(task('plain'), T0 + 2))[0]?.agentId).toBe('junior');
  });
});

describe('routing engine: transfers, hours, limits', () => {
  it('transfers to a named agent, and falls back to the queue when they do not take it', () => {
    const e = new RoutingEngine(config());
    e.apply({ type: 'agent.upsert', agent: agent('a1') }, T0);
    e.apply(task('t1'), T0);
    e.apply({ type: 'offer.accept', taskId: 't1', agentId: 'a1' }, T0 + 1);
    e.apply({ type: 'agent.upsert', agent: agent('a2', {}, { presence: 'break' }) }, T0 + 2);
    const ds = e.apply({ type: 'task.transfer', taskId: 't1', to: { agentId: 'a2' } }, T0 + 10);
    expect(ofType(ds, 'task.transferred')[0]).toMatchObject({ fromAgentId: 'a1' });
    expect(offersIn(ds)).toEqual([]); // a2 is on a break and a1 is excluded from the pinned step
    const back = e.apply({ type: 'agent.presence', agentId: 'a2', presence: 'available' }, T0 + 20);
    expect(offersIn(back)[0]?.agentId).toBe('a2');
    e.apply({ type: 'offer.reject', taskId: 't1', agentId: 'a2' }, T0 + 21);
    const fallback = e.apply({ type: 'tick' }, T0 + 10 + 60_000);
    expect(ofType(fallback, 'task.queued')[0]).toMatchObject({ stepIndex: 1, queueId: 'general' });
    expect(offersIn(fallback)[0]?.agentId).toBe('a1');
  });

  it('transfers to a queue', () => {
    const e = new RoutingEngine(config());
    e.apply({ type: 'agent.upsert', agent: agent('generalist') }, T0);
    e.apply({ type: 'agent.upsert', agent: agent('biller', { billing: 4 }, { presence: 'break' }) }, T0);
    e.apply(task('t1'), T0);
    e.apply({ type: 'offer.accept', taskId: 't1', agentId: 'generalist' }, T0 + 1);
    e.apply({ type: 'task.transfer', taskId: 't1', to: { queueId: 'billing' } }, T0 + 2);
    expect(e.task('t1')).toMatchObject({ state: 'pending', queueId: 'billing' });
    const ds = e.apply({ type: 'agent.presence', agentId: 'biller', presence: 'available' }, T0 + 3);
    expect(offersIn(ds)[0]).toMatchObject({ taskId: 't1', agentId: 'biller' });
  });

  it('passes over a closed queue and routes the moment a queue opens', () => {
    const hours = { timeZone: 'Europe/Amsterdam', week: { '1': [['10:00', '17:00']] as Array<[string, string]> } };
    const c = config({
      queues: [
        { id: 'day', name: 'Day', eligibility: '', order: 'fifo', hours },
        { id: 'general', name: 'General', eligibility: '', order: 'fifo', hours },
      ],
      workflows: [{ id: 'main', name: 'Main', filters: [], defaultSteps: [step('day', { timeoutSeconds: 60 }), step('general')] }],
    });
    const e = new RoutingEngine(c);
    e.apply({ type: 'agent.upsert', agent: agent('a1') }, T0);
    // 09:00 UTC is 10:00 in Amsterdam in March (CET): open. 08:30 UTC is closed.
    const early = e.apply(task('t1'), T0 - 30 * 60_000);
    expect(ofType(early, 'task.queued')[0]).toMatchObject({ queueId: 'general', reason: 'skipped' });
    expect(offersIn(early)).toEqual([]);
    const opening = e.apply({ type: 'tick' }, T0);
    expect(offersIn(opening)[0]).toMatchObject({ taskId: 't1', agentId: 'a1' });
  });

  it('turns a task away when the last queue is full', () => {
    const e = new RoutingEngine(config({ queues: [{ id: 'general', name: 'G', eligibility: '', order: 'fifo', maxSize: 2 }, { id: 'billing', name: 'B', eligibility: '', order: 'fifo' }] }));
    e.apply(task('t1'), T0);
    e.apply(task('t2'), T0);
    expect(e.apply(task('t3'), T0)).toEqual([{ type: 'task.rejected', taskId: 't3', reason: 'queue-full' }]);
    expect(e.taskCount).toBe(2);
  });

  it('skips a step when its skip-if holds', () => {
    const c = config({
      workflows: [{ id: 'main', name: 'Main', filters: [], defaultSteps: [step('billing', { skipIf: 'queue.available == 0', timeoutSeconds: 60 }), step('general')] }],
    });
    const e = new RoutingEngine(c);
    expect(ofType(e.apply(task('t1'), T0), 'task.queued')[0]).toMatchObject({ queueId: 'general', reason: 'skipped' });
    e.apply({ type: 'agent.upsert', agent: agent('b', { billing: 3 }, { presence: 'busy' }) }, T0);
    // An agent in the queue, though busy, is not "available": still skipped.
    expect(ofType(e.apply(task('t2'), T0), 'task.queued')[0]).toMatchObject({ queueId: 'general' });
  });
});

describe('routing engine: restore', () => {
  it('continues exactly where a previous leader stopped', () => {
    const e = new RoutingEngine(config());
    e.apply({ type: 'agent.upsert', agent: agent('expert', { billing: 5 }) }, T0);
    e.apply({ type: 'agent.upsert', agent: agent('novice', { billing: 1 }, { presence: 'break' }) }, T0);
    e.apply(task('t1', { topic: 'billing' }), T0);
    e.apply(task('t2', { topic: 'billing' }), T0 + 10);
    const view = e.task('t2');
    const offered = e.task('t1');
    expect(offered?.offers).toHaveLength(1);

    const fresh = new RoutingEngine(config());
    const restored = fresh.restore(
      [agent('expert', { billing: 5 }), agent('novice', { billing: 1 }, { presence: 'break' })],
      [
        { task: { id: 't1', workflowId: 'main', channel: 'chat', attributes: { topic: 'billing' }, priority: 0, createdAt: T0 }, restore: { state: 'reserved', stepIndex: 0, stepEnteredAt: T0, offers: offered?.offers ?? [], rejectedBy: [] } },
        { task: { id: 't2', workflowId: 'main', channel: 'chat', attributes: { topic: 'billing' }, priority: 0, createdAt: T0 + 10 }, restore: { state: 'pending', stepIndex: 0, stepEnteredAt: view?.stepEnteredAt ?? 0, offers: [], rejectedBy: [] } },
      ],
      T0 + 20,
    );
    // The expert has room for more chats, so t2 gets offered too, exactly as the old leader would.
    expect(offersIn(restored).map((o) => o.taskId)).toEqual(['t2']);
    expect(fresh.agent('expert')?.used).toBe(50);
    const timeout = fresh.apply({ type: 'tick' }, T0 + 30_000);
    expect(ofType(timeout, 'offer.timeout').map((d) => d.taskId)).toEqual(['t1']);
  });
});
