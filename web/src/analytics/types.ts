/**
 * Mirrors of the analytics API's shapes: the wallboard (server/src/analytics/wallboard.ts) and the
 * KPI reports (server/src/analytics/reports.ts, docs/analytics.md "Reports API").
 */

/* ---------- Wallboard ---------- */

export interface WallboardQueue {
  queueId: string;
  name: string;
  open: boolean;
  waiting: number;
  longestWaitSeconds: number;
  availableAgents: number;
  eligibleAgents: number;
  /** Today: answered + abandoned + still waiting. */
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithinServiceLevel: number;
  serviceLevelSeconds: number | null;
  serviceLevel: number | null;
  averageWaitSeconds: number | null;
}

export interface WallboardAgent {
  agentId: string;
  name: string;
  presence: string;
  since: string | null;
  tasks: number;
}

export interface WallboardPresenceGroup {
  presence: string;
  routable: boolean;
  count: number;
  agents: WallboardAgent[];
}

export interface WallboardTotals {
  waiting: number;
  longestWaitSeconds: number;
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithinServiceLevel: number;
  serviceLevel: number | null;
  averageWaitSeconds: number | null;
  agentsAvailable: number;
  agentsOnline: number;
  tasksInProgress: number;
}

export const WALLBOARD_ALERT_KINDS = ['long_wait', 'service_level_low', 'no_agent_available', 'sla_breached'] as const;
export type WallboardAlertKind = (typeof WALLBOARD_ALERT_KINDS)[number];

export interface WallboardAlert {
  kind: WallboardAlertKind;
  severity: 'warning' | 'critical';
  queueId: string | null;
  queueName: string | null;
  value: number;
  threshold: number | null;
  metric: string | null;
}

export interface Wallboard {
  generatedAt: string;
  since: string;
  serviceLevelTarget: number;
  live: boolean;
  queues: WallboardQueue[];
  presences: WallboardPresenceGroup[];
  totals: WallboardTotals;
  alerts: WallboardAlert[];
}

/* ---------- KPI reports ---------- */

export const KPI_INTERVALS = ['15m', 'hour', 'day', 'week', 'month', 'total'] as const;
export type KpiInterval = (typeof KPI_INTERVALS)[number];
export const KPI_GROUPINGS = ['none', 'channel', 'queue', 'agent', 'team'] as const;
export type KpiGrouping = (typeof KPI_GROUPINGS)[number];

export interface KpiQuery {
  from: string;
  to: string;
  interval: KpiInterval;
  groupBy: KpiGrouping;
  channel?: string;
  queueId?: string;
  agentId?: string;
  team?: string;
}

/** The figures of one row; null where the denominator is zero. */
export interface Kpis {
  offered: number;
  answered: number;
  abandoned: number;
  abandonRate: number | null;
  answeredInServiceLevel: number;
  serviceLevel: number | null;
  averageSpeedOfAnswerSeconds: number | null;
  handled: number;
  averageHandleTimeSeconds: number | null;
  averageAfterContactWorkSeconds: number | null;
  transfers: number;
  transferRate: number | null;
  resolved: number;
  firstContactResolution: number | null;
  averageFirstResponseSeconds: number | null;
  averageResolutionSeconds: number | null;
  selfServiceRuns: number;
  selfServiceContained: number;
  containmentRate: number | null;
  csatResponses: number;
  csat: number | null;
  csatPercent: number | null;
  npsResponses: number;
  nps: number | null;
  outcomes: number;
  sales: number;
  revenue: number;
  revenuePerContact: number | null;
  staffedHours: number;
  busyHours: number;
  occupancy: number | null;
  cost: number;
  costPerContact: number | null;
  margin: number;
  slaBreaches: number;
  /** Conversations opened in the period (self-service included). */
  conversations: number;
}

export interface KpiRow {
  bucket: string | null;
  key: string | null;
  label: string | null;
  kpis: Kpis;
}

export interface KpiReport {
  from: string;
  to: string;
  interval: KpiInterval;
  groupBy: KpiGrouping;
  timeZone: string;
  currency: string;
  rows: KpiRow[];
  totals: Kpis;
}

export interface AnalyticsSettings {
  timeZone: string;
  currency: string;
  costPerAgentHour: number;
  fcrWindowDays: number;
}
