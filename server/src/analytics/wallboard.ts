/**
 * The wallboard: routing's live statistics and today's queue totals turned into what a wall
 * screen shows (tiles per queue, agents by presence, totals, alerts). Pure: no I/O, no clock.
 */
import type { RoutingStatistics } from '../routing/engine/engine.ts';
import type { QueueTotals } from '../routing/routing.store.ts';

/** The service level a queue should reach today unless the caller asks for another. */
export const DEFAULT_SERVICE_LEVEL_TARGET = 0.8;
/** A wait this many times the queue's threshold is no longer a warning but critical. */
const CRITICAL_WAIT_FACTOR = 2;
/** A service level this far under the target is critical rather than a warning. */
const CRITICAL_SERVICE_LEVEL_GAP = 0.2;

export interface WallboardQueueInput {
  id: string;
  name: string;
  /** Answered within this many seconds counts towards the service level; null: no target. */
  serviceLevelSeconds: number | null;
}

export interface WallboardAgentInput {
  userId: string;
  name: string;
  presence: string;
  presenceSince: Date | null;
}

export interface SlaBreach {
  conversationId: string;
  metric: string;
  at: Date;
}

export interface WallboardInput {
  now: Date;
  /** Start of the workspace's local day: "today" in the totals. */
  since: Date;
  serviceLevelTarget: number;
  queues: WallboardQueueInput[];
  /** The routing engine's statistics; null when no leader has published any yet. */
  live: RoutingStatistics | null;
  totals: QueueTotals[];
  agents: WallboardAgentInput[];
  /** The workspace's presences in their configured order. */
  presences: Array<{ name: string; routable: boolean }>;
  slaBreaches: SlaBreach[];
}

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
  /** Today; abandoned contacts count against it. Null without a threshold or without contacts. */
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
  /** Agents in a routable presence. */
  agentsAvailable: number;
  /** Agents in any presence but offline. */
  agentsOnline: number;
  tasksInProgress: number;
}

export const alertKinds = ['long_wait', 'service_level_low', 'no_agent_available', 'sla_breached'] as const;
export type WallboardAlertKind = (typeof alertKinds)[number];

export interface WallboardAlert {
  kind: WallboardAlertKind;
  severity: 'warning' | 'critical';
  queueId: string | null;
  queueName: string | null;
  /** The figure that raised it: seconds waited, the service level, customers waiting, breaches. */
  value: number;
  /** What the figure was held against (seconds, a fraction); null where nothing is. */
  threshold: number | null;
  /** For SLA breaches: the metric (first_response, next_response, resolution). */
  metric: string | null;
}

export interface Wallboard {
  generatedAt: string;
  since: string;
  serviceLevelTarget: number;
  /** False when there were no live routing statistics: waiting figures are then zero, not known. */
  live: boolean;
  queues: WallboardQueue[];
  presences: WallboardPresenceGroup[];
  totals: WallboardTotals;
  alerts: WallboardAlert[];
}

function serviceLevelOf(within: number, answered: number, abandoned: number): number | null {
  return answered + abandoned > 0 ? within / (answered + abandoned) : null;
}

export function buildWallboard(input: WallboardInput): Wallboard {
  const liveQueues = new Map((input.live?.queues ?? []).map((q) => [q.queueId, q]));
  const totalsByQueue = new Map(input.totals.map((t) => [t.queueId, t]));
  const queues: WallboardQueue[] = input.queues.map((q) => {
    const live = liveQueues.get(q.id);
    const day = totalsByQueue.get(q.id);
    const answered = day?.answered ?? 0;
    const abandoned = day?.abandoned ?? 0;
    const within = day?.answeredWithinServiceLevel ?? 0;
    const waiting = live?.waiting ?? 0;
    return {
      queueId: q.id,
      name: q.name,
      open: live?.open ?? true,
      waiting,
      longestWaitSeconds: live?.longestWaitSeconds ?? 0,
      availableAgents: live?.availableAgents ?? 0,
      eligibleAgents: live?.eligibleAgents ?? 0,
      offered: answered + abandoned + waiting,
      answered,
      abandoned,
      answeredWithinServiceLevel: within,
      serviceLevelSeconds: q.serviceLevelSeconds,
      serviceLevel: q.serviceLevelSeconds == null ? null : serviceLevelOf(within, answered, abandoned),
      averageWaitSeconds: day?.averageWaitSeconds ?? null,
    };
  });

  const presences = groupAgents(input);
  const totals = totalsOf(queues, presences);
  const alerts = [...liveAlerts(queues, input.serviceLevelTarget), ...breachAlerts(input.slaBreaches)];
  return {
    generatedAt: input.now.toISOString(),
    since: input.since.toISOString(),
    serviceLevelTarget: input.serviceLevelTarget,
    live: input.live !== null,
    queues,
    presences,
    totals,
    alerts,
  };
}

/**
 * Agents grouped by presence, in the workspace's presence order (unknown presences last, offline
 * at the very end since a wall screen cares least about who is away). The engine's view wins over
 * the stored presence where both exist: it is the newer one.
 */
