// The webhook path of a channel (HTTP, signature check, parse, store, answer) against storing the
// same message with receiveInbound directly: the cost of the endpoint around the one inbound path.
// Every message is a new customer's first, on both sides.
import type { FastifyInstance } from 'fastify';
import { insertChannel } from '../../server/src/channels/channels.store.ts';
import { receiveInbound } from '../../server/src/conversations/receive.ts';
import { createWorkspace } from '../../server/src/platform/auth/auth.service.ts';
import type { RunningPlatform } from '../../server/src/platform/create.ts';
import { inTransaction } from '../../server/src/platform/events/events.ts';
import { opsPerSecond, type Row } from './measure.ts';

export async function channelBenchmarks(p: RunningPlatform, app: FastifyInstance, n: number): Promise<Row[]> {
  const workspace = await createWorkspace(p, { slug: 'bench-channels', name: 'Channels' });
  const secret = 'bench-webhook-secret-0001';
  const channel = await inTransaction(p, (tx) =>
    insertChannel(
      tx,
      workspace.id,
      { type: 'telegram', provider: 'telegram', name: 'Telegram', config: {}, secrets: p.secrets.seal({ botToken: '1:abcdefghijklmnopqrstuvwxyz', webhookSecret: secret }) },
      p.clock.now(),
    ),
  );
  const update = (i: number) =>
    JSON.stringify({
      update_id: i,
      message: { message_id: i, from: { id: 200_000 + i, is_bot: false, first_name: 'Klant' }, chat: { id: 200_000 + i, type: 'private' }, date: 1_795_000_000 + i, text: `Vraag ${i}` },
    });
  const direct = await opsPerSecond(
    (i) =>
      receiveInbound(p, {
        workspaceId: workspace.id,
        channel: { id: channel.id, type: 'telegram' },
        providerMessageId: `direct:${i}`,
        from: { externalId: String(100_000 + i), profile: { name: 'Klant' } },
        body: `Vraag ${i}`,
      }),
    n,
  );
  const url = `/channels/telegram/${channel.id}/webhook`;
  const webhook = await opsPerSecond(async (i) => {
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, payload: update(i) });
    if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
  }, n);
  return [{ name: 'Telegram webhook (verify, parse, store, answer)', opsPerSecond: webhook, baseline: 'receiveInbound alone', baselineOpsPerSecond: direct }];
}
