import type { TFunction } from 'i18next';
import type { ConversationStatus, Priority } from '../../types';

const KNOWN_CHANNELS = ['webchat', 'email', 'whatsapp', 'sms', 'phone', 'facebook', 'messenger', 'instagram', 'telegram', 'x', 'youtube', 'api'] as const;
type KnownChannel = (typeof KNOWN_CHANNELS)[number];

/** Translated channel name; unknown channel types show as-is. */
export function channelName(t: TFunction, type: string): string {
  return (KNOWN_CHANNELS as readonly string[]).includes(type) ? t(`inbox.channels.${type as KnownChannel}`) : type;
}

/** Marker colour per priority; normal has none. */
export const PRIORITY_COLORS: Record<Priority, string | null> = { low: null, normal: null, high: 'orange', urgent: 'red' };

export const STATUS_COLORS: Record<ConversationStatus, string> = { open: 'blue', pending: 'grape', snoozed: 'yellow', resolved: 'green' };
