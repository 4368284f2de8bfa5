// Erlang B and Erlang C (M/M/N, callers never abandon). Pure math, no I/O.
//
// Definitions follow ../shared/docs/workforce-reference.md:
//   A = λ · AHT (Erlangs); B by the recursion B₀ = 1, B_k = A·B_{k−1} / (k + A·B_{k−1});
//   C(N, A) = N·B_N / (N − A(1 − B_N)); SL(t) = 1 − C·exp(−(N − A)·t/AHT); ASA = C·AHT/(N − A);
//   occupancy = A/N.
// The recursion keeps every B_k in (0, 1], so 2,000 or 200,000 agents neither overflow nor lose
// precision; factorials and powers A^N never appear.

/** One queue in one interval: contacts offered in the interval, its length, and the mean handle time. */
export interface Traffic {
  /** Contacts arriving in the interval (the forecast), ≥ 0. */
  contacts: number;
  /** Interval length in seconds (1,800 for half-hour staffing). */
  intervalSeconds: number;
  /** Average handle time in seconds: talk + hold + wrap-up. */
  ahtSeconds: number;
}

/** Offered load A = λ · AHT in Erlangs. */
export function offeredLoad(traffic: Traffic): number {
  const { contacts, intervalSeconds, ahtSeconds } = traffic;
  if (!(contacts >= 0 && intervalSeconds > 0 && ahtSeconds > 0)) {
    throw new RangeError(`traffic needs contacts >= 0, intervalSeconds > 0, ahtSeconds > 0 (got ${contacts}, ${intervalSeconds}, ${ahtSeconds})`);
  }
  return (contacts / intervalSeconds) * ahtSeconds;
}

/**
 * The queue cannot be served: with N ≤ A agents the work arrives faster than it is done and, without
 * abandonment, the queue (and every waiting-time figure) grows without bound. Returned in results and
 * thrown by the single-number helpers, never turned into a number such as P(wait) = 1.
 */
export class UnstableQueueError extends RangeError {
  readonly code = 'unstable_queue';
  constructor(
    readonly agents: number,
    readonly load: number,
  ) {
    super(`unstable queue: ${agents} agents for ${load.toPrecision(6)} Erlangs of offered load (need more agents than Erlangs)`);
    this.name = 'UnstableQueueError';
  }
}

function checkAgents(agents: number): void {
  if (!(Number.isInteger(agents) && agents >= 0)) throw new RangeError(`agents must be a non-negative integer (got ${agents})`);
}

/** Erlang B blocking probability B(N, A) by the stable recursion (O(N), every step in (0, 1]). */
export function erlangB(agents: number, load: number): number {
  checkAgents(agents);
  if (!(load >= 0)) throw new RangeError(`load must be >= 0 (got ${load})`);
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (load * b) / (k + load * b);
  return b;
}

/** One step of the recursion: B(N, A) from B(N − 1, A). Staffing searches walk N upwards with it. */
export function erlangBNext(previous: number, agents: number, load: number): number {
  return (load * previous) / (agents + load * previous);
}

/** C(N, A) from B(N, A); N > A is the caller's business. */
export function erlangCFromB(b: number, agents: number, load: number): number {
  return (agents * b) / (agents - load * (1 - b));
}

/** P(wait) = C(N, A), the Erlang C probability that a caller queues. Throws UnstableQueueError for N ≤ A. */
export function probabilityOfWait(agents: number, load: number): number {
  checkAgents(agents);
  if (!(agents > load)) throw new UnstableQueueError(agents, load);
  return erlangCFromB(erlangB(agents, load), agents, load);
}

export interface ErlangCMetrics {
  stable: true;
  agents: number;
  /** Offered load A in Erlangs. */
  load: number;
  /** P(wait) = C(N, A). */
  probabilityOfWait: number;
  /** SL(t) = share of all callers answered within `targetSeconds` (none abandon in Erlang C). */
  serviceLevel: number;
  targetSeconds: number;
  /** Mean wait over all callers (those answered at once count as 0), seconds. */
  asaSeconds: number;
  /** A / N. */
  occupancy: number;
}

export interface Unstable {
  stable: false;
  agents: number;
  load: number;
  error: UnstableQueueError;
}

export type ErlangCResult = ErlangCMetrics | Unstable;

/** Service level from P(wait): 1 − C · exp(−(N − A) · t / AHT). */
export function erlangCServiceLevel(pWait: number, agents: number, load: number, targetSeconds: number, ahtSeconds: number): number {
  return 1 - pWait * Math.exp((-(agents - load) * targetSeconds) / ahtSeconds);
}

/** All Erlang C figures for N agents, or `{ stable: false }` when N ≤ A. */
export function erlangC(traffic: Traffic, agents: number, targetSeconds: number): ErlangCResult {
  const load = offeredLoad(traffic);
  checkAgents(agents);
  if (!(agents > load)) return { stable: false, agents, load, error: new UnstableQueueError(agents, load) };
  return erlangCMetrics(erlangB(agents, load), agents, load, traffic.ahtSeconds, targetSeconds);
}

/** The figures from an already computed B(N, A) (N > A). */
export function erlangCMetrics(b: number, agents: number, load: number, ahtSeconds: number, targetSeconds: number): ErlangCMetrics {
  const pWait = erlangCFromB(b, agents, load);
  return {
    stable: true,
    agents,
    load,
    probabilityOfWait: pWait,
    serviceLevel: erlangCServiceLevel(pWait, agents, load, targetSeconds, ahtSeconds),
    targetSeconds,
    asaSeconds: (pWait * ahtSeconds) / (agents - load),
    occupancy: agents === 0 ? 0 : load / agents,
  };
}
