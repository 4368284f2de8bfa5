// Proactive campaigns, the pure part: which customers a segment selects, which time zone a
// customer lives in, when quiet hours allow a send there, and how a channel's per-minute rate spreads
// the sends (docs/automation.md, "Campaigns"). No clock, no database: the service passes `now`,
// rows and the workspace's time zone in.
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

export const attributeOps = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists'] as const;
export const attributeConditionSchema = z.object({
  key: z.string().min(1).max(100),
  op: z.enum(attributeOps),
  /** Compared as a number by gt/gte/lt/lte, as text by contains (case-insensitive); exists ignores it. */
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
});
export type AttributeCondition = z.infer<typeof attributeConditionSchema>;

/** Whether a customer's attribute meets one condition; a missing attribute meets only `ne`. */
export function attributeMatches(attributes: Record<string, unknown>, c: AttributeCondition): boolean {
  const actual = attributes[c.key];
  if (c.op === 'exists') return actual !== undefined && actual !== null && actual !== '';
  if (actual === undefined || actual === null) return c.op === 'ne';
  switch (c.op) {
    case 'eq':
      return actual === c.value || (typeof actual !== 'object' && c.value !== undefined && String(actual) === String(c.value));
    case 'ne':
      return !(actual === c.value || (typeof actual !== 'object' && c.value !== undefined && String(actual) === String(c.value)));
    case 'contains':
      return String(actual).toLowerCase().includes(String(c.value ?? '').toLowerCase());
    default: {
      const a = typeof actual === 'number' ? actual : Number(actual);
      const b = typeof c.value === 'number' ? c.value : Number(c.value);
      if (!Number.isFinite(a) || !Number.isFinite(b) || actual === '' || c.value === '') return false;
      return c.op === 'gt' ? a > b : c.op === 'gte' ? a >= b : c.op === 'lt' ? a < b : a <= b;
    }
  }
}

