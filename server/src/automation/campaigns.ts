// Proactive campaigns, the pure part: which customers a segment selects, when quiet hours allow a
// send, and how a per-minute rate spreads the sends (docs/automation.md, "Campaigns"). No clock,
// no database: the service passes `now`, rows and the workspace's time zone in.
import { z } from 'zod';
import { parseHhmm } from '../analytics/sla.calendar.ts';

export const campaignChannelTypes = ['email', 'sms', 'whatsapp'] as const;
export const campaignStatuses = ['draft', 'scheduled', 'sending', 'done', 'canceled'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** Why a recipient got no message: decided at launch, or again at the moment of sending. */
export const skipReasons = ['opted_out', 'no_identity', 'erased', 'canceled', 'failed'] as const;
export type SkipReason = (typeof skipReasons)[number];
export const recipientStatuses = ['pending', 'sent', ...skipReasons] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

const valueTier = z.enum(['platinum', 'gold', 'silver', 'bronze', 'none']);

/** Who a campaign is for. Every condition given must hold (AND); an empty segment is every customer. */
export const segmentSchema = z.object({
  /** The customer's value tier (customers.attributes.valueTier) is one of these. */
  valueTiers: z.array(valueTier).min(1).optional(),
  /** churnRisk (0..1, customers.attributes.churnRisk) at least this; unscored customers never match. */
  minChurnRisk: z.number().min(0).max(1).optional(),
  /** Attributes that must equal these values exactly (strings, numbers, booleans). */
  attributes: z.record(z.string().min(1).max(100), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /**
   * Only customers with an identity on the campaign's channel type. Off: those without one are
   * listed as skipped (`no_identity`), which shows how much of the segment the channel misses.
   */
  hasIdentity: z.boolean().default(true),
});
export type Segment = z.infer<typeof segmentSchema>;

const hhmm = z.string().refine((v) => parseHhmm(v) !== null && v !== '24:00', 'must be HH:MM');
/** A daily window without sends, in the workspace's time zone; it may span midnight (21:00–09:00). */
export const quietHoursSchema = z.object({ start: hhmm, end: hhmm }).refine((q) => q.start !== q.end, 'start and end must differ');
export type QuietHours = z.infer<typeof quietHoursSchema>;

/** The customer fields a segment looks at. */
export interface SegmentCandidate {
  attributes: Record<string, unknown>;
  erased: boolean;
  /** The customer's identity on the campaign's channel type, if any. */
  identity: { optedOut: boolean } | null;
}

/** Whether a customer belongs to the segment (before consent: opted-out members are in it, and skipped). */
export function inSegment(segment: Segment, c: SegmentCandidate): boolean {
  if (segment.valueTiers && !segment.valueTiers.includes(c.attributes.valueTier as never)) return false;
  if (segment.minChurnRisk !== undefined) {
    const risk = c.attributes.churnRisk;
    if (typeof risk !== 'number' || risk < segment.minChurnRisk) return false;
  }
  for (const [key, value] of Object.entries(segment.attributes ?? {})) if (c.attributes[key] !== value) return false;
  // An erased customer has no identities left; they are listed as erased, not as lacking one.
  if (segment.hasIdentity && !c.identity && !c.erased) return false;
  return true;
}

/** What launch records for a segment member: pending (to be sent), or the reason it is skipped. */
export function launchStatus(c: SegmentCandidate): 'pending' | SkipReason {
  if (c.erased) return 'erased';
  if (!c.identity) return 'no_identity';
  if (c.identity.optedOut) return 'opted_out';
  return 'pending';
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();
/** Minutes after local midnight at an instant, in a zone. */
export function localMinuteOfDay(at: number, timeZone: string): number {
  let f = wallFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' });
    wallFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return (Number(parts.hour) % 24) * 60 + Number(parts.minute);
}

export function isQuiet(at: number, quiet: QuietHours | null, timeZone: string): boolean {
  if (!quiet) return false;
  const start = parseHhmm(quiet.start)!;
  const end = parseHhmm(quiet.end)!;
  const m = localMinuteOfDay(at, timeZone);
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/**
 * The first instant at or after `at` outside quiet hours: `at` itself, or the local minute the
 * quiet window ends. Walks minute by minute (at most a day), so days on which the clocks change
 * need no special case.
 */
export function nextSendableAt(at: number, quiet: QuietHours | null, timeZone: string): number {
  if (!isQuiet(at, quiet, timeZone)) return at;
  // To the start of the next whole minute, then a minute at a time.
  let t = Math.floor(at / 60_000) * 60_000 + 60_000;
  for (let i = 0; i <= 25 * 60; i++, t += 60_000) if (!isQuiet(t, quiet, timeZone)) return t;
  return t;
}

/**
 * When each of `count` recipients is due: evenly spaced at `ratePerMinute` (60/rate seconds apart),
 * starting at `start`; a send that would fall in quiet hours waits for their end, and the ones after
 * it keep their spacing from there.
 */
export function pacedSendTimes(count: number, start: number, ratePerMinute: number, quiet: QuietHours | null, timeZone: string): number[] {
  const spacing = 60_000 / Math.max(1, ratePerMinute);
  const times: number[] = [];
  let t = start;
  for (let i = 0; i < count; i++) {
    t = nextSendableAt(t, quiet, timeZone);
    times.push(Math.round(t));
    t += spacing;
  }
  return times;
}

/** How many more may be sent now on a channel, given how many went out in the last minute. */
export function sendBudget(ratePerMinute: number, sentInLastMinute: number): number {
  return Math.max(0, ratePerMinute - sentInLastMinute);
}
