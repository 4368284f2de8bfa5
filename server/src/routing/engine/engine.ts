/**
 * The routing engine: pure, deterministic, driven by events and an explicit `now`.
 *
 *   const decisions = engine.apply(event, now)
 *
 * It owns its state and changes it in place (copying 100,000 tasks per decision would defeat the
 * point); "pure" here means no I/O, no clock, no randomness: the same events at the same times
 * always give the same decisions. Timers (offer expiry, step timeouts, SLA boosts) are kept inside
 * and fire at their own due time when `apply` is called with a later `now`; `nextWakeAt()` tells
 * the driver when to call `apply({type: 'tick'})`.
 *
 * Two indexes keep decisions cheap with 15,000 agents and 100,000 waiting tasks:
 * - per queue, the agents that are ready (routable and with spare capacity);
 * - per queue, per (workflow step, channel) group, a heap of the tasks still wanting offers,
 *   ordered by effective priority, then age (FIFO) or youth (LIFO).
 * A task arriving looks at the ready agents of its step's queue; an agent freeing up looks at the
 * heads of the groups of its queues. Every event that can create a match triggers one of the two,
 * so no ready agent ever sits next to a waiting task it could serve.
 */
import { compileExpression, type CompiledExpression, type ExpressionSchema } from './expressions.ts';
import { IndexedHeap, KeyedHeap, type HeapItem } from './heap.ts';
import { isOpen } from './hours.ts';
import { TimerQueue, type TimerEntry } from './timers.ts';
import {
  DEFAULT_WEIGHTS,
  type AgentSpec,
  type CapacityProfile,
  type Decision,
  type QueueSpec,
  type RescindReason,
  type RoutingConfig,
  type RoutingEvent,
  type StepSpec,
  type Strategy,
  type TaskInput,
  type TaskRestore,
  type TaskState,
  type TransferTarget,
  type Weights,
} from './model.ts';

// ---------------------------------------------------------------- records

interface CompiledStep {
  spec: StepSpec;
  /** Unique per step: tasks in the same group share the step's expression. */
  key: string;
  queue: QueueRec;
  agentMatch?: CompiledExpression;
  /** The agent expression reads no task field, so one evaluation decides for a whole group. */
  agentOnly: boolean;
  skipIf?: CompiledExpression;
  strategy: Strategy;
  weights: Weights;
  skill?: { name: string } | { taskPath: string[] };
  parallelOffers: number;
  offerTimeoutMs: number;
  timeoutMs?: number;
  preferredAgentOnly: boolean;
  /** Task fields the agent expression reads; tasks that agree on them share a group. */
  taskPaths: string[][];
  /**
   * Steps that ask the same of agents in the same queue share groups, whichever workflow or
   * filter they belong to (twenty filters that all end in the general queue make one group there).
   */
  groupKey: string;
  taskPathsSignature: string;
  readsPriority: boolean;
}

/**
 * Tasks of one step, one channel and the same values for every task field the step's agent
 * expression reads: the expression gives the same answer for all of them, so an agent is checked
 * once per group, not once per task.
 */
interface Group extends HeapItem {
  key: string;
  step: CompiledStep;
  channel: string;
  heap: KeyedHeap<TaskRec>;
  /** The task fields the expression reads, with this group's values. */
  sample: Record<string, unknown>;
}

/** An agent's place among a queue's ready agents, ordered by how long they have been idle. */
interface ReadySlot extends HeapItem {
  agent: AgentRec;
}

interface QueueRec {
  spec: QueueSpec;
  eligibility?: CompiledExpression;
  members: Set<AgentRec>;
  /** Members that are routable and have spare capacity, longest idle first. */
  ready: IndexedHeap<ReadySlot>;
  groups: Map<string, Group>;
  /** Per channel, the non-empty groups, most urgent head first. */
  groupOrder: Map<string, KeyedHeap<Group>>;
  /** Tasks whose current step is in this queue and that no agent holds yet. */
  waiting: Set<TaskRec>;
  openCache: { minute: number; open: boolean };
  /** Open state last seen by `noticeOpenings`, to route the moment a queue opens. */
  wasOpen: boolean;
  stats: QueueCounters;
  /** Exponentially weighted mean interval between assignments, for estimated wait times. */
  assignInterval?: number;
  lastAssignAt?: number;
}

export interface QueueCounters {
  offered: number;
  accepted: number;
  rejected: number;
  timedOut: number;
  rescinded: number;
  canceledWaiting: number;
  answeredWithinServiceLevel: number;
}

interface AgentRec {
  spec: AgentSpec;
  order: number;
  ctx: Record<string, unknown>;
  routable: boolean;
  used: number;
  perChannel: Map<string, number>;
  exclusiveHeld: number;
  /** Tasks holding this agent's capacity: offered to, assigned to, or wrapping with them. */
  holding: Set<TaskRec>;
  queues: QueueRec[];
  readySlots: Map<QueueRec, ReadySlot>;
  pinned: KeyedHeap<TaskRec>;
  idleSince: number;
  /** When the agent last got work offered; "longest idle" counts from the later of the two. */
  lastOfferAt: number;
  lastOfferSeq: number;
  stats: { offered: number; accepted: number; rejected: number; timedOut: number };
}

interface Offer {
  expiresAt: number;
  timer?: Timer;
}

interface TaskRec extends HeapItem {
  input: TaskInput;
  id: string;
  seq: number;
  channel: string;
  ctx: Record<string, unknown>;
  basePriority: number;
  boost: number;
  boostIndex: number;
  priority: number;
  createdAt: number;
  state: TaskState;
  filterKey: string;
  steps: CompiledStep[];
  stepIndex: number;
  stepEnteredAt: number;
  stepTimer?: Timer;
  boostTimer?: Timer;
  /** The last group key computed, for the step paths it was computed for (cleared when ctx changes). */
  keyCache?: { step: CompiledStep; key: string };
  /** The values of the task fields a step reads, as JSON, per signature of those fields. */
  valuesCache?: { signature: string; json: string };
  group?: Group;
  pinnedTo?: AgentRec;
  queue?: QueueRec;
  offers: Map<string, Offer>;
  rejectedBy: Set<string>;
  agent?: AgentRec;
  callback: boolean;
  transfer?: TransferTarget;
}

interface TimerInfo {
  kind: 'offer' | 'step' | 'boost';
  task: TaskRec;
  agentId?: string;
}
type Timer = TimerEntry<TimerInfo>;
const LANE_KINDS = { offer: 0, step: 1, boost: 2 } as const;

export class RoutingConfigError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'RoutingConfigError';
  }
}

const TIER_VALUE: Record<string, number> = { platinum: 1, gold: 0.75, silver: 0.5, bronze: 0.25 };
const IDLE_NORM_MS = 10 * 60_000;

/** The field catalogue expressions are checked against, for a configuration. */
export function expressionSchema(config: RoutingConfig): ExpressionSchema {
  return {
    task: { id: 'string', channel: 'string', priority: 'number', callback: 'boolean', preferredAgentId: 'string', ...config.taskFields },
    agent: {
      id: 'string',
      name: 'string',
      presence: 'string',
      skills: 'object',
      'skills.*': 'number',
      languages: 'string[]',
      ...config.agentFields,
    },
    queue: { available: 'number', ready: 'number', eligible: 'number', waiting: 'number', open: 'boolean' },
  };
}

