/**
 * Outcomes, wrap-up and surveys: the pure rules (no I/O). What an outcome kind means, how a
 * wrap-up is checked, how a survey answer is read from a customer's message, and the settings.
 */
import { z } from 'zod';

// ------------------------------------------------------------------ outcome kinds

/**
 * The outcome kinds. `revenue` kinds carry an amount (revenue per contact, sales); to add one,
 * add a line here (and its label in the web app's locale files).
 */
export const OUTCOME_KINDS = {
  sale: { revenue: true },
  upsell: { revenue: true },
  cross_sell: { revenue: true },
  retention_saved: { revenue: false },
  complaint_resolved: { revenue: false },
  information: { revenue: false },
  none: { revenue: false },
} as const satisfies Record<string, { revenue: boolean }>;
export type OutcomeKind = keyof typeof OUTCOME_KINDS;
export const outcomeKinds = Object.keys(OUTCOME_KINDS) as [OutcomeKind, ...OutcomeKind[]];

export const isRevenueKind = (kind: string | null | undefined): boolean => !!kind && kind in OUTCOME_KINDS && OUTCOME_KINDS[kind as OutcomeKind].revenue;

// ------------------------------------------------------------------ money

/** ISO 4217 codes the runtime knows (Intl's list: current codes, no funds or test codes). */
const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));

export function isIsoCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && ISO_4217.has(code);
}

/**
 * An amount in major units (49.95, or "49.95" / "49,95") to hundredths, or an error message.
 * At most 2 decimals, not negative, below 10^13 so cents stay exact integers.
 */
export function amountToCents(amount: number | string): { cents: number } | { error: string } {
  const text = typeof amount === 'number' ? (Number.isFinite(amount) ? String(amount) : '') : amount.trim();
  const m = /^(\d+)(?:[.,](\d+))?$/.exec(text);
  if (typeof amount === 'number' && amount < 0) return { error: 'must not be negative' };
  if (!m) return { error: 'must be a number of at least 0, like 49.95' };
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) return { error: 'has more than 2 decimals' };
  if (m[1]!.replace(/^0+/, '').length > 13) return { error: 'is too large' };
  return { cents: Number(m[1]) * 100 + Number(fraction.padEnd(2, '0')) };
}

export const centsToAmount = (cents: number) => cents / 100;

// ------------------------------------------------------------------ wrap-up

export interface DispositionRef {
  code: string;
  outcome: string | null;
  active: boolean;
}

export interface WrapUpInput {
  disposition: string;
  outcome?: string | null;
  amount?: number | string | null;
  currency?: string | null;
  note?: string | null;
}

export interface CheckedWrapUp {
  disposition: string;
  outcome: OutcomeKind | null;
  amountCents: number | null;
  currency: string | null;
  note: string | null;
}

export type FieldError = { field: string; message: string };

/**
 * Checks a wrap-up against the workspace's codes: the code must exist and be active; the outcome
 * is the one given or else the one the code implies; a revenue outcome (a sale) needs an amount;
 * an amount gets a currency (the workspace's by default). Returns the first problem by field.
 */
export function checkWrapUp(input: WrapUpInput, codes: DispositionRef[], defaultCurrency: string): { ok: CheckedWrapUp } | { error: FieldError } {
  const code = codes.find((c) => c.code === input.disposition);
  if (!code) return { error: { field: 'disposition', message: `"${input.disposition}" is not a disposition code of this workspace` } };
  if (!code.active) return { error: { field: 'disposition', message: `"${input.disposition}" is no longer in use` } };
  const outcome = input.outcome ?? code.outcome ?? null;
  if (outcome !== null && !(outcome in OUTCOME_KINDS)) return { error: { field: 'outcome', message: `"${outcome}" is not an outcome kind (${outcomeKinds.join(', ')})` } };
  let amountCents: number | null = null;
  if (input.amount !== undefined && input.amount !== null && input.amount !== '') {
    const parsed = amountToCents(input.amount);
    if ('error' in parsed) return { error: { field: 'amount', message: `amount ${parsed.error}` } };
    amountCents = parsed.cents;
  }
  if (amountCents === null && isRevenueKind(outcome)) return { error: { field: 'amount', message: `amount is required for the outcome ${outcome}` } };
  let currency: string | null = null;
  if (input.currency !== undefined && input.currency !== null && input.currency !== '') {
    currency = input.currency.trim().toUpperCase();
    if (!isIsoCurrency(currency)) return { error: { field: 'currency', message: `"${input.currency}" is not an ISO 4217 currency code` } };
  }
  const note = input.note?.trim() || null;
  return {
    ok: {
      disposition: code.code,
      outcome: outcome as OutcomeKind | null,
      amountCents,
      // A currency only means something next to an amount.
      currency: amountCents === null ? null : (currency ?? defaultCurrency),
      note,
    },
  };
}

