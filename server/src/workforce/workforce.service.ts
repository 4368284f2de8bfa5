// Workforce planning over a workspace's own history (docs/workforce.md): arrivals forecast per
// demand stream with its backtest, the staffing curve that meets targets, a simulation scenario
// built from the workspace, and simulations run in the background under a lease.
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { getAnalyticsSettings, localDay } from '../analytics/facts.store.ts';
import { localToInstant } from '../analytics/sla.calendar.ts';
import { defaultCalendar } from '../analytics/sla.store.ts';
import { badRequest, conflict, notFound } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import type { DbOrTx } from '../platform/db/client.ts';
import { localTime } from '../routing/engine/hours.ts';
import type { OpeningHours } from '../routing/engine/model.ts';
import * as routingStore from '../routing/routing.store.ts';
import { CentreSimulation } from './des.ts';
import { dayOfWeek, errorFigures, NAIVE_BASELINES, backtest as runBacktest, seasonalForecaster, type DayCounts } from './forecast.ts';
import { parseScenario, ScenarioError, type AgentGroup, type DemandStream, type Scenario } from './scenario.ts';
import { SERVICE_LEVEL_CONVENTION } from './erlangA.ts';
import { staffingCurve, type QueueModel, type StaffingTargets } from './staffing.ts';
import * as store from './workforce.store.ts';

// ---------------------------------------------------------------- dates

/** YYYY-MM-DD plus n days (calendar arithmetic). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

const hhmmOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** Whether opening hours keep a queue closed the whole of a local date. */
function closedAllDay(hours: OpeningHours | null | undefined, date: string): boolean {
  if (!hours) return false;
  if (hours.closedOn?.includes(date)) return true;
  return !(hours.week[String(dayOfWeek(date)) as keyof OpeningHours['week']]?.length);
}

/** The holidays of the workspace's default business calendar mark forecast days and leave history days out. */
async function defaultHolidays(db: DbOrTx, workspaceId: string): Promise<Map<string, string>> {
  const calendar = await defaultCalendar(db, workspaceId);
  return new Map((calendar?.holidays ?? []).map((h) => [h.date, h.name || h.date]));
}

// ---------------------------------------------------------------- forecast

export interface ForecastQuery {
  /** First forecast day (local); default tomorrow. */
  from?: string;
  days: number;
  intervalMinutes: 15 | 30;
  /** Weeks of history before `from` (or before today, if `from` lies ahead). */
  weeks: number;
}

export interface ForecastInterval {
  start: string;
  forecast: number;
}

export interface BacktestSummary {
  method: 'seasonal';
  testDays: number;
  wape: number | null;
  mape: number | null;
  dailyTotalApe: number | null;
  baselines: Array<{ name: string; wape: number | null; mape: number | null }>;
  perInterval: Array<{ slot: string; wape: number | null; mape: number | null }>;
}

export interface ForecastStream {
  id: string;
  channel: string;
  queueId: string;
  queueName: string | null;
  handleTimeSeconds: number | null;
  handleTimeCv: number | null;
  patienceSeconds: number | null;
  abandonRate: number | null;
  days: Array<{ date: string; holiday: string | null; total: number; intervals: ForecastInterval[] }>;
  backtest: BacktestSummary | null;
}

export interface Forecast {
  timeZone: string;
  intervalMinutes: number;
  from: string;
  days: number;
  historyDays: number;
  streams: ForecastStream[];
}

/** Fewer history days than this (first arrival to the end of the history) give no backtest. */
const MIN_BACKTEST_SPAN_DAYS = 21;
/** The backtest forecasts the days of the last two weeks of history, one day ahead each. */
const BACKTEST_WINDOW_DAYS = 14;

/** The history of one stream as days × local slots, and the window it was read from. */
interface StreamHistory {
  channel: string;
  queueId: string;
  /** From the stream's first day with arrivals to the end of the history, holidays left out. */
  days: DayCounts[];
}