function compileSteps(
  steps: StepSpec[],
  keyPrefix: string,
  queues: Map<string, QueueRec>,
  schema: ExpressionSchema,
  config: RoutingConfig,
): CompiledStep[] {
  return steps.map((spec, index) => {
    const where = `${keyPrefix} step ${index + 1}`;
    const queue = queues.get(spec.queueId);
    if (!queue) throw new RoutingConfigError(`unknown queue '${spec.queueId}'`, where);
    const compile = (source: string | undefined, roots: Array<'task' | 'agent' | 'queue'>, what: string) => {
      if (!source || source.trim() === '') return undefined;
      try {
        return compileExpression(source, schema, roots);
      } catch (e) {
        throw new RoutingConfigError(`${what}: ${(e as Error).message}`, where);
      }
    };
    const agentMatch = compile(spec.agentExpression, ['agent', 'task'], 'agent expression');
    let skill: CompiledStep['skill'];
    if (spec.skill) skill = spec.skill.startsWith('task.') ? { taskPath: spec.skill.slice(5).split('.') } : { name: spec.skill };
    return {
      spec,
      key: `${keyPrefix}#${index}`,
      queue,
      agentMatch,
      agentOnly: !agentMatch || agentMatch.paths.every((p) => p.startsWith('agent.')),
      skipIf: compile(spec.skipIf, ['task', 'queue'], 'skip-if'),
      strategy: spec.strategy ?? 'longest-idle',
      weights: { ...DEFAULT_WEIGHTS, ...spec.weights },
      skill,
      parallelOffers: Math.max(1, Math.floor(spec.parallelOffers ?? 1)),
      offerTimeoutMs: (spec.offerTimeoutSeconds ?? config.defaultOfferTimeoutSeconds) * 1000,
      timeoutMs: spec.timeoutSeconds !== undefined ? spec.timeoutSeconds * 1000 : undefined,
      preferredAgentOnly: spec.preferredAgentOnly === true,
      taskPaths: (agentMatch?.paths ?? []).filter((path) => path.startsWith('task.')).map((path) => path.split('.').slice(1)),
      readsPriority: (agentMatch?.paths ?? []).includes('task.priority'),
      taskPathsSignature: (agentMatch?.paths ?? []).filter((path) => path.startsWith('task.')).join('\u0001'),
      groupKey: `${queue.spec.id}\u0001${agentMatch?.source ?? ''}\u0001${Math.max(1, Math.floor(spec.parallelOffers ?? 1))}`,
    };
  });
}

interface CompiledWorkflow {
  filters: Array<{ key: string; match: CompiledExpression; steps: CompiledStep[] }>;
  defaultSteps: CompiledStep[];
}

const getPath = (root: unknown, path: string[]): unknown => {
  let v = root;
  for (const s of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
};

/** Order of service within a queue: higher priority first, then oldest (FIFO) or newest (LIFO). */
const serveBeforeFifo = (a: TaskRec, b: TaskRec): boolean =>
  a.priority !== b.priority ? a.priority > b.priority : a.createdAt !== b.createdAt ? a.createdAt < b.createdAt : a.seq < b.seq;
const serveBeforeLifo = (a: TaskRec, b: TaskRec): boolean =>
  a.priority !== b.priority ? a.priority > b.priority : a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.seq < b.seq;
/** Across queues: higher priority first, then the one that has waited longest. */
const urgentBefore = serveBeforeFifo;
/** The same orders as sort keys (smallest first) for the keyed heaps. */
const byPriority = (t: TaskRec) => -t.priority;
const byAge = (t: TaskRec) => t.createdAt;
const byYouth = (t: TaskRec) => -t.createdAt;
const bySeq = (t: TaskRec) => t.seq;
const newTaskHeap = (lifo: boolean) => new KeyedHeap<TaskRec>(byPriority, lifo ? byYouth : byAge, bySeq);
/** A group sorts by its most urgent task. */
const headOf = (g: Group) => g.heap.peek() as TaskRec;
const newGroupHeap = (lifo: boolean) =>
  new KeyedHeap<Group>((g) => byPriority(headOf(g)), lifo ? (g) => byYouth(headOf(g)) : (g) => byAge(headOf(g)), (g) => bySeq(headOf(g)));
/** Longest idle first: idle since the later of becoming free and the last offer. */
const idleKey = (a: AgentRec) => (a.idleSince > a.lastOfferAt ? a.idleSince : a.lastOfferAt);
const idleBefore = (a: AgentRec, b: AgentRec): boolean => {
  const ka = idleKey(a);
  const kb = idleKey(b);
  return ka < kb || (ka === kb && a.order < b.order);
};
const UNDEFINED_KEY = '\u0000undefined';

/** Just the task fields a step reads, with one task's values; evaluating on it is evaluating on the task. */
function sampleOf(ctx: Record<string, unknown>, paths: string[][]): Record<string, unknown> {
  const sample: Record<string, unknown> = {};
  for (const path of paths) {
    const value = getPath(ctx, path);
    if (value === undefined) continue;
    let node = sample;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i] as string;
      if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = value;
  }
  return sample;
}

function capacityCost(profile: CapacityProfile, channel: string): number {
  return profile.cost[channel] ?? profile.total;
}

// ---------------------------------------------------------------- the engine

export class RoutingEngine {
  private config!: RoutingConfig;
  private schema!: ExpressionSchema;
  private routablePresences = new Set<string>();
  private readonly queues = new Map<string, QueueRec>();
  private workflows = new Map<string, CompiledWorkflow>();
  private readonly agents = new Map<string, AgentRec>();
  private readonly tasks = new Map<string, TaskRec>();
  private readonly timers = new TimerQueue<TimerInfo>();
  private seq = 0;
  private agentOrder = 0;
  private out: Decision[] = [];

  constructor(config: RoutingConfig) {
    this.configure(config);
  }

  // ------------------------------------------------------------ public API

  /** Applies one event at `now` (after firing every timer due by then) and returns the decisions. */
  apply(event: RoutingEvent, now: number): Decision[] {
    const out: Decision[] = [];
    this.out = out;
    this.fireTimers(now);
    this.noticeOpenings(now);
    switch (event.type) {
      case 'tick':
        break;
      case 'config':
        try {
          this.configure(event.config);
          this.rebuildRouting(now);
        } catch (e) {
          this.refuse(event, (e as Error).message);
        }
        break;
      case 'agent.upsert':
        this.upsertAgent(event.agent, now);
        break;
      case 'agent.remove':
        this.removeAgent(event.agentId, now);
        break;
      case 'agent.presence':
        this.setPresence(event.agentId, event.presence, 'set', now, event);
        break;
      case 'task.create':
        this.createTask(event.task, event.restore, now, event);
        break;
      case 'task.update':
        this.updateTask(event, now);
        break;
      case 'task.cancel':
        this.cancelTask(event.taskId, event.reason, now, event);
        break;
      case 'offer.accept':
        this.acceptOffer(event.taskId, event.agentId, now, event);
        break;
      case 'offer.reject':
        this.endOffer(event.taskId, event.agentId, 'rejected', now, event);
        break;
      case 'task.wrapup':
        this.wrapUp(event.taskId, event);
        break;
      case 'task.complete':
        this.completeTask(event.taskId, now, event);
        break;
      case 'task.transfer':
        this.transferTask(event.taskId, event.to, now, event);
        break;
      case 'task.callback':
        this.markCallback(event.taskId, event);
        break;
    }
    this.out = [];
    return out;
  }

  /**
   * Loads a persisted world in one go (a new leader taking over): agents first, then tasks with
   * their offers and assignments, and only then routes, so nothing is offered against capacity
   * that a not-yet-loaded offer already holds.
   */
  restore(agents: AgentSpec[], tasks: Array<{ task: TaskInput; restore: TaskRestore }>, now: number): Decision[] {
    const out: Decision[] = [];
    this.out = out;
    for (const a of agents) this.upsertAgent(a, now, false);
    for (const { task, restore } of tasks) this.loadTask(task, restore, now);
    this.routeEverything(now);
    this.out = [];
    return out;
  }

  /** When the next timer is due, or undefined when none is pending. */
  nextWakeAt(): number | undefined {
    return this.timers.nextAt();
  }

  get taskCount(): number {
    return this.tasks.size;
  }

  get agentCount(): number {
    return this.agents.size;
  }

  /** Customer-facing place in line and estimated wait, or undefined when the task is not waiting. */
  estimate(taskId: string, now: number): { position: number; waiting: number; estimatedWaitSeconds: number } | undefined {
    const task = this.tasks.get(taskId);
    if (!task || !task.queue || (task.state !== 'pending' && task.state !== 'reserved')) return undefined;
    const queue = task.queue;
    const fifo = queue.spec.order === 'fifo';
    let ahead = 0;
    for (const other of queue.waiting) {
      if (other === task) continue;
      if (other.priority > task.priority) ahead++;
      else if (other.priority === task.priority) {
        const older = fifo ? other.createdAt < task.createdAt : other.createdAt > task.createdAt;
        if (older || (other.createdAt === task.createdAt && other.seq < task.seq)) ahead++;
      }
    }
    const position = ahead + 1;
    let interval = queue.assignInterval;
    if (interval === undefined) {
      // No history yet: assume a five-minute handling time spread over the queue's routable agents.
      let routable = 0;
      for (const a of queue.members) if (a.routable) routable++;
      interval = (300_000 / Math.max(1, routable)) | 0;
    }
    const estimatedWaitSeconds = task.state === 'reserved' ? 0 : Math.round((position * interval) / 1000);
    void now;
    return { position, waiting: queue.waiting.size, estimatedWaitSeconds };
  }