function groupAgents(input: WallboardInput): WallboardPresenceGroup[] {
  const liveAgents = new Map((input.live?.agents ?? []).map((a) => [a.agentId, a]));
  const routable = new Map(input.presences.map((p) => [p.name, p.routable]));
  const groups = new Map<string, WallboardAgent[]>();
  for (const p of input.presences) groups.set(p.name, []);
  for (const agent of input.agents) {
    const live = liveAgents.get(agent.userId);
    const presence = live?.presence ?? agent.presence;
    const since = live && live.presence !== agent.presence ? null : (agent.presenceSince?.toISOString() ?? null);
    let list = groups.get(presence);
    if (!list) groups.set(presence, (list = []));
    list.push({ agentId: agent.userId, name: agent.name, presence, since, tasks: live?.tasks ?? 0 });
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => Number(a === 'offline') - Number(b === 'offline'));
  return ordered.map(([presence, agents]) => ({
    presence,
    routable: routable.get(presence) ?? false,
    count: agents.length,
    agents: agents.sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

function totalsOf(queues: WallboardQueue[], presences: WallboardPresenceGroup[]): WallboardTotals {
  const sum = (pick: (q: WallboardQueue) => number, of = queues) => of.reduce((s, q) => s + pick(q), 0);
  const withTarget = queues.filter((q) => q.serviceLevelSeconds != null);
  const answered = sum((q) => q.answered);
  const waited = queues.filter((q) => q.averageWaitSeconds != null);
  const waitedAnswers = sum((q) => q.answered, waited);
  const agents = presences.flatMap((g) => g.agents.map((a) => ({ ...a, routable: g.routable })));
  return {
    waiting: sum((q) => q.waiting),
    longestWaitSeconds: queues.reduce((m, q) => Math.max(m, q.longestWaitSeconds), 0),
    offered: sum((q) => q.offered),
    answered,
    abandoned: sum((q) => q.abandoned),
    answeredWithinServiceLevel: sum((q) => q.answeredWithinServiceLevel, withTarget),
    serviceLevel: serviceLevelOf(sum((q) => q.answeredWithinServiceLevel, withTarget), sum((q) => q.answered, withTarget), sum((q) => q.abandoned, withTarget)),
    // Weighted by answers: each queue's average stands for that many waits.
    averageWaitSeconds: waitedAnswers > 0 ? Math.round((sum((q) => (q.averageWaitSeconds ?? 0) * q.answered, waited) / waitedAnswers) * 10) / 10 : null,
    agentsAvailable: agents.filter((a) => a.routable).length,
    agentsOnline: agents.filter((a) => a.presence !== 'offline').length,
    tasksInProgress: agents.reduce((s, a) => s + a.tasks, 0),
  };
}

/**
 * Alerts read off the live figures. The web page re-derives these after applying a pushed
 * `routing_stats` message (web/src/analytics/wallboard.ts), so the two must stay the same rules.
 */
export function liveAlerts(queues: WallboardQueue[], serviceLevelTarget: number): WallboardAlert[] {
  const alerts: WallboardAlert[] = [];
  for (const q of queues) {
    const about = { queueId: q.queueId, queueName: q.name, metric: null };
    if (q.open && q.waiting > 0 && q.availableAgents === 0) {
      alerts.push({ kind: 'no_agent_available', severity: 'critical', value: q.waiting, threshold: null, ...about });
    }
    if (q.waiting > 0 && q.serviceLevelSeconds != null && q.longestWaitSeconds > q.serviceLevelSeconds) {
      const critical = q.longestWaitSeconds > q.serviceLevelSeconds * CRITICAL_WAIT_FACTOR;
      alerts.push({ kind: 'long_wait', severity: critical ? 'critical' : 'warning', value: q.longestWaitSeconds, threshold: q.serviceLevelSeconds, ...about });
    }
    if (q.serviceLevel !== null && q.serviceLevel < serviceLevelTarget) {
      const critical = q.serviceLevel < serviceLevelTarget - CRITICAL_SERVICE_LEVEL_GAP;
      alerts.push({ kind: 'service_level_low', severity: critical ? 'critical' : 'warning', value: q.serviceLevel, threshold: serviceLevelTarget, ...about });
    }
  }
  return alerts;
}

/** Today's SLA breaches, one alert per metric with how many there were. */
function breachAlerts(breaches: SlaBreach[]): WallboardAlert[] {
  const byMetric = new Map<string, number>();
  for (const b of breaches) byMetric.set(b.metric, (byMetric.get(b.metric) ?? 0) + 1);
  return [...byMetric.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([metric, count]) => ({ kind: 'sla_breached', severity: 'warning', queueId: null, queueName: null, value: count, threshold: null, metric }));
}

// ------------------------------------------------------------ the local day

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the zone's wall clock is ahead of UTC at an instant. */
function zoneOffsetMs(at: number, timeZone: string): number {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partFormatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The instant the local day containing `now` began in `timeZone` (DST days included). */
export function startOfLocalDay(now: Date, timeZone: string): Date {
  const DAY = 86_400_000;
  const at = now.getTime();
  const localMidnight = Math.floor((at + zoneOffsetMs(at, timeZone)) / DAY) * DAY;
  // The offset at midnight may differ from the offset now (a DST switch in the night); one correction settles it.
  let start = localMidnight - zoneOffsetMs(at, timeZone);
  start = localMidnight - zoneOffsetMs(start, timeZone);
  return new Date(start);
}
