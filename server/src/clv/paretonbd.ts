// Pareto/NBD model of repeat purchasing: Schmittlein, Morrison & Colombo (1987), "Counting Your
// Customers: Who Are They and What Will They Do Next?", Management Science 33(1); likelihood and
// expressions as in Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
// Expressions". While alive a customer buys at Poisson rate λ ~ Gamma(r, α); their lifetime is
// exponential with rate μ ~ Gamma(s, β), independent of λ. Customers are summarised by (x, t_x, T)
// exactly as for BG/NBD (see bgnbd.ts), so the grouped data (`prepareBgNbd`) is shared.
import { prepareBgNbd, type BgNbdData, type FitResult, type RfmCustomer } from './bgnbd.ts';
import { nelderMead, type MinimizeOptions } from './optimize.ts';
import { hyp2f1Series, lgamma, logAddExp } from './special.ts';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** Same layout as BG/NBD: customers grouped by frequency (the gamma terms depend on x only). */
export type ParetoNbdData = BgNbdData;
export const prepareParetoNbd: (customers: readonly RfmCustomer[], weights?: readonly number[]) => ParetoNbdData = prepareBgNbd;

/** ln(1 − e^d) for d ≤ 0 (Mächler's switch between log(−expm1) and log1p(−exp)); −∞ at d = 0. */
function log1mExp(d: number): number {
  if (d >= 0) return -Infinity;
  return d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d));
}

/**
 * ln G(y), where G(y) = (r+s+x) ∫_y^∞ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ, so that the note's
 * A₀ = G(t_x) − G(T). The note writes G with ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+y)) / (α+y)^(r+s+x)
 * for α ≥ β and ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+y)) / (β+y)^(r+s+x) for α < β. Euler's
 * transformation turns both into a ₂F₁ with first parameter 1:
 *   α ≥ β:  G(y) = (α+y)^−(r+x)   (β+y)^−s     ₂F₁(1, r+x; r+s+x+1; (α−β)/(α+y))
 *   α < β:  G(y) = (α+y)^−(r+x−1) (β+y)^−(s+1) ₂F₁(1, s+1; r+s+x+1; (β−α)/(β+y))
 * In both the series' terms are positive and each is less than z times the one before (the second
 * parameter is below the third), so nothing overflows or cancels for any x, and the powers are
 * taken in logs.
 */
function logG(r: number, alpha: number, s: number, beta: number, x: number, y: number): number {
  const rx = r + x;
  const la = Math.log(alpha + y);
  const lb = Math.log(beta + y);
  if (alpha >= beta) {
    const f = hyp2f1Series(1, rx, rx + s + 1, (alpha - beta) / (alpha + y));
    return -rx * la - s * lb + Math.log(f);
  }
  const f = hyp2f1Series(1, s + 1, rx + s + 1, (beta - alpha) / (beta + y));
  return -(rx - 1) * la - (s + 1) * lb + Math.log(f);
}

/**
 * The two log-likelihood pieces of one customer, without the constant ln Γ(r+x) − ln Γ(r) + r ln α + s ln β:
 *   alive = −(r+x) ln(α+T) − s ln(β+T)                 (alive at T)
 *   died  = ln(s/(r+s+x)) + ln A₀, A₀ = G(t_x) − G(T)  (dropped out between t_x and T; −∞ if t_x = T)
 */
function pieces(p: ParetoNbdParams, x: number, tx: number, T: number): { alive: number; died: number } {
  const { r, alpha, s, beta } = p;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  if (!(T > tx)) return { alive, died: -Infinity };
  return { alive, died: logDied(Math.log(s / (r + s + x)), logG(r, alpha, s, beta, x, tx), logG(r, alpha, s, beta, x, T)) };
}

/** ln(s/(r+s+x)) + ln(G(t_x) − G(T)). G is decreasing, so gT < gtx; rounding can break that only when t_x ≈ T, where A₀ ≈ 0. */
function logDied(logShare: number, gtx: number, gT: number): number {
  return logShare + gtx + log1mExp(Math.min(0, gT - gtx));
}

