export type ValueTier = 'platinum' | 'gold' | 'silver' | 'bronze' | 'none';
export const VALUE_TIERS: readonly ValueTier[] = ['platinum', 'gold', 'silver', 'bronze', 'none'];

export interface ClvModel {
  id: string;
  version: number;
  fittedAt: string;
  customers: number;
  logLikelihood: number;
  /** { bgnbd: {r, alpha, a, b}, gammaGamma: {p, q, v}, clv: {currency, …}, … } */
  parameters: Record<string, unknown>;
}

export interface CustomerValue {
  customerId: string;
  scored: boolean;
  valueTier: ValueTier | null;
  churnRisk: number | null;
  pAlive: number | null;
  expectedPurchases52w: number | null;
  clv: number | null;
  modelVersion: number | null;
  scoredAt: string | null;
  orders: number;
  currency?: string | null;
}

export interface AtRiskCustomer {
  id: string;
  name: string | null;
  email: string | null;
  valueTier: ValueTier;
  clv: number;
  churnRisk: number;
  pAlive: number | null;
  valueAtRisk: number;
}

export interface ClvOverview {
  model: ClvModel | null;
  tiers: Record<ValueTier, number>;
  clvHistogram: Array<{ from: number; to: number; count: number }>;
  atRisk: AtRiskCustomer[];
}
