// Inbox benchmarks: the inbound path and the desk's list, each against the bare operation it wraps.
import { sql } from 'drizzle-orm';
import { insertChannel } from '../../server/src/channels/channels.store.ts';
import { listConversations } from '../../server/src/conversations/conversations.store.ts';
import { receiveInbound } from '../../server/src/conversations/receive.ts';
import { appendEvent, inTransaction } from '../../server/src/platform/events/events.ts';
import type { RunningPlatform } from '../../server/src/platform/create.ts';
import { opsPerSecond, type Row } from './measure.ts';

export async function inboxBenchmarks(p: RunningPlatform, workspaceId: string, n: number, conversations: number): Promise<Row[]> {
  const rows: Row[] = [];
  const channel = await inTransaction(p, (tx) => insertChannel(tx, workspaceId, { type: 'webchat', name: 'bench', config: {}, secrets: null }, p.clock.now()));

  // 1. One inbound message through the whole path (dedupe, customer, conversation, message, events)
  //    vs one state change with its event.
  const eventOnly = await opsPerSecond((i) => inTransaction(p, (tx) => appendEvent(tx, { workspaceId, type: 'bench.inbound', subjectType: 'bench', subjectId: String(i) })), n);
  const receive = await opsPerSecond(
    (i) => receiveInbound(p, { workspaceId, channel: { id: channel.id, type: 'webchat' }, providerMessageId: `bench-${i}`, from: { externalId: `visitor:${i % 500}` }, body: `Vraag ${i} over bestelling` }),
    n,
  );
  rows.push({ name: 'receiveInbound (new message)', opsPerSecond: receive, baseline: 'inTransaction + appendEvent', baselineOpsPerSecond: eventOnly });
  const replay = await opsPerSecond(
    (i) => receiveInbound(p, { workspaceId, channel: { id: channel.id, type: 'webchat' }, providerMessageId: `bench-${i % n}`, from: { externalId: 'visitor:x' }, body: 'x' }),
    n,
  );
  rows.push({ name: 'receiveInbound (replayed message)', opsPerSecond: replay, baseline: 'inTransaction + appendEvent', baselineOpsPerSecond: eventOnly });

  // 2. The inbox's first page and a text search over `conversations` conversations, vs a bare
  //    ordered select of the same page. Bulk-loaded with SQL so the set-up takes seconds.
  await p.db.execute(sql`
    insert into customers (id, workspace_id, name, email, created_at, updated_at)
    select gen_random_uuid(), ${workspaceId}, 'Klant ' || g, 'klant' || g || '@example.nl', now(), now() from generate_series(1, ${conversations}) g`);
  await p.db.execute(sql`
    insert into conversations (id, workspace_id, channel_id, channel_type, customer_id, status, last_activity_at, created_at)
    select gen_random_uuid(), ${workspaceId}, ${channel.id}, 'webchat', c.id, (array['open','open','pending','resolved'])[1 + (row_number() over () % 4)],
           now() - (row_number() over ()) * interval '1 minute', now()
    from customers c where c.workspace_id = ${workspaceId} and c.name like 'Klant %'`);
  await p.db.execute(sql`
    insert into messages (id, workspace_id, conversation_id, channel_id, direction, author_type, body, status, created_at)
    select gen_random_uuid(), ${workspaceId}, id, ${channel.id}, 'inbound', 'customer',
           'Mijn bestelling ' || substr(md5(id::text), 1, 8) || ' is nog niet binnen', 'received', now()
    from conversations where workspace_id = ${workspaceId} and channel_type = 'webchat'`);
  await p.db.execute(sql`analyze`);
  const bare = await opsPerSecond(() => p.db.execute(sql`select * from conversations where workspace_id = ${workspaceId} order by last_activity_at desc, id desc limit 51`), n / 4);
  const firstPage = await opsPerSecond(() => listConversations(p.db, workspaceId, { activeOnly: true, limit: 51 }), n / 4);
  rows.push({ name: `inbox first page (${conversations} conversations)`, opsPerSecond: firstPage, baseline: 'bare ordered select of 51 rows', baselineOpsPerSecond: bare });
  const search = await opsPerSecond(() => listConversations(p.db, workspaceId, { activeOnly: true, q: 'bestelling', limit: 51 }), n / 10);
  rows.push({ name: 'inbox text search, first page', opsPerSecond: search, baseline: 'bare ordered select of 51 rows', baselineOpsPerSecond: bare });
  return rows;
}
