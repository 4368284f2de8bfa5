// Routing benchmark: the pure routing engine (server/src/routing/engine) at contact-centre scale,
// next to a bare binary heap push+pop measured in the same run.
//
//   npm run bench -- routing
//
// Two scenarios, both in virtual time (the engine never reads a clock) and from a seeded PRNG, so
// two runs route exactly the same events:
//  1. saturated: 15,000 agents, all busy, and 100,000 waiting tasks. An assigned task completes,
//     the freed agent is offered the most urgent waiting task it can serve (a routing decision),
//     the offer is accepted and new tasks arrive to keep 100,000 waiting.
//  2. free agents: 15,000 available agents and few tasks. A task arrives and is offered to the best
//     ready agent of its step's queue (the path that scans ready agents).
// Each `engine.apply` is timed on its own; a call that returns an offer is a decision sample.
// Knobs: BENCH_AGENTS, BENCH_WAITING, BENCH_ROUTING_ITERATIONS, BENCH_ROUTING_FREE_ITERATIONS,
// BENCH_SEED.
import { RoutingEngine } from '../../server/src/routing/engine/engine.ts';
import {
  DEFAULT_CONFIG,
  type AgentSpec,
  type CapacityProfile,
  type Decision,
  type QueueSpec,
  type RoutingConfig,
  type RoutingEvent,
  type StepSpec,
  type WorkflowFilter,
} from '../../server/src/routing/engine/model.ts';
import { printTable, type Row } from './measure.ts';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 15_000);
const WAITING = Number(process.env.BENCH_WAITING ?? 100_000);
const ITERATIONS = Number(process.env.BENCH_ROUTING_ITERATIONS ?? 20_000);
const FREE_ITERATIONS = Number(process.env.BENCH_ROUTING_FREE_ITERATIONS ?? 3_000);
const SEED = Number(process.env.BENCH_SEED ?? 20_260_302);
const GOAL_P99_MS = 1;
const GOAL_DECISIONS_PER_SECOND = 100_000;

const T0 = Date.parse('2026-03-02T09:00:00Z');
/** Virtual time between two arrivals while building, and between two completions when measuring. */
const BUILD_STEP_MS = 2;
const LOOP_STEP_MS = 5;

// ---------------------------------------------------------------- the world

/** mulberry32: a tiny seeded PRNG, so every run builds and routes the same world. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pickWeighted = <T>(random: Random, items: ReadonlyArray<readonly [T, number]>): T => {
  let total = 0;
  for (const [, w] of items) total += w;
  let r = random() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
};

const SKILLS = [
  'billing', 'sales', 'returns', 'shipping', 'tech', 'accounts', 'loyalty', 'claims', 'fraud', 'onboarding',
  'mortgages', 'insurance', 'travel', 'payments', 'cards', 'savings', 'pensions', 'energy', 'mobile', 'broadband',
] as const;
/** Some topics are busier than others (mild skew). */
const SKILL_WEIGHTS = SKILLS.map((s, i) => [s, 1 / (1 + 0.15 * i)] as const);

const routingConfig = (): RoutingConfig => {
  const queues: QueueSpec[] = [
    ...SKILLS.map((s): QueueSpec => ({ id: s, name: s, eligibility: `agent.skills HAS ${s}`, order: 'fifo', serviceLevelSeconds: 60 })),
    { id: 'general', name: 'General', eligibility: '', order: 'fifo', serviceLevelSeconds: 120 },
  ];
  const general: StepSpec = { queueId: 'general', agentExpression: 'agent.languages HAS task.language' };
  const filters = SKILLS.map(
    (s): WorkflowFilter => ({
      name: s,
      expression: `task.skill == ${s}`,
      steps: [
        { queueId: s, agentExpression: `agent.skills.${s} >= 4 AND agent.languages HAS task.language`, timeoutSeconds: 30 },
        { queueId: s, agentExpression: `agent.skills.${s} >= 1 AND agent.languages HAS task.language`, timeoutSeconds: 60 },
        general,
      ],
    }),
  );
  return {
    ...DEFAULT_CONFIG,
    taskFields: { skill: 'string', language: 'string' },
    agentFields: { team: 'string' },
    queues,
    workflows: [{ id: 'main', name: 'Main', filters, defaultSteps: [general] }],
  };
};

