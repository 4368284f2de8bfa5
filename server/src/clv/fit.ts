// Both models fitted on one customer summary: what `hoorn clv fit` prints.
import { fitBgNbd, prepareBgNbd, type BgNbdParams, type RfmCustomer } from './bgnbd.ts';
import { fitGammaGamma, spendCustomers, type GammaGammaParams } from './gammagamma.ts';
import type { MinimizeOptions } from './optimize.ts';

export interface ClvFit {
  bgnbd: BgNbdParams & { logLikelihood: number };
  /** null when the summary has no spend, or no customer has repeat purchases with spend > 0. */
  gammaGamma: (GammaGammaParams & { logLikelihood: number; customers: number }) | null;
  customers: number;
}

export function fitClvModels(
  customers: readonly (RfmCustomer & { monetaryValue?: number })[],
  options: { onProgress?: (model: 'bgnbd' | 'gammaGamma', iteration: number, negLogLikelihoodPerCustomer: number) => void } & Pick<MinimizeOptions, 'tolerance'> = {},
): ClvFit {
  const bg = fitBgNbd(prepareBgNbd(customers), { tolerance: options.tolerance, onIteration: (i, v) => options.onProgress?.('bgnbd', i, v) });
  const withSpend = customers.every((c) => c.monetaryValue !== undefined)
    ? spendCustomers(customers.map((c) => ({ frequency: c.frequency, monetaryValue: c.monetaryValue! })))
    : [];
  const gg = withSpend.length > 0 ? fitGammaGamma(withSpend, { tolerance: options.tolerance, onIteration: (i, v) => options.onProgress?.('gammaGamma', i, v) }) : null;
  return {
    bgnbd: { ...bg.params, logLikelihood: bg.logLikelihood },
    gammaGamma: gg ? { ...gg.params, logLikelihood: gg.logLikelihood, customers: withSpend.length } : null,
    customers: customers.length,
  };
}
