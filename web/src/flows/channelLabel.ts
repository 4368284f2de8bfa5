import type { TFunction } from 'i18next';

/** Channel types the desk already has a name for (inbox.channels.*); voice is the phone channel. */
const KNOWN = ['webchat', 'email', 'whatsapp', 'sms', 'phone', 'facebook', 'instagram', 'api', 'telegram', 'messenger', 'x', 'youtube', 'video'] as const;
type Known = (typeof KNOWN)[number];

export function channelLabel(t: TFunction, type: string): string {
  const key = type === 'voice' ? 'phone' : type;
  return (KNOWN as readonly string[]).includes(key) ? t(`inbox.channels.${key as Known}`) : type;
}