export async function forecastArrivals(p: Platform, workspaceId: string, query: ForecastQuery): Promise<Forecast> {
  const { timeZone } = await getAnalyticsSettings(p.db, workspaceId);
  const today = localDay(p.clock.now(), timeZone);
  const from = query.from ?? addDays(today, 1);
  const interval = query.intervalMinutes;
  const slots = (24 * 60) / interval;
  const historyEnd = from < today ? from : today;
  const historyStart = addDays(historyEnd, -7 * query.weeks);
  const window = { from: new Date(localToInstant(historyStart, 0, timeZone)), to: new Date(localToInstant(historyEnd, 0, timeZone)) };

  const holidays = await defaultHolidays(p.db, workspaceId);
  const queues = new Map((await routingStore.listQueues(p.db, workspaceId)).map((q) => [q.id, q]));
  const histories = await readHistories(p.db, workspaceId, window, { timeZone, interval, historyStart, historyEnd, holidays });
  const handle = new Map((await store.handleTimeStats(p.db, workspaceId, window.from, window.to)).map((h) => [`${h.channel}:${h.queueId}`, h]));
  const waiting = new Map((await store.waitingStats(p.db, workspaceId, window.from, window.to)).map((w) => [`${w.channel}:${w.queueId}`, w]));
  const allQueuesClosed = (date: string) => queues.size > 0 && [...queues.values()].every((q) => closedAllDay(q.hours, date));

  const dates = Array.from({ length: query.days }, (_, i) => addDays(from, i));
  const streams: ForecastStream[] = [];
  for (const [id, history] of [...histories].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const queue = queues.get(history.queueId);
    const h = handle.get(id);
    const w = waiting.get(id);
    // Days without a single arrival are closed days (or outages): left out of the fit, as the
    // forecaster expects gaps; a weekday closed on every one of its history days stays closed.
    const learnt = history.days.filter((d) => d.counts.some((c) => c > 0));
    const forecaster = seasonalForecaster();
    const days = dates.map((date) => {
      const holiday = holidays.get(date) ?? null;
      const sameWeekday = history.days.filter((d) => dayOfWeek(d.date) === dayOfWeek(date));
      const weekdayClosed = sameWeekday.length > 0 && sameWeekday.every((d) => d.counts.every((c) => c === 0));
      const closed = closedAllDay(queue?.hours, date) || (holiday !== null && allQueuesClosed(date)) || weekdayClosed || learnt.length === 0;
      const counts = closed ? new Array<number>(slots).fill(0) : forecaster(learnt, date);
      const intervals = counts.map((value, slot) => {
        const start = localToInstant(date, slot * interval, timeZone);
        // A slot the clocks skip (spring forward) does not happen: nothing arrives in it.
        const happens = localTime(start, timeZone).hhmm === hhmmOf(slot * interval);
        return { start: new Date(start).toISOString(), forecast: happens ? round(Math.max(0, value)) : 0 };
      });
      return { date, holiday, total: round(intervals.reduce((s, x) => s + x.forecast, 0)), intervals };
    });
    const span = history.days.length === 0 ? 0 : daysBetweenDates(history.days[0]!.date, historyEnd);
    streams.push({
      id,
      channel: history.channel,
      queueId: history.queueId,
      queueName: queue?.name ?? null,
      handleTimeSeconds: h && h.n > 0 ? round(h.meanSeconds) : null,
      handleTimeCv: h && h.n >= 2 && h.meanSeconds > 0 && h.sdSeconds !== null ? round(h.sdSeconds / h.meanSeconds, 4) : null,
      patienceSeconds: w && w.abandoned > 0 ? round(w.waitSeconds / w.abandoned) : null,
      abandonRate: w && w.finished > 0 ? round(w.abandoned / w.finished, 4) : null,
      days,
      backtest: span >= MIN_BACKTEST_SPAN_DAYS ? backtestStream(learnt, addDays(historyEnd, -BACKTEST_WINDOW_DAYS), interval) : null,
    });
  }
  return { timeZone, intervalMinutes: interval, from, days: query.days, historyDays: 7 * query.weeks, streams };
}