/**
 * Total log-likelihood (Fader & Hardie 2005 note; A₀ as in logG above):
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β
 *        + ln[ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ ]
 * The last term is a log-sum-exp of the two pieces above.
 */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: ParetoNbdData): number {
  const { r, alpha, s, beta } = params;
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return -Infinity;
  const lgR = lgamma(r);
  const constant = r * Math.log(alpha) + s * Math.log(beta);
  let total = 0;
  for (let g = 0; g < data.xs.length; g++) {
    const x = data.xs[g]!;
    const common = lgamma(r + x) - lgR + constant;
    const from = data.start[g]!;
    const to = data.start[g + 1]!;
    const rx = r + x;
    const logShare = Math.log(s / (rx + s));
    // Neighbouring customers often share T (same first-purchase day) or t_x (all x = 0 customers
    // have t_x = 0), so the last values are reused; each is a pure function of (params, x, T or t_x).
    let lastT = NaN, alive = 0, gT = 0;
    let lastTx = NaN, gtx = 0;
    let sum = 0;
    let weights = 0;
    for (let k = from; k < to; k++) {
      const w = data.weight[k]!;
      const T = data.age[k]!;
      const tx = data.recency[k]!;
      if (T !== lastT) {
        alive = -rx * Math.log(alpha + T) - s * Math.log(beta + T);
        gT = logG(r, alpha, s, beta, x, T);
        lastT = T;
      }
      let died = -Infinity;
      if (T > tx) {
        if (tx !== lastTx) {
          gtx = logG(r, alpha, s, beta, x, tx);
          lastTx = tx;
        }
        died = logDied(logShare, gtx, gT);
      }
      sum += w * logAddExp(alive, died);
      weights += w;
    }
    total += weights * common + sum;
  }
  return total;
}

/**
 * Maximum-likelihood fit: Nelder–Mead on (ln r, ln α, ln s, ln β) with restarts, from r = s = 1 and
 * α = β = the mean age T (so it does not depend on the time unit). Deterministic.
 */
export function fitParetoNbd(
  data: ParetoNbdData | readonly RfmCustomer[],
  options: MinimizeOptions & { initial?: ParetoNbdParams } = {},
): FitResult<ParetoNbdParams> {
  const prepared = Array.isArray(data) ? prepareParetoNbd(data) : (data as ParetoNbdData);
  if (prepared.customers === 0) throw new RangeError('no customers to fit');
  let meanAge = 0;
  let totalWeight = 0;
  for (let k = 0; k < prepared.customers; k++) {
    meanAge += prepared.weight[k]! * prepared.age[k]!;
    totalWeight += prepared.weight[k]!;
  }
  meanAge /= totalWeight;
  const init = options.initial ?? { r: 1, alpha: meanAge, s: 1, beta: meanAge };
  const toParams = (v: number[]): ParetoNbdParams => ({ r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), s: Math.exp(v[2]!), beta: Math.exp(v[3]!) });
  const result = nelderMead((v) => -paretoNbdLogLikelihood(toParams(v), prepared) / totalWeight, [init.r, init.alpha, init.s, init.beta].map(Math.log), options);
  const params = toParams(result.x);
  return { params, logLikelihood: paretoNbdLogLikelihood(params, prepared), iterations: result.iterations, evaluations: result.evaluations };
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀) (Fader & Hardie note): the share of
 * the likelihood that comes from "alive at T". Exactly 1 when t_x = T; below 1 otherwise, also for
 * x = 0 (unlike BG/NBD, a Pareto/NBD customer can drop out before any repeat purchase).
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, customer: RfmCustomer): number {
  const { alive, died } = pieces(params, customer.frequency, customer.recency, customer.T);
  if (died === -Infinity) return 1;
  return 1 / (1 + Math.exp(died - alive));
}

/** (1 − (1+u)^−k) / k for k ≠ 0, and its limit ln(1+u) at k = 0; accurate for small k·ln(1+u). */
function oneMinusPowerOverK(u: number, k: number): number {
  const l = Math.log1p(u);
  if (k === 0) return l;
  return -Math.expm1(-k * l) / k;
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t time units (Schmittlein et al. 1987; Fader & Hardie note):
 *   (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive | x, t_x, T)
 * written as (r+x)(β+T)/(α+T) · (1 − (1+t/(β+T))^−(s−1))/(s−1), which stays finite at s = 1
 * (limit (r+x)(β+T)/(α+T) · ln(1 + t/(β+T))).
 */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, customer: RfmCustomer, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = params;
  const { frequency: x, T } = customer;
  const alive = paretoNbdProbabilityAlive(params, customer);
  return (((r + x) * (beta + T)) / (alpha + T)) * oneMinusPowerOverK(t / (beta + T), s - 1) * alive;
}

/**
 * E[X(t)] for a customer just acquired (Fader & Hardie note):
 *   r β / (α (s−1)) · [1 − (β/(β+t))^(s−1)]
 * (the conditional expectation with x = t_x = T = 0, where P(alive) = 1).
 */
export function paretoNbdExpectedPurchasesNewCustomer(params: ParetoNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = params;
  return ((r * beta) / alpha) * oneMinusPowerOverK(t / beta, s - 1);
}