  /** Real-time statistics per queue and agent; O(tasks + agents), meant for a few times a minute. */
  statistics(now: number): RoutingStatistics {
    const queues: QueueStatistics[] = [];
    for (const q of this.queues.values()) {
      const byPriority: Record<string, number> = {};
      let oldest: number | undefined;
      for (const t of q.waiting) {
        byPriority[t.priority] = (byPriority[t.priority] ?? 0) + 1;
        if (oldest === undefined || t.createdAt < oldest) oldest = t.createdAt;
      }
      let available = 0;
      for (const a of q.members) if (a.routable) available++;
      queues.push({
        queueId: q.spec.id,
        name: q.spec.name,
        open: this.queueOpen(q, now),
        waiting: q.waiting.size,
        waitingByPriority: byPriority,
        longestWaitSeconds: oldest === undefined ? 0 : Math.max(0, Math.round((now - oldest) / 1000)),
        eligibleAgents: q.members.size,
        availableAgents: available,
        readyAgents: q.ready.size,
        ...q.stats,
      });
    }
    const agents: AgentStatistics[] = [];
    for (const a of this.agents.values()) {
      agents.push({
        agentId: a.spec.id,
        presence: a.spec.presence,
        routable: a.routable,
        used: a.used,
        total: a.spec.capacity.total,
        tasks: a.holding.size,
        idleSeconds: a.holding.size === 0 && a.routable ? Math.max(0, Math.round((now - a.idleSince) / 1000)) : 0,
        ...a.stats,
      });
    }
    return { queues, agents };
  }

  /** The state of one task, for the service and for tests. */
  task(taskId: string): TaskView | undefined {
    const t = this.tasks.get(taskId);
    if (!t) return undefined;
    return {
      id: t.id,
      state: t.state,
      priority: t.priority,
      stepIndex: t.stepIndex,
      stepEnteredAt: t.stepEnteredAt,
      queueId: t.queue?.spec.id,
      agentId: t.agent?.spec.id,
      offers: [...t.offers].map(([agentId, o]) => ({ agentId, expiresAt: o.expiresAt })),
      rejectedBy: [...t.rejectedBy],
      callback: t.callback,
      transfer: t.transfer,
      createdAt: t.createdAt,
    };
  }

  agent(agentId: string): AgentView | undefined {
    const a = this.agents.get(agentId);
    if (!a) return undefined;
    return {
      id: a.spec.id,
      presence: a.spec.presence,
      routable: a.routable,
      used: a.used,
      perChannel: Object.fromEntries(a.perChannel),
      queues: a.queues.map((q) => q.spec.id),
      tasks: [...a.holding].map((t) => t.id),
    };
  }

  *taskIds(): Generator<string> {
    yield* this.tasks.keys();
  }

  *agentIds(): Generator<string> {
    yield* this.agents.keys();
  }

  // ------------------------------------------------------------ configuration

  private configure(config: RoutingConfig): void {
    const schema = expressionSchema(config);
    const queues = new Map<string, QueueRec>();
    for (const spec of config.queues) {
      if (queues.has(spec.id)) throw new RoutingConfigError('duplicate queue id', `queue '${spec.id}'`);
      let eligibility: CompiledExpression | undefined;
      if (spec.eligibility.trim() !== '') {
        try {
          eligibility = compileExpression(spec.eligibility, schema, ['agent']);
        } catch (e) {
          throw new RoutingConfigError((e as Error).message, `queue '${spec.name}' eligibility`);
        }
      }
      const old = this.queues.get(spec.id);
      queues.set(spec.id, {
        spec,
        eligibility,
        members: new Set(),
        ready: new IndexedHeap<ReadySlot>((a, b) => idleBefore(a.agent, b.agent)),
        groups: new Map(),
        groupOrder: new Map(),
        waiting: new Set(),
        openCache: { minute: -1, open: true },
        wasOpen: true,
        stats: old?.stats ?? { offered: 0, accepted: 0, rejected: 0, timedOut: 0, rescinded: 0, canceledWaiting: 0, answeredWithinServiceLevel: 0 },
        assignInterval: old?.assignInterval,
        lastAssignAt: old?.lastAssignAt,
      });
    }
    const workflows = new Map<string, CompiledWorkflow>();
    for (const w of config.workflows) {
      workflows.set(w.id, {
        filters: w.filters.map((f, i) => {
          let match: CompiledExpression;
          try {
            match = compileExpression(f.expression, schema, ['task']);
          } catch (e) {
            throw new RoutingConfigError((e as Error).message, `workflow '${w.name}' filter '${f.name}'`);
          }
          return { key: `${w.id}/${i}`, match, steps: compileSteps(f.steps, `${w.id}/${i}`, queues, schema, config) };
        }),
        defaultSteps: compileSteps(w.defaultSteps, `${w.id}/default`, queues, schema, config),
      });
    }
    // Everything compiled: only now replace the old configuration.
    this.config = config;
    this.schema = schema;
    this.routablePresences = new Set(config.presences.filter((p) => p.routable).map((p) => p.name));
    this.queues.clear();
    for (const [id, q] of queues) this.queues.set(id, q);
    this.workflows = workflows;
  }

  /** After a configuration change: recompute memberships and re-place every waiting task. */
  private rebuildRouting(now: number): void {
    for (const agent of this.agents.values()) {
      agent.routable = this.routablePresences.has(agent.spec.presence);
      agent.queues = [];
      agent.pinned = newTaskHeap(false);
      this.computeMembership(agent);
    }
    for (const task of this.tasks.values()) {
      task.group = undefined;
      task.pinnedTo = undefined;
      task.heapSlot = -1;
      task.queue = undefined;
      if (task.state !== 'pending' && task.state !== 'reserved') continue;
      const resolved = task.transfer ? this.transferSteps(task, task.transfer) : this.resolveSteps(task);
      if (!resolved) {
        this.dropTask(task, now, { type: 'task.rejected', taskId: task.id, reason: 'no-workflow' });
        continue;
      }
      const sameFilter = resolved.key === task.filterKey;
      task.filterKey = resolved.key;
      task.steps = resolved.steps;
      this.enterStep(task, sameFilter ? Math.min(task.stepIndex, task.steps.length - 1) : 0, 'updated', now, !sameFilter);
    }
    this.routeEverything(now);
  }

  private computeMembership(agent: AgentRec): void {
    for (const q of agent.queues) q.members.delete(agent);
    for (const [q, slot] of agent.readySlots) q.ready.remove(slot);
    agent.readySlots.clear();
    agent.queues = [];
    for (const q of this.queues.values()) {
      if (!q.eligibility || q.eligibility.evaluate({ agent: agent.ctx })) {
        q.members.add(agent);
        agent.queues.push(q);
      }
    }
    this.refreshReadiness(agent);
  }

  private routeEverything(now: number): void {
    for (const task of this.tasks.values()) if (task.state === 'pending' || task.state === 'reserved') this.routeTask(task, now);
    for (const agent of this.agents.values()) this.routeAgent(agent, now);
  }

  // ------------------------------------------------------------ agents

  private agentContext(spec: AgentSpec): Record<string, unknown> {
    return { ...spec.attributes, id: spec.id, name: spec.name ?? spec.id, presence: spec.presence, skills: spec.skills, languages: spec.languages };
  }

  private upsertAgent(spec: AgentSpec, now: number, route = true): void {
    let agent = this.agents.get(spec.id);
    if (!agent) {
      agent = {
        spec,
        order: this.agentOrder++,
        ctx: this.agentContext(spec),
        routable: false,
        used: 0,
        perChannel: new Map(),
        exclusiveHeld: 0,
        holding: new Set(),
        queues: [],
        readySlots: new Map(),
        pinned: newTaskHeap(false),
        idleSince: now,
        lastOfferAt: -Infinity,
        lastOfferSeq: 0,
        stats: { offered: 0, accepted: 0, rejected: 0, timedOut: 0 },
      };
      this.agents.set(spec.id, agent);
    }
    const wasRoutable = agent.routable;
    agent.spec = spec;
    agent.ctx = this.agentContext(spec);
    agent.routable = this.routablePresences.has(spec.presence);
    this.recountLoad(agent);
    if (agent.routable && !wasRoutable) agent.idleSince = now;
    this.computeMembership(agent);
    if (!route) return;
    if (wasRoutable && !agent.routable) this.rescindAll(agent, 'agent-unavailable', now);
    this.routeAgent(agent, now);
  }

