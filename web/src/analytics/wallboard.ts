import type { RoutingStatistics } from '../routing/types';
import type { Wallboard, WallboardAgent, WallboardAlert, WallboardPresenceGroup, WallboardQueue } from './types';

/** A wait this many times the queue's threshold is critical (as on the server). */
const CRITICAL_WAIT_FACTOR = 2;
/** A service level this far under the target is critical (as on the server). */
const CRITICAL_SERVICE_LEVEL_GAP = 0.2;

/**
 * Alerts read off the live figures: the same rules as `liveAlerts` in
 * server/src/analytics/wallboard.ts, re-applied here after a pushed `routing_stats` message so the
 * strip follows the live figures between snapshots.
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

/**
 * The snapshot with routing's newest live figures applied: waiting, longest wait and agents per
 * queue, each agent's presence and tasks, the totals that follow from them and the live alerts.
 * Today's answered/abandoned and the SLA breaches stay as the last snapshot had them.
 */
export function applyLiveStatistics(board: Wallboard, live: RoutingStatistics): Wallboard {
  const liveQueues = new Map(live.queues.map((q) => [q.queueId, q]));
  const queues = board.queues.map((q) => {
    const l = liveQueues.get(q.queueId);
    if (!l) return q;
    return {
      ...q,
      open: l.open,
      waiting: l.waiting,
      longestWaitSeconds: l.longestWaitSeconds,
      availableAgents: l.availableAgents,
      eligibleAgents: l.eligibleAgents,
      offered: q.answered + q.abandoned + l.waiting,
    };
  });

  const liveAgents = new Map(live.agents.map((a) => [a.agentId, a]));
  const routable = new Map(board.presences.map((g) => [g.presence, g.routable]));
  const groups = new Map<string, WallboardAgent[]>(board.presences.map((g) => [g.presence, []]));
  for (const agent of board.presences.flatMap((g) => g.agents)) {
    const l = liveAgents.get(agent.agentId);
    const presence = l?.presence ?? agent.presence;
    if (l && !routable.has(presence)) routable.set(presence, l.routable);
    const moved = { ...agent, presence, tasks: l?.tasks ?? agent.tasks, since: presence === agent.presence ? agent.since : null };
    let list = groups.get(presence);
    if (!list) groups.set(presence, (list = []));
    list.push(moved);
  }
  const presences: WallboardPresenceGroup[] = [...groups.entries()]
    .sort(([a], [b]) => Number(a === 'offline') - Number(b === 'offline'))
    .map(([presence, agents]) => ({ presence, routable: routable.get(presence) ?? false, count: agents.length, agents: agents.sort((a, b) => a.name.localeCompare(b.name)) }));

  const agents = presences.flatMap((g) => g.agents.map((a) => ({ ...a, routable: g.routable })));
  const totals = {
    ...board.totals,
    waiting: queues.reduce((s, q) => s + q.waiting, 0),
    longestWaitSeconds: queues.reduce((m, q) => Math.max(m, q.longestWaitSeconds), 0),
    offered: queues.reduce((s, q) => s + q.offered, 0),
    agentsAvailable: agents.filter((a) => a.routable).length,
    agentsOnline: agents.filter((a) => a.presence !== 'offline').length,
    tasksInProgress: agents.reduce((s, a) => s + a.tasks, 0),
  };
  const alerts = [...liveAlerts(queues, board.serviceLevelTarget), ...board.alerts.filter((a) => a.kind === 'sla_breached')];
  return { ...board, live: true, queues, presences, totals, alerts };
}

