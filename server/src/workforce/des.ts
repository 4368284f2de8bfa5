// The simulator of the centre: a discrete-event simulation of one day that drives the real routing
// engine (routing/engine/engine.ts) in virtual time. Pure: no clock, no I/O; a seeded generator, so
// the same scenario and seed give the same result.
//
// The simulation owns what routing does not decide: customers arriving (a Poisson process whose rate
// is constant within each interval of the scenario), self-service answering a share of them, agents
// logging in and out by their shifts, accepting offers, handling for a drawn handle time, customers
// abandoning after a drawn patience. Everything routing decides (which queue, which agent, when,
// in what order, within what capacity) is the engine's own decision, exactly as in production.
//
// Its figures are the analytics module's: counters are summed into `ContactSums`/`TimeSums` per
// interval and stream and turned into KPIs by `kpisFrom` (analytics/kpi.ts), so a simulated day
// reads like a reported one.
import { localToInstant } from '../analytics/sla.calendar.ts';
import { addContacts, addTime, kpisFrom, ZERO_CONTACTS, ZERO_TIME, type ContactSums, type TimeSums } from '../analytics/kpi.ts';
import type { Kpis } from '../analytics/reports.ts';
import { RoutingEngine } from '../routing/engine/engine.ts';
import {
  DEFAULT_CAPACITY,
  DEFAULT_CONFIG,
  type AgentSpec,
  type Decision,
  type QueueSpec,
  type RoutingConfig,
  type RoutingEvent,
  type StepSpec,
  type WorkflowSpec,
} from '../routing/engine/model.ts';
import type { Scenario } from './scenario.ts';
import { poisson, seededUniform } from './simulate.ts';

export interface SimulationRow {
  /** Interval start (ISO) or null for a whole-day row. */
  start: string | null;
  /** Demand stream id, or null for all streams. */
  key: string | null;
  label: string | null;
  kpis: Kpis;
}

export interface SimulationResult {
  scenario: string;
  date: string;
  timeZone: string;
  intervalMinutes: number;
  seed: number;
  /** Contacts that arrived (self-service ones included). */
  contacts: number;
  /** Routing events the engine applied. */
  routingEvents: number;
  /** Contacts still waiting or in progress when the simulation stopped (none can be served any more). */
  unfinished: number;
  /** Contacts the routing refused (no workflow, queue full or closed); counted as abandoned. */
  refused: number;
  totals: Kpis;
  byStream: SimulationRow[];
  /** Per interval, all streams; `agentsLoggedIn` is the mean number of agents logged in during it. */
  byInterval: Array<SimulationRow & { agentsLoggedIn: number }>;
}

export interface SimulationOptions {
  /** Called now and then with the share of the day's virtual time simulated, 0..1. */
  onProgress?: (fraction: number) => void;
}

/** Simulates one day of the scenario in virtual time through the real routing engine. */
export function simulateDay(scenario: Scenario, options: SimulationOptions = {}): SimulationResult {
  const sim = new CentreSimulation(scenario, options);
  while (!sim.step(Infinity));
  return sim.result();
}

/** The same, giving the event loop a turn every few thousand events (for the server). */
export async function simulateDayAsync(scenario: Scenario, options: SimulationOptions = {}): Promise<SimulationResult> {
  const sim = new CentreSimulation(scenario, options);
  while (!sim.step(5_000)) await new Promise<void>((resolve) => setImmediate(resolve));
  return sim.result();
}

// ---------------------------------------------------------------- events of the simulation

const enum Kind {
  /** The start of an interval: draws its arrivals. */
  Interval,
  Arrival,
  Accept,
  HandleEnd,
  Abandon,
  ShiftStart,
  ShiftEnd,
}

interface SimEvent {
  at: number;
  seq: number;
  kind: Kind;
  /** Stream, interval, contact or agent index, by kind. */
  a: number;
  b: number;
}

