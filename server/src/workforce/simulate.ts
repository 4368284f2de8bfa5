// Seeded synthetic arrivals for tests and benchmarks: Poisson counts per interval whose mean is
// level(day) × weekday factor × intraday share. Deterministic for a given seed.
import { dayOfWeek, type DayCounts } from './forecast.ts';

/** mulberry32: a small 32-bit generator; uniforms in (0, 1). */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/**
 * One Poisson(mean) draw by inversion, searching outward from the mode with the ratio
 * p(k+1)/p(k) = mean/(k+1); O(√mean) steps, no factorials, fine for means up to ~10⁶.
 */
export function poisson(random: () => number, mean: number): number {
  if (!(mean >= 0)) throw new RangeError(`Poisson mean must be >= 0 (got ${mean})`);
  if (mean === 0) return 0;
  const mode = Math.floor(mean);
  // ln p(mode) by Stirling-free summation would be O(mode); use the log-gamma series instead.
  const logPMode = mode * Math.log(mean) - mean - logFactorial(mode);
  let u = random();
  const pMode = Math.exp(logPMode);
  // Walk alternately up and down from the mode, subtracting probabilities until u is used up.
  let up = mode;
  let down = mode;
  let pUp = pMode;
  let pDown = pMode;
  u -= pMode;
  if (u <= 0) return mode;
  for (;;) {
    pUp *= mean / (up + 1);
    up++;
    u -= pUp;
    if (u <= 0) return up;
    if (down > 0) {
      pDown *= down / mean;
      down--;
      u -= pDown;
      if (u <= 0) return down;
    }
    if (pUp < 1e-300 && (down === 0 || pDown < 1e-300)) return mode; // u landed in rounding dust
  }
}

function logFactorial(n: number): number {
  if (n < 20) {
    let s = 0;
    for (let k = 2; k <= n; k++) s += Math.log(k);
    return s;
  }
  // Stirling series, error < 1e-10 for n ≥ 20.
  const x = n + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
}

export interface SyntheticCentre {
  /** First date, YYYY-MM-DD. */
  start: string;
  /** Calendar days to cover; Saturdays and Sundays are skipped when weekdaysOnly. */
  calendarDays: number;
  weekdaysOnly?: boolean;
  /** Mean arrivals on day 0 (before weekday factor). */
  dailyMean: number;
  /** Relative growth of the level per calendar day (0.002 = 0.2 %). */
  growthPerDay?: number;
  /** Factor per getUTCDay (0 = Sunday .. 6). */
  weekday: readonly number[];
  /** Intraday shares (normalised here). */
  profile: readonly number[];
  /** Dates left out (closed). */
  closed?: ReadonlySet<string>;
}

/** Days of Poisson arrivals with weekly × intraday seasonality. */
export function simulateArrivals(spec: SyntheticCentre, seed: number): DayCounts[] {
  const random = seededUniform(seed);
  const total = spec.profile.reduce((s, x) => s + x, 0);
  const shares = spec.profile.map((x) => x / total);
  const startMs = Date.parse(`${spec.start}T00:00:00Z`);
  const out: DayCounts[] = [];
  for (let d = 0; d < spec.calendarDays; d++) {
    const date = new Date(startMs + d * 86_400_000).toISOString().slice(0, 10);
    const dow = dayOfWeek(date);
    if ((spec.weekdaysOnly ?? true) && (dow === 0 || dow === 6)) continue;
    if (spec.closed?.has(date)) continue;
    const level = spec.dailyMean * (1 + (spec.growthPerDay ?? 0)) ** d * spec.weekday[dow]!;
    out.push({ date, counts: shares.map((s) => poisson(random, level * s)) });
  }
  return out;
}
