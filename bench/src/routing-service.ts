// The routing service on PGlite: what it costs to route a chat end to end (the leader applies the
// task's command, decides, and commits the offer with its events), against receiving the chat alone.
import { insertChannel } from '../../server/src/channels/channels.store.ts';
import { receiveInbound } from '../../server/src/conversations/receive.ts';
import { createUser, createWorkspace } from '../../server/src/platform/auth/auth.service.ts';
import type { RunningPlatform } from '../../server/src/platform/create.ts';
import { inTransaction } from '../../server/src/platform/events/events.ts';
import { routingOf } from '../../server/src/routing/routing.service.ts';
import * as store from '../../server/src/routing/routing.store.ts';
import { opsPerSecond, type Row } from './measure.ts';

export async function routingServiceBenchmarks(p: RunningPlatform, n: number): Promise<Row[]> {
  const routed = await createWorkspace(p, { slug: 'bench-routed', name: 'Routed' });
  const plain = await createWorkspace(p, { slug: 'bench-plain', name: 'Plain' });
  const channelOf = (workspaceId: string) =>
    inTransaction(p, (tx) => insertChannel(tx, workspaceId, { type: 'webchat', name: 'bench', config: {}, secrets: null }, p.clock.now()));
  const routedChannel = await channelOf(routed.id);
  const plainChannel = await channelOf(plain.id);

  // 50 available agents with room for every chat of the run, so each chat is offered at once.
  const agents: Array<{ id: string }> = [];
  for (let i = 0; i < 50; i++) agents.push(await createUser(p, routed.id, { email: `agent${i}@bench.nl`, name: `Agent ${i}`, role: 'agent', password: 'bench password 1' }, null));
  await inTransaction(p, async (tx) => {
    const queue = await store.insertQueue(tx, routed.id, { name: 'Algemeen', eligibility: '', order: 'fifo' }, p.clock.now());
    await store.insertWorkflow(tx, routed.id, { name: 'Standaard', filters: [], defaultSteps: [{ queueId: queue.id, agentExpression: 'agent.languages HAS nl' }] }, p.clock.now());
    for (const a of agents) {
      await store.saveAgentProfile(tx, routed.id, a.id, { skills: {}, languages: ['nl'], attributes: {}, capacity: { total: 1_000_000, cost: { webchat: 1 } } }, p.clock.now());
      await store.saveAgentPresence(tx, routed.id, a.id, 'available', p.clock.now());
    }
  });
  const routing = routingOf(p);
  await routing.runPending(routed.id);

  const receive = (workspaceId: string, channelId: string, i: number) =>
    receiveInbound(p, { workspaceId, channel: { id: channelId, type: 'webchat' }, providerMessageId: `route-${workspaceId}-${i}`, from: { externalId: `visitor:${workspaceId}:${i}` }, body: `Vraag ${i}` });
  const alone = await opsPerSecond((i) => receive(plain.id, plainChannel.id, i), n);
  let offered = 0;
  const routedOps = await opsPerSecond(async (i) => {
    await receive(routed.id, routedChannel.id, i);
    await routing.runPending(routed.id);
    offered++;
  }, n);
  const offers = (await store.listTasks(p.db, routed.id, 'waiting', 100_000)).filter((t) => t.offers.length > 0).length;
  if (offers < offered) throw new Error(`only ${offers} of ${offered} routed chats were offered`);
  return [{ name: 'web chat received and routed (offer committed)', opsPerSecond: routedOps, baseline: 'web chat received, routing off', baselineOpsPerSecond: alone }];
}
