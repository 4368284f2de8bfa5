// BG/NBD ("beta-geometric / negative binomial distribution") model of repeat purchasing:
// Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way", Marketing Science 24(2).
// While alive a customer buys at Poisson rate λ ~ Gamma(r, α); after every purchase they drop out
// with probability p ~ Beta(a, b). A customer is summarised by (x, t_x, T): repeat purchases,
// the time of the last one, and the time since the first purchase, all in one time unit.
import { nelderMead, type MinimizeOptions } from './optimize.ts';
import { hyp2f1Series, lgamma, logAddExp } from './special.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface RfmCustomer {
  /** Repeat purchases (x). */
  frequency: number;
  /** Time of the last repeat purchase after the first purchase (t_x); 0 when x = 0. */
  recency: number;
  /** Time from the first purchase to the end of calibration (T). */
  T: number;
}

/**
 * Customers grouped by frequency, as flat typed arrays: the log-likelihood's gamma-function terms
 * depend on x only, so they are computed once per distinct x, and each customer costs two
 * logarithms and one exponential.
 */
export interface BgNbdData {
  /** Distinct frequencies, ascending. */
  xs: number[];
  /** Customers of xs[g] are indexes start[g] .. start[g+1]-1 of recency and age. */
  start: number[];
  recency: Float64Array;
  age: Float64Array;
  weight: Float64Array;
  customers: number;
}

export function prepareBgNbd(customers: readonly RfmCustomer[], weights?: readonly number[]): BgNbdData {
  const order = customers.map((_, i) => i).sort((i, j) => customers[i]!.frequency - customers[j]!.frequency);
  const recency = new Float64Array(customers.length);
  const age = new Float64Array(customers.length);
  const weight = new Float64Array(customers.length);
  const xs: number[] = [];
  const start: number[] = [];
  order.forEach((i, k) => {
    const c = customers[i]!;
    if (!(Number.isInteger(c.frequency) && c.frequency >= 0)) throw new RangeError(`frequency must be a whole number >= 0 (customer ${i})`);
    if (!(c.recency >= 0 && c.T >= c.recency && c.T > 0)) throw new RangeError(`need 0 <= recency <= T and T > 0 (customer ${i})`);
    if (xs[xs.length - 1] !== c.frequency) {
      xs.push(c.frequency);
      start.push(k);
    }
    recency[k] = c.recency;
    age[k] = c.T;
    weight[k] = weights?.[i] ?? 1;
  });
  start.push(customers.length);
  return { xs, start, recency, age, weight, customers: customers.length };
}

/**
 * Total log-likelihood (the paper's eq. 6, in logs):
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *        + ln[ (α+T)^−(r+x) + δ(x>0) · a/(b+x−1) · (α+t_x)^−(r+x) ]
 */
export function bgNbdLogLikelihood(params: BgNbdParams, data: BgNbdData): number {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -Infinity;
  const lgR = lgamma(r);
  const lgAB = lgamma(a + b);
  const lgB = lgamma(b);
  const lAlpha = Math.log(alpha);
  let total = 0;
  for (let g = 0; g < data.xs.length; g++) {
    const x = data.xs[g]!;
    const rx = r + x;
    const common = lgamma(rx) - lgR + r * lAlpha + lgamma(b + x) + lgAB - lgB - lgamma(a + b + x);
    const from = data.start[g]!;
    const to = data.start[g + 1]!;
    let sum = 0;
    let weights = 0;
    if (x === 0) {
      for (let k = from; k < to; k++) {
        const w = data.weight[k]!;
        sum -= w * rx * Math.log(alpha + data.age[k]!);
        weights += w;
      }
    } else {
      const lRatio = Math.log(a) - Math.log(b + x - 1);
      for (let k = from; k < to; k++) {
        const w = data.weight[k]!;
        const a3 = -rx * Math.log(alpha + data.age[k]!);
        const a4 = lRatio - rx * Math.log(alpha + data.recency[k]!);
        sum += w * (a3 > a4 ? a3 + Math.log1p(Math.exp(a4 - a3)) : a4 + Math.log1p(Math.exp(a3 - a4)));
        weights += w;
      }
    }
    total += weights * common + sum;
  }
  return total;
}

