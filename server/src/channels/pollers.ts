import type { Platform } from '../platform/platform.ts';
import type { ChannelRow } from './channels.store.ts';
import { claimPollTurn, enabledChannelsOf, getChannelState, setChannelState } from './channels.store.ts';
import type { ChannelAdapter, PollState } from './contract.ts';
import { contextOf, storeInboundEvents } from './inbound.ts';

/** A channel's durable polling state, in channel_state. */
export function pollStateOf(p: Platform, channel: ChannelRow): PollState {
  return {
    get: (key) => getChannelState(p.db, channel.id, key),
    set: (key, value) => setChannelState(p.db, channel.id, key, value, p.clock.now()),
  };
}

/**
 * One polling pass of one channel: what the provider has new is stored like a webhook's
 * events. The adapter advances its cursor only after `storeInboundEvents` returned, so a crash
 * in between repeats a pass (idempotent) rather than skipping one.
 */
export async function pollChannelOnce(p: Platform, adapter: ChannelAdapter, channel: ChannelRow): Promise<number> {
  if (!adapter.poll) return 0;
  const staged: Array<[string, unknown]> = [];
  const durable = pollStateOf(p, channel);
  const state: PollState = {
    get: async (key) => {
      const pending = staged.findLast(([k]) => k === key);
      return (pending ? pending[1] : await durable.get(key)) as never;
    },
    set: async (key, value) => void staged.push([key, value]),
  };
  const events = await adapter.poll.run(contextOf(p, adapter, channel), state);
  await storeInboundEvents(p, channel, events, { lookupProfiles: Boolean(adapter.lookupProfile) });
  for (const [key, value] of staged) await durable.set(key, value);
  return events.length;
}

/**
 * Runs every polling adapter's channels at their own intervals (checked every few seconds). The
 * turn is claimed in the database, so several nodes do not poll the same channel twice.
 */
export function startPollers(p: Platform, adapters: ChannelAdapter[]): void {
  const polling = adapters.filter((a) => a.poll);
  if (polling.length === 0) return;
  p.jobs.every('channels.poll', 5_000, async () => {
    for (const adapter of polling) {
      for (const channel of await enabledChannelsOf(p.db, adapter.type, adapter.provider)) {
        const ctx = contextOf(p, adapter, channel);
        if (!(await claimPollTurn(p.db, channel.id, p.nodeId, p.clock.now(), adapter.poll!.intervalMs(ctx.config)))) continue;
        try {
          await pollChannelOnce(p, adapter, channel);
        } catch (error) {
          p.log.warn({ err: error, channelId: channel.id }, 'channel poll failed');
        }
      }
    }
  });
}