/** Who a campaign is for. Every condition given must hold (AND); an empty segment is every customer. */
export const segmentSchema = z.object({
  /** The customer's value tier (customers.attributes.valueTier) is one of these. */
  valueTiers: z.array(valueTier).min(1).optional(),
  /** churnRisk (0..1, customers.attributes.churnRisk) at least this; unscored customers never match. */
  minChurnRisk: z.number().min(0).max(1).optional(),
  /** Attributes that must equal these values exactly (strings, numbers, booleans). */
  attributes: z.record(z.string().min(1).max(100), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Attribute conditions with an operator (the web app's key/op/value rows); all must hold. */
  attributeConditions: z.array(attributeConditionSchema).max(20).optional(),
  /**
   * Only customers with an identity on the campaign's channel type. Off: those without one are
   * listed as skipped (`no_identity`), which shows how much of the segment the channel misses.
   */
  hasIdentity: z.boolean().default(true),
});
export type Segment = z.infer<typeof segmentSchema>;

const hhmm = z.string().refine((v) => parseHhmm(v) !== null && v !== '24:00', 'must be HH:MM');
/** A daily window without sends, in each recipient's own time zone (customerTimeZone); it may span midnight (21:00–09:00). */
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
  for (const condition of segment.attributeConditions ?? []) if (!attributeMatches(c.attributes, condition)) return false;
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
 * When each recipient is due, given each one's time zone (`zones[i]`): sends sit on one grid,
 * 60/rate seconds apart from `start`, so the channel never gets more than `ratePerMinute` a
 * minute however the zones mix. Each recipient takes the first free grid slot at or after the end of
 * quiet hours in their own zone, so a recipient in New York waits out the night there while one
 * in Amsterdam takes the slot. Recipients of one zone keep their order.
 */
export function pacedSendTimes(zones: readonly string[], start: number, ratePerMinute: number, quiet: QuietHours | null): number[] {
  const spacing = 60_000 / Math.max(1, ratePerMinute);
  const slotAt = (k: number) => Math.round(start + k * spacing);
  const firstSlotAtOrAfter = (t: number) => Math.max(0, Math.ceil((t - start) / spacing - 1e-9));
  // Taken slots, with a "next free slot" pointer per slot (a union-find without ranks).
  const nextFree = new Map<number, number>();
  const free = (k: number): number => {
    let root = k;
    while (nextFree.has(root)) root = nextFree.get(root)!;
    for (let j = k; j !== root; ) {
      const after = nextFree.get(j)!;
      nextFree.set(j, root);
      j = after;
    }
    return root;
  };
  // Where the previous recipient of a zone went: the next one of that zone searches from there.
  const zoneCursor = new Map<string, number>();
  return zones.map((zone) => {
    let k = free(zoneCursor.get(zone) ?? firstSlotAtOrAfter(nextSendableAt(start, quiet, zone)));
    // A free slot far down the grid may fall in the next night: wait that one out as well.
    for (let guard = 0; isQuiet(slotAt(k), quiet, zone) && guard < 400; guard++) k = free(firstSlotAtOrAfter(nextSendableAt(slotAt(k), quiet, zone)));
    nextFree.set(k, k + 1);
    zoneCursor.set(zone, k + 1);
    return slotAt(k);
  });
}

/**
 * The campaign rate of a channel that sets none: a minute's worth that no provider the product
 * supports refuses, low enough that a burst does not look like spam.
 */
export const DEFAULT_CHANNEL_CAMPAIGN_RATE = 60;

/** What may go out a minute: the channel's rate, lowered by the campaign's own cap when it has one. */
export function effectiveRate(channelRate: number | null, campaignRate: number | null): number {
  const channel = channelRate ?? DEFAULT_CHANNEL_CAMPAIGN_RATE;
  return campaignRate ? Math.min(channel, campaignRate) : channel;
}

// ---------------------------------------------------------------------------------------------
// The customer's time zone

/**
 * The main time zone per country calling code, for the countries the product serves. A country
 * that spans zones is given its capital's (US and Canada: Eastern; +1 also covers the Caribbean
 * NANP islands, which this gets wrong): set the customer's `timeZone` attribute for those.
 * Longest prefix wins.
 */
export const CALLING_CODE_ZONES: Readonly<Record<string, string>> = {
  '1': 'America/New_York',
  '31': 'Europe/Amsterdam',
  '32': 'Europe/Brussels',
  '33': 'Europe/Paris',
  '34': 'Europe/Madrid',
  '39': 'Europe/Rome',
  '41': 'Europe/Zurich',
  '43': 'Europe/Vienna',
  '44': 'Europe/London',
  '45': 'Europe/Copenhagen',
  '46': 'Europe/Stockholm',
  '47': 'Europe/Oslo',
  '48': 'Europe/Warsaw',
  '49': 'Europe/Berlin',
  '297': 'America/Aruba',
  '351': 'Europe/Lisbon',
  '352': 'Europe/Luxembourg',
  '353': 'Europe/Dublin',
  '597': 'America/Paramaribo',
  // Curaçao, Sint Maarten and the Caribbean Netherlands: all UTC-4 without summer time.
  '599': 'America/Curacao',
};

const zoneValidity = new Map<string, boolean>();
export function isIanaTimeZone(value: string): boolean {
  let valid = zoneValidity.get(value);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      // "UTC+1"-like offsets and abbreviations pass Intl in some versions; an IANA name has a slash or is UTC.
      valid = value === 'UTC' || /^[A-Za-z_]+(\/[A-Za-z0-9_+\-]+)+$/.test(value);
    } catch {
      valid = false;
    }
    zoneValidity.set(value, valid);
  }
  return valid;
}

/** The zone of an E.164 number's country (`+31…`), or null for a number or country not in the table. */
export function zoneOfPhone(phone: string | null | undefined): string | null {
  const digits = phone?.trim().match(/^\+(\d{6,15})$/)?.[1];
  if (!digits) return null;
  for (let length = 3; length >= 1; length--) {
    const zone = CALLING_CODE_ZONES[digits.slice(0, length)];
    if (zone) return zone;
  }
  return null;
}

/**
 * Where a customer lives, for quiet hours: their `timeZone` attribute when it is a valid IANA
 * zone, else their phone number's country, else the workspace's zone.
 */
export function customerTimeZone(customer: { attributes: Record<string, unknown>; phone: string | null }, workspaceZone: string): string {
  const attribute = customer.attributes.timeZone;
  if (typeof attribute === 'string' && isIanaTimeZone(attribute)) return attribute;
  return zoneOfPhone(customer.phone) ?? workspaceZone;
}

/** How many more may be sent now on a channel, given how many went out in the last minute. */
export function sendBudget(ratePerMinute: number, sentInLastMinute: number): number {
  return Math.max(0, ratePerMinute - sentInLastMinute);
}
