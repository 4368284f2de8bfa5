/** SLA settings and clocks as the server's /api/sla and /api/conversations/:id/sla speak them. */
export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];
export const SLA_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type SlaPriority = (typeof SLA_PRIORITIES)[number];
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '0'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Channel types a policy can name (the medium, as routing and reports see it). */
export const SLA_CHANNEL_TYPES = ['webchat', 'email', 'whatsapp', 'sms', 'voice', 'messenger', 'instagram', 'telegram', 'x', 'youtube', 'api'] as const;
export const VALUE_TIERS = ['platinum', 'gold', 'silver', 'bronze', 'none'] as const;

export interface Holiday {
  date: string;
  name: string;
}

export interface SlaCalendar {
  id: string;
  name: string;
  timeZone: string;
  alwaysOpen: boolean;
  week: Partial<Record<Weekday, Array<[string, string]>>>;
  holidays: Holiday[];
  updatedAt: string;
}
export type SlaCalendarInput = Omit<SlaCalendar, 'id' | 'updatedAt'>;

export type WarningRule = { kind: 'percent'; percent: number } | { kind: 'before'; seconds: number };

export interface SlaPolicy {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  conditions: { channels: string[]; queueIds: string[]; priorities: SlaPriority[]; valueTiers: string[] };
  targets: Partial<Record<SlaMetric, number>>;
  warning: WarningRule;
  calendarId: string | null;
  escalation: { raisePriorityTo: 'high' | 'urgent' | null; moveToQueueId: string | null; notify: boolean };
  updatedAt: string;
}
export type SlaPolicyInput = Omit<SlaPolicy, 'id' | 'updatedAt'>;

export type ClockState = 'running' | 'paused' | 'met' | 'breached';

export interface SlaClock {
  metric: SlaMetric;
  cycle: number;
  state: ClockState;
  startedAt: string;
  completedAt: string | null;
  dueAt: string | null;
  warnAt: string | null;
  targetSeconds: number;
  elapsedSeconds: number;
  remainingSeconds: number;
  warnedAt: string | null;
  breachedAt: string | null;
}

export interface ConversationSla {
  policy: { id: string; name: string } | null;
  clocks: SlaClock[];
}
