import { describe, expect, it } from 'vitest';
import type { AgentStatistics, QueueStatistics } from '../../src/routing/engine/engine.ts';
import { buildWallboard, startOfLocalDay, type WallboardInput } from '../../src/analytics/wallboard.ts';

const now = new Date('2026-11-23T14:00:00Z');

function liveQueue(queueId: string, name: string, over: Partial<QueueStatistics> = {}): QueueStatistics {
  return {
    queueId,
    name,
    open: true,
    waiting: 0,
    waitingByPriority: {},
    longestWaitSeconds: 0,
    eligibleAgents: 2,
    availableAgents: 1,
    readyAgents: 1,
    offered: 0,
    accepted: 0,
    rejected: 0,
    timedOut: 0,
    rescinded: 0,
    canceledWaiting: 0,
    answeredWithinServiceLevel: 0,
    ...over,
  };
}

function liveAgent(agentId: string, presence: string, tasks: number): AgentStatistics {
  return { agentId, presence, routable: presence === 'available', used: tasks * 25, total: 100, tasks, idleSeconds: 0, offered: 0, accepted: 0, rejected: 0, timedOut: 0 };
}

function input(over: Partial<WallboardInput> = {}): WallboardInput {
  return {
    now,
    since: new Date('2026-11-22T23:00:00Z'),
    serviceLevelTarget: 0.8,
    queues: [
      { id: 'q-general', name: 'Algemeen', serviceLevelSeconds: 60 },
      { id: 'q-billing', name: 'Facturen', serviceLevelSeconds: 120 },
      { id: 'q-email', name: 'E-mail', serviceLevelSeconds: null },
    ],
    live: {
      queues: [
        liveQueue('q-general', 'Algemeen', { waiting: 3, longestWaitSeconds: 45, availableAgents: 2 }),
        liveQueue('q-billing', 'Facturen', { waiting: 2, longestWaitSeconds: 300, availableAgents: 0 }),
        liveQueue('q-email', 'E-mail', { waiting: 0 }),
      ],
      agents: [liveAgent('u-fatima', 'available', 2), liveAgent('u-daan', 'busy', 1)],
    },
    totals: [
      { queueId: 'q-general', answered: 18, abandoned: 2, answeredWithinServiceLevel: 17, averageWaitSeconds: 20 },
      { queueId: 'q-billing', answered: 6, abandoned: 4, answeredWithinServiceLevel: 5, averageWaitSeconds: 50 },
      { queueId: 'q-email', answered: 4, abandoned: 0, answeredWithinServiceLevel: 0, averageWaitSeconds: 600 },
    ],
    agents: [
      { userId: 'u-fatima', name: 'Fatima', presence: 'available', presenceSince: new Date('2026-11-23T08:00:00Z') },
      { userId: 'u-daan', name: 'Daan', presence: 'available', presenceSince: new Date('2026-11-23T09:00:00Z') },
      { userId: 'u-sander', name: 'Sander', presence: 'offline', presenceSince: null },
      { userId: 'u-anna', name: 'Anna', presence: 'lunch', presenceSince: new Date('2026-11-23T12:30:00Z') },
    ],
    presences: [
      { name: 'offline', routable: false },
      { name: 'available', routable: true },
      { name: 'busy', routable: false },
    ],
    slaBreaches: [],
    ...over,
  };
}

