// Synthetic order logs drawn from BG/NBD (purchases) and Gamma-Gamma (spend), for scoring tests.
import { gammaSample, seededRandom, simulateBgNbd, type BgNbdParams, type GammaGammaParams } from '../../src/clv/index.ts';

export interface SimOrder {
  customer: number;
  orderId: string;
  date: string;
  amount: string;
}

/**
 * n customers from simulateBgNbd (weeks; first purchase at time 0, T up to maxT weeks before `end`);
 * given x repeat purchases with the last at t_x, the other x − 1 are uniform on (0, t_x), as in a
 * Poisson process. Times are rounded to days; each purchase's amount is Gamma(p, ν), ν ~ Gamma(q, v).
 */
export function simulateOrders(bg: BgNbdParams, gg: GammaGammaParams, n: number, seed: number, end: string, maxT = 52): SimOrder[] {
  const customers = simulateBgNbd(bg, n, seed, 1, maxT);
  const random = seededRandom(seed + 1);
  const endDay = Date.parse(`${end}T00:00:00Z`) / 86_400_000;
  const out: SimOrder[] = [];
  customers.forEach((c, i) => {
    const nu = gammaSample(random, gg.q) / gg.v;
    const times = [0];
    for (let k = 1; k < c.frequency; k++) times.push(random() * c.recency);
    if (c.frequency > 0) times.push(c.recency);
    const first = endDay - Math.round(c.T * 7);
    times.forEach((t, k) => {
      const day = Math.min(endDay, first + Math.round(t * 7));
      const amount = Math.max(0.01, gammaSample(random, gg.p) / nu);
      out.push({ customer: i, orderId: `SIM-${seed}-${i}-${k}`, date: new Date(day * 86_400_000).toISOString().slice(0, 10), amount: amount.toFixed(2) });
    });
  });
  return out;
}
