// Arrival forecasts per interval from history, the naive baselines, and the backtest that scores
// them. Pure math: days come in as arrays, nothing is read here.
//
// Model (multiplicative, exponentially weighted; chosen over the baselines by measured error, see
// docs/workforce.md): the forecast for slot i of date d is
//   f(d, i) = L · W[dow(d)] · P[dow(d)][i]
// where L is the level of weekday-adjusted daily totals, W the day-of-week factor (mean 1 over the
// weekdays seen) and P the intraday profile (shares of the day's total, summing to 1). After each
// observed day (total Y, shares p):
//   L ← L + α_level · (Y / W[dow] − L)
//   W[dow] ← W[dow] + α_week · (Y / L_before − W[dow]), then W renormalised to mean 1
//   P[dow] ← P[dow] + α_profile · (p − P[dow]);  P_all likewise
// and the profile used is (1 − β)·P[dow] + β·P_all, smoothed across neighbouring intervals by a
// small triangular kernel, because a 5-minute share estimated from a few days is mostly Poisson
// noise. The published forecast blends in a quarter of the mean of the last four same weekdays
// (forecast combination; the weight, like the smoothing constants, was chosen on a validation
// window that precedes the reported backtest window).
//
// Calendar: only days present in the history are learnt from; a missing date (holiday, outage) is
// skipped, not read as zero, and the weights decay per observed day of that weekday. Dates listed
// in `holidays` are left out of learning even when present. A forecast for a holiday date is the
// ordinary forecast for its weekday: the caller decides to close or to scale it.

export interface DayCounts {
  /** YYYY-MM-DD (the centre's local calendar day). */
  date: string;
  /** Arrivals per interval, same length for every day. */
  counts: readonly number[];
}

/** Forecast the intervals of `date` from `history` (days strictly before `date`, oldest first). */
export type Forecaster = (history: readonly DayCounts[], date: string) => number[];