/** Chat agents take 4 chats (or chats and a few emails); voice agents one call; blended agents either. */
const PROFILES: ReadonlyArray<readonly [CapacityProfile, number]> = [
  [{ total: 100, cost: { chat: 25, email: 20 }, maxPerChannel: { voice: 0 } }, 0.55],
  [{ total: 100, cost: { voice: 100 }, exclusive: ['voice'], maxPerChannel: { chat: 0, email: 0 } }, 0.25],
  [{ total: 100, cost: { voice: 100, chat: 25, email: 10 }, exclusive: ['voice'] }, 0.2],
];

function makeAgent(random: Random, i: number): AgentSpec {
  const skills: Record<string, number> = {};
  const count = 2 + Math.floor(random() * 3);
  while (Object.keys(skills).length < count) skills[SKILLS[Math.floor(random() * SKILLS.length)] as string] = 1 + Math.floor(random() * 5);
  const languages: string[] = [];
  if (random() < 0.8) languages.push('nl');
  if (random() < 0.6 || languages.length === 0) languages.push('en');
  if (random() < 0.1) languages.push('de');
  return { id: `a${i}`, attributes: { team: `team${i % 50}` }, skills, languages, capacity: pickWeighted(random, PROFILES), presence: 'available' };
}

const CHANNELS = [['chat', 0.55], ['email', 0.25], ['voice', 0.2]] as const;
const SLA_SECONDS: Record<string, number> = { chat: 120, email: 4 * 3600, voice: 60 };
const LANGUAGES = [['nl', 0.65], ['en', 0.3], ['de', 0.05]] as const;

function makeTask(random: Random, n: number): RoutingEvent {
  const channel = pickWeighted(random, CHANNELS);
  const attributes: Record<string, unknown> = { language: pickWeighted(random, LANGUAGES) };
  if (random() < 0.9) attributes.skill = pickWeighted(random, SKILL_WEIGHTS); // the rest: no topic, general queue
  return { type: 'task.create', task: { id: `t${n}`, workflowId: 'main', channel, attributes, priority: random() < 0.1 ? 1 : 0, slaSeconds: SLA_SECONDS[channel] } };
}

// ---------------------------------------------------------------- measuring

/** Latency samples in nanoseconds. */
class Samples {
  private values = new Float64Array(1024);
  count = 0;
  totalNs = 0;

  add(ns: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ns;
    this.totalNs += ns;
  }

  private sorted?: Float64Array;
  percentile(q: number): number {
    if (this.count === 0) return NaN;
    if (!this.sorted || this.sorted.length !== this.count) this.sorted = this.values.slice(0, this.count).sort();
    return this.sorted[Math.min(this.count - 1, Math.ceil(q * this.count) - 1)] as number;
  }
}

const us = (ns: number) => (Number.isNaN(ns) ? '-' : (ns / 1000).toFixed(ns < 10_000 ? 2 : 1));
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const log = (text: string) => process.stderr.write(`routing: ${text}\n`);

/** Drives an engine, times every `apply`, accepts every offer and tracks which tasks are assigned. */
class Driver {
  readonly engine = new RoutingEngine(routingConfig());
  now = T0;
  nextTask = 0;
  readonly assigned: string[] = [];
  private readonly offers: Array<{ taskId: string; agentId: string }> = [];
  // counters for the measured window
  offerCount = 0;
  decisionCount = 0;
  engineNs = 0;

  constructor(readonly random: Random) {}

  get waiting(): number {
    return this.engine.taskCount - this.assigned.length;
  }