/** A binary min-heap on (at, seq): ties keep the order events were scheduled in. */
class EventHeap {
  private readonly items: SimEvent[] = [];
  get size(): number {
    return this.items.length;
  }
  peekAt(): number {
    return this.items.length ? this.items[0]!.at : Infinity;
  }
  push(event: SimEvent): void {
    const items = this.items;
    let i = items.push(event) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = event;
  }
  pop(): SimEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (!top || !last || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
const before = (x: SimEvent, y: SimEvent) => x.at < y.at || (x.at === y.at && x.seq < y.seq);

// ---------------------------------------------------------------- the simulation

const enum ContactState {
  Waiting,
  Offered,
  Handling,
  Done,
}

interface Contact {
  stream: number;
  interval: number;
  arrivedAt: number;
  state: ContactState;
  agent: number;
  /** When an agent took it (the assignment). */
  answeredAt: number;
}

interface AgentRun {
  id: string;
  tasks: number;
  onShift: boolean;
  /** Logged in since (a shift start), or -1. */
  loggedInSince: number;
  busySince: number;
}

/** Draws handle times: fixed (cv 0), exponential (cv 1) or lognormal with the given mean and cv. */
function handleTimeSampler(random: () => number, meanMs: number, cv: number): () => number {
  if (cv === 0) return () => meanMs;
  if (Math.abs(cv - 1) < 1e-9) return () => -meanMs * Math.log(random());
  const sigma2 = Math.log(1 + cv * cv);
  const sigma = Math.sqrt(sigma2);
  const mu = Math.log(meanMs) - sigma2 / 2;
  return () => {
    // Box–Muller: one normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
    return Math.exp(mu + sigma * z);
  };
}

const hhmmMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The routing the scenario runs: the workspace's own (queues, workflows, expressions), or one queue
 * and workflow per stream whose agents are those with the stream's skill. A scenario strategy
 * replaces every step's.
 */
export function scenarioRouting(scenario: Scenario): { config: RoutingConfig; workflowOf: string[] } {
  const strategy = scenario.strategy;
  const withStrategy = (steps: StepSpec[]): StepSpec[] => (strategy ? steps.map((s) => ({ ...s, strategy })) : steps);
  // Agents accept at once or after `acceptSeconds`; an offer must not expire before (a missed offer
  // would park the agent in the presence the live config names, which no one in a simulation resets).
  const offerTimeoutSeconds = Math.max(DEFAULT_CONFIG.defaultOfferTimeoutSeconds, scenario.acceptSeconds + 30);
  const base = { ...DEFAULT_CONFIG, presenceAfterMissedOffer: undefined, presenceAfterReject: undefined, defaultOfferTimeoutSeconds: offerTimeoutSeconds };
  if (scenario.routing) {
    const routing = scenario.routing;
    const workflows = (routing.workflows as unknown as WorkflowSpec[]).map((w) => ({
      ...w,
      defaultSteps: withStrategy(w.defaultSteps.map((s) => ({ ...s, offerTimeoutSeconds: undefined }))),
      filters: w.filters.map((f) => ({ ...f, steps: withStrategy(f.steps.map((s) => ({ ...s, offerTimeoutSeconds: undefined }))) })),
    }));
    const config: RoutingConfig = {
      ...base,
      queues: routing.queues as unknown as QueueSpec[],
      workflows,
      taskFields: routing.taskFields as RoutingConfig['taskFields'],
      agentFields: routing.agentFields as RoutingConfig['agentFields'],
    };
    return { config, workflowOf: scenario.demand.map((d) => d.workflowId!) };
  }
  const queues: QueueSpec[] = scenario.demand.map((d) => ({
    id: d.id,
    name: d.name,
    eligibility: d.skill ? `agent.skills.${d.skill} >= 1` : '',
    order: 'fifo',
    serviceLevelSeconds: d.serviceLevelSeconds,
  }));
  const workflows: WorkflowSpec[] = scenario.demand.map((d) => ({ id: `wf:${d.id}`, name: d.name, filters: [], defaultSteps: withStrategy([{ queueId: d.id }]) }));
  return { config: { ...base, queues, workflows }, workflowOf: workflows.map((w) => w.id) };
}

/**
 * One simulated day. `step(n)` advances by up to n events and says whether the day is done, so the
 * caller decides how often to yield; `result()` sums the counters into KPIs.
 */
export class CentreSimulation {
  private readonly engine: RoutingEngine;
  private readonly events = new EventHeap();
  private readonly random: () => number;
  private readonly starts: number[];
  private readonly dayStart: number;
  private readonly dayEnd: number;
  private readonly intervalCount: number;
  private readonly workflowOf: string[];
  private readonly handleTime: Array<() => number>;
  private readonly contacts: Contact[] = [];
  private readonly agents: AgentRun[] = [];
  private readonly agentIndex = new Map<string, number>();
  private readonly acceptMs: number;
  /** Counters per interval × stream (contacts count in the interval they arrived in). */
  private readonly sums: ContactSums[];
  /** Agent time per interval. */
  private readonly time: TimeSums[];
  private seq = 0;
  private routingEvents = 0;
  private refused = 0;
  private now: number;
  private done = false;

  constructor(
    private readonly scenario: Scenario,
    private readonly options: SimulationOptions = {},
  ) {
    const { config, workflowOf } = scenarioRouting(scenario);
    this.engine = new RoutingEngine(config);
    this.workflowOf = workflowOf;
    this.random = seededUniform(scenario.seed);
    this.intervalCount = (24 * 60) / scenario.intervalMinutes;
    this.starts = Array.from({ length: this.intervalCount + 1 }, (_, i) => localToInstant(scenario.date, i * scenario.intervalMinutes, scenario.timeZone));
    this.dayStart = this.starts[0]!;
    this.dayEnd = this.starts[this.intervalCount]!;
    this.now = this.dayStart;
    this.acceptMs = scenario.acceptSeconds * 1000;
    this.handleTime = scenario.demand.map((d) => handleTimeSampler(this.random, d.handleTime.meanSeconds * 1000, d.handleTime.cv));
    this.sums = Array.from({ length: this.intervalCount * scenario.demand.length }, () => ({ ...ZERO_CONTACTS }));
    this.time = Array.from({ length: this.intervalCount }, () => ({ ...ZERO_TIME }));

    for (const [g, group] of scenario.agents.entries()) {
      for (let i = 0; i < group.count; i++) {
        const id = `${g}:${i}`;
        const spec: AgentSpec = {
          id,
          name: `${group.name} ${i + 1}`,
          attributes: { ...group.attributes, team: group.team },
          skills: group.skills,
          languages: group.languages,
          capacity: group.capacity ?? DEFAULT_CAPACITY,
          presence: 'offline',
        };
        const index = this.agents.push({ id, tasks: 0, onShift: false, loggedInSince: -1, busySince: -1 }) - 1;
        this.agentIndex.set(id, index);
        this.apply({ type: 'agent.upsert', agent: spec }, this.dayStart);
        for (const shift of group.shifts) {
          const start = localToInstant(scenario.date, hhmmMinutes(shift.start), scenario.timeZone);
          const end = localToInstant(scenario.date, hhmmMinutes(shift.end), scenario.timeZone);
          this.schedule(start, Kind.ShiftStart, index, 0);
          this.schedule(end, Kind.ShiftEnd, index, 0);
        }
      }
    }
    for (let i = 0; i < this.intervalCount; i++) this.schedule(this.starts[i]!, Kind.Interval, i, 0);
  }

  /** Advances by up to `maxEvents` events; true when nothing is left to happen. */
  step(maxEvents: number): boolean {
    if (this.done) return true;
    for (let n = 0; n < maxEvents; n++) {
      const wake = this.engine.nextWakeAt();
      const next = this.events.peekAt();
      if (wake !== undefined && wake <= next && Number.isFinite(wake)) {
        // A routing timer (a step timeout, an SLA boost) falls due before the next customer event.
        this.now = Math.max(this.now, wake);
        this.apply({ type: 'tick' }, this.now);
        continue;
      }
      const event = this.events.pop();
      if (!event) {
        this.finish();
        return true;
      }
      this.now = event.at;
      this.handle(event);
      if ((this.seq & 0xfff) === 0) this.progress();
    }
    this.progress();
    return false;
  }

  private progress(): void {
    this.options.onProgress?.(Math.min(1, Math.max(0, (this.now - this.dayStart) / (this.dayEnd - this.dayStart))));
  }

  private schedule(at: number, kind: Kind, a: number, b: number): void {
    this.events.push({ at, seq: this.seq++, kind, a, b });
  }

  private sumsOf(contact: Contact): ContactSums {
    return this.sums[contact.interval * this.scenario.demand.length + contact.stream]!;
  }

  private handle(event: SimEvent): void {
    switch (event.kind) {
      case Kind.Interval:
        this.drawArrivals(event.a);
        break;
      case Kind.Arrival:
        this.arrive(event.a, event.b);
        break;
      case Kind.Accept: {
        const contact = this.contacts[event.a]!;
        // The customer may have hung up while the offer rang; the engine rescinded it then.
        if (contact.state === ContactState.Offered && contact.agent === event.b) {
          this.apply({ type: 'offer.accept', taskId: String(event.a), agentId: this.agents[event.b]!.id }, this.now);
        }
        break;
      }
      case Kind.HandleEnd:
        this.apply({ type: 'task.complete', taskId: String(event.a) }, this.now);
        break;
      case Kind.Abandon: {
        const contact = this.contacts[event.a]!;
        if (contact.state === ContactState.Waiting || contact.state === ContactState.Offered) {
          this.apply({ type: 'task.cancel', taskId: String(event.a), reason: 'abandoned' }, this.now);
        }
        break;
      }
      case Kind.ShiftStart: {
        const agent = this.agents[event.a]!;
        agent.onShift = true;
        if (agent.loggedInSince < 0) agent.loggedInSince = this.now;
        this.apply({ type: 'agent.presence', agentId: agent.id, presence: 'available' }, this.now);
        break;
      }
      case Kind.ShiftEnd: {
        const agent = this.agents[event.a]!;
        agent.onShift = false;
        // No new work; the contacts in hand are finished, and the agent stays logged in until then.
        this.apply({ type: 'agent.presence', agentId: agent.id, presence: 'offline' }, this.now);
        if (agent.tasks === 0) this.logOut(agent);
        break;
      }
    }
  }

  /** Poisson(count) arrivals spread uniformly over the interval: a Poisson process at that rate. */
  private drawArrivals(interval: number): void {
    const from = this.starts[interval]!;
    const span = this.starts[interval + 1]! - from;
    for (const [s, stream] of this.scenario.demand.entries()) {
      const mean = (stream.arrivals[interval] ?? 0) * stream.arrivalFactor;
      const count = poisson(this.random, mean);
      for (let k = 0; k < count; k++) this.schedule(from + this.random() * span, Kind.Arrival, s, interval);
    }
  }

  private arrive(streamIndex: number, interval: number): void {
    const stream = this.scenario.demand[streamIndex]!;
    const id = this.contacts.push({ stream: streamIndex, interval, arrivedAt: this.now, state: ContactState.Waiting, agent: -1, answeredAt: -1 }) - 1;
    const contact = this.contacts[id]!;
    const sums = this.sumsOf(contact);
    sums.conversations++;
    if (stream.selfServiceContainment > 0) {
      sums.ssRuns++;
      if (this.random() < stream.selfServiceContainment) {
        sums.ssContained++;
        sums.resolved++;
        sums.fcr++;
        contact.state = ContactState.Done;
        return;
      }
    }
    sums.offered++;
    if (stream.patienceSeconds !== null) this.schedule(this.now - stream.patienceSeconds * 1000 * Math.log(this.random()), Kind.Abandon, id, 0);
    this.apply(
      {
        type: 'task.create',
        task: { id: String(id), workflowId: this.workflowOf[streamIndex]!, channel: stream.channel, attributes: stream.attributes, priority: stream.priority, createdAt: this.now },
      },
      this.now,
    );
  }

  private apply(event: RoutingEvent, at: number): void {
    this.routingEvents++;
    const decisions = this.engine.apply(event, at);
    for (const decision of decisions) this.decide(decision);
  }

  private decide(decision: Decision): void {
    switch (decision.type) {
      case 'offer': {
        const contact = this.contacts[Number(decision.taskId)]!;
        const agent = this.agentIndex.get(decision.agentId)!;
        // With parallel offers the first agent to accept wins; the others' offers are rescinded.
        if (contact.state === ContactState.Waiting) {
          contact.state = ContactState.Offered;
          contact.agent = agent;
        }
        if (contact.agent === agent) this.schedule(this.now + this.acceptMs, Kind.Accept, Number(decision.taskId), agent);
        break;
      }
      case 'offer.rescinded':
      case 'offer.timeout':
      case 'offer.rejected': {
        const contact = this.contacts[Number(decision.taskId)]!;
        if (contact.state === ContactState.Offered && this.agents[contact.agent]!.id === decision.agentId) {
          contact.state = ContactState.Waiting;
          contact.agent = -1;
        }
        break;
      }
      case 'task.assigned': {
        const id = Number(decision.taskId);
        const contact = this.contacts[id]!;
        const agent = this.agentIndex.get(decision.agentId)!;
        contact.state = ContactState.Handling;
        contact.agent = agent;
        contact.answeredAt = this.now;
        const stream = this.scenario.demand[contact.stream]!;
        const sums = this.sumsOf(contact);
        const waited = this.now - contact.arrivedAt;
        sums.answered++;
        sums.waitMs += waited;
        if (waited <= stream.serviceLevelSeconds * 1000) sums.answeredInSl++;
        const run = this.agents[agent]!;
        if (run.tasks++ === 0) run.busySince = this.now;
        this.schedule(this.now + this.handleTime[contact.stream]!(), Kind.HandleEnd, id, agent);
        break;
      }
      case 'task.completed': {
        const contact = this.contacts[Number(decision.taskId)]!;
        if (contact.state !== ContactState.Handling) break;
        const sums = this.sumsOf(contact);
        sums.handled++;
        sums.resolved++;
        sums.fcr++;
        // Handle time is the whole time with the agent (after-contact work included, as the Erlang models' service time).
        const run = this.agents[contact.agent]!;
        contact.state = ContactState.Done;
        sums.handleMs += this.now - contact.answeredAt;
        if (--run.tasks === 0) {
          this.addSpan('busyMs', run.busySince, this.now);
          run.busySince = -1;
          if (!run.onShift) this.logOut(run);
        }
        break;
      }
      case 'task.canceled': {
        const contact = this.contacts[Number(decision.taskId)]!;
        if (contact.state === ContactState.Waiting || contact.state === ContactState.Offered) {
          this.sumsOf(contact).abandoned++;
          contact.state = ContactState.Done;
        }
        break;
      }
      case 'task.rejected': {
        const contact = this.contacts[Number(decision.taskId)]!;
        this.refused++;
        this.sumsOf(contact).abandoned++;
        contact.state = ContactState.Done;
        break;
      }
      default:
        break;
    }
  }

  private logOut(agent: AgentRun): void {
    if (agent.loggedInSince < 0) return;
    this.addSpan('loggedInMs', agent.loggedInSince, this.now);
    this.addSpan('occupiableMs', agent.loggedInSince, this.now);
    agent.loggedInSince = -1;
  }

  /** Adds the span [from, to) of agent time to the intervals it covers (time after the day counts in the last). */
  private addSpan(field: keyof TimeSums, from: number, to: number): void {
    if (!(to > from)) return;
    let i = this.intervalAt(from);
    let at = from;
    while (at < to) {
      const end = i + 1 < this.intervalCount ? Math.min(to, this.starts[i + 1]!) : to;
      this.time[i]![field] += end - at;
      at = end;
      i = Math.min(i + 1, this.intervalCount - 1);
    }
  }

  private intervalAt(at: number): number {
    if (at < this.dayStart) return 0;
    let lo = 0;
    let hi = this.intervalCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private finish(): void {
    this.done = true;
    for (const agent of this.agents) {
      if (agent.tasks > 0) this.addSpan('busyMs', agent.busySince, this.now);
      this.logOut(agent);
    }
    this.options.onProgress?.(1);
  }

  result(): SimulationResult {
    const streams = this.scenario.demand;
    const hourly = this.scenario.costPerAgentHour / 3_600_000;
    const byInterval: SimulationResult['byInterval'] = [];
    const byStreamSums = streams.map(() => ({ ...ZERO_CONTACTS }));
    let total = { ...ZERO_CONTACTS };
    let totalTime = { ...ZERO_TIME };
    for (let i = 0; i < this.intervalCount; i++) {
      let interval = { ...ZERO_CONTACTS };
      for (let s = 0; s < streams.length; s++) {
        const sums = this.sums[i * streams.length + s]!;
        interval = addContacts(interval, sums);
        byStreamSums[s] = addContacts(byStreamSums[s]!, sums);
      }
      const time = this.time[i]!;
      total = addContacts(total, interval);
      totalTime = addTime(totalTime, time);
      const span = this.starts[i + 1]! - this.starts[i]!;
      byInterval.push({
        start: new Date(this.starts[i]!).toISOString(),
        key: null,
        label: null,
        kpis: kpisFrom(interval, time, time.loggedInMs * hourly),
        agentsLoggedIn: Math.round((time.loggedInMs / span) * 100) / 100,
      });
    }
    const totalCost = totalTime.loggedInMs * hourly;
    const totalHandle = total.handleMs + total.acwMs;
    // Agents are blended across streams: a stream's cost is its share of the handle time (as reports do).
    const byStream = streams.map((stream, s) => {
      const sums = byStreamSums[s]!;
      const share = totalHandle > 0 ? (sums.handleMs + sums.acwMs) / totalHandle : 0;
      return { start: null, key: stream.id, label: stream.name, kpis: kpisFrom(sums, null, share * totalCost) };
    });
    const unfinished = this.contacts.filter((c) => c.state !== ContactState.Done).length;
    return {
      scenario: this.scenario.name,
      date: this.scenario.date,
      timeZone: this.scenario.timeZone,
      intervalMinutes: this.scenario.intervalMinutes,
      seed: this.scenario.seed,
      contacts: this.contacts.length,
      routingEvents: this.routingEvents,
      unfinished,
      refused: this.refused,
      totals: kpisFrom(total, totalTime, totalCost),
      byStream,
      byInterval,
    };
  }
}