/** Day of the week of a YYYY-MM-DD date, 0 = Sunday (calendar arithmetic, no time zones). */
export function dayOfWeek(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`date must be YYYY-MM-DD (got ${date})`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function meanOf(days: readonly (readonly number[])[]): number[] {
  const out = new Array<number>(days[0]!.length).fill(0);
  for (const d of days) for (let i = 0; i < out.length; i++) out[i]! += d[i]! / days.length;
  return out;
}

function lastOrThrow(history: readonly DayCounts[], date: string): void {
  if (history.length === 0) throw new RangeError(`no history before ${date}`);
}

// --- Naive baselines (../shared/data/forecast/README.md) -------------------------------------

/** The most recent day in the history, slot by slot. */
export const previousDay: Forecaster = (history, date) => {
  lastOrThrow(history, date);
  return [...history[history.length - 1]!.counts];
};

/**
 * The same weekday one week earlier. If that date is missing (a holiday), the most recent earlier
 * day of the same weekday; if there is none, the previous day.
 */
export const sameWeekdayLastWeek: Forecaster = (history, date) => {
  lastOrThrow(history, date);
  const dow = dayOfWeek(date);
  for (let i = history.length - 1; i >= 0; i--) {
    const d = history[i]!;
    if (dayOfWeek(d.date) === dow && daysBetween(d.date, date) >= 7) return [...d.counts];
  }
  return previousDay(history, date);
};

/** Mean of the last `n` days of the same weekday present in the history (fewer if there are fewer). */
export function meanOfSameWeekdays(n: number): Forecaster {
  return (history, date) => {
    lastOrThrow(history, date);
    const dow = dayOfWeek(date);
    const picked: (readonly number[])[] = [];
    for (let i = history.length - 1; i >= 0 && picked.length < n; i--) if (dayOfWeek(history[i]!.date) === dow) picked.push(history[i]!.counts);
    return picked.length > 0 ? meanOf(picked) : previousDay(history, date);
  };
}

/** Mean of the last `n` days present in the history, whatever their weekday. */
export function meanOfLastDays(n: number): Forecaster {
  return (history, date) => {
    lastOrThrow(history, date);
    return meanOf(history.slice(-n).map((d) => d.counts));
  };
}

/** The four baselines of the data README, by name. */
export const NAIVE_BASELINES: readonly { name: string; forecaster: Forecaster }[] = [
  { name: 'previous day, same slot', forecaster: previousDay },
  { name: 'same weekday last week, same slot', forecaster: sameWeekdayLastWeek },
  { name: 'mean of last 4 same weekdays', forecaster: meanOfSameWeekdays(4) },
  { name: 'mean of last 20 days', forecaster: meanOfLastDays(20) },
];

// --- The forecaster ---------------------------------------------------------------------------

export interface SeasonalParams {
  /** Smoothing of the weekday-adjusted daily level. */
  alphaLevel: number;
  /** Smoothing of the day-of-week factors (per observed day of that weekday). */
  alphaWeek: number;
  /** Smoothing of the intraday profiles. */
  alphaProfile: number;
  /** Weight of the pooled profile in the one used, 0 (weekday only) .. 1 (pooled only). */
  poolProfile: number;
  /**
   * Half-width h of the triangular kernel that smooths the profile across neighbouring intervals
   * (weights h+1−|k| for |k| ≤ h, renormalised to keep the day's total); 0 = none. Lets the
   * profile adapt fast without chasing each interval's Poisson noise.
   */
  smoothSlots?: number;
  /**
   * Weight w of the mean of the last four same weekdays blended into the forecast:
   * (1 − w)·model + w·mean4 (a forecast combination; the mean reacts to the last month's level and
   * shape with equal weights, which the exponential weights do not). 0 = the model alone.
   */
  combineWeight?: number;
  /** Days that are not learnt from (YYYY-MM-DD). */
  holidays?: ReadonlySet<string>;
}

/**
 * Defaults chosen on bank_calls by the backtest on the 20 days BEFORE the reported last 20 (a
 * validation window), so the reported figures are out of sample; see docs/workforce.md.
 */
export const DEFAULT_SEASONAL_PARAMS: SeasonalParams = { alphaLevel: 0.9, alphaWeek: 0.05, alphaProfile: 0.1, poolProfile: 0, smoothSlots: 2, combineWeight: 0.25 };

export interface SeasonalState {
  level: number;
  week: number[]; // 7 factors, by getUTCDay
  seen: boolean[]; // weekdays observed
  profile: number[][]; // 7 profiles
  pooled: number[];
  days: number;
}

function shares(counts: readonly number[], total: number): number[] {
  return total > 0 ? counts.map((c) => c / total) : counts.map(() => 1 / counts.length);
}

/** Runs the smoothing over the history (oldest first) and returns the state after the last day. */
export function fitSeasonal(history: readonly DayCounts[], params: SeasonalParams = DEFAULT_SEASONAL_PARAMS): SeasonalState {
  const used = history.filter((d) => !params.holidays?.has(d.date));
  if (used.length === 0) throw new RangeError('no history to fit');
  const slots = used[0]!.counts.length;
  for (const d of used) if (d.counts.length !== slots) throw new RangeError(`day ${d.date} has ${d.counts.length} intervals, expected ${slots}`);
  // Start: level = mean total of the first (up to) five days; flat week; profiles = their mean shares.
  const start = used.slice(0, 5);
  const pooled = meanOf(start.map((d) => shares(d.counts, sum(d.counts))));
  const state: SeasonalState = {
    level: sum(start.map((d) => sum(d.counts))) / start.length,
    week: new Array<number>(7).fill(1),
    seen: new Array<boolean>(7).fill(false),
    profile: Array.from({ length: 7 }, () => [...pooled]),
    pooled,
    days: 0,
  };
  for (const d of used) updateSeasonal(state, d, params);
  return state;
}

/** One observed day into the state. */
export function updateSeasonal(state: SeasonalState, day: DayCounts, params: SeasonalParams): void {
  const dow = dayOfWeek(day.date);
  const total = sum(day.counts);
  const p = shares(day.counts, total);
  const before = state.level;
  if (!state.seen[dow]) {
    // First sighting of a weekday: take its ratio outright rather than smoothing from 1.
    state.week[dow] = total / before;
    state.seen[dow] = true;
  } else {
    state.week[dow] = state.week[dow]! + params.alphaWeek * (total / before - state.week[dow]!);
  }
  const seenFactors = state.week.filter((_, i) => state.seen[i]);
  const mean = sum(seenFactors) / seenFactors.length;
  for (let i = 0; i < 7; i++) if (state.seen[i]) state.week[i] = state.week[i]! / mean;
  state.level = before + params.alphaLevel * (total / state.week[dow]! - before);
  const prof = state.profile[dow]!;
  for (let i = 0; i < p.length; i++) {
    prof[i] = prof[i]! + params.alphaProfile * (p[i]! - prof[i]!);
    state.pooled[i] = state.pooled[i]! + params.alphaProfile * (p[i]! - state.pooled[i]!);
  }
  state.days++;
}

/** f(d, i) = L · W[dow] · ((1 − β) P[dow][i] + β P_all[i]). */
export function forecastFromState(state: SeasonalState, date: string, params: SeasonalParams = DEFAULT_SEASONAL_PARAMS): number[] {
  const dow = dayOfWeek(date);
  const total = state.level * (state.seen[dow] ? state.week[dow]! : 1);
  const prof = state.profile[dow]!;
  const b = params.poolProfile;
  const mixed = smoothProfile(state.pooled.map((pool, i) => (1 - b) * prof[i]! + b * pool), params.smoothSlots ?? 0);
  return mixed.map((share) => total * share);
}

/** Triangular-kernel smoothing of shares, renormalised to sum 1; the ends use the weights that fit. */
export function smoothProfile(shares: readonly number[], halfWidth: number): number[] {
  if (halfWidth <= 0) return [...shares];
  const out = shares.map((_, i) => {
    let s = 0;
    let w = 0;
    for (let k = -halfWidth; k <= halfWidth; k++) {
      const j = i + k;
      if (j < 0 || j >= shares.length) continue;
      const weight = halfWidth + 1 - Math.abs(k);
      s += weight * shares[j]!;
      w += weight;
    }
    return s / w;
  });
  const total = sum(out);
  return out.map((v) => v / total);
}

/** The product's forecaster as a Forecaster (fits on the whole history each call). */
export function seasonalForecaster(params: SeasonalParams = DEFAULT_SEASONAL_PARAMS): Forecaster {
  const mean4 = meanOfSameWeekdays(4);
  return (history, date) => {
    const model = forecastFromState(fitSeasonal(history, params), date, params);
    const w = params.combineWeight ?? 0;
    if (w === 0) return model;
    const learnt = params.holidays ? history.filter((d) => !params.holidays!.has(d.date)) : history;
    const recent = mean4(learnt, date);
    return model.map((v, i) => (1 - w) * v + w * recent[i]!);
  };
}

// --- Backtest ---------------------------------------------------------------------------------

export interface ErrorFigures {
  /** Σ|actual − forecast| / Σ actual over every bucket of every test day. */
  wape: number;
  /** Mean over buckets with actual > 0 of |actual − forecast| / actual. */
  mape: number;
  /** Buckets left out of MAPE because their actual is 0. */
  zeroBuckets: number;
}

export interface BacktestResult {
  testDates: string[];
  /** By aggregation: key = slots per bucket (1 = the data's own interval, 6 = 30 min on 5-min data). */
  byAggregation: Map<number, ErrorFigures>;
  /** Mean over test days of |Σ actual − Σ forecast| / Σ actual. */
  dailyTotalApe: number;
}

/**
 * Sums consecutive runs of `size` slots into buckets; an incomplete trailing bucket is dropped, since
 * it is not an interval of that length (169 five-minute slots from 07:00 give 28 half-hours, and
 * the lone 21:00 slot is not one). This is the convention that reproduces the baseline table of the
 * data README to the digits it prints.
 */
export function aggregate(values: readonly number[], size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + size <= values.length; i += size) {
    let s = 0;
    for (let j = i; j < Math.min(i + size, values.length); j++) s += values[j]!;
    out.push(s);
  }
  return out;
}