  /** Applies one event; `onOffer` gets the call's latency when it returned at least one offer. */
  apply(event: RoutingEvent, all?: Samples, onOffer?: Samples): Decision[] {
    const start = process.hrtime.bigint();
    const ds = this.engine.apply(event, this.now);
    const ns = Number(process.hrtime.bigint() - start);
    this.engineNs += ns;
    this.decisionCount += ds.length;
    all?.add(ns);
    let offered = false;
    for (const d of ds) {
      if (d.type === 'offer') {
        offered = true;
        this.offerCount++;
        this.offers.push({ taskId: d.taskId, agentId: d.agentId });
      } else if (d.type === 'task.assigned') this.assigned.push(d.taskId);
      else if (d.type === 'refused' || d.type === 'task.rejected') throw new Error(`unexpected decision ${JSON.stringify(d)}`);
    }
    if (offered) onOffer?.add(ns);
    return ds;
  }

  /** Accepts every outstanding offer (and any offers those acceptances cause). */
  acceptOffers(all?: Samples, onOffer?: Samples): void {
    for (let offer = this.offers.shift(); offer; offer = this.offers.shift()) {
      this.apply({ type: 'offer.accept', taskId: offer.taskId, agentId: offer.agentId }, all, onOffer);
    }
  }

  createTask(all?: Samples, onOffer?: Samples): void {
    this.apply(makeTask(this.random, this.nextTask++), all, onOffer);
  }

  /** Completes a random assigned task. */
  completeRandom(all?: Samples, onOffer?: Samples): void {
    const i = Math.floor(this.random() * this.assigned.length);
    const last = this.assigned.pop() as string;
    const taskId = i < this.assigned.length ? (this.assigned[i] as string) : last;
    if (i < this.assigned.length) this.assigned[i] = last;
    this.apply({ type: 'task.complete', taskId }, all, onOffer);
  }

  resetCounters(): void {
    this.offerCount = 0;
    this.decisionCount = 0;
    this.engineNs = 0;
  }

  /** How full the agents are: at capacity, or with spare room no channel fits into (e.g. 95/100). */
  saturation(): { full: number; partial: number; idle: number } {
    let full = 0;
    let partial = 0;
    let idle = 0;
    for (const id of this.engine.agentIds()) {
      const a = this.engine.agent(id);
      if (!a) continue;
      if (a.used >= 100) full++;
      else if (a.used > 0) partial++;
      else idle++;
    }
    return { full, partial, idle };
  }
}

/** Prints a progress line at most once a second (build phases that take more than a moment). */
function progress(label: string, total: number): (done: number) => void {
  let last = performance.now();
  const started = last;
  return (done) => {
    const t = performance.now();
    if (t - last < 1000 && done < total) return;
    if (done >= total && t - started < 1000) return;
    last = t;
    log(`${label} ${fmtInt(done)}/${fmtInt(total)} (${((t - started) / 1000).toFixed(1)} s)`);
  };
}

// ---------------------------------------------------------------- scenario 1: saturated

interface SaturatedResult {
  decisions: Samples;
  complete: Samples;
  accept: Samples;
  create: Samples;
  offers: number;
  allDecisions: number;
  engineSeconds: number;
  wallSeconds: number;
  buildSeconds: number;
  saturation: { full: number; partial: number; idle: number };
  waiting: number;
}

