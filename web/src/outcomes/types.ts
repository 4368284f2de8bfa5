/** Mirrors server/src/outcomes (docs/analytics.md, "Outcomes and surveys"). */
export const OUTCOME_KINDS = ['sale', 'upsell', 'cross_sell', 'retention_saved', 'complaint_resolved', 'information', 'none'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
export const WRAP_UP_MODES = ['off', 'optional', 'required'] as const;
export type WrapUpMode = (typeof WRAP_UP_MODES)[number];
export const SURVEY_KINDS = ['csat', 'nps'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
/** Channel types a survey can be asked on (voice cannot: the call is over when it is resolved). */
export const SURVEY_CHANNEL_TYPES = ['webchat', 'email', 'whatsapp', 'sms', 'messenger', 'instagram', 'telegram', 'x', 'api'] as const;

export interface Disposition {
  id: string;
  code: string;
  labelNl: string;
  labelEn: string;
  outcome: OutcomeKind | null;
  active: boolean;
  position: number;
}
export type DispositionInput = Omit<Disposition, 'id'>;

export interface SurveySettings {
  enabled: boolean;
  kind: SurveyKind;
  question: { nl: string; en: string };
  windowHours: number;
}
export interface OutcomeSettings {
  wrapUp: { mode: WrapUpMode; maxSeconds: number };
  surveys: Record<string, SurveySettings>;
}

export interface WrapUp {
  id: string;
  conversationId: string;
  taskId: string | null;
  agentId: string | null;
  disposition: string;
  outcome: OutcomeKind | null;
  amount: number | null;
  currency: string | null;
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}
export interface SurveyView {
  id: string;
  kind: SurveyKind;
  status: 'pending' | 'answered' | 'expired';
  score: number | null;
  agentId: string | null;
  sentAt: string;
  expiresAt: string;
  settledAt: string | null;
}
export interface WrapUpState {
  mode: WrapUpMode;
  maxSeconds: number;
  /** Routing waits for this wrap-up (after-contact work holds the agent's capacity). */
  awaiting: boolean;
  wrapUp: WrapUp | null;
  surveys: SurveyView[];
}
export interface WrapUpInput {
  disposition: string;
  outcome?: OutcomeKind | null;
  amount?: number | null;
  currency?: string | null;
  note?: string | null;
}

/** Outcome kinds that carry an amount (revenue). */
export const REVENUE_KINDS: ReadonlySet<string> = new Set(['sale', 'upsell', 'cross_sell']);