/** WAPE and MAPE of paired buckets. */
export function errorFigures(actual: readonly number[], forecast: readonly number[]): ErrorFigures {
  if (actual.length !== forecast.length) throw new RangeError('actual and forecast differ in length');
  let absErr = 0;
  let total = 0;
  let ape = 0;
  let counted = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = Math.abs(a - forecast[i]!);
    absErr += e;
    total += a;
    if (a > 0) {
      ape += e / a;
      counted++;
    }
  }
  return { wape: absErr / total, mape: counted > 0 ? ape / counted : NaN, zeroBuckets: actual.length - counted };
}

/**
 * Rolling-origin backtest: each of the last `testDays` days is forecast from all days before it
 * (one day ahead), and the errors are pooled over the test days as the data README defines them.
 */
export function backtest(days: readonly DayCounts[], forecaster: Forecaster, options: { testDays: number; aggregations?: readonly number[] }): BacktestResult {
  const { testDays } = options;
  const aggregations = options.aggregations ?? [1];
  if (!(testDays >= 1 && testDays < days.length)) throw new RangeError(`need 1 <= testDays < ${days.length} (got ${testDays})`);
  const actual = new Map<number, number[]>(aggregations.map((a) => [a, []]));
  const predicted = new Map<number, number[]>(aggregations.map((a) => [a, []]));
  const testDates: string[] = [];
  let dailyApe = 0;
  for (let t = days.length - testDays; t < days.length; t++) {
    const day = days[t]!;
    const f = forecaster(days.slice(0, t), day.date);
    if (f.length !== day.counts.length) throw new RangeError(`forecast for ${day.date} has ${f.length} intervals, expected ${day.counts.length}`);
    for (const a of aggregations) {
      actual.get(a)!.push(...aggregate(day.counts, a));
      predicted.get(a)!.push(...aggregate(f, a));
    }
    const y = sum(day.counts);
    dailyApe += Math.abs(y - sum(f)) / y;
    testDates.push(day.date);
  }
  return {
    testDates,
    byAggregation: new Map(aggregations.map((a) => [a, errorFigures(actual.get(a)!, predicted.get(a)!)])),
    dailyTotalApe: dailyApe / testDays,
  };
}

/**
 * Days from interval rows (start time as `YYYY-MM-DDTHH:MM…`, count): grouped by the date part,
 * slots ordered by time. Every day must have the same set of slot times; days in the data with
 * missing slots are refused rather than padded.
 */
export function daysFromIntervals(rows: readonly { start: string; count: number }[]): DayCounts[] {
  const byDate = new Map<string, { time: string; count: number }[]>();
  for (const r of rows) {
    const date = r.start.slice(0, 10);
    const list = byDate.get(date) ?? [];
    list.push({ time: r.start.slice(11, 16), count: r.count });
    byDate.set(date, list);
  }
  const dates = [...byDate.keys()].sort();
  const days = dates.map((date) => ({ date, counts: byDate.get(date)!.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)).map((s) => s.count) }));
  const slots = days[0]?.counts.length ?? 0;
  for (const d of days) if (d.counts.length !== slots) throw new RangeError(`day ${d.date} has ${d.counts.length} intervals, expected ${slots}`);
  return days;
}
