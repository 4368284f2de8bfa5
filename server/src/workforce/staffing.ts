// Required agents for service targets, shrinkage, concurrent channels (chat), and a day's staffing
// curve. Pure math on top of erlang.ts / erlangA.ts.
//
// "Required agents" is the least N meeting every target that is set (../shared/docs/
// workforce-reference.md); with Erlang C it must also exceed the load (N > A), with Erlang A any
// N ≥ 1 is a stable queue. Shrinkage (breaks, training, absence) is applied afterwards:
// scheduled = ceil(N / (1 − s)).
import { erlangB, erlangBNext, erlangCMetrics, offeredLoad, UnstableQueueError, type Traffic } from './erlang.ts';
import { erlangA, SERVICE_LEVEL_CONVENTION, type ServiceLevelConvention } from './erlangA.ts';

export interface StaffingTargets {
  /** At least `target` (0..1) of all arrivals answered within `withinSeconds`. */
  serviceLevel?: { target: number; withinSeconds: number };
  /** Mean wait over all arrivals (ASA in Erlang C), seconds. */
  maxMeanWaitSeconds?: number;
  /** Occupancy cap, 0 < cap ≤ 1 (agents or, with concurrency, chat slots). */
  maxOccupancy?: number;
  /** P(abandon) cap (Erlang A only; Erlang C has no abandonment, so it always holds there). */
  maxAbandon?: number;
}

export type QueueModel = { kind: 'erlangC' } | { kind: 'erlangA'; patienceSeconds: number };

export interface StaffingResult {
  model: QueueModel['kind'];
  /** Offered load A = λ · AHT, Erlangs (chat: in busy slots). */
  load: number;
  /** Agents needed on the queue (before shrinkage). */
  agents: number;
  /** Servers in the queueing model: agents × concurrency. */
  slots: number;
  /** ceil(agents / (1 − shrinkage)). */
  scheduled: number;
  probabilityOfWait: number;
  probabilityOfAbandon: number;
  /** SL at `serviceLevelSeconds` (0 s when no SL target is set), SERVICE_LEVEL_CONVENTION. */
  serviceLevel: number;
  serviceLevelSeconds: number;
  serviceLevelConvention: ServiceLevelConvention;
  /** Mean wait over all arrivals (Erlang C: ASA), seconds. */
  meanWaitSeconds: number;
  occupancy: number;
}

export interface StaffingOptions {
  /** Share of paid time not on the queue, 0 ≤ s < 1. Default 0. */
  shrinkage?: number;
  /** Contacts one agent handles at once (chat); default 1. */
  concurrency?: number;
  /** Refuse to search beyond this many servers (default 10,000,000). */
  maxSlots?: number;
}

/** scheduled = ceil(N / (1 − s)); the tiny slack keeps 14 / 0.7 = 20.000000000000004 at 20. */
export function applyShrinkage(agents: number, shrinkage: number): number {
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError(`shrinkage must be in [0, 1) (got ${shrinkage})`);
  const raw = agents / (1 - shrinkage);
  return Math.ceil(raw * (1 - 1e-12));
}

function checkTargets(t: StaffingTargets): void {
  const sl = t.serviceLevel;
  if (sl && !(sl.target >= 0 && sl.target < 1 && sl.withinSeconds >= 0)) {
    throw new RangeError(`service level target must be in [0, 1) with withinSeconds >= 0 (got ${sl.target}, ${sl.withinSeconds})`);
  }
  if (t.maxOccupancy !== undefined && !(t.maxOccupancy > 0 && t.maxOccupancy <= 1)) throw new RangeError(`maxOccupancy must be in (0, 1] (got ${t.maxOccupancy})`);
  if (t.maxMeanWaitSeconds !== undefined && !(t.maxMeanWaitSeconds > 0)) throw new RangeError(`maxMeanWaitSeconds must be > 0 (got ${t.maxMeanWaitSeconds})`);
  if (t.maxAbandon !== undefined && !(t.maxAbandon > 0 && t.maxAbandon <= 1)) throw new RangeError(`maxAbandon must be in (0, 1] (got ${t.maxAbandon})`);
}

