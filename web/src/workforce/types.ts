// The workforce API as the web app reads it (the contract of issue 9; the server's shapes are in
// server/src/workforce: scenario.ts for a scenario, des.ts for a simulation's result).
import type { Kpis } from '../analytics/types';

export type IntervalMinutes = 15 | 30;

export interface ForecastQuery {
  /** YYYY-MM-DD; empty: the server's default (tomorrow). */
  from?: string;
  days: number;
  interval: IntervalMinutes;
  weeks: number;
}

export interface ForecastInterval {
  start: string;
  forecast: number;
}

export interface ForecastDay {
  date: string;
  holiday: string | null;
  total: number;
  intervals: ForecastInterval[];
}

export interface BacktestError {
  wape: number | null;
  mape: number | null;
}

export interface Backtest extends BacktestError {
  method: string;
  testDays: number;
  dailyTotalApe: number | null;
  baselines: Array<BacktestError & { name: string }>;
  perInterval: Array<BacktestError & { slot: string }>;
}

export interface StreamInfo {
  /** `<channel>:<queueId>` */
  id: string;
  channel: string;
  queueId: string;
  /** Null when the queue no longer exists. */
  queueName: string | null;
}

export interface ForecastStream extends StreamInfo {
  handleTimeSeconds: number | null;
  handleTimeCv: number | null;
  patienceSeconds: number | null;
  abandonRate: number | null;
  days: ForecastDay[];
  backtest: Backtest | null;
}

export interface ForecastResponse {
  timeZone: string;
  intervalMinutes: number;
  from: string;
  days: number;
  historyDays: number;
  streams: ForecastStream[];
}

export type StaffingModel = 'auto' | 'erlangC' | 'erlangA';

export interface StaffingTargets {
  serviceLevel: number;
  withinSeconds: number;
  maxOccupancy?: number;
  maxAbandonRate?: number;
  maxAsaSeconds?: number;
}

export interface StreamOverride {
  concurrency?: number;
  handleTimeSeconds?: number;
  patienceSeconds?: number;
}

export interface StaffingRequest {
  from?: string;
  days: number;
  intervalMinutes: IntervalMinutes;
  weeks?: number;
  targets: StaffingTargets;
  shrinkage: number;
  model: StaffingModel;
  streams?: Record<string, StreamOverride>;
}

export interface StaffingInterval {
  start: string;
  arrivals: number;
  agents: number;
  scheduled: number;
  serviceLevel: number | null;
  meanWaitSeconds: number | null;
  occupancy: number | null;
  abandonRate: number | null;
}

export interface StaffingStream extends StreamInfo {
  model: 'erlangA' | 'erlangC';
  concurrency: number;
  handleTimeSeconds: number | null;
  patienceSeconds: number | null;
  intervals: StaffingInterval[];
}

export interface StaffingResponse {
  serviceLevelConvention: string;
  timeZone: string;
  from: string;
  days: number;
  intervalMinutes: number;
  streams: StaffingStream[];
  /** Streams left out (e.g. no handle time in the history), with the reason. */
  skipped?: Array<{ id: string; reason: string }>;
  total: Array<{ start: string; agents: number; scheduled: number }>;
  peak: { start: string; scheduled: number } | null;
}

// ---- Scenarios (server/src/workforce/scenario.ts, after defaults) ----

export const STRATEGIES = ['longest-idle', 'least-occupied', 'round-robin', 'best-proficiency', 'weighted'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface DemandStream {
  id: string;
  name: string;
  channel: string;
  arrivals: number[];
  arrivalFactor?: number;
  handleTime: { meanSeconds: number; cv?: number };
  patienceSeconds?: number | null;
  selfServiceContainment?: number;
  serviceLevelSeconds?: number;
  skill?: string;
  workflowId?: string;
  attributes?: Record<string, unknown>;
  priority?: number;
}

export interface AgentGroup {
  name: string;
  count: number;
  skills?: Record<string, number>;
  languages?: string[];
  attributes?: Record<string, unknown>;
  team?: string;
  capacity?: { total: number; cost: Record<string, number>; maxPerChannel?: Record<string, number>; exclusive?: string[] };
  shifts?: Array<{ start: string; end: string }>;
}

export interface Scenario {
  name: string;
  date: string;
  timeZone?: string;
  intervalMinutes?: 15 | 30 | 60;
  seed?: number;
  costPerAgentHour?: number;
  strategy?: Strategy;
  acceptSeconds?: number;
  routing?: { queues: Array<Record<string, unknown>>; workflows: Array<Record<string, unknown>>; taskFields?: Record<string, string>; agentFields?: Record<string, string> };
  demand: DemandStream[];
  agents: AgentGroup[];
}

export interface SimulationRow {
  start: string | null;
  key: string | null;
  label: string | null;
  kpis: Kpis;
}

export interface SimulationResult {
  scenario: string;
  date: string;
  timeZone: string;
  intervalMinutes: number;
  seed: number;
  contacts: number;
  routingEvents: number;
  unfinished: number;
  refused: number;
  totals: Kpis;
  byStream: SimulationRow[];
  byInterval: Array<SimulationRow & { agentsLoggedIn: number }>;
}

export type SimulationStatus = 'queued' | 'running' | 'done' | 'failed';

export interface SimulationSummary {
  id: string;
  name: string;
  status: SimulationStatus;
  progress: number;
  createdAt: string;
  startedAt?: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface SimulationDetail extends SimulationSummary {
  scenario: Scenario;
  result: SimulationResult | null;
}

export const isRunning = (status: SimulationStatus) => status === 'queued' || status === 'running';
