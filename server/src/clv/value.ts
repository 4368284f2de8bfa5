// Expected customer lifetime value from a fitted BG/NBD and Gamma-Gamma model.
import { expectedPurchases, type BgNbdParams, type RfmCustomer } from './bgnbd.ts';
import { conditionalExpectedSpend, type GammaGammaParams, type SpendCustomer } from './gammagamma.ts';

export interface ClvOptions {
  /** Number of discounting periods in the horizon (e.g. 12 for a year of months). */
  periods: number;
  /** Length of one period in the data's time unit (a month is 4.345 weeks or 30.4375 days). */
  periodLength: number;
  /** Discount rate per period (e.g. 0.01 a month); 0 for none. */
  discountRate: number;
  /** Margin applied to spend (default 1: CLV in revenue). */
  margin?: number;
}

/** Weeks per month and days per month, for periodLength. */
export const MONTH_IN_WEEKS = 365.25 / 12 / 7;
export const MONTH_IN_DAYS = 365.25 / 12;

/**
 * CLV = margin · E(M | x, z̄) · Σ_{i=1..H} (E[Y(iΔ) | x, t_x, T] − E[Y((i−1)Δ) | x, t_x, T]) / (1 + d)^i
 * The expected purchases falling in period i, times the expected spend per purchase, discounted at
 * the end of that period. With d = 0 it equals margin · E(M) · E[Y(HΔ)].
 */
export function expectedClv(
  bgnbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customer: RfmCustomer & SpendCustomer,
  options: ClvOptions,
): number {
  const { periods, periodLength, discountRate } = options;
  if (!(periods >= 0 && Number.isInteger(periods))) throw new RangeError('periods must be a whole number >= 0');
  if (!(periodLength > 0)) throw new RangeError('periodLength must be positive');
  if (!(discountRate > -1)) throw new RangeError('discountRate must exceed -1');
  const spend = conditionalExpectedSpend(gammaGamma, customer) * (options.margin ?? 1);
  let previous = 0;
  let total = 0;
  for (let i = 1; i <= periods; i++) {
    const cumulative = expectedPurchases(bgnbd, customer, i * periodLength);
    total += (cumulative - previous) / Math.pow(1 + discountRate, i);
    previous = cumulative;
  }
  return spend * total;
}
