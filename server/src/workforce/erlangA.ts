// Erlang A (M/M/N+M): Poisson arrivals λ, N agents with exponential handle time (mean AHT = 1/μ),
// exponential patience (mean 1/θ) while queued. Exact, from the birth–death chain of the number in
// the system n: birth rate λ, death rate min(n, N)·μ + max(n − N, 0)·θ
// (../shared/docs/workforce-reference.md). Pure math, no I/O.
//
// Stationary weights, relative to state N (w_N = 1):
//   below N: Σ_{n<N} w_n = 1/B(N, A) − 1 (the truncated Poisson of Erlang B), so the lower half
//            costs one Erlang B recursion, kept in logs so that tiny B cannot overflow 1/B;
//   above N: w_{N+j} = Π_{i=1..j} A / (N + i·γ), γ = θ/μ = AHT / mean patience.
// Unlike Erlang C the chain is stable for every N ≥ 1, so overloaded intervals get real figures.
//
// Truncation: the ratios A/(N + iγ) fall with i; once the current ratio r < 1 every later one is
// smaller, so the rest of the tail is at most w_j · r/(1 − r) (geometric bound). We stop when that
// bound, widened by (1 + j + 1/(1−r)) so that it also bounds the tail of Σ j·w_j (the queue length),
// is below TAIL_TOLERANCE times the mass so far. The neglected mass is then < 1e-15 of the total:
// far below the printed precision of any figure. Weights are summed in a running log scale, so a
// tail that peaks far above w_N (overload with very patient callers) cannot overflow either.
//
// Service level convention (SERVICE_LEVEL_CONVENTION): answered within t, over ALL arrivals.
// Abandoned callers count as not answered within t, even if they hung up before t; callers served
// at once count as answered. An arrival finding N + k − 1 in the system (k-th in line) is answered
// within t iff the k phases until it reaches an agent all end by an advance (not its own
// abandonment) and take ≤ t in total. Phase i (the caller i-th in line) ends at rate Nμ + iθ, of
// which θ is its own abandonment, so
//   P(answered | k-th) = Nμ/(Nμ + kθ)                               (telescoping product)
//   P(answered within t | k-th) = Nμ/(Nμ + kθ) · P(H_k ≤ t),  H_k = Σ_{i=1..k} Exp(Nμ + iθ)
// and H_k has the law of −ln(U)/θ with U ~ Beta(N/γ + 1, k) (compare Laplace transforms), hence
//   P(H_k ≤ t) = I_x(k, N/γ + 1), x = 1 − e^{−θt}  (regularized incomplete beta).
// Altogether
//   SL(t) = Σ_{n<N} π_n + Σ_{k≥1} π_{N+k−1} · Nμ/(Nμ + kθ) · I_x(k, N/γ + 1).
// I_x(k, b) is walked in k by I_x(k+1, b) = I_x(k, b) − x^k (1−x)^b Γ(k+b) / (Γ(k+1) Γ(b)), the
// term kept in logs; I_x(1, b) = 1 − (1−x)^b.
import { erlangC, offeredLoad, type ErlangCResult, type Traffic } from './erlang.ts';

/** How service level is reported by Erlang A (and shown in the API and UI). */
export const SERVICE_LEVEL_CONVENTION = 'answered-within-t-over-all-arrivals' as const;
export type ServiceLevelConvention = typeof SERVICE_LEVEL_CONVENTION;

const TAIL_TOLERANCE = 1e-16;
/** States above N the chain may take before we refuse (patience → ∞ with N ≤ A would need ∞). */
export const MAX_QUEUE_STATES = 20_000_000;

export interface ErlangAMetrics {
  agents: number;
  /** Offered load A = λ · AHT in Erlangs. */
  load: number;
  /** P(wait) = Σ_{n≥N} π_n: share of arrivals that find every agent busy. */
  probabilityOfWait: number;
  /** P(abandon) = θ · E[queue] / λ. */
  probabilityOfAbandon: number;
  /** Mean time in queue over all arrivals (served at once = 0; abandoners count their wait), s. */
  meanWaitSeconds: number;
  /** E[number waiting]. */
  meanQueue: number;
  /** Agent occupancy λ(1 − P(abandon)) / (N μ). */
  occupancy: number;
  /** SL(t) under SERVICE_LEVEL_CONVENTION. */
  serviceLevel: number;
  serviceLevelConvention: ServiceLevelConvention;
  targetSeconds: number;
  /** States above N summed before the tail bound held. */
  queueStates: number;
}

export interface ErlangAInput extends Traffic {
  /** Mean patience 1/θ in seconds (> 0; Infinity is Erlang C: use erlangC). */
  patienceSeconds: number;
}

/** ln(1/B(N, A)) by ln(1/B_k) = ln(1 + (k/A)/B_{k−1}), in logs so very small B cannot overflow. */
export function logInverseErlangB(agents: number, load: number): number {
  if (load === 0) return agents === 0 ? 0 : Infinity;
  let l = 0; // ln(1/B_0)
  for (let k = 1; k <= agents; k++) {
    const u = Math.log(k / load) + l;
    l = u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
  }
  return l;
}