function saturated(): SaturatedResult {
  const built = performance.now();
  const d = new Driver(mulberry32(SEED));
  // Tasks first (no agents yet, so an arrival is only queued), then the agents, each filled up with
  // offers it accepts at once; then top up the queue to WAITING waiting tasks.
  const tick = progress('queueing tasks', WAITING);
  for (let i = 0; i < WAITING; i++) {
    d.now += BUILD_STEP_MS;
    d.createTask();
    tick(i + 1);
  }
  const tickAgents = progress('agents logging in and taking work', AGENTS);
  for (let i = 0; i < AGENTS; i++) {
    d.now += 1;
    d.apply({ type: 'agent.upsert', agent: makeAgent(d.random, i) });
    d.acceptOffers();
    tickAgents(i + 1);
  }
  while (d.waiting < WAITING) {
    d.now += 1;
    d.createTask();
    d.acceptOffers();
  }
  const buildSeconds = (performance.now() - built) / 1000;
  const saturation = d.saturation();
  log(
    `saturated world built in ${buildSeconds.toFixed(1)} s: ${fmtInt(AGENTS)} agents (${fmtInt(saturation.full)} full, ${fmtInt(saturation.partial)} with room no task fits, ${fmtInt(saturation.idle)} idle), ${fmtInt(d.assigned.length)} tasks assigned, ${fmtInt(d.waiting)} waiting`,
  );

  const decisions = new Samples();
  const complete = new Samples();
  const accept = new Samples();
  const create = new Samples();
  const round = (measure: boolean) => {
    d.now += LOOP_STEP_MS;
    d.completeRandom(measure ? complete : undefined, measure ? decisions : undefined);
    d.acceptOffers(measure ? accept : undefined, measure ? decisions : undefined);
    while (d.waiting < WAITING) {
      d.createTask(measure ? create : undefined, measure ? decisions : undefined);
      d.acceptOffers(measure ? accept : undefined, measure ? decisions : undefined);
    }
  };
  const warmup = Math.ceil(ITERATIONS / 10);
  for (let i = 0; i < warmup; i++) round(false);
  d.resetCounters();
  const tickLoop = progress('steady state, completions', ITERATIONS);
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    round(true);
    tickLoop(i + 1);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  return {
    decisions,
    complete,
    accept,
    create,
    offers: d.offerCount,
    allDecisions: d.decisionCount,
    engineSeconds: d.engineNs / 1e9,
    wallSeconds,
    buildSeconds,
    saturation,
    waiting: d.waiting,
  };
}

// ---------------------------------------------------------------- scenario 2: free agents

interface FreeResult {
  decisions: Samples;
  skillQueue: Samples;
  generalQueue: Samples;
  offers: number;
  allDecisions: number;
  engineSeconds: number;
  /** Arrivals no ready agent could take at once (e.g. a German voice call for a rare expert). */
  unserved: number;
}

function freeAgents(): FreeResult {
  const d = new Driver(mulberry32(SEED + 1));
  for (let i = 0; i < AGENTS; i++) {
    d.now += 1;
    d.apply({ type: 'agent.upsert', agent: makeAgent(d.random, i) });
  }
  const decisions = new Samples();
  const skillQueue = new Samples();
  const generalQueue = new Samples();
  // Each task is completed IN_FLIGHT arrivals later, so about that many agents hold one task
  // (and most stay ready: a chat uses a quarter of a chat agent).
  const IN_FLIGHT = 1000;
  const inFlight: string[] = [];
  let unserved = 0;
  const round = (measure: boolean) => {
    d.now += LOOP_STEP_MS;
    const event = makeTask(d.random, d.nextTask++);
    const general = event.type === 'task.create' && event.task.attributes.skill === undefined;
    const before = decisions.count;
    d.apply(event, measure ? (general ? generalQueue : skillQueue) : undefined, measure ? decisions : undefined);
    if (measure && decisions.count === before) unserved++;
    d.acceptOffers();
    inFlight.push(...d.assigned.splice(0));
    while (inFlight.length > IN_FLIGHT) d.apply({ type: 'task.complete', taskId: inFlight.shift() as string });
  };
  for (let i = 0; i < Math.ceil(FREE_ITERATIONS / 5); i++) round(false);
  d.resetCounters();
  for (let i = 0; i < FREE_ITERATIONS; i++) round(true);
  // Offers per second of the arrivals alone (the accepts and completions are not this path's cost).
  const arrivalSeconds = (skillQueue.totalNs + generalQueue.totalNs) / 1e9;
  return { decisions, skillQueue, generalQueue, offers: decisions.count, allDecisions: d.decisionCount, engineSeconds: arrivalSeconds, unserved };
}

// ---------------------------------------------------------------- baseline: a bare binary heap

interface Item {
  priority: number;
  createdAt: number;
  seq: number;
}

