// Gamma-Gamma model of spend per transaction: Fader, Hardie & Lee (2005), "RFM and CLV: Using
// Iso-Value Curves for Customer Base Analysis", JMR 42(4); likelihood as in Fader & Hardie (2013),
// "The Gamma-Gamma Model of Monetary Value" (note 025). A customer's transaction values are
// Gamma(p, ν) with ν ~ Gamma(q, γ) across customers; γ is called v here.
import type { FitResult } from './bgnbd.ts';
import { nelderMead, type MinimizeOptions } from './optimize.ts';
import { lgamma } from './special.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface SpendCustomer {
  /** Repeat purchases x (> 0 for customers in the fit). */
  frequency: number;
  /** Mean value of the repeat purchases, z̄ (> 0 for customers in the fit). */
  monetaryValue: number;
}

/** Only customers with x > 0 and z̄ > 0 carry information about spend; the others are skipped. */
export function spendCustomers<C extends SpendCustomer>(customers: readonly C[]): C[] {
  return customers.filter((c) => c.frequency > 0 && c.monetaryValue > 0);
}

/**
 * Log-likelihood of the observed mean spends (note 025, eq. 3, with the x^(px) z̄^(px−1) Jacobian):
 *   ln f(z̄ | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + px ln x + (px−1) ln z̄ − (px+q) ln(v + x z̄)
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, customers: readonly SpendCustomer[]): number {
  const { p, q, v } = params;
  if (!(p > 0 && q > 0 && v > 0)) return -Infinity;
  const lgQ = lgamma(q);
  const lV = Math.log(v);
  let total = 0;
  let lastX = -1;
  let gammaTerms = 0;
  for (const c of customers) {
    const x = c.frequency;
    const px = p * x;
    if (x !== lastX) {
      gammaTerms = lgamma(px + q) - lgamma(px) - lgQ + q * lV + px * Math.log(x);
      lastX = x;
    }
    total += gammaTerms + (px - 1) * Math.log(c.monetaryValue) - (px + q) * Math.log(v + x * c.monetaryValue);
  }
  return total;
}

/** Maximum-likelihood fit: Nelder–Mead on (ln p, ln q, ln v) with restarts, from p = q = 1, v = mean z̄. */
export function fitGammaGamma(customers: readonly SpendCustomer[], options: MinimizeOptions = {}): FitResult<GammaGammaParams> {
  const used = spendCustomers(customers).sort((c, d) => c.frequency - d.frequency);
  if (used.length === 0) throw new RangeError('no customers with repeat purchases and positive spend to fit');
  const meanSpend = used.reduce((s, c) => s + c.monetaryValue, 0) / used.length;
  const toParams = (w: number[]): GammaGammaParams => ({ p: Math.exp(w[0]!), q: Math.exp(w[1]!), v: Math.exp(w[2]!) });
  const result = nelderMead((w) => -gammaGammaLogLikelihood(toParams(w), used) / used.length, [0, 0, Math.log(meanSpend)], options);
  const params = toParams(result.x);
  return { params, logLikelihood: gammaGammaLogLikelihood(params, used), iterations: result.iterations, evaluations: result.evaluations };
}

/**
 * E(M | x, z̄) = p (v + x z̄) / (px + q − 1): the conditional expected average spend, a weighted mean
 * of the population mean p v / (q − 1) and the customer's own z̄. For x = 0 it is the population
 * mean. Needs q > 1 (otherwise the population mean spend is infinite).
 */
export function conditionalExpectedSpend(params: GammaGammaParams, customer: SpendCustomer): number {
  const { p, q, v } = params;
  if (!(q > 1)) throw new RangeError(`q must exceed 1 for a finite mean spend (got ${q})`);
  const x = customer.frequency > 0 && customer.monetaryValue > 0 ? customer.frequency : 0;
  return (p * (v + x * (x > 0 ? customer.monetaryValue : 0))) / (p * x + q - 1);
}