function daysBetweenDates(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Reads arrivals and folds UTC quarter hours into local days × slots, per stream. */
async function readHistories(
  db: DbOrTx,
  workspaceId: string,
  window: { from: Date; to: Date },
  o: { timeZone: string; interval: number; historyStart: string; historyEnd: string; holidays: Map<string, string> },
): Promise<Map<string, StreamHistory>> {
  const slots = (24 * 60) / o.interval;
  const rows = await store.arrivalsByQuarter(db, workspaceId, window.from, window.to);
  const byStream = new Map<string, { channel: string; queueId: string; byDate: Map<string, number[]> }>();
  for (const row of rows) {
    const id = `${row.channel}:${row.queueId}`;
    let stream = byStream.get(id);
    if (!stream) byStream.set(id, (stream = { channel: row.channel, queueId: row.queueId, byDate: new Map() }));
    // The local wall clock decides the slot, so 09:10 is the 09:00 slot in summer and in winter; on
    // the autumn change the repeated hour's arrivals fall in the same slots.
    const local = localTime(row.bucketMs, o.timeZone);
    const minutes = Number(local.hhmm.slice(0, 2)) * 60 + Number(local.hhmm.slice(3, 5));
    let counts = stream.byDate.get(local.date);
    if (!counts) stream.byDate.set(local.date, (counts = new Array<number>(slots).fill(0)));
    counts[Math.floor(minutes / o.interval)]! += row.count;
  }
  const out = new Map<string, StreamHistory>();
  for (const [id, stream] of byStream) {
    const first = [...stream.byDate.keys()].sort()[0]!;
    const days: DayCounts[] = [];
    for (let date = first; date < o.historyEnd; date = addDays(date, 1)) {
      if (o.holidays.has(date)) continue;
      days.push({ date, counts: stream.byDate.get(date) ?? new Array<number>(slots).fill(0) });
    }
    out.set(id, { channel: stream.channel, queueId: stream.queueId, days });
  }
  return out;
}

/** One-day-ahead backtest over the learnt days on or after `testFrom`, with the naive baselines. */
function backtestStream(learnt: DayCounts[], testFrom: string, interval: number): BacktestSummary | null {
  const firstTest = learnt.findIndex((d) => d.date >= testFrom);
  if (firstTest < 1) return null;
  const testDays = learnt.length - firstTest;
  const forecaster = seasonalForecaster();
  const actual: number[] = [];
  const predicted: number[] = [];
  const slots = learnt[0]!.counts.length;
  const bySlot = Array.from({ length: slots }, () => ({ actual: [] as number[], predicted: [] as number[] }));
  let dailyApe = 0;
  for (let t = firstTest; t < learnt.length; t++) {
    const day = learnt[t]!;
    const f = forecaster(learnt.slice(0, t), day.date);
    actual.push(...day.counts);
    predicted.push(...f);
    for (let s = 0; s < slots; s++) {
      bySlot[s]!.actual.push(day.counts[s]!);
      bySlot[s]!.predicted.push(f[s]!);
    }
    const y = day.counts.reduce((a, b) => a + b, 0);
    dailyApe += Math.abs(y - f.reduce((a, b) => a + b, 0)) / y;
  }
  const overall = errorFigures(actual, predicted);
  const baselines = NAIVE_BASELINES.map(({ name, forecaster: baseline }) => {
    const figures = runBacktest(learnt, baseline, { testDays }).byAggregation.get(1)!;
    return { name, wape: finiteOrNull(round(figures.wape, 4)), mape: finiteOrNull(round(figures.mape, 4)) };
  });
  const perInterval = bySlot.flatMap((s, slot) => {
    if (!s.actual.some((a) => a > 0)) return [];
    const figures = errorFigures(s.actual, s.predicted);
    return [{ slot: hhmmOf(slot * interval), wape: finiteOrNull(round(figures.wape, 4)), mape: finiteOrNull(round(figures.mape, 4)) }];
  });
  return {
    method: 'seasonal',
    testDays,
    wape: finiteOrNull(round(overall.wape, 4)),
    mape: finiteOrNull(round(overall.mape, 4)),
    dailyTotalApe: finiteOrNull(round(dailyApe / testDays, 4)),
    baselines,
    perInterval,
  };
}

// ---------------------------------------------------------------- staffing

export const chatLikeChannels = ['webchat', 'chat', 'whatsapp', 'messenger', 'instagram', 'sms'];
export const backlogChannels = ['email', 'x', 'youtube'];

/** Contacts one agent handles at once by default: 1 for calls, 3 for chats, 5 for e-mail and posts. */
export function defaultConcurrency(channel: string): number {
  if (chatLikeChannels.includes(channel)) return 3;
  if (backlogChannels.includes(channel)) return 5;
  return 1;
}

export interface StaffingRequest {
  from?: string;
  days: number;
  intervalMinutes: 15 | 30;
  weeks: number;
  targets: { serviceLevel: number; withinSeconds: number; maxOccupancy?: number; maxAbandonRate?: number; maxAsaSeconds?: number };
  shrinkage: number;
  model: 'auto' | 'erlangC' | 'erlangA';
  streams?: Record<string, { concurrency?: number; handleTimeSeconds?: number; patienceSeconds?: number }>;
}

export interface StaffingPlan {
  serviceLevelConvention: typeof SERVICE_LEVEL_CONVENTION;
  timeZone: string;
  from: string;
  days: number;
  intervalMinutes: number;
  streams: Array<{
    id: string;
    channel: string;
    queueId: string;
    queueName: string | null;
    model: 'erlangA' | 'erlangC';
    concurrency: number;
    handleTimeSeconds: number;
    patienceSeconds: number | null;
    intervals: Array<{ start: string; arrivals: number; agents: number; scheduled: number; serviceLevel: number; meanWaitSeconds: number; occupancy: number; abandonRate: number | null }>;
  }>;
  /** Streams left out, and why (no handle time in the history and none given). */
  skipped: Array<{ id: string; reason: string }>;
  total: Array<{ start: string; agents: number; scheduled: number }>;
  peak: { start: string; scheduled: number } | null;
}

export async function staffingPlan(p: Platform, workspaceId: string, request: StaffingRequest): Promise<StaffingPlan> {
  const forecast = await forecastArrivals(p, workspaceId, { from: request.from, days: request.days, intervalMinutes: request.intervalMinutes, weeks: request.weeks });
  const overrides = request.streams ?? {};
  const known = new Set(forecast.streams.map((s) => s.id));
  const unknown = Object.keys(overrides).filter((id) => !known.has(id));
  if (unknown.length) {
    throw badRequest('unknown_stream', `streams: no demand stream ${unknown.map((id) => `"${id}"`).join(', ')} in the history (known: ${[...known].join(', ') || 'none'})`, unknown.map((id) => ({ path: `streams.${id}`, message: 'unknown stream' })));
  }
  const t = request.targets;
  const targets: StaffingTargets = {
    serviceLevel: { target: t.serviceLevel, withinSeconds: t.withinSeconds },
    ...(t.maxOccupancy !== undefined ? { maxOccupancy: t.maxOccupancy } : {}),
    ...(t.maxAbandonRate !== undefined ? { maxAbandon: t.maxAbandonRate } : {}),
    ...(t.maxAsaSeconds !== undefined ? { maxMeanWaitSeconds: t.maxAsaSeconds } : {}),
  };
  const streams: StaffingPlan['streams'] = [];
  const skipped: StaffingPlan['skipped'] = [];
  const problems: Array<{ path: string; message: string }> = [];
  for (const stream of forecast.streams) {
    const override = overrides[stream.id] ?? {};
    const aht = override.handleTimeSeconds ?? stream.handleTimeSeconds;
    if (aht === null || !(aht > 0)) {
      skipped.push({ id: stream.id, reason: 'no answered contacts in the history to measure handle time; give streams[id].handleTimeSeconds' });
      continue;
    }
    const patience = override.patienceSeconds ?? stream.patienceSeconds;
    const kind = request.model === 'auto' ? (patience !== null ? 'erlangA' : 'erlangC') : request.model;
    if (kind === 'erlangA' && patience === null) {
      problems.push({ path: `streams.${stream.id}.patienceSeconds`, message: `stream "${stream.id}" has no abandoned contacts in its history, so Erlang A needs its patienceSeconds (or use model erlangC or auto)` });
      continue;
    }
    const model: QueueModel = kind === 'erlangA' ? { kind, patienceSeconds: patience! } : { kind: 'erlangC' };
    const concurrency = override.concurrency ?? defaultConcurrency(stream.channel);
    const intervals = stream.days.flatMap((d) => d.intervals);
    let curve;
    try {
      curve = staffingCurve(intervals.map((i) => ({ contacts: i.forecast, ahtSeconds: aht })), { intervalSeconds: forecast.intervalMinutes * 60, targets, model, concurrency, shrinkage: request.shrinkage });
    } catch (error) {
      if (error instanceof RangeError) throw badRequest('staffing_failed', `stream "${stream.id}": ${error.message}`);
      throw error;
    }
    streams.push({
      id: stream.id,
      channel: stream.channel,
      queueId: stream.queueId,
      queueName: stream.queueName,
      model: kind,
      concurrency,
      handleTimeSeconds: aht,
      patienceSeconds: kind === 'erlangA' ? patience : null,
      intervals: curve.map((r, i) => ({
        start: intervals[i]!.start,
        arrivals: intervals[i]!.forecast,
        agents: r.agents,
        scheduled: r.scheduled,
        serviceLevel: round(r.serviceLevel, 4),
        meanWaitSeconds: round(r.meanWaitSeconds, 2),
        occupancy: round(r.occupancy, 4),
        abandonRate: kind === 'erlangA' ? round(r.probabilityOfAbandon, 4) : null,
      })),
    });
  }
  if (problems.length) throw badRequest('patience_needed', problems.map((x) => x.message).join('; '), problems);
  // Intervals line up by position (every stream has the same days and slots); the start of a slot
  // skipped by the clocks repeats the next one's, so positions, not starts, are summed.
  const slotCount = forecast.days * ((24 * 60) / forecast.intervalMinutes);
  const total = Array.from({ length: forecast.streams[0] ? slotCount : 0 }, (_, i) => ({
    start: forecast.streams[0]!.days.flatMap((d) => d.intervals)[i]!.start,
    agents: streams.reduce((s, x) => s + x.intervals[i]!.agents, 0),
    scheduled: streams.reduce((s, x) => s + x.intervals[i]!.scheduled, 0),
  }));
  const peak = total.reduce<{ start: string; scheduled: number } | null>((best, x) => (!best || x.scheduled > best.scheduled ? { start: x.start, scheduled: x.scheduled } : best), null);
  return { serviceLevelConvention: SERVICE_LEVEL_CONVENTION, timeZone: forecast.timeZone, from: forecast.from, days: forecast.days, intervalMinutes: forecast.intervalMinutes, streams, skipped, total, peak };
}

// ---------------------------------------------------------------- scenario from the workspace

export interface ScenarioRequest {
  date?: string;
  intervalMinutes: 15 | 30;
  weeks: number;
}

/** Handle time assumed for a stream whose history has no answered contact. */
const FALLBACK_HANDLE_SECONDS = 300;

export async function scenarioFromWorkspace(p: Platform, workspaceId: string, request: ScenarioRequest): Promise<Scenario> {
  const forecast = await forecastArrivals(p, workspaceId, { from: request.date, days: 1, intervalMinutes: request.intervalMinutes, weeks: request.weeks });
  if (forecast.streams.length === 0) throw badRequest('no_history', `No contacts arrived in the last ${request.weeks} weeks, so there is no demand to simulate`);
  const date = forecast.from;
  const analytics = await getAnalyticsSettings(p.db, workspaceId);
  const { settings, config, queues, workflows } = await routingStore.loadConfig(p.db, workspaceId);
  const workflowId = routingStore.defaultWorkflowId(settings, workflows);
  const historyEnd = date < localDay(p.clock.now(), forecast.timeZone) ? date : localDay(p.clock.now(), forecast.timeZone);
  const selfService = new Map(
    (await store.selfServiceByChannel(p.db, workspaceId, new Date(localToInstant(addDays(historyEnd, -7 * request.weeks), 0, forecast.timeZone)), new Date(localToInstant(historyEnd, 0, forecast.timeZone)))).map((s) => [s.channel, s]),
  );

  const demand: DemandStream[] = forecast.streams.map((stream) => {
    // The history counts contacts that reached a queue; the scenario's arrivals are before
    // self-service, which answers a share c of them: routed = arrivals · (1 − c).
    const ss = selfService.get(stream.channel);
    const containment = ss && ss.conversations > 0 ? Math.min(0.95, ss.contained / ss.conversations) : 0;
    const queue = queues.find((q) => q.id === stream.queueId);
    return {
      id: stream.id,
      name: stream.queueName ? `${stream.queueName} (${stream.channel})` : stream.channel,
      channel: stream.channel,
      arrivals: stream.days[0]!.intervals.map((i) => round(i.forecast / (1 - containment), 4)),
      arrivalFactor: 1,
      handleTime: { meanSeconds: stream.handleTimeSeconds ?? FALLBACK_HANDLE_SECONDS, cv: Math.min(5, stream.handleTimeCv ?? 1) },
      patienceSeconds: stream.patienceSeconds,
      selfServiceContainment: round(containment, 4),
      serviceLevelSeconds: queue?.serviceLevelSeconds ?? settings.slaSeconds[stream.channel] ?? 20,
      attributes: {},
      priority: 0,
      ...(workflowId ? { workflowId } : {}),
    };
  });

  const shifts = shiftsFor(date, queues.map((q) => q.hours));
  const members = (await routingStore.listAgents(p.db, workspaceId)).filter((a) => a.role === 'agent' || Object.keys(a.skills).length > 0);
  const groups = new Map<string, { rows: typeof members }>();
  for (const agent of members) {
    const skills = Object.fromEntries(Object.entries(agent.skills).sort(([a], [b]) => (a < b ? -1 : 1)));
    const key = JSON.stringify([skills, [...agent.languages].sort(), agent.capacity]);
    const group = groups.get(key) ?? { rows: [] };
    group.rows.push({ ...agent, skills });
    groups.set(key, group);
  }
  const agents: AgentGroup[] = [...groups.values()].map(({ rows }, i) => {
    const first = rows[0]!;
    // Attributes every member shares travel with the group (eligibility expressions may read them).
    const attributes = Object.fromEntries(Object.entries(first.attributes).filter(([k, v]) => rows.every((r) => JSON.stringify(r.attributes[k]) === JSON.stringify(v))));
    const skillText = Object.entries(first.skills).map(([s, level]) => `${s} ${level}`).join(', ');
    return {
      name: `${i + 1}. ${skillText || 'no skills'}${first.languages.length ? ` · ${first.languages.join(', ')}` : ''}`.slice(0, 200),
      count: rows.length,
      skills: first.skills,
      languages: first.languages,
      attributes,
      team: typeof attributes.team === 'string' ? attributes.team : '',
      capacity: first.capacity,
      shifts,
    };
  });
  if (agents.length === 0) agents.push({ name: 'Agents', count: 0, skills: {}, languages: [], attributes: {}, team: '', shifts });

  return parseScenario({
    name: `${date}`,
    date,
    timeZone: forecast.timeZone,
    intervalMinutes: request.intervalMinutes,
    seed: 1,
    costPerAgentHour: analytics.costPerAgentHour,
    acceptSeconds: 0,
    ...(workflowId
      ? { routing: { queues: config.queues as unknown as Record<string, unknown>[], workflows: config.workflows as unknown as Record<string, unknown>[], taskFields: config.taskFields, agentFields: config.agentFields } }
      : {}),
    demand,
    agents,
  });
}

/**
 * When agents work on a date: from the earliest opening to the latest closing of the queues that
 * have opening hours (the whole day only when they say so); without any, 08:00–17:00 on weekdays.
 */
export function shiftsFor(date: string, hours: Array<OpeningHours | null | undefined>): Array<{ start: string; end: string }> {
  const withHours = hours.filter((h): h is OpeningHours => Boolean(h));
  if (withHours.length === 0) {
    const dow = dayOfWeek(date);
    return dow === 0 || dow === 6 ? [] : [{ start: '08:00', end: '17:00' }];
  }
  let start: string | null = null;
  let end: string | null = null;
  for (const h of withHours) {
    if (closedAllDay(h, date)) continue;
    for (const [open, close] of h.week[String(dayOfWeek(date)) as keyof OpeningHours['week']] ?? []) {
      if (start === null || open < start) start = open;
      if (end === null || close > end) end = close;
    }
  }
  return start !== null && end !== null && start < end ? [{ start, end }] : [];
}

// ---------------------------------------------------------------- simulations

/** Expected contacts a scenario may bring (Σ arrivals × factor), and agents: a run stays minutes, not hours. */
export const MAX_SCENARIO_CONTACTS = 1_000_000;
export const MAX_SCENARIO_AGENTS = 20_000;
/** Queued or running simulations a workspace may have at once. */
export const MAX_UNFINISHED_SIMULATIONS = 5;
const LEASE_MS = 60_000;
const PROGRESS_EVERY_MS = 500;
/** A simulation whose node died this many times is given up on (it may be what kills the node). */
const MAX_ATTEMPTS = 3;

/** Parses a scenario for the API: 400 `invalid_scenario` listing every problem. */
export function checkScenario(input: unknown): Scenario {
  let scenario: Scenario;
  try {
    scenario = parseScenario(input);
  } catch (error) {
    if (error instanceof ZodError) {
      const details = error.issues.map((i) => ({ path: ['scenario', ...i.path].join('.'), message: i.message }));
      throw badRequest('invalid_scenario', `The scenario has problems: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
    }
    if (error instanceof ScenarioError) {
      throw badRequest('invalid_scenario', `The scenario has problems: ${error.problems.join('; ')}`, error.problems.map((message) => ({ path: 'scenario', message })));
    }
    throw error;
  }
  const contacts = scenario.demand.reduce((s, d) => s + d.arrivals.reduce((a, b) => a + b, 0) * d.arrivalFactor, 0);
  const agents = scenario.agents.reduce((s, g) => s + g.count, 0);
  const problems: string[] = [];
  if (contacts > MAX_SCENARIO_CONTACTS) problems.push(`the scenario expects ${Math.round(contacts)} contacts; at most ${MAX_SCENARIO_CONTACTS} can be simulated on the server (use \`hoorn simulate\`)`);
  if (agents > MAX_SCENARIO_AGENTS) problems.push(`the scenario has ${agents} agents; at most ${MAX_SCENARIO_AGENTS} can be simulated on the server (use \`hoorn simulate\`)`);
  if (problems.length) throw badRequest('scenario_too_large', problems.join('; '), problems.map((message) => ({ path: 'scenario', message })));
  return scenario;
}

export async function createSimulation(p: Platform, workspaceId: string, createdBy: string, body: { scenario: unknown; name?: string }): Promise<store.SimulationRow> {
  const scenario = checkScenario(body.scenario);
  if ((await store.countUnfinished(p.db, workspaceId)) >= MAX_UNFINISHED_SIMULATIONS) {
    throw conflict('too_many_simulations', `At most ${MAX_UNFINISHED_SIMULATIONS} simulations can wait or run at once; wait for one to finish or delete one`);
  }
  const row = await store.insertSimulation(p.db, { id: randomUUID(), workspaceId, name: body.name ?? scenario.name, scenario, createdBy, createdAt: p.clock.now() });
  simulationRunner(p).kick();
  return row;
}

export async function getSimulation(p: Platform, workspaceId: string, id: string): Promise<store.SimulationRow> {
  const row = await store.getSimulation(p.db, workspaceId, id);
  if (!row) throw notFound('Simulation');
  return row;
}

export async function deleteSimulation(p: Platform, workspaceId: string, id: string): Promise<void> {
  // A running simulation notices at its next progress report that its row is gone, and stops.
  if (!(await store.deleteSimulation(p.db, workspaceId, id))) throw notFound('Simulation');
}

export const listSimulations = (p: Platform, workspaceId: string) => store.listSimulations(p.db, workspaceId, 50);

/**
 * Runs claimed simulations one after another on this node until none is due. Called by the job,
 * kicked by a new simulation once the workers run, and directly by tests.
 */
export async function runDueSimulations(p: Platform, shouldStop: () => boolean = () => false): Promise<number> {
  let ran = 0;
  while (!shouldStop()) {
    const row = await store.claimSimulation(p.db, p.nodeId, p.clock.now(), LEASE_MS);
    if (!row) break;
    await runSimulation(p, row, shouldStop);
    ran++;
  }
  return ran;
}

async function runSimulation(p: Platform, row: store.SimulationRow, shouldStop: () => boolean): Promise<void> {
  const fail = (error: string) => store.finishSimulation(p.db, row.id, p.nodeId, { error }, p.clock.now());
  if (row.attempts > MAX_ATTEMPTS) {
    await fail(`given up after ${MAX_ATTEMPTS} attempts: the node running it stopped each time`);
    return;
  }
  try {
    const scenario = parseScenario(row.scenario);
    let lastReport = performance.now();
    let fraction = 0;
    const sim = new CentreSimulation(scenario, { onProgress: (f) => (fraction = f) });
    while (!sim.step(5_000)) {
      if (shouldStop()) {
        await store.releaseSimulation(p.db, row.id, p.nodeId);
        return;
      }
      // Reports (and lease renewals) at most every PROGRESS_EVERY_MS of real time; between them
      // the event loop gets a turn so the node keeps answering requests.
      if (performance.now() - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = performance.now();
        const stillOurs = await store.reportProgress(p.db, row.id, p.nodeId, Math.min(0.999, fraction), new Date(p.clock.now().getTime() + LEASE_MS));
        if (!stillOurs) return;
      } else {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    await store.finishSimulation(p.db, row.id, p.nodeId, { result: sim.result() }, p.clock.now());
  } catch (error) {
    p.log.warn({ err: error, simulation: row.id }, 'simulation failed');
    await fail(error instanceof Error ? error.message : String(error));
  }
}

/** One runner per platform: at most one pass over the due simulations at a time on this node. */
class SimulationRunner {
  private started = false;
  private stopping = false;
  private current: Promise<number> | null = null;
  constructor(private readonly p: Platform) {}

  start(): void {
    this.started = true;
    this.kick();
  }

  /** Runs the due simulations now, unless a pass is already under way (then that one is awaited). */
  run(): Promise<number> {
    if (!this.current) {
      this.current = runDueSimulations(this.p, () => this.stopping).finally(() => {
        this.current = null;
      });
    }
    return this.current;
  }

  /** A new simulation: start on it at once when the workers run (tests run it by hand). */
  kick(): void {
    if (this.started && !this.stopping) {
      this.run().catch((error) => this.p.log.error({ err: error }, 'workforce simulations failed'));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.current?.catch(() => undefined);
  }
}

const runners = new WeakMap<Platform, SimulationRunner>();
export function simulationRunner(p: Platform): SimulationRunner {
  let runner = runners.get(p);
  if (!runner) runners.set(p, (runner = new SimulationRunner(p)));
  return runner;
}