type Figures = Pick<StaffingResult, 'probabilityOfWait' | 'probabilityOfAbandon' | 'serviceLevel' | 'meanWaitSeconds' | 'occupancy'>;

/** Whether one set of figures meets every target that is set. */
export function meetsTargets(f: Figures, t: StaffingTargets): boolean {
  if (t.serviceLevel && !(f.serviceLevel >= t.serviceLevel.target)) return false;
  if (t.maxMeanWaitSeconds !== undefined && !(f.meanWaitSeconds <= t.maxMeanWaitSeconds)) return false;
  if (t.maxOccupancy !== undefined && !(f.occupancy <= t.maxOccupancy)) return false;
  if (t.maxAbandon !== undefined && !(f.probabilityOfAbandon <= t.maxAbandon)) return false;
  return true;
}

/** Queue figures for exactly `slots` servers (slots > A for Erlang C; throws otherwise). */
export function queueFigures(traffic: Traffic, slots: number, model: QueueModel, withinSeconds: number): Figures {
  if (model.kind === 'erlangA') {
    const m = erlangA({ ...traffic, patienceSeconds: model.patienceSeconds }, slots, withinSeconds);
    return { probabilityOfWait: m.probabilityOfWait, probabilityOfAbandon: m.probabilityOfAbandon, serviceLevel: m.serviceLevel, meanWaitSeconds: m.meanWaitSeconds, occupancy: m.occupancy };
  }
  const load = offeredLoad(traffic);
  if (!(slots > load)) throw new UnstableQueueError(slots, load);
  const m = erlangCMetrics(erlangB(slots, load), slots, load, traffic.ahtSeconds, withinSeconds);
  return { probabilityOfWait: m.probabilityOfWait, probabilityOfAbandon: 0, serviceLevel: m.serviceLevel, meanWaitSeconds: m.asaSeconds, occupancy: m.occupancy };
}

/**
 * Least number of servers (slots) meeting the targets. Erlang C walks N = ⌊A⌋+1, ⌊A⌋+2, … carrying
 * B(N, A) along the recursion, so each step is O(1) after the first O(A). Erlang A has no such
 * recursion; it searches by doubling then bisection from a lower bound every feasible N must pass
 * (throughput ≤ Nμ gives 1 − P(abandon) ≤ N/A, and SL ≤ 1 − P(abandon)), relying on the figures
 * being monotone in N (SL and P(abandon) are; the property tests check minimality).
 */
export function requiredSlots(traffic: Traffic, targets: StaffingTargets, model: QueueModel, maxSlots = 10_000_000): { slots: number; figures: Figures } {
  checkTargets(targets);
  const load = offeredLoad(traffic);
  const t = targets.serviceLevel?.withinSeconds ?? 0;
  if (load === 0) {
    return { slots: 0, figures: { probabilityOfWait: 0, probabilityOfAbandon: 0, serviceLevel: 1, meanWaitSeconds: 0, occupancy: 0 } };
  }
  if (model.kind === 'erlangC') {
    let n = Math.floor(load) + 1;
    let b = erlangB(n, load);
    for (; n <= maxSlots; n++) {
      if (n > Math.floor(load) + 1) b = erlangBNext(b, n, load);
      const m = erlangCMetrics(b, n, load, traffic.ahtSeconds, t);
      const figures = { probabilityOfWait: m.probabilityOfWait, probabilityOfAbandon: 0, serviceLevel: m.serviceLevel, meanWaitSeconds: m.asaSeconds, occupancy: m.occupancy };
      if (meetsTargets(figures, targets)) return { slots: n, figures };
    }
    throw new RangeError(`no staffing up to ${maxSlots} servers meets the targets`);
  }
  const evaluate = (n: number) => queueFigures(traffic, n, model, t);
  const slTarget = targets.serviceLevel?.target ?? 0;
  const abandonCap = targets.maxAbandon ?? 1;
  // Below `lo` nothing can pass (see above); `lo − 1` is a known failure (or 0, meaning none).
  let fail = Math.max(0, Math.floor(slTarget * load) - 1, Math.floor((1 - abandonCap) * load) - 1);
  let step = 1;
  let pass = fail + step;
  let passFigures = evaluate(pass);
  while (!meetsTargets(passFigures, targets)) {
    fail = pass;
    step *= 2;
    pass = fail + step;
    if (pass > maxSlots) throw new RangeError(`no staffing up to ${maxSlots} servers meets the targets`);
    passFigures = evaluate(pass);
  }
  while (pass - fail > 1) {
    const mid = Math.floor((pass + fail) / 2);
    const f = evaluate(mid);
    if (meetsTargets(f, targets)) {
      pass = mid;
      passFigures = f;
    } else fail = mid;
  }
  return { slots: pass, figures: passFigures };
}

