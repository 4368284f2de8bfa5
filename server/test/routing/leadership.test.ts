import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { openPostgres, queryRows } from '../../src/platform/db/client.ts';
import { createPlatform, type RunningPlatform } from '../../src/platform/create.ts';
import { inTransaction } from '../../src/platform/events/events.ts';
import { sql } from 'drizzle-orm';
import { DEFAULT_CAPACITY } from '../../src/routing/engine/model.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import * as store from '../../src/routing/routing.store.ts';
import { createTestDatabaseUrl, makeInbound, makeUser, makeWebchatChannel, makeWorkspace, testConfig, testPgUrl } from '../helpers.ts';

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

// Two Hoorn nodes on one PostgreSQL: one leads routing for the workspace; when it dies the other
// takes over where it stood, and no task is ever assigned twice. PostgreSQL pass only.
describe.runIf(testPgUrl)('routing leadership between nodes (PostgreSQL)', () => {
  it('routes on exactly one node, and the other takes over when it dies', async () => {
    const { url, drop } = await createTestDatabaseUrl();
    const log = pino({ level: 'silent' });
    const nodes: RunningPlatform[] = [];
    for (let i = 0; i < 2; i++) {
      const node = await createPlatform(testConfig({ databaseUrl: url }), { database: await openPostgres(url, 3), log });
      await buildApp(node);
      nodes.push(node);
    }
    const [a, b] = nodes as [RunningPlatform, RunningPlatform];
    const closed = new Set<RunningPlatform>();
    try {
      const workspace = await makeWorkspace(a);
      const agent = await makeUser(a, workspace.id, 'agent');
      const channel = await makeWebchatChannel(a, workspace.id);
      await inTransaction(a, async (tx) => {
        const queue = await store.insertQueue(tx, workspace.id, { name: 'Algemeen', eligibility: '', order: 'fifo' }, new Date());
        await store.insertWorkflow(tx, workspace.id, { name: 'Standaard', filters: [], defaultSteps: [{ queueId: queue.id }] }, new Date());
        await store.saveAgentProfile(tx, workspace.id, agent.id, { skills: {}, languages: ['nl'], attributes: {}, capacity: DEFAULT_CAPACITY }, new Date());
      });
      for (const node of nodes) await node.startWorkers();

      await until('a leader', () => nodes.some((n) => routingOf(n).leads(workspace.id)));
      await new Promise((r) => setTimeout(r, 2_500)); // another election round: still one leader
      const leaders = nodes.filter((n) => routingOf(n).leads(workspace.id));
      expect(leaders).toHaveLength(1);
      const leader = leaders[0]!;
      const follower = leader === a ? b : a;

      // A command submitted on the follower is applied by the leader.
      const set = await routingOf(follower).submit(workspace.id, { type: 'agent.presence', agentId: agent.id, presence: 'available' });
      expect(set.status).toBe('done');
      await makeInbound(follower, channel, { from: 'visitor:lead-1' });
      await until('an offer', async () => (await store.offersFor(a.db, workspace.id, agent.id)).length === 1);
      const [offered] = await store.offersFor(a.db, workspace.id, agent.id);

      // The leader dies; the follower takes the lock, loads the offer where it stood, and accepts.
      await leader.close();
      closed.add(leader);
      await until('a new leader', () => Boolean(routingOf(follower).leads(workspace.id)));
      const accepted = await routingOf(follower).submit(workspace.id, { type: 'offer.accept', taskId: offered!.id, agentId: agent.id });
      expect(accepted.status).toBe('done');
      const again = await routingOf(follower).submit(workspace.id, { type: 'offer.accept', taskId: offered!.id, agentId: agent.id });
      expect(again.status).toBe('refused');

      const [counts] = await queryRows<{ assigned: number; tasks: number }>(
        follower.db,
        sql`select (select count(*)::int from events where workspace_id = ${workspace.id} and type = 'routing.assigned') as assigned,
                   (select count(*)::int from routing_tasks where workspace_id = ${workspace.id} and state = 'assigned') as tasks`,
      );
      expect(counts).toEqual({ assigned: 1, tasks: 1 });
    } finally {
      for (const node of nodes) if (!closed.has(node)) await node.close();
      await drop();
    }
  }, 60_000);
});