  private removeAgent(agentId: string, now: number): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    agent.routable = false;
    this.rescindAll(agent, 'agent-removed', now);
    // Work the agent still held goes back to routing, at its place in line.
    for (const task of [...agent.holding]) {
      this.release(agent, task);
      task.agent = undefined;
      if (task.state === 'wrapping') {
        task.state = 'completed';
        this.tasks.delete(task.id);
        this.emit({ type: 'task.completed', taskId: task.id, agentId });
        continue;
      }
      task.state = 'pending';
      this.enterStep(task, task.stepIndex, 'requeued', now);
    }
    for (const t of [...agent.pinned.values()]) {
      agent.pinned.remove(t);
      t.pinnedTo = undefined;
    }
    for (const q of agent.queues) q.members.delete(agent);
    for (const [q, slot] of agent.readySlots) q.ready.remove(slot);
    agent.readySlots.clear();
    this.agents.delete(agentId);
    for (const task of this.tasks.values()) {
      if (task.state === 'pending' && task.steps[task.stepIndex]?.preferredAgentOnly && task.input.preferredAgentId === agentId) {
        this.advance(task, now, 'skipped');
      }
    }
  }

  private setPresence(agentId: string, presence: string, reason: 'set' | 'missed-offer' | 'rejected-offer', now: number, event?: RoutingEvent): void {
    const agent = this.agents.get(agentId);
    if (!agent) {
      if (event) this.refuse(event, `unknown agent ${agentId}`);
      return;
    }
    if (!this.config.presences.some((p) => p.name === presence)) {
      if (event) this.refuse(event, `unknown presence '${presence}'`);
      return;
    }
    const wasRoutable = agent.routable;
    agent.spec = { ...agent.spec, presence };
    agent.ctx.presence = presence;
    agent.routable = this.routablePresences.has(presence);
    if (reason !== 'set') this.emit({ type: 'agent.presence', agentId, presence, reason });
    if (agent.routable && !wasRoutable) agent.idleSince = now;
    this.refreshReadiness(agent);
    if (wasRoutable && !agent.routable) this.rescindAll(agent, 'agent-unavailable', now);
    else this.routeAgent(agent, now);
  }

  private refreshReadiness(agent: AgentRec): void {
    const ready = agent.routable && agent.exclusiveHeld === 0 && agent.used < agent.spec.capacity.total;
    if (!ready) {
      for (const [q, slot] of agent.readySlots) q.ready.remove(slot);
      agent.readySlots.clear();
      return;
    }
    for (const q of agent.queues) {
      if (agent.readySlots.has(q)) continue;
      const slot: ReadySlot = { heapSlot: -1, agent };
      agent.readySlots.set(q, slot);
      q.ready.push(slot);
    }
  }

  private setIdleSince(agent: AgentRec, at: number): void {
    agent.idleSince = at;
    this.touchIdle(agent);
  }

  /** The agent's idle clock moved: re-sort it among each queue's ready agents. */
  private touchIdle(agent: AgentRec): void {
    for (const [q, slot] of agent.readySlots) q.ready.update(slot);
  }

  /** Recounts what the agent holds, e.g. after its capacity profile changed. */
  private recountLoad(agent: AgentRec): void {
    const profile = agent.spec.capacity;
    agent.used = 0;
    agent.exclusiveHeld = 0;
    agent.perChannel.clear();
    for (const task of agent.holding) {
      agent.used += capacityCost(profile, task.channel);
      agent.perChannel.set(task.channel, (agent.perChannel.get(task.channel) ?? 0) + 1);
      if (profile.exclusive?.includes(task.channel)) agent.exclusiveHeld++;
    }
  }

  private canHold(agent: AgentRec, channel: string): boolean {
    const profile = agent.spec.capacity;
    if (agent.exclusiveHeld > 0) return false;
    if (profile.exclusive?.includes(channel) && agent.holding.size > 0) return false;
    if (agent.used + capacityCost(profile, channel) > profile.total) return false;
    const cap = profile.maxPerChannel?.[channel];
    return cap === undefined || (agent.perChannel.get(channel) ?? 0) < cap;
  }

  private hold(agent: AgentRec, task: TaskRec): void {
    const profile = agent.spec.capacity;
    agent.used += capacityCost(profile, task.channel);
    agent.perChannel.set(task.channel, (agent.perChannel.get(task.channel) ?? 0) + 1);
    if (profile.exclusive?.includes(task.channel)) agent.exclusiveHeld++;
    agent.holding.add(task);
    this.refreshReadiness(agent);
  }

  private release(agent: AgentRec, task: TaskRec): void {
    if (!agent.holding.delete(task)) return;
    const profile = agent.spec.capacity;
    agent.used -= capacityCost(profile, task.channel);
    const n = (agent.perChannel.get(task.channel) ?? 1) - 1;
    if (n <= 0) agent.perChannel.delete(task.channel);
    else agent.perChannel.set(task.channel, n);
    if (profile.exclusive?.includes(task.channel)) agent.exclusiveHeld--;
    if (agent.holding.size === 0) agent.used = 0; // no float drift
    this.refreshReadiness(agent);
  }

  // ------------------------------------------------------------ tasks

  private taskContext(input: TaskInput, priority: number, callback: boolean): Record<string, unknown> {
    return { ...input.attributes, id: input.id, channel: input.channel, priority, callback, preferredAgentId: input.preferredAgentId };
  }

  private resolveSteps(task: TaskRec): { key: string; steps: CompiledStep[] } | undefined {
    const workflow = this.workflows.get(task.input.workflowId);
    if (!workflow) return undefined;
    for (const f of workflow.filters) {
      if (f.match.evaluate({ task: task.ctx })) return f.steps.length > 0 ? { key: f.key, steps: f.steps } : undefined;
    }
    return workflow.defaultSteps.length > 0 ? { key: `${task.input.workflowId}/default`, steps: workflow.defaultSteps } : undefined;
  }

  private newTask(input: TaskInput, now: number): TaskRec {
    const task: TaskRec = {
      heapSlot: -1,
      input,
      id: input.id,
      seq: ++this.seq,
      channel: input.channel,
      ctx: {},
      basePriority: input.priority,
      boost: 0,
      boostIndex: 0,
      priority: input.priority,
      createdAt: input.createdAt ?? now,
      state: 'pending',
      filterKey: '',
      steps: [],
      stepIndex: 0,
      stepEnteredAt: now,
      offers: new Map(),
      rejectedBy: new Set(),
      callback: false,
    };
    task.ctx = this.taskContext(input, input.priority, false);
    return task;
  }

  private createTask(input: TaskInput, restore: TaskRestore | undefined, now: number, event: RoutingEvent): void {
    if (this.tasks.has(input.id)) return this.refuse(event, `task ${input.id} exists`);
    if (restore) {
      this.loadTask(input, restore, now);
      const task = this.tasks.get(input.id);
      if (task && (task.state === 'pending' || task.state === 'reserved')) this.routeTask(task, now);
      return;
    }
    const task = this.newTask(input, now);
    const resolved = this.resolveSteps(task);
    if (!resolved) {
      this.emit({ type: 'task.rejected', taskId: task.id, reason: 'no-workflow' });
      return;
    }
    task.filterKey = resolved.key;
    task.steps = resolved.steps;
    this.tasks.set(task.id, task);
    this.scheduleBoosts(task, now);
    this.enterStep(task, 0, 'created', now, true);
  }

  /** Recreates a task exactly where the previous leader left it. */
  private loadTask(input: TaskInput, restore: TaskRestore, now: number): void {
    const task = this.newTask(input, now);
    task.callback = restore.callback ?? false;
    task.transfer = restore.transfer;
    const resolved = restore.transfer ? this.transferSteps(task, restore.transfer) : this.resolveSteps(task);
    if (!resolved) {
      this.emit({ type: 'task.rejected', taskId: task.id, reason: 'no-workflow' });
      return;
    }
    task.filterKey = resolved.key;
    task.steps = resolved.steps;
    task.stepIndex = Math.min(restore.stepIndex, task.steps.length - 1);
    task.stepEnteredAt = restore.stepEnteredAt;
    for (const id of restore.rejectedBy) task.rejectedBy.add(id);
    this.tasks.set(task.id, task);
    this.catchUpBoosts(task, now);
    if (restore.state === 'assigned' || restore.state === 'wrapping') {
      const agent = restore.agentId ? this.agents.get(restore.agentId) : undefined;
      task.state = restore.state;
      if (agent) {
        task.agent = agent;
        this.hold(agent, task);
      }
      return;
    }
    task.state = 'pending';
    this.placeInStep(task, now);
    for (const o of restore.offers) {
      const agent = this.agents.get(o.agentId);
      if (!agent) continue;
      const offer: Offer = { expiresAt: o.expiresAt };
      task.offers.set(agent.spec.id, offer);
      this.hold(agent, task);
      offer.timer = this.addTimer(o.expiresAt, 'offer', task, agent.spec.id);
    }
    if (task.offers.size > 0) task.state = 'reserved';
    this.syncHeap(task);
    const step = task.steps[task.stepIndex] as CompiledStep;
    if (step.timeoutMs !== undefined && task.stepIndex < task.steps.length - 1) {
      task.stepTimer = this.addTimer(task.stepEnteredAt + step.timeoutMs, 'step', task);
    }
  }

  private updateTask(event: Extract<RoutingEvent, { type: 'task.update' }>, now: number): void {
    const task = this.tasks.get(event.taskId);
    if (!task) return this.refuse(event, `unknown task ${event.taskId}`);
    task.input = {
      ...task.input,
      attributes: event.attributes ?? task.input.attributes,
      priority: event.priority ?? task.input.priority,
    };
    task.basePriority = task.input.priority;
    task.ctx = this.taskContext(task.input, task.priority, task.callback);
    task.keyCache = undefined;
    task.valuesCache = undefined;
    if (task.state !== 'pending' && task.state !== 'reserved') return;
    if (!task.transfer) {
      const resolved = this.resolveSteps(task);
      if (!resolved) {
        this.dropTask(task, now, { type: 'task.rejected', taskId: task.id, reason: 'no-workflow' });
        return;
      }
      if (resolved.key !== task.filterKey) {
        task.filterKey = resolved.key;
        task.steps = resolved.steps;
        this.enterStep(task, 0, 'updated', now, true);
        return;
      }
    }
    this.recomputePriority(task);
    this.syncHeap(task); // the attributes its group is keyed on may have changed
    this.routeTask(task, now);
  }

  private cancelTask(taskId: string, reason: string, now: number, event: RoutingEvent): void {
    const task = this.tasks.get(taskId);
    if (!task) return this.refuse(event, `unknown task ${taskId}`);
    if (task.queue && task.queue.waiting.has(task)) task.queue.stats.canceledWaiting++;
    this.dropTask(task, now, { type: 'task.canceled', taskId, reason });
  }

  /** Takes a task out of the engine, releasing whatever it held and rerouting the freed agents. */
  private dropTask(task: TaskRec, now: number, final: Decision): void {
    this.unplace(task);
    this.stopWaitingTimers(task);
    const freed: AgentRec[] = [];
    for (const agentId of [...task.offers.keys()]) {
      const agent = this.agents.get(agentId);
      this.deleteOffer(task, agentId);
      if (!agent) continue;
      this.release(agent, task);
      this.emit({ type: 'offer.rescinded', taskId: task.id, agentId, reason: 'canceled' });
      freed.push(agent);
    }
    if (task.agent) {
      this.release(task.agent, task);
      this.setIdleSince(task.agent, now);
      freed.push(task.agent);
      task.agent = undefined;
    }
    task.state = 'canceled';
    this.tasks.delete(task.id);
    // The task's end is announced before anything its freed agents get next.
    this.emit(final);
    for (const agent of freed) this.routeAgent(agent, now);
  }

  private acceptOffer(taskId: string, agentId: string, now: number, event: RoutingEvent): void {
    const task = this.tasks.get(taskId);
    if (!task) return this.refuse(event, `unknown task ${taskId}`);
    if (!task.offers.has(agentId)) return this.refuse(event, `task ${taskId} is not offered to ${agentId}`);
    const agent = this.agents.get(agentId) as AgentRec;
    const queue = task.queue;
    this.deleteOffer(task, agentId);
    this.unplace(task);
    this.stopWaitingTimers(task);
    // It stays attributed to the queue it was answered from (statistics, reports).
    task.queue = queue;
    task.state = 'assigned';
    task.agent = agent;
    agent.stats.accepted++;
    const waitedMs = now - task.createdAt;
    if (queue) {
      queue.stats.accepted++;
      if (queue.spec.serviceLevelSeconds !== undefined && waitedMs <= queue.spec.serviceLevelSeconds * 1000) queue.stats.answeredWithinServiceLevel++;
      if (queue.lastAssignAt !== undefined) {
        const gap = now - queue.lastAssignAt;
        queue.assignInterval = queue.assignInterval === undefined ? gap : 0.8 * queue.assignInterval + 0.2 * gap;
      }
      queue.lastAssignAt = now;
    }
    this.emit({ type: 'task.assigned', taskId, agentId, waitedMs });
    const freed: AgentRec[] = [];
    for (const otherId of [...task.offers.keys()]) {
      const other = this.agents.get(otherId);
      this.deleteOffer(task, otherId);
      if (!other) continue;
      this.release(other, task);
      if (queue) queue.stats.rescinded++;
      this.emit({ type: 'offer.rescinded', taskId, agentId: otherId, reason: 'accepted-elsewhere' });
      freed.push(other);
    }
    for (const other of freed) this.routeAgent(other, now);
  }

  /** An offer ends without acceptance: rejected by the agent, or timed out. */
  private endOffer(taskId: string, agentId: string, how: 'rejected' | 'timeout', now: number, event?: RoutingEvent): void {
    const task = this.tasks.get(taskId);
    if (!task) return event ? this.refuse(event, `unknown task ${taskId}`) : undefined;
    if (!task.offers.has(agentId)) return event ? this.refuse(event, `task ${taskId} is not offered to ${agentId}`) : undefined;
    const agent = this.agents.get(agentId) as AgentRec;
    this.deleteOffer(task, agentId);
    task.rejectedBy.add(agentId);
    this.release(agent, task);
    if (how === 'rejected') {
      agent.stats.rejected++;
      if (task.queue) task.queue.stats.rejected++;
      this.emit({ type: 'offer.rejected', taskId, agentId });
    } else {
      agent.stats.timedOut++;
      if (task.queue) task.queue.stats.timedOut++;
      this.emit({ type: 'offer.timeout', taskId, agentId });
    }
    if (task.offers.size === 0) task.state = 'pending';
    this.syncHeap(task);
    this.routeTask(task, now);
    const presence = how === 'rejected' ? this.config.presenceAfterReject : this.config.presenceAfterMissedOffer;
    if (presence && presence !== agent.spec.presence && this.agents.has(agentId)) {
      this.setPresence(agentId, presence, how === 'rejected' ? 'rejected-offer' : 'missed-offer', now);
    } else {
      this.routeAgent(agent, now);
    }
  }

  private wrapUp(taskId: string, event: RoutingEvent): void {
    const task = this.tasks.get(taskId);
    if (!task || task.state !== 'assigned' || !task.agent) return this.refuse(event, `task ${taskId} is not assigned`);
    task.state = 'wrapping';
    this.emit({ type: 'task.wrapping', taskId, agentId: task.agent.spec.id });
  }

  private completeTask(taskId: string, now: number, event: RoutingEvent): void {
    const task = this.tasks.get(taskId);
    if (!task || (task.state !== 'assigned' && task.state !== 'wrapping')) return this.refuse(event, `task ${taskId} is not assigned`);
    const agent = task.agent;
    task.state = 'completed';
    this.tasks.delete(taskId);
    this.emit({ type: 'task.completed', taskId, agentId: agent?.spec.id });
    if (agent) {
      this.release(agent, task);
      this.setIdleSince(agent, now);
      this.routeAgent(agent, now);
    }
  }

  private transferSteps(task: TaskRec, to: TransferTarget): { key: string; steps: CompiledStep[] } | undefined {
    const current = task.steps[task.stepIndex];
    if ('queueId' in to) {
      const queue = this.queues.get(to.queueId);
      if (!queue) return undefined;
      const step: StepSpec = { queueId: to.queueId, strategy: current?.spec.strategy, priority: current?.spec.priority };
      return { key: `transfer:${to.queueId}`, steps: compileSteps([step], `transfer:${to.queueId}`, this.queues, this.schema, this.config) };
    }
    // To a named agent: wait for them for a while, then fall back to where the task came from.
    const fallback = current ?? this.resolveSteps(task)?.steps[0];
    if (!fallback) return undefined;
    const steps: StepSpec[] = [
      { queueId: fallback.spec.queueId, preferredAgentOnly: true, timeoutSeconds: this.config.transferTimeoutSeconds, priority: fallback.spec.priority },
      { ...fallback.spec, timeoutSeconds: undefined },
    ];
    return { key: `transfer:agent:${fallback.key}`, steps: compileSteps(steps, `transfer:agent:${fallback.key}`, this.queues, this.schema, this.config) };
  }

  private transferTask(taskId: string, to: TransferTarget, now: number, event: RoutingEvent): void {
    const task = this.tasks.get(taskId);
    if (!task) return this.refuse(event, `unknown task ${taskId}`);
    if ('agentId' in to && !this.agents.has(to.agentId)) return this.refuse(event, `unknown agent ${to.agentId}`);
    if ('queueId' in to && !this.queues.has(to.queueId)) return this.refuse(event, `unknown queue ${to.queueId}`);
    const resolved = this.transferSteps(task, to);
    if (!resolved) return this.refuse(event, 'nothing to transfer to');
    const from = task.agent;
    // Rescind open offers: the task is going somewhere else now.
    for (const agentId of [...task.offers.keys()]) {
      const agent = this.agents.get(agentId);
      this.deleteOffer(task, agentId);
      if (!agent) continue;
      this.release(agent, task);
      this.emit({ type: 'offer.rescinded', taskId, agentId, reason: 'canceled' });
      this.routeAgent(agent, now);
    }
    if (from) {
      this.release(from, task);
      this.setIdleSince(from, now);
      task.agent = undefined;
    }
    if ('agentId' in to) {
      task.input = { ...task.input, preferredAgentId: to.agentId };
      task.ctx.preferredAgentId = to.agentId;
      task.keyCache = undefined;
      task.valuesCache = undefined;
      task.rejectedBy.delete(to.agentId);
    }
    task.transfer = to;
    task.state = 'pending';
    task.filterKey = resolved.key;
    task.steps = resolved.steps;
    this.emit({ type: 'task.transferred', taskId, fromAgentId: from?.spec.id, to });
    this.enterStep(task, 0, 'transfer', now, true);
    if (from) this.routeAgent(from, now);
  }

  private markCallback(taskId: string, event: RoutingEvent): void {
    const task = this.tasks.get(taskId);
    if (!task || (task.state !== 'pending' && task.state !== 'reserved')) return this.refuse(event, `task ${taskId} is not waiting`);
    task.callback = true;
    task.ctx.callback = true;
    task.keyCache = undefined;
    task.valuesCache = undefined;
    this.syncHeap(task);
    this.emit({ type: 'task.callback', taskId });
  }

  // ------------------------------------------------------------ steps and priority

  private queueOpen(queue: QueueRec, now: number): boolean {
    if (!queue.spec.hours) return true;
    const minute = Math.floor(now / 60_000);
    if (queue.openCache.minute !== minute) queue.openCache = { minute, open: isOpen(queue.spec.hours, now) };
    return queue.openCache.open;
  }

  /** A queue that just opened has agents and tasks that could not meet while it was closed. */
  private noticeOpenings(now: number): void {
    for (const queue of this.queues.values()) {
      if (!queue.spec.hours) continue;
      const open = this.queueOpen(queue, now);
      if (open && !queue.wasOpen) for (const slot of [...queue.ready.values()]) this.routeAgent(slot.agent, now);
      queue.wasOpen = open;
    }
  }

  private queueFacts(queue: QueueRec, now: number): Record<string, unknown> {
    let available = 0;
    for (const a of queue.members) if (a.routable) available++;
    return { available, ready: queue.ready.size, eligible: queue.members.size, waiting: queue.waiting.size, open: this.queueOpen(queue, now) };
  }

  /**
   * Puts the task in step `from`, or the first later step that doesn't pass it over (skip-if,
   * closed, full, preferred agent absent). The last step is never passed over for being closed:
   * the task waits there until opening time (an email can wait for the morning).
   */
  private enterStep(task: TaskRec, from: number, reason: 'created' | 'timeout' | 'skipped' | 'transfer' | 'requeued' | 'updated', now: number, resetClock = true): void {
    this.unplace(task);
    this.clearTimer(task.stepTimer);
    task.stepTimer = undefined;
    if (!task.boostTimer) this.scheduleBoosts(task, now);
    const last = task.steps.length - 1;
    let index = from;
    let why = reason;
    for (; index <= last; index++) {
      const step = task.steps[index] as CompiledStep;
      const queue = step.queue;
      const full = queue.spec.maxSize !== undefined && queue.waiting.size >= queue.spec.maxSize;
      const pass =
        (step.skipIf?.evaluate({ task: task.ctx, queue: this.queueFacts(queue, now) }) ?? false) ||
        (step.preferredAgentOnly && !(task.input.preferredAgentId && this.agents.has(task.input.preferredAgentId))) ||
        full ||
        (index < last && !this.queueOpen(queue, now));
      if (!pass) break;
      if (index === last && full) {
        this.dropTask(task, now, { type: 'task.rejected', taskId: task.id, reason: 'queue-full' });
        return;
      }
      why = 'skipped';
    }
    if (index > last) {
      // Every step passed over by skip-if: wait in the last one rather than get lost.
      index = last;
    }
    task.stepIndex = index;
    if (resetClock || index !== from) task.stepEnteredAt = now;
    this.placeInStep(task, now);
    this.syncHeap(task);
    const step = task.steps[index] as CompiledStep;
    if (step.timeoutMs !== undefined && index < last) {
      task.stepTimer = this.addTimer(task.stepEnteredAt + step.timeoutMs, 'step', task, undefined, task.stepEnteredAt === now ? step.timeoutMs : undefined);
    }
    this.emit({ type: 'task.queued', taskId: task.id, queueId: step.queue.spec.id, stepIndex: index, priority: task.priority, reason: why });
    this.routeTask(task, now);
  }

  /** Links the task to its current step's queue and priority (no heap yet). */
  private placeInStep(task: TaskRec, now: number): void {
    const step = task.steps[task.stepIndex] as CompiledStep;
    task.queue = step.queue;
    if (task.state === 'pending' || task.state === 'reserved') step.queue.waiting.add(task);
    this.recomputePriority(task);
    void now;
  }

  private unplace(task: TaskRec): void {
    this.leaveGroup(task);
    if (task.pinnedTo) task.pinnedTo.pinned.remove(task);
    task.pinnedTo = undefined;
    if (task.queue) task.queue.waiting.delete(task);
    task.queue = undefined;
  }

  private advance(task: TaskRec, now: number, reason: 'timeout' | 'skipped'): void {
    if (task.stepIndex >= task.steps.length - 1) return;
    this.enterStep(task, task.stepIndex + 1, reason, now);
  }

  private recomputePriority(task: TaskRec): void {
    const step = task.steps[task.stepIndex];
    const priority = (step?.spec.priority ?? task.basePriority) + task.boost;
    if (priority === task.priority) return;
    task.priority = priority;
    task.ctx.priority = priority;
    task.keyCache = undefined;
    task.valuesCache = undefined;
    if (task.group) {
      task.group.heap.update(task);
      this.reorderGroup(task.group);
      if (task.group.step.readsPriority) this.syncHeap(task); // the group is keyed on task.priority
    }
    if (task.pinnedTo) task.pinnedTo.pinned.update(task);
  }

  private scheduleBoosts(task: TaskRec, now: number): void {
    this.clearTimer(task.boostTimer);
    task.boostTimer = undefined;
    const sla = task.input.slaSeconds;
    if (!sla || sla <= 0) return;
    const boost = this.config.slaBoosts[task.boostIndex];
    if (!boost) return;
    const offset = boost.atFraction * sla * 1000;
    const at = task.createdAt + offset;
    task.boostTimer = at >= now ? this.addTimer(at, 'boost', task, undefined, offset) : this.addTimer(now, 'boost', task);
  }

  /** A restored task gets the boosts it earned while no leader was running. */
  private catchUpBoosts(task: TaskRec, now: number): void {
    const sla = task.input.slaSeconds;
    if (!sla || sla <= 0) return;
    const boosts = this.config.slaBoosts;
    while (task.boostIndex < boosts.length && task.createdAt + (boosts[task.boostIndex] as { atFraction: number }).atFraction * sla * 1000 <= now) {
      task.boost += (boosts[task.boostIndex] as { add: number }).add;
      task.boostIndex++;
    }
    this.scheduleBoosts(task, now);
  }

  /** `duration`, when the timer is now + a fixed duration, lets it share a first-in-first-out lane. */
  private addTimer(at: number, kind: TimerInfo['kind'], task: TaskRec, agentId?: string, duration?: number): Timer {
    const lane = duration === undefined ? undefined : duration * 4 + LANE_KINDS[kind];
    return this.timers.add(at, { kind, task, agentId }, lane);
  }

  /** Timers that can no longer matter leave the heap at once, so it only holds live ones. */
  private clearTimer(timer: Timer | undefined): void {
    if (timer) this.timers.cancel(timer);
  }

  /** A task no longer waits: its step timeout and SLA boosts stop. */
  private stopWaitingTimers(task: TaskRec): void {
    this.clearTimer(task.stepTimer);
    this.clearTimer(task.boostTimer);
    task.stepTimer = undefined;
    task.boostTimer = undefined;
  }

  private deleteOffer(task: TaskRec, agentId: string): void {
    const offer = task.offers.get(agentId);
    if (!offer) return;
    this.clearTimer(offer.timer);
    task.offers.delete(agentId);
  }

  private fireTimers(now: number): void {
    for (;;) {
      const timer = this.timers.popDue(now);
      if (!timer) return;
      // A timer that no longer matters was cancelled; what fires is the task's current one.
      const { task, kind, agentId } = timer.payload;
      if (this.tasks.get(task.id) !== task) continue;
      const at = timer.at;
      switch (kind) {
        case 'offer': {
          const offer = task.offers.get(agentId as string);
          if (offer && offer.timer === timer) {
            offer.timer = undefined;
            this.endOffer(task.id, agentId as string, 'timeout', at);
          }
          break;
        }
        case 'step':
          if (task.stepTimer !== timer) break;
          task.stepTimer = undefined;
          if (task.state === 'pending' || task.state === 'reserved') this.advance(task, at, 'timeout');
          break;
        case 'boost': {
          if (task.boostTimer !== timer) break;
          task.boostTimer = undefined;
          const boost = this.config.slaBoosts[task.boostIndex];
          task.boostIndex++;
          if (boost && (task.state === 'pending' || task.state === 'reserved')) {
            task.boost += boost.add;
            this.recomputePriority(task);
            this.emit({ type: 'task.priority', taskId: task.id, priority: task.priority });
            this.scheduleBoosts(task, at);
          }
          break;
        }
      }
    }
  }

  // ------------------------------------------------------------ matching

  /** Which group a waiting task belongs to in its step. */
  private groupKeyOf(task: TaskRec, step: CompiledStep): string {
    if (task.keyCache?.step === step) return task.keyCache.key;
    let key = `${step.groupKey}|${task.channel}`;
    if (step.taskPaths.length > 0) {
      // Successive steps usually read the same fields (task.language): the values carry over.
      if (task.valuesCache?.signature !== step.taskPathsSignature) {
        const values = step.taskPaths.map((path) => {
          const value = getPath(task.ctx, path);
          return value === undefined ? UNDEFINED_KEY : value;
        });
        task.valuesCache = { signature: step.taskPathsSignature, json: JSON.stringify(values) };
      }
      key += `|${task.valuesCache.json}`;
    }
    task.keyCache = { step, key };
    return key;
  }

  private leaveGroup(task: TaskRec): void {
    const group = task.group;
    if (!group) return;
    group.heap.remove(task);
    task.group = undefined;
    this.reorderGroup(group);
  }

  /** Re-sorts a group among its queue's groups after its head changed; an empty group goes away. */
  private reorderGroup(group: Group): void {
    const queue = group.step.queue;
    let order = queue.groupOrder.get(group.channel);
    if (!order) {
      order = newGroupHeap(queue.spec.order === 'lifo');
      queue.groupOrder.set(group.channel, order);
    }
    if (group.heap.size === 0) {
      order.remove(group);
      if (queue.groups.get(group.key) === group) queue.groups.delete(group.key);
    } else if (order.has(group)) {
      order.update(group);
    } else {
      order.push(group);
    }
  }

  /** Keeps the task in its group's heap exactly while it still wants offers. */
  private syncHeap(task: TaskRec): void {
    const step = task.steps[task.stepIndex];
    const wants = (task.state === 'pending' || task.state === 'reserved') && step !== undefined && task.offers.size < step.parallelOffers;
    if (!wants || !step) {
      this.leaveGroup(task);
      if (task.pinnedTo) task.pinnedTo.pinned.remove(task);
      task.pinnedTo = undefined;
      return;
    }
    if (step.preferredAgentOnly) {
      const agent = task.input.preferredAgentId ? this.agents.get(task.input.preferredAgentId) : undefined;
      if (agent && !agent.pinned.has(task)) {
        agent.pinned.push(task);
        task.pinnedTo = agent;
      }
      return;
    }
    const key = this.groupKeyOf(task, step);
    if (task.group) {
      if (task.group.key === key) return;
      this.leaveGroup(task);
    }
    let group = step.queue.groups.get(key);
    if (!group) {
      group = { heapSlot: -1, key, step, channel: task.channel, heap: newTaskHeap(step.queue.spec.order === 'lifo'), sample: sampleOf(task.ctx, step.taskPaths) };
      step.queue.groups.set(key, group);
    }
    group.heap.push(task);
    task.group = group;
    this.reorderGroup(group);
  }

  private canServe(agent: AgentRec, task: TaskRec, step: CompiledStep): boolean {
    if (!agent.routable || task.offers.has(agent.spec.id) || task.rejectedBy.has(agent.spec.id)) return false;
    if (!this.canHold(agent, task.channel)) return false;
    if (step.preferredAgentOnly) {
      if (task.input.preferredAgentId !== agent.spec.id) return false;
    } else if (!step.queue.members.has(agent)) return false;
    return !step.agentMatch || step.agentMatch.evaluate({ agent: agent.ctx, task: task.ctx });
  }

  /** A task wants offers: pick the best ready agents for its current step. */
  private routeTask(task: TaskRec, now: number): void {
    if (task.state !== 'pending' && task.state !== 'reserved') return;
    const step = task.steps[task.stepIndex];
    if (!step) return;
    const wanted = step.parallelOffers - task.offers.size;
    if (wanted <= 0) return;
    if (!this.queueOpen(step.queue, now)) return;
    let chosen: AgentRec[];
    if (!step.preferredAgentOnly && step.queue.ready.size === 0) return;
    if (step.preferredAgentOnly) {
      const agent = task.input.preferredAgentId ? this.agents.get(task.input.preferredAgentId) : undefined;
      chosen = agent && this.canServe(agent, task, step) ? [agent] : [];
    } else if (step.strategy === 'longest-idle') {
      // The ready agents are kept in this order: the first that can serve is the answer.
      const picked: AgentRec[] = [];
      step.queue.ready.walk((slot) => {
        if (this.canServe(slot.agent, task, step)) picked.push(slot.agent);
        return picked.length < wanted;
      });
      chosen = picked;
    } else {
      const candidates: AgentRec[] = [];
      for (const slot of step.queue.ready.values()) if (this.canServe(slot.agent, task, step)) candidates.push(slot.agent);
      chosen = candidates.length === 0 ? [] : this.rank(candidates, task, step, now, wanted);
    }
    for (const agent of chosen) this.offer(task, agent, step, now);
  }

  /**
   * An agent has room: offer it the most urgent task it can serve across its queues. Groups are
   * visited most urgent head first, and the walk stops as soon as no group can beat what was found.
   */
  private routeAgent(agent: AgentRec, now: number): void {
    const agentId = agent.spec.id;
    for (let guard = 0; guard < 1000; guard++) {
      if (!agent.routable || agent.exclusiveHeld > 0 || agent.used >= agent.spec.capacity.total) return;
      let best: TaskRec | undefined;
      let bestStep: CompiledStep | undefined;
      if (agent.pinned.size > 0) {
        agent.pinned.walk((t) => {
          const step = t.steps[t.stepIndex];
          if (!step || !this.canServe(agent, t, step)) return true;
          best = t;
          bestStep = step;
          return false;
        });
      }
      for (const queue of agent.queues) {
        if (queue.groupOrder.size === 0 || !this.queueOpen(queue, now)) continue;
        for (const [channel, order] of queue.groupOrder) {
          if (order.size === 0 || !this.canHold(agent, channel)) continue;
          order.walk((group) => {
            const head = group.heap.peek() as TaskRec;
            if (best && !this.moreUrgent(head, best)) return false;
            const step = group.step;
            if (step.agentMatch && !step.agentMatch.evaluate({ agent: agent.ctx, task: group.sample })) return true;
            const found = head.offers.has(agentId) || head.rejectedBy.has(agentId) ? this.firstNotRefused(group, agentId, best) : head;
            if (found) {
              best = found;
              // Offer on the task's own step (its offer timeout), which may differ from the group's first.
              bestStep = found.steps[found.stepIndex] ?? step;
            }
            return true;
          });
        }
      }
      if (!best || !bestStep) return;
      this.offer(best, agent, bestStep, now);
    }
  }

  /** In a group whose head this agent already has or refused: the next task for them, if it beats `best`. */
  private firstNotRefused(group: Group, agentId: string, best: TaskRec | undefined): TaskRec | undefined {
    let found: TaskRec | undefined;
    group.heap.walk((t) => {
      if (best && !this.moreUrgent(t, best)) return false;
      if (t.offers.has(agentId) || t.rejectedBy.has(agentId)) return true;
      found = t;
      return false;
    });
    return found;
  }

  private moreUrgent(a: TaskRec, b: TaskRec): boolean {
    if (a.queue === b.queue && a.queue?.spec.order === 'lifo') return serveBeforeLifo(a, b);
    return urgentBefore(a, b);
  }

  private offer(task: TaskRec, agent: AgentRec, step: CompiledStep, now: number): void {
    const expiresAt = now + step.offerTimeoutMs;
    const offer: Offer = { expiresAt };
    task.offers.set(agent.spec.id, offer);
    task.state = 'reserved';
    agent.lastOfferSeq = ++this.seq;
    agent.lastOfferAt = now;
    agent.stats.offered++;
    step.queue.stats.offered++;
    this.hold(agent, task);
    this.touchIdle(agent);
    this.syncHeap(task);
    offer.timer = this.addTimer(expiresAt, 'offer', task, agent.spec.id, step.offerTimeoutMs);
    this.emit({ type: 'offer', taskId: task.id, agentId: agent.spec.id, expiresAt, callback: task.callback });
  }

  private rescindAll(agent: AgentRec, reason: RescindReason, now: number): void {
    for (const task of [...agent.holding]) {
      if (!task.offers.has(agent.spec.id)) continue;
      this.deleteOffer(task, agent.spec.id);
      this.release(agent, task);
      if (task.queue) task.queue.stats.rescinded++;
      this.emit({ type: 'offer.rescinded', taskId: task.id, agentId: agent.spec.id, reason });
      if (task.offers.size === 0) task.state = 'pending';
      this.syncHeap(task);
      this.routeTask(task, now);
    }
  }

  private skillLevel(agent: AgentRec, task: TaskRec, step: CompiledStep): number {
    if (!step.skill) return 0;
    const name = 'name' in step.skill ? step.skill.name : getPath(task.ctx, step.skill.taskPath);
    if (typeof name !== 'string') return 0;
    const level = agent.spec.skills[name];
    return typeof level === 'number' ? level : 0;
  }

  /** The best `k` candidates for the step's strategy, best first; ties go to the agent known longest. */
  private rank(candidates: AgentRec[], task: TaskRec, step: CompiledStep, now: number, k: number): AgentRec[] {
    let key: (a: AgentRec) => number;
    switch (step.strategy) {
      case 'longest-idle':
        key = (a) => Math.max(a.idleSince, a.lastOfferAt);
        break;
      case 'least-occupied':
        key = (a) => (a.used / a.spec.capacity.total) * 1e15 + a.idleSince;
        break;
      case 'round-robin':
        key = (a) => a.lastOfferSeq;
        break;
      case 'best-proficiency':
        key = (a) => -this.skillLevel(a, task, step) * 1e15 + a.idleSince;
        break;
      case 'weighted': {
        const w = step.weights;
        let accepted = 0;
        for (const a of candidates) accepted += a.stats.accepted;
        const mean = accepted / candidates.length;
        const rawValue = task.ctx.value ?? task.ctx.valueTier;
        const value = typeof rawValue === 'number' ? Math.max(0, Math.min(1, rawValue)) : typeof rawValue === 'string' ? (TIER_VALUE[rawValue] ?? 0) : 0;
        const preferred = task.input.preferredAgentId;
        key = (a) => {
          const level = step.skill ? this.skillLevel(a, task, step) / 5 : 0.6;
          const idle = Math.min(1, Math.max(0, now - a.idleSince) / IDLE_NORM_MS);
          const occupancy = 1 - a.used / a.spec.capacity.total;
          const fairness = Math.max(-1, Math.min(1, (mean - a.stats.accepted) / Math.max(1, mean)));
          const score =
            w.proficiency * level + w.idle * idle + w.occupancy * occupancy + w.fairness * fairness + w.value * value * level + w.sticky * (a.spec.id === preferred ? 1 : 0);
          return -score;
        };
        break;
      }
    }
    const better = (a: AgentRec, b: AgentRec, ka: number, kb: number) => ka < kb || (ka === kb && a.order < b.order);
    if (k === 1) {
      let best = candidates[0] as AgentRec;
      let bestKey = key(best);
      for (let i = 1; i < candidates.length; i++) {
        const c = candidates[i] as AgentRec;
        const ck = key(c);
        if (better(c, best, ck, bestKey)) {
          best = c;
          bestKey = ck;
        }
      }
      return [best];
    }
    const keyed = candidates.map((a) => ({ a, k: key(a) }));
    keyed.sort((x, y) => (better(x.a, y.a, x.k, y.k) ? -1 : better(y.a, x.a, y.k, x.k) ? 1 : 0));
    return keyed.slice(0, k).map((x) => x.a);
  }

  private emit(decision: Decision): void {
    this.out.push(decision);
  }

  private refuse(event: RoutingEvent, reason: string): void {
    this.emit({ type: 'refused', event: event.type, reason });
  }
}

export interface QueueStatistics extends QueueCounters {
  queueId: string;
  name: string;
  open: boolean;
  waiting: number;
  waitingByPriority: Record<string, number>;
  longestWaitSeconds: number;
  eligibleAgents: number;
  availableAgents: number;
  readyAgents: number;
}

export interface AgentStatistics {
  agentId: string;
  presence: string;
  routable: boolean;
  used: number;
  total: number;
  tasks: number;
  idleSeconds: number;
  offered: number;
  accepted: number;
  rejected: number;
  timedOut: number;
}

export interface RoutingStatistics {
  queues: QueueStatistics[];
  agents: AgentStatistics[];
}

export interface TaskView {
  id: string;
  state: TaskState;
  priority: number;
  stepIndex: number;
  stepEnteredAt: number;
  queueId?: string;
  agentId?: string;
  offers: Array<{ agentId: string; expiresAt: number }>;
  rejectedBy: string[];
  callback: boolean;
  transfer?: TransferTarget;
  createdAt: number;
}

export interface AgentView {
  id: string;
  presence: string;
  routable: boolean;
  used: number;
  perChannel: Record<string, number>;
  queues: string[];
  tasks: string[];
}