describe('buildWallboard', () => {
  it("combines live figures with today's totals per queue", () => {
    const board = buildWallboard(input());
    const general = board.queues.find((q) => q.queueId === 'q-general')!;
    expect(general).toMatchObject({ waiting: 3, longestWaitSeconds: 45, availableAgents: 2, answered: 18, abandoned: 2, offered: 23, averageWaitSeconds: 20 });
    // Abandoned contacts count against the service level: 17 of 20.
    expect(general.serviceLevel).toBeCloseTo(0.85);
    // A queue without a threshold has no service level, however many it answered.
    expect(board.queues.find((q) => q.queueId === 'q-email')!.serviceLevel).toBeNull();
    expect(board.live).toBe(true);
    expect(board.since).toBe('2026-11-22T23:00:00.000Z');
  });

  it('totals the queues: the service level only over queues with a threshold, the wait weighted by answers', () => {
    const { totals } = buildWallboard(input());
    expect(totals).toMatchObject({ waiting: 5, longestWaitSeconds: 300, offered: 39, answered: 28, abandoned: 6, answeredWithinServiceLevel: 22 });
    expect(totals.serviceLevel).toBeCloseTo(22 / 30);
    expect(totals.averageWaitSeconds).toBeCloseTo((18 * 20 + 6 * 50 + 4 * 600) / 28, 1);
    // Fatima available; Daan busy per the engine; Anna at lunch counts as online, Sander does not.
    expect(totals).toMatchObject({ agentsAvailable: 1, agentsOnline: 3, tasksInProgress: 3 });
  });

  it('groups agents by presence in the configured order, offline last, unknown presences kept', () => {
    const { presences } = buildWallboard(input());
    expect(presences.map((g) => [g.presence, g.count])).toEqual([
      ['available', 1],
      ['busy', 1],
      ['lunch', 1],
      ['offline', 1],
    ]);
    const [available, busy] = presences;
    expect(available!.agents).toEqual([{ agentId: 'u-fatima', name: 'Fatima', presence: 'available', since: '2026-11-23T08:00:00.000Z', tasks: 2 }]);
    // The engine says busy while the stored row still says available: the engine is newer, the "since" unknown.
    expect(busy!.agents[0]).toMatchObject({ agentId: 'u-daan', presence: 'busy', since: null, tasks: 1 });
    expect(presences.find((g) => g.presence === 'lunch')!.routable).toBe(false);
  });

  it('raises alerts from the live figures', () => {
    const { alerts } = buildWallboard(input());
    const kinds = alerts.map((a) => `${a.kind}:${a.queueId}:${a.severity}`);
    // Facturen: two customers and nobody available; the oldest waited 300 s against 120 s (over twice: critical);
    // its service level 5/10 is more than 20 points under the target.
    expect(kinds).toEqual(['no_agent_available:q-billing:critical', 'long_wait:q-billing:critical', 'service_level_low:q-billing:critical']);
    expect(alerts[1]).toMatchObject({ value: 300, threshold: 120, queueName: 'Facturen' });
    expect(alerts[2]).toMatchObject({ value: 0.5, threshold: 0.8 });
  });

  it('grades alerts by how far off they are, and honours another target', () => {
    const live = input().live!;
    const board = buildWallboard(
      input({
        serviceLevelTarget: 0.9,
        live: { agents: live.agents, queues: [liveQueue('q-general', 'Algemeen', { waiting: 1, longestWaitSeconds: 90, availableAgents: 1 })] },
      }),
    );
    const general = board.alerts.filter((a) => a.queueId === 'q-general');
    // 90 s against 60 s is a warning; 85 % against a 90 % target too.
    expect(general.map((a) => `${a.kind}:${a.severity}`)).toEqual(['long_wait:warning', 'service_level_low:warning']);
  });

  it('raises no alert for a closed queue nobody staffs, nor for waits when nobody waits', () => {
    const board = buildWallboard(
      input({
        totals: [],
        live: { agents: [], queues: [liveQueue('q-general', 'Algemeen', { open: false, waiting: 4, longestWaitSeconds: 30, availableAgents: 0 }), liveQueue('q-billing', 'Facturen', { longestWaitSeconds: 900 })] },
      }),
    );
    expect(board.alerts).toEqual([]);
  });

  it("counts today's SLA breaches per metric", () => {
    const at = new Date('2026-11-23T10:00:00Z');
    const board = buildWallboard(
      input({
        slaBreaches: [
          { conversationId: 'c1', metric: 'first_response', at },
          { conversationId: 'c2', metric: 'resolution', at },
          { conversationId: 'c3', metric: 'first_response', at },
        ],
      }),
    );
    const breaches = board.alerts.filter((a) => a.kind === 'sla_breached');
    expect(breaches.map((a) => [a.metric, a.value])).toEqual([
      ['first_response', 2],
      ['resolution', 1],
    ]);
  });

  it('shows zeros and says so when routing has published no live figures', () => {
    const board = buildWallboard(input({ live: null }));
    expect(board.live).toBe(false);
    expect(board.totals.waiting).toBe(0);
    expect(board.queues[0]).toMatchObject({ waiting: 0, answered: 18, offered: 20 });
    expect(board.presences.find((g) => g.presence === 'available')!.agents.map((a) => a.name)).toEqual(['Daan', 'Fatima']);
  });
});

describe('startOfLocalDay', () => {
  it('is local midnight in the zone, in winter and in summer', () => {
    expect(startOfLocalDay(new Date('2026-11-23T14:00:00Z'), 'Europe/Amsterdam').toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(startOfLocalDay(new Date('2026-07-01T21:59:59Z'), 'Europe/Amsterdam').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfLocalDay(new Date('2026-07-01T22:00:00Z'), 'Europe/Amsterdam').toISOString()).toBe('2026-07-01T22:00:00.000Z');
    expect(startOfLocalDay(new Date('2026-11-23T03:00:00Z'), 'America/New_York').toISOString()).toBe('2026-11-22T05:00:00.000Z');
    expect(startOfLocalDay(new Date('2026-11-23T03:00:00Z'), 'UTC').toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('handles the days the clocks change', () => {
    // 29 March 2026: Amsterdam springs forward at 02:00; the day began at 23:00 UTC the evening before.
    expect(startOfLocalDay(new Date('2026-03-29T20:00:00Z'), 'Europe/Amsterdam').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    // 25 October 2026: back at 03:00; the day began at 22:00 UTC (still summer time at midnight).
    expect(startOfLocalDay(new Date('2026-10-25T20:00:00Z'), 'Europe/Amsterdam').toISOString()).toBe('2026-10-24T22:00:00.000Z');
  });
});