// ------------------------------------------------------------------ settings

export const wrapUpModes = ['off', 'optional', 'required'] as const;
export type WrapUpMode = (typeof wrapUpModes)[number];
export const surveyKinds = ['csat', 'nps'] as const;
export type SurveyKind = (typeof surveyKinds)[number];
export type Language = 'nl' | 'en';

/** Channels where a survey cannot be asked (a call is over when it is resolved). */
export const SURVEYLESS_CHANNELS = new Set(['voice']);

const surveySettingsSchema = z.object({
  enabled: z.boolean(),
  kind: z.enum(surveyKinds),
  /** Empty: the standard question for the kind. */
  question: z.object({ nl: z.string().trim().max(500), en: z.string().trim().max(500) }),
  /** How long after sending an answer counts. */
  windowHours: z.number().int().min(1).max(24 * 14),
});
export type SurveySettings = z.infer<typeof surveySettingsSchema>;

export const outcomeSettingsSchema = z.object({
  wrapUp: z.object({
    mode: z.enum(wrapUpModes),
    /** In 'required' mode: after this long the task ends anyway and the agent's capacity is freed. */
    maxSeconds: z.number().int().min(10).max(24 * 3600),
  }),
  /** By channel type (webchat, whatsapp, sms...); a type without an entry sends no survey. */
  surveys: z.record(
    z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a channel type'),
    surveySettingsSchema,
  ).refine((s) => !Object.entries(s).some(([type, v]) => v.enabled && SURVEYLESS_CHANNELS.has(type)), { message: 'surveys on voice are not supported' }),
});
export type OutcomeSettings = z.infer<typeof outcomeSettingsSchema>;

export const defaultOutcomeSettings = (): OutcomeSettings => ({ wrapUp: { mode: 'optional', maxSeconds: 120 }, surveys: {} });

// ------------------------------------------------------------------ surveys

export const SCORE_RANGE: Record<SurveyKind, { min: number; max: number }> = { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 } };

const DEFAULT_QUESTIONS: Record<SurveyKind, Record<Language, string>> = {
  csat: { nl: 'Hoe tevreden bent u over onze hulp?', en: 'How satisfied are you with our help?' },
  nps: { nl: 'Hoe waarschijnlijk is het dat u ons aanbeveelt aan vrienden of collega’s?', en: 'How likely are you to recommend us to a friend or colleague?' },
};
const HINTS: Record<Language, (min: number, max: number) => string> = {
  nl: (min, max) => `Antwoord met een cijfer van ${min} tot ${max}.`,
  en: (min, max) => `Reply with a number from ${min} to ${max}.`,
};

/** The button value of a score: prefixed, so an old bot button ("1") is never read as a rating. */
export const surveyChoiceValue = (score: number) => `survey:${score}`;

export interface SurveyQuestion {
  body: string;
  /** Web chat: one button per score. */
  buttons?: Array<{ label: string; value: string }>;
}

/** The survey as a message: buttons on web chat, the question and how to answer on text channels. */
export function surveyQuestion(settings: SurveySettings, language: string | null, channelType: string): SurveyQuestion {
  const lang: Language = language === 'en' ? 'en' : 'nl';
  const question = settings.question[lang] || DEFAULT_QUESTIONS[settings.kind][lang];
  const { min, max } = SCORE_RANGE[settings.kind];
  if (channelType === 'webchat') {
    const buttons = [];
    for (let score = min; score <= max; score++) buttons.push({ label: String(score), value: surveyChoiceValue(score) });
    return { body: question, buttons };
  }
  return { body: `${question}\n${HINTS[lang](min, max)}` };
}

/**
 * Reads a survey answer: a survey button, or a message that is just a number in the kind's range,
 * tolerantly ("  4 ", "5!", "8/10", "9 / 10"). A scale after the slash must be the kind's own
 * (an "8/10" is no CSAT answer). Null when the message is something else.
 */
export function parseSurveyAnswer(kind: SurveyKind, message: { body: string; choice?: unknown }): number | null {
  const { min, max } = SCORE_RANGE[kind];
  let score: number;
  if (typeof message.choice === 'string' && message.choice) {
    const m = /^survey:(\d{1,2})$/.exec(message.choice);
    if (!m) return null;
    score = Number(m[1]);
  } else {
    const m = /^\s*(\d{1,2})\s*(?:\/\s*(\d{1,2})\s*)?[!.]*\s*$/u.exec(message.body);
    if (!m) return null;
    if (m[2] !== undefined && Number(m[2]) !== max) return null;
    score = Number(m[1]);
  }
  return score >= min && score <= max ? score : null;
}