/**
 * Agents for one interval. With concurrency k (chat), the model treats an agent as k servers of
 * one pooled queue: offered load A = λ · AHT_k where AHT_k is the per-chat handle time MEASURED AT
 * concurrency k (it already contains the slowdown of juggling k chats), servers = N·k. We find the
 * least number of slots, round up to whole agents, and report the figures for agents·k slots
 * (which can only be better). Occupancy is then per slot. k = 1 is plain voice; e-mail is k = 1
 * with a long `withinSeconds` (see docs/workforce.md for the limits of that).
 */
export function requiredAgents(traffic: Traffic, targets: StaffingTargets, model: QueueModel, options: StaffingOptions = {}): StaffingResult {
  const concurrency = options.concurrency ?? 1;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be an integer >= 1 (got ${concurrency})`);
  const withinSeconds = targets.serviceLevel?.withinSeconds ?? 0;
  const found = requiredSlots(traffic, targets, model, options.maxSlots);
  const agents = Math.ceil(found.slots / concurrency);
  const slots = agents * concurrency;
  const figures = slots === found.slots || slots === 0 ? found.figures : queueFigures(traffic, slots, model, withinSeconds);
  return {
    model: model.kind,
    load: offeredLoad(traffic),
    agents,
    slots,
    scheduled: applyShrinkage(agents, options.shrinkage ?? 0),
    ...figures,
    serviceLevelSeconds: withinSeconds,
    serviceLevelConvention: SERVICE_LEVEL_CONVENTION,
  };
}

export interface IntervalDemand {
  /** Contacts forecast for the interval. */
  contacts: number;
  /** AHT for the interval, seconds (per contact at the channel's concurrency). */
  ahtSeconds: number;
  /** Optional label (e.g. "09:30"), passed through. */
  label?: string;
}

export interface StaffingCurveOptions extends StaffingOptions {
  intervalSeconds: number;
  targets: StaffingTargets;
  model: QueueModel;
  /** Floor per interval (e.g. 1 to keep a line open in quiet intervals); default 0. */
  minAgents?: number;
}

export interface StaffingInterval extends StaffingResult {
  index: number;
  label?: string;
  contacts: number;
}

/** The staffing curve of a day: one requirement per interval, each interval solved independently. */
export function staffingCurve(intervals: readonly IntervalDemand[], options: StaffingCurveOptions): StaffingInterval[] {
  const minAgents = options.minAgents ?? 0;
  const k = options.concurrency ?? 1;
  return intervals.map((d, index) => {
    const traffic = { contacts: d.contacts, intervalSeconds: options.intervalSeconds, ahtSeconds: d.ahtSeconds };
    let r = requiredAgents(traffic, options.targets, options.model, options);
    if (r.agents < minAgents) {
      const slots = minAgents * k;
      const figures = d.contacts === 0 ? r : queueFigures(traffic, slots, options.model, r.serviceLevelSeconds);
      r = { ...r, ...pickFigures(figures), agents: minAgents, slots, scheduled: applyShrinkage(minAgents, options.shrinkage ?? 0) };
    }
    return { ...r, index, contacts: d.contacts, ...(d.label === undefined ? {} : { label: d.label }) };
  });
}

function pickFigures(f: Figures): Figures {
  return { probabilityOfWait: f.probabilityOfWait, probabilityOfAbandon: f.probabilityOfAbandon, serviceLevel: f.serviceLevel, meanWaitSeconds: f.meanWaitSeconds, occupancy: f.occupancy };
}
