import type { ChannelAdapter } from './contract.ts';
import { telegramAdapter } from './telegram/index.ts';
import { webchatAdapter } from './webchat/index.ts';

/** Every channel adapter; a new channel is one folder and one line here. */
export const channelAdapters: ChannelAdapter[] = [webchatAdapter, telegramAdapter];

export function adapterFor(type: string, provider: string): ChannelAdapter | undefined {
  return channelAdapters.find((a) => a.type === type && a.provider === provider);
}