export interface FitResult<P> {
  params: P;
  logLikelihood: number;
  iterations: number;
  evaluations: number;
}

/**
 * Maximum-likelihood fit: Nelder–Mead on (ln r, ln α, ln a, ln b) with restarts, from
 * r = a = b = 1 and α = the mean age T (so it does not depend on the time unit). Deterministic.
 */
export function fitBgNbd(data: BgNbdData | readonly RfmCustomer[], options: MinimizeOptions & { initial?: BgNbdParams } = {}): FitResult<BgNbdParams> {
  const prepared = Array.isArray(data) ? prepareBgNbd(data) : (data as BgNbdData);
  if (prepared.customers === 0) throw new RangeError('no customers to fit');
  let meanAge = 0;
  let totalWeight = 0;
  for (let k = 0; k < prepared.customers; k++) {
    meanAge += prepared.weight[k]! * prepared.age[k]!;
    totalWeight += prepared.weight[k]!;
  }
  meanAge /= totalWeight;
  const init = options.initial ?? { r: 1, alpha: meanAge, a: 1, b: 1 };
  const toParams = (v: number[]): BgNbdParams => ({ r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!) });
  const result = nelderMead((v) => -bgNbdLogLikelihood(toParams(v), prepared) / totalWeight, [init.r, init.alpha, init.a, init.b].map(Math.log), options);
  const params = toParams(result.x);
  return { params, logLikelihood: bgNbdLogLikelihood(params, prepared), iterations: result.iterations, evaluations: result.evaluations };
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) (paper eq. 11).
 * Exactly 1 for x = 0. Computed in logs so a large x cannot overflow.
 */
export function probabilityAlive(params: BgNbdParams, customer: RfmCustomer): number {
  const { r, alpha, a, b } = params;
  const x = customer.frequency;
  if (x === 0) return 1;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + customer.T) - Math.log(alpha + customer.recency));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * 1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z), z = t/(α+T+t).
 * By Euler's transformation ₂F₁(A,B;C;z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z), the product equals
 * (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z): upper parameters that do not grow with x, a lower
 * parameter that does, and no huge power to cancel. So the series is short and cannot overflow.
 */
function oneMinusH(params: BgNbdParams, x: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const f = hyp2f1Series(a + b - 1 - r, a - 1, a + b + x - 1, z);
  // 1 − e^((a−1) ln(1−z)) · f, with expm1 for accuracy when t is small. f can be negative only
  // when a + b + x − 1 < 0 (x = 0 and a + b < 1); then there is no cancellation to guard against.
  if (f > 0) return -Math.expm1((a - 1) * Math.log1p(-z) + Math.log(f));
  return 1 - Math.exp((a - 1) * Math.log1p(-z)) * f;
}

/**
 * E[Y(t) | x, t_x, T]: expected repeat purchases in the next t time units (paper eq. 10):
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive)
 * Undefined at a = 1 exactly (the limit exists; a fit never lands there exactly).
 */
export function expectedPurchases(params: BgNbdParams, customer: RfmCustomer, t: number): number {
  if (t <= 0) return 0;
  const { a, b } = params;
  const x = customer.frequency;
  return ((a + b + x - 1) / (a - 1)) * oneMinusH(params, x, customer.T, t) * probabilityAlive(params, customer);
}

/**
 * E[X(t)] for a customer just acquired (paper eq. 9):
 *   (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]
 * (eq. 10 with x = t_x = T = 0).
 */
export function expectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { a, b } = params;
  return ((a + b - 1) / (a - 1)) * oneMinusH(params, 0, 0, t);
}