/** Erlang A figures for N ≥ 1 agents. */
export function erlangA(input: ErlangAInput, agents: number, targetSeconds: number): ErlangAMetrics {
  const load = offeredLoad(input);
  const { ahtSeconds, patienceSeconds } = input;
  if (!(Number.isInteger(agents) && agents >= 1)) throw new RangeError(`Erlang A needs an integer N >= 1 (got ${agents})`);
  if (!(patienceSeconds > 0 && Number.isFinite(patienceSeconds))) {
    throw new RangeError(`mean patience must be finite and > 0 seconds (got ${patienceSeconds}); infinite patience is Erlang C`);
  }
  if (!(targetSeconds >= 0)) throw new RangeError(`target time must be >= 0 (got ${targetSeconds})`);
  const base = { agents, load, serviceLevelConvention: SERVICE_LEVEL_CONVENTION, targetSeconds } as const;
  if (load === 0) {
    return { ...base, probabilityOfWait: 0, probabilityOfAbandon: 0, meanWaitSeconds: 0, meanQueue: 0, occupancy: 0, serviceLevel: 1, queueStates: 0 };
  }
  const N = agents;
  const mu = 1 / ahtSeconds;
  const theta = 1 / patienceSeconds;
  const gamma = theta / mu;
  const lambda = load * mu;

  // Lower part, in logs: ln Σ_{n<N} w_n = ln(1/B − 1).
  const lInvB = logInverseErlangB(N, load);
  const logLower = lInvB + Math.log(-Math.expm1(-lInvB));

  // Incomplete-beta walk for SL(t): b = N/γ + 1, ln(1 − x) = −θt.
  const b = N / gamma + 1;
  const x = -Math.expm1(-theta * targetSeconds);
  const logX = Math.log(x);
  let incBeta = -Math.expm1(-(N * mu + theta) * targetSeconds); // I_x(1, b)
  let logTerm = logX - b * theta * targetSeconds + Math.log(b); // ln x(1−x)^b Γ(1+b)/(Γ(2)Γ(b))

  // Upper part: running sums scaled by e^{−ref}.
  let ref = 0;
  let sumW = 0; // Σ w_{N+j}
  let sumJW = 0; // Σ j w_{N+j}
  let sumSL = 0; // Σ w_{N+k−1} · Nμ/(Nμ+kθ) · I_x(k, b)
  let logW = 0; // ln w_{N+j}
  let j = 0;
  for (; ; j++) {
    if (j > 0) logW += Math.log(load / (N + j * gamma));
    if (logW - ref > 600) {
      const scale = Math.exp(ref - logW);
      sumW *= scale;
      sumJW *= scale;
      sumSL *= scale;
      ref = logW;
    }
    const w = Math.exp(logW - ref);
    sumW += w;
    sumJW += j * w;
    const k = j + 1;
    if (targetSeconds > 0) sumSL += w * (N / (N + k * gamma)) * Math.max(0, incBeta);
    // advance I_x(k, b) → I_x(k + 1, b)
    if (targetSeconds > 0) {
      incBeta -= Math.exp(logTerm);
      logTerm += Math.log((x * (k + b)) / (k + 1));
    }
    const r = load / (N + (j + 1) * gamma);
    if (r < 1) {
      const bound = w * (r / (1 - r)) * (1 + j + 1 / (1 - r));
      const totalScaled = sumW + Math.exp(logLower - ref);
      if (bound <= TAIL_TOLERANCE * totalScaled) break;
    }
    if (j >= MAX_QUEUE_STATES) {
      throw new RangeError(`Erlang A chain did not converge within ${MAX_QUEUE_STATES} queue states (N ${N}, A ${load}, patience/AHT ${1 / gamma}): patience is too long for an overloaded queue`);
    }
  }
  const logUpper = ref + Math.log(sumW);
  const logZ = logUpper > logLower ? logUpper + Math.log1p(Math.exp(logLower - logUpper)) : logLower + Math.log1p(Math.exp(logUpper - logLower));
  const pWait = Math.exp(logUpper - logZ);
  const meanQueue = sumJW > 0 ? Math.exp(ref + Math.log(sumJW) - logZ) : 0;
  // Rounding can push these a hair past their bounds in deep overload (P(wait) → 1).
  const pAbandon = Math.min(1, (theta * meanQueue) / lambda);
  const slUpper = targetSeconds > 0 && sumSL > 0 ? Math.exp(ref + Math.log(sumSL) - logZ) : 0;
  const serviceLevel = Math.min(1, Math.max(0, 1 - pWait + slUpper));
  return {
    ...base,
    probabilityOfWait: pWait,
    probabilityOfAbandon: pAbandon,
    meanWaitSeconds: meanQueue / lambda,
    meanQueue,
    occupancy: Math.min(1, (load * (1 - pAbandon)) / N),
    serviceLevel,
    queueStates: j + 1,
  };
}

/** Erlang A, or Erlang C when patience is infinite (the two agree in the limit; see the tests). */
export function erlangAOrC(input: ErlangAInput, agents: number, targetSeconds: number): ErlangAMetrics | ErlangCResult {
  return Number.isFinite(input.patienceSeconds) ? erlangA(input, agents, targetSeconds) : erlangC(input, agents, targetSeconds);
}
