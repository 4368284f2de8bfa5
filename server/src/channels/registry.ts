import type { ChannelAdapter } from './contract.ts';
import { apiChannelAdapter } from './api/index.ts';
import { instagramAdapter, messengerAdapter, whatsappCloudAdapter } from './meta/index.ts';
import { telegramAdapter } from './telegram/index.ts';
import { twilioSmsAdapter, twilioWhatsAppAdapter } from './twilio/index.ts';
import { webchatAdapter } from './webchat/index.ts';
import { xAdapter } from './x/index.ts';
import { youtubeAdapter } from './youtube/index.ts';
import { emailAdapter } from './email/index.ts';

import { voiceAdapter } from './voice/index.ts';

/** Every channel adapter; a new channel is one folder and one line here. */
export const channelAdapters: ChannelAdapter[] = [webchatAdapter, emailAdapter, telegramAdapter, xAdapter, youtubeAdapter, twilioSmsAdapter, twilioWhatsAppAdapter, whatsappCloudAdapter, messengerAdapter, instagramAdapter, apiChannelAdapter, voiceAdapter];

export function adapterFor(type: string, provider: string): ChannelAdapter | undefined {
  return channelAdapters.find((a) => a.type === type && a.provider === provider);
}