/** A minimal array-based binary heap, ordered like the engine's queues: priority, then age. */
class BinaryHeap {
  private readonly items: Item[] = [];
  get size(): number {
    return this.items.length;
  }
  private static before(a: Item, b: Item): boolean {
    if (a.priority !== b.priority) return a.priority > b.priority;
    if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
    return a.seq < b.seq;
  }
  push(item: Item): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p] as Item;
      if (!BinaryHeap.before(item, parent)) break;
      items[i] = parent;
      i = p;
    }
    items[i] = item;
  }
  pop(): Item | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && BinaryHeap.before(items[r] as Item, items[l] as Item)) c = r;
      const child = items[c] as Item;
      if (!BinaryHeap.before(child, last)) break;
      items[i] = child;
      i = c;
    }
    items[i] = last;
    return top;
  }
}

interface HeapResult {
  opsPerSecond: number;
  pair: Samples;
}

function heapBaseline(): HeapResult {
  const random = mulberry32(SEED + 2);
  const heap = new BinaryHeap();
  let seq = 0;
  let now = T0;
  const item = (): Item => ({ priority: random() < 0.1 ? 1 : 0, createdAt: (now += 3), seq: ++seq });
  for (let i = 0; i < WAITING; i++) heap.push(item());
  let sink = 0;
  // Throughput without per-operation timers, then per-pair latencies.
  const bulk = 1_000_000;
  for (let i = 0; i < bulk / 10; i++) {
    heap.push(item());
    sink += (heap.pop() as Item).seq;
  }
  const started = process.hrtime.bigint();
  for (let i = 0; i < bulk; i++) {
    heap.push(item());
    sink += (heap.pop() as Item).seq;
  }
  const opsPerSecond = bulk / (Number(process.hrtime.bigint() - started) / 1e9);
  const pair = new Samples();
  for (let i = 0; i < 200_000; i++) {
    const t = process.hrtime.bigint();
    heap.push(item());
    sink += (heap.pop() as Item).seq;
    pair.add(Number(process.hrtime.bigint() - t));
  }
  if (sink === 0 || heap.size !== WAITING) throw new Error('heap baseline went wrong');
  return { opsPerSecond, pair };
}

/** Cost of the timer itself, to read sub-microsecond percentiles with. */
function timerOverhead(): number {
  const s = new Samples();
  for (let i = 0; i < 100_000; i++) {
    const t = process.hrtime.bigint();
    s.add(Number(process.hrtime.bigint() - t));
  }
  return s.percentile(0.5);
}

// ---------------------------------------------------------------- report

