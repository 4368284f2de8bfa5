// Synthetic customer summaries drawn from the BG/NBD model with a seeded PRNG, for benchmarks and
// parameter-recovery tests. Deterministic for a given seed.
import type { BgNbdParams, RfmCustomer } from './bgnbd.ts';
import type { GammaGammaParams } from './gammagamma.ts';
import type { ParetoNbdParams } from './paretonbd.ts';

/** sfc32-style 32-bit generator seeded by splitmix32; returns uniforms in (0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return (t + 0.5) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia & Tsang, with the shape < 1 boost. */
export function gammaSample(random: () => number, shape: number): number {
  if (shape < 1) return gammaSample(random, shape + 1) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * n customers: λ ~ Gamma(r, rate α), p ~ Beta(a, b), T uniform in [minT, maxT]; purchases at Poisson
 * rate λ, and after each purchase the customer drops out with probability p.
 */
export function simulateBgNbd(params: BgNbdParams, n: number, seed: number, minT = 1, maxT = 39): RfmCustomer[] {
  const random = seededRandom(seed);
  const out: RfmCustomer[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = gammaSample(random, params.r) / params.alpha;
    const g1 = gammaSample(random, params.a);
    const p = g1 / (g1 + gammaSample(random, params.b));
    const T = minT + (maxT - minT) * random();
    let time = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      time += -Math.log(random()) / lambda;
      if (time > T) break;
      x++;
      last = time;
      if (random() < p) break;
    }
    out[i] = { frequency: x, recency: last, T };
  }
  return out;
}

/**
 * n customers from the Pareto/NBD model: λ ~ Gamma(r, rate α), μ ~ Gamma(s, rate β), lifetime
 * exponential with rate μ, T uniform in [minT, maxT]; purchases at Poisson rate λ until the lifetime
 * or T ends, whichever comes first.
 */
export function simulateParetoNbd(params: ParetoNbdParams, n: number, seed: number, minT = 1, maxT = 39): RfmCustomer[] {
  const random = seededRandom(seed);
  const out: RfmCustomer[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = gammaSample(random, params.r) / params.alpha;
    const mu = gammaSample(random, params.s) / params.beta;
    const T = minT + (maxT - minT) * random();
    const end = Math.min(T, -Math.log(random()) / mu);
    let time = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      time += -Math.log(random()) / lambda;
      if (time > end) break;
      x++;
      last = time;
    }
    out[i] = { frequency: x, recency: last, T };
  }
  return out;
}

export interface SimOrder {
  customer: number;
  orderId: string;
  date: string;
  amount: string;
}

/**
 * A synthetic order log (tests and the demo workspace): n customers from simulateBgNbd (weeks; first purchase at time 0, T up to maxT weeks before `end`);
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
