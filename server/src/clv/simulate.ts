// Synthetic customer summaries drawn from the BG/NBD model with a seeded PRNG, for benchmarks and
// parameter-recovery tests. Deterministic for a given seed.
import type { BgNbdParams, RfmCustomer } from './bgnbd.ts';

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
export function simulateParetoNbd(params: import('./paretonbd.ts').ParetoNbdParams, n: number, seed: number, minT = 1, maxT = 39): RfmCustomer[] {
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