function latencyTable(rows: Array<{ name: string; s: Samples }>, baseline: Samples): void {
  const b50 = baseline.percentile(0.5);
  const b99 = baseline.percentile(0.99);
  const header = ['latency per apply (µs)', 'n', 'p50', 'p99', 'p99.9', 'max', 'p50 / heap p50', 'p99 / heap p99'];
  const lines = rows.map(({ name, s }) => [
    name,
    fmtInt(s.count),
    us(s.percentile(0.5)),
    us(s.percentile(0.99)),
    us(s.percentile(0.999)),
    us(s.percentile(1)),
    s.count ? (s.percentile(0.5) / b50).toFixed(1) : '-',
    s.count ? (s.percentile(0.99) / b99).toFixed(1) : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  process.stdout.write(`${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`);
}

export function routingBenchmark(): void {
  const started = performance.now();
  log(`seed ${SEED}; ${fmtInt(AGENTS)} agents, ${fmtInt(WAITING)} waiting tasks, ${fmtInt(ITERATIONS)} completions measured`);
  const heap = heapBaseline();
  const overhead = timerOverhead();
  const sat = saturated();
  log(`free-agent scenario: ${fmtInt(AGENTS)} available agents, ${fmtInt(FREE_ITERATIONS)} arrivals measured`);
  const free = freeAgents();

  const decisionsPerSecond = sat.offers / sat.engineSeconds;
  const heapLabel = `binary heap push+pop (${fmtInt(WAITING)} items)`;
  const rows: Row[] = [
    { name: 'routing decisions (offers), saturated', opsPerSecond: decisionsPerSecond, baseline: heapLabel, baselineOpsPerSecond: heap.opsPerSecond },
    { name: 'routing decisions of all kinds, saturated', opsPerSecond: sat.allDecisions / sat.engineSeconds, baseline: heapLabel, baselineOpsPerSecond: heap.opsPerSecond },
    { name: 'task arrival -> offer, 15k free agents', opsPerSecond: free.offers / free.engineSeconds, baseline: heapLabel, baselineOpsPerSecond: heap.opsPerSecond },
  ];

  process.stdout.write(
    `\nRouting engine benchmark (seed ${SEED}; virtual time; ${fmtInt(AGENTS)} agents, ${fmtInt(WAITING)} waiting tasks, ${SKILLS.length + 1} queues, 3-step skill workflow)\n` +
      `Saturated: ${fmtInt(sat.saturation.full)} agents full, ${fmtInt(sat.saturation.partial)} with room no task fits, ${fmtInt(sat.saturation.idle)} idle; ` +
      `${fmtInt(ITERATIONS)} completions measured: ${fmtInt(sat.offers)} offers, ${fmtInt(sat.allDecisions)} decisions in ${sat.engineSeconds.toFixed(2)} s of engine time ` +
      `(${sat.wallSeconds.toFixed(2)} s wall with the driver); ${fmtInt(sat.waiting)} waiting at the end.\n` +
      `Decisions per second = offers / engine time of every event in the loop (completions, accepts, arrivals). Timer overhead ≈ ${us(overhead)} µs per sample.\n` +
      `An apply's latency includes the engine timers that fell due by its 'now' (step escalations, SLA boosts, expired offer timers), as in production.\n\n`,
  );
  printTable(rows);
  process.stdout.write('\n');
  latencyTable(
    [
      { name: 'saturated: apply that returned an offer', s: sat.decisions },
      { name: '  task.complete (frees an agent)', s: sat.complete },
      { name: '  offer.accept', s: sat.accept },
      { name: '  task.create (queued behind 100k)', s: sat.create },
      { name: 'free agents: task.create -> offer', s: free.decisions },
      { name: '  into a skill queue', s: free.skillQueue },
      { name: '  into the general queue (all agents)', s: free.generalQueue },
      { name: 'baseline: binary heap push+pop', s: heap.pair },
    ],
    heap.pair,
  );

  const p99 = sat.decisions.percentile(0.99) / 1e6;
  const freeP99 = free.decisions.percentile(0.99) / 1e6;
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  process.stdout.write(
    `\nGoals (saturated, ${fmtInt(AGENTS)} agents / ${fmtInt(WAITING)} waiting):\n` +
      `  p99 decision latency < ${GOAL_P99_MS} ms: ${verdict(p99 < GOAL_P99_MS)} (p99 ${p99.toFixed(3)} ms)\n` +
      `  >= ${fmtInt(GOAL_DECISIONS_PER_SECOND)} decisions/s, counting offers only: ${verdict(decisionsPerSecond >= GOAL_DECISIONS_PER_SECOND)} (${fmtInt(decisionsPerSecond)}/s)\n` +
      `  >= ${fmtInt(GOAL_DECISIONS_PER_SECOND)} decisions/s, counting every decision the engine returns (offers, escalations, priority boosts, assignments, rescinds): ` +
      `${verdict(sat.allDecisions / sat.engineSeconds >= GOAL_DECISIONS_PER_SECOND)} (${fmtInt(sat.allDecisions / sat.engineSeconds)}/s)\n` +
      `Free agents (arrival scans the ready agents): p99 ${freeP99.toFixed(3)} ms, ${verdict(freeP99 < GOAL_P99_MS)} against the same p99 goal; ` +
      `${fmtInt(free.offers / free.engineSeconds)} offers/s, ${verdict(free.offers / free.engineSeconds >= GOAL_DECISIONS_PER_SECOND)} against the same rate goal ` +
      `(${fmtInt(free.unserved)} of ${fmtInt(FREE_ITERATIONS)} arrivals found no ready agent for step 1 and waited).\n` +
      `(world build ${sat.buildSeconds.toFixed(1)} s; whole routing benchmark ${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
  );
}
