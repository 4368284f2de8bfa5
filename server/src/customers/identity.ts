/**
 * Identity resolution: which keys a customer can be recognised by across channels, and what to do
 * when two customers share one. Pure: the store keeps the keys, the service acts on the decision.
 *
 * The one rule that matters: a merge joins two people's histories, so it happens automatically
 * only when both sides hold the key *strongly* (proven by a channel, such as a WhatsApp number or a
 * signed widget user, or set by the organisation's own systems through the API) and the workspace's
 * rule allows automatic merges. Everything weaker (an address typed into a chat form, an e-mail
 * From header, which anyone can forge) becomes a suggestion an agent confirms or dismisses.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

export const ruleKinds = ['email', 'phone', 'attribute'] as const;
export type RuleKind = (typeof ruleKinds)[number];

const attributeName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,59}$/, 'letters, digits, _ and -');

export const matchingRuleSchema = z
  .object({
    /** Unique name, also the key's name in the store: `email`, `phone`, `attribute:customerNumber`. */
    kind: z.enum(ruleKinds),
    /** For `attribute` rules: the customer attribute holding the organisation's key. */
    attribute: attributeName.optional(),
    enabled: z.boolean(),
    /** Merge without asking when both customers hold the key strongly. */
    autoMerge: z.boolean(),
  })
  .refine((r) => (r.kind === 'attribute') === (r.attribute !== undefined), {
    message: 'an attribute rule names its attribute, other rules do not',
    path: ['attribute'],
  });
export type MatchingRule = z.infer<typeof matchingRuleSchema>;

export const identitySettingsSchema = z.object({
  /** ISO 3166 country for numbers written without a country code (06-12345678 in NL). */
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code such as NL')
    .refine((c) => isSupportedCountry(c), 'unknown country code'),
  rules: z
    .array(matchingRuleSchema)
    .max(20)
    .refine((rs) => new Set(rs.map(ruleName)).size === rs.length, 'each rule at most once'),
});
export type IdentitySettings = z.infer<typeof identitySettingsSchema>;

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  defaultCountry: 'NL',
  rules: [
    { kind: 'email', enabled: true, autoMerge: false },
    { kind: 'phone', enabled: true, autoMerge: true },
  ],
};

export function ruleName(rule: Pick<MatchingRule, 'kind' | 'attribute'>): string {
  return rule.kind === 'attribute' ? `attribute:${rule.attribute}` : rule.kind;
}

/** Lower-case, trimmed, one `@`, something on both sides; else null (not an address to match on). */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const value = raw.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : null;
}

/**
 * E.164 (`+31612345678`), reading national numbers in the workspace's country; null when the
 * number is not a possible one. `whatsapp:+31…` and `tel:` prefixes (provider addresses) are dropped.
 */
export function normalizePhone(raw: string | null | undefined, defaultCountry: string): string | null {
  if (!raw) return null;
  const text = raw.trim().replace(/^(whatsapp|tel|sms):/i, '');
  if (!/\d/.test(text)) return null;
  try {
    const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode);
    return parsed && parsed.isPossible() ? parsed.number : null;
  } catch {
    return null;
  }
}

/** What the resolver knows about a customer. */
export interface CustomerFacts {
  email: string | null;
  phone: string | null;
  attributes: Record<string, unknown>;
  identities: ReadonlyArray<{ channelType: string; externalId: string; verified: boolean }>;
}

export interface MatchKey {
  rule: string;
  value: string;
  strong: boolean;
}

const PHONE_CHANNELS = new Set(['sms', 'whatsapp', 'voice']);

/**
 * The keys of a customer under the enabled rules. One key per (rule, value); when a value is seen
 * both strongly and weakly, strong wins. Attribute keys are the organisation's own (a customer
 * number set by its systems or an agent, never by the customer), so they are strong.
 */
export function matchKeys(facts: CustomerFacts, settings: IdentitySettings): MatchKey[] {
  const keys = new Map<string, MatchKey>();
  const add = (rule: string, value: string | null, strong: boolean) => {
    if (!value) return;
    const id = `${rule}\u0000${value}`;
    const seen = keys.get(id);
    if (!seen || (strong && !seen.strong)) keys.set(id, { rule, value, strong });
  };
  for (const rule of settings.rules) {
    if (!rule.enabled) continue;
    const name = ruleName(rule);
    if (rule.kind === 'email') {
      add(name, normalizeEmail(facts.email), false);
      for (const i of facts.identities) if (i.channelType === 'email' || i.externalId.includes('@')) add(name, normalizeEmail(i.externalId), i.verified && i.channelType === 'email');
    } else if (rule.kind === 'phone') {
      add(name, normalizePhone(facts.phone, settings.defaultCountry), false);
      for (const i of facts.identities) {
        if (!PHONE_CHANNELS.has(i.channelType)) continue;
        // WhatsApp ids (Meta's wa_id) are international numbers without the plus.
        const raw = i.channelType === 'whatsapp' && /^\d{8,15}$/.test(i.externalId) ? `+${i.externalId}` : i.externalId;
        add(name, normalizePhone(raw, settings.defaultCountry), i.verified);
      }
    } else {
      const value = facts.attributes[rule.attribute!];
      const text = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
      add(name, text === '' ? null : text, true);
    }
  }
  return [...keys.values()].sort((a, b) => (a.rule + a.value < b.rule + b.value ? -1 : 1));
}

export type MatchDecision =
  | { action: 'merge'; rule: string; value: string }
  | { action: 'suggest'; rule: string; value: string }
  | { action: 'none' };

/**
 * What to do with two customers given their keys: merge when a shared key is strong on both sides
 * under a rule that allows it, suggest when they share any key, nothing otherwise. `blocked` pairs
 * (dismissed, or unmerged by a person) are never merged or suggested again.
 */
export function decideMatch(a: readonly MatchKey[], b: readonly MatchKey[], settings: IdentitySettings, blocked = false): MatchDecision {
  if (blocked) return { action: 'none' };
  const autoMerge = new Set(settings.rules.filter((r) => r.enabled && r.autoMerge).map(ruleName));
  const other = new Map(b.map((k) => [`${k.rule}\u0000${k.value}`, k]));
  let suggestion: MatchDecision = { action: 'none' };
  for (const key of a) {
    const match = other.get(`${key.rule}\u0000${key.value}`);
    if (!match) continue;
    if (key.strong && match.strong && autoMerge.has(key.rule)) return { action: 'merge', rule: key.rule, value: key.value };
    if (suggestion.action === 'none') suggestion = { action: 'suggest', rule: key.rule, value: key.value };
  }
  return suggestion;
}

/** Profile fields the survivor lacks and the merged customer has: taken over by the merge. */
export function profileFill(
  survivor: Record<'name' | 'email' | 'phone' | 'language', string | null>,
  merged: Record<'name' | 'email' | 'phone' | 'language', string | null>,
): Record<string, string> {
  const fill: Record<string, string> = {};
  for (const key of ['name', 'email', 'phone', 'language'] as const) {
    const value = merged[key];
    if (value && !survivor[key]) fill[key] = value;
  }
  return fill;
}
