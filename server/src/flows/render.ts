/**
 * Rendering a Step per channel. The interpreter produces channel-neutral outputs (say, ask with an
 * expectation); here they become TwiML for voice, structured messages with buttons for web chat,
 * and plain text with numbered options for SMS, WhatsApp and social channels.
 *
 * Voice (TwiML):
 *   - every `say` output is a <Say> with the language's voice;
 *   - a question is a <Gather> (dtmf and/or speech, numDigits, timeout, speechTimeout, hints,
 *     language) with the question's <Say> inside (so callers can press a key while it plays),
 *     followed by a <Redirect> to the action URL: Twilio falls through to it when the caller says
 *     nothing, which `parseTwilioGather` reads as `no_input`;
 *   - waiting for an effect is a <Redirect> to the action URL (the adapter performs the effect when
 *     Twilio follows it; most adapters `settle` effects before rendering instead);
 *   - handed off is <Enqueue> (or <Dial>), contained is <Hangup/>.
 */
import type { Language } from './flow.ts';
import type { CustomerInput, InputExpectation, Outcome, Output, Step } from './run.ts';

// ------------------------------------------------------------------ XML

/** Escapes text for XML content and attribute values, and drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function element(name: string, attributes: Record<string, string | number | undefined>, children?: string): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  return children === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${children}</${name}>`;
}

// ------------------------------------------------------------------ voice

export const VOICE_LOCALES: Record<Language, string> = { nl: 'nl-NL', en: 'en-US' };
export const DEFAULT_VOICES: Record<Language, string> = { nl: 'Polly.Lotte', en: 'Polly.Joanna' };

export type VoiceHandoff =
  | { verb: 'enqueue'; name: string; waitUrl?: string; action?: string }
  | { verb: 'dial'; number?: string; client?: string; sip?: string; callerId?: string; action?: string; timeout?: number };

export interface TwimlOptions {
  /** Where Twilio posts the caller's answer (and follows Redirects). */
  actionUrl: string;
  /** Overrides the language of every output (normally each output carries the run's language). */
  language?: Language;
  voices?: Partial<Record<Language, string>>;
  /** How a handoff reaches agents; default <Enqueue> on a Twilio queue named after the queue id. */
  handoff?: (outcome: Extract<Outcome, { result: 'handed_off' }>) => VoiceHandoff;
  /** Default `auto`: Twilio decides when the caller stopped speaking. */
  speechTimeout?: string;
}

function sayXml(output: Output, options: TwimlOptions): string {
  const lang = options.language ?? output.language;
  return element('Say', { voice: options.voices?.[lang] ?? DEFAULT_VOICES[lang], language: VOICE_LOCALES[lang] }, escapeXml(output.text));
}

function gatherInput(expect: InputExpectation): string {
  return expect.kind === 'text' || expect.kind === 'speech' ? 'speech' : 'dtmf speech';
}

function numDigits(expect: InputExpectation): number | undefined {
  if (expect.kind === 'choice') return expect.maxDigits;
  if (expect.kind === 'digits' && expect.minDigits !== undefined && expect.minDigits === expect.maxDigits) return expect.maxDigits;
  return undefined;
}

function handoffXml(outcome: Extract<Outcome, { result: 'handed_off' }>, options: TwimlOptions): string {
  const target: VoiceHandoff = options.handoff ? options.handoff(outcome) : { verb: 'enqueue', name: outcome.queueId };
  if (target.verb === 'enqueue') return element('Enqueue', { waitUrl: target.waitUrl, action: target.action }, escapeXml(target.name));
  const nouns = [
    target.number ? element('Number', {}, escapeXml(target.number)) : '',
    target.client ? element('Client', {}, escapeXml(target.client)) : '',
    target.sip ? element('Sip', {}, escapeXml(target.sip)) : '',
  ].join('');
  return element('Dial', { callerId: target.callerId, action: target.action, timeout: target.timeout }, nouns);
}

export function renderTwiml(step: Step, options: TwimlOptions): string {
  const parts: string[] = [];
  for (const output of step.outputs) {
    if (output.type === 'say') parts.push(sayXml(output, options));
  }
  const awaiting = step.await;
  if (awaiting.type === 'input') {
    const ask = [...step.outputs].reverse().find((o): o is Extract<Output, { type: 'ask' }> => o.type === 'ask');
    const expect = awaiting.expect;
    const lang = options.language ?? step.state.language;
    parts.push(
      element(
        'Gather',
        {
          input: gatherInput(expect),
          action: options.actionUrl,
          method: 'POST',
          timeout: expect.timeoutSeconds,
          speechTimeout: options.speechTimeout ?? 'auto',
          numDigits: numDigits(expect),
          finishOnKey: expect.kind === 'digits' ? (expect.finishOnKey ?? '#') : undefined,
          language: VOICE_LOCALES[lang],
          hints: expect.hints.length ? expect.hints.join(', ') : undefined,
        },
        ask && ask.text ? sayXml(ask, options) : '',
      ),
    );
    parts.push(element('Redirect', { method: 'POST' }, escapeXml(options.actionUrl)));
  } else if (awaiting.type === 'effect') {
    parts.push(element('Redirect', { method: 'POST' }, escapeXml(options.actionUrl)));
  } else if (awaiting.outcome.result === 'handed_off') {
    parts.push(handoffXml(awaiting.outcome, options));
  } else {
    parts.push('<Hangup/>');
  }
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${parts.join('')}</Response>`;
}

/**
 * Twilio's Gather callback parameters → the customer's input: `Digits`, else `SpeechResult` (with
 * `Confidence`), else silence (`no_input`, also when Twilio followed the Redirect after a Gather).
 */
export function parseTwilioGather(params: Record<string, string | undefined>): CustomerInput {
  const digits = params.Digits?.trim();
  if (digits) return { type: 'digits', digits };
  const speech = params.SpeechResult?.trim();
  if (speech) {
    const confidence = Number(params.Confidence);
    return Number.isFinite(confidence) && params.Confidence !== undefined && params.Confidence !== ''
      ? { type: 'speech', text: speech, confidence: Math.min(1, Math.max(0, confidence)) }
      : { type: 'speech', text: speech };
  }
  return { type: 'no_input' };
}

// ------------------------------------------------------------------ text channels

export interface TextButton {
  label: string;
  /** Send back as `{ type: 'choice', value }`. */
  value: string;
}
export interface TextMessage {
  text: string;
  /** Web chat only: the choices as buttons. */
  buttons?: TextButton[];
  /** An answer from the knowledge base (for "was this helpful?" and analytics). */
  articleId?: string;
}

/** Longest message per channel, in characters (SMS: concatenated segments). */
export const TEXT_LIMITS: Record<string, number> = {
  sms: 1600,
  whatsapp: 4096,
  messenger: 2000,
  instagram: 1000,
  telegram: 4096,
  x: 10_000,
  webchat: 10_000,
};
const DEFAULT_TEXT_LIMIT = 1000;

export interface TextOptions {
  channel: string;
  /** Overrides TEXT_LIMITS for the channel. */
  maxLength?: number;
}

/**
 * Web chat: one bubble per output, questions with choices carry buttons. Other channels: all of a
 * step's outputs in one message (one SMS rather than three), options numbered ("1. Saldo") so the
 * customer can answer with the number, split into several messages only above the limit.
 */
export function renderText(step: Step, options: TextOptions): TextMessage[] {
  const limit = Math.max(20, options.maxLength ?? TEXT_LIMITS[options.channel] ?? DEFAULT_TEXT_LIMIT);
  if (options.channel === 'webchat') {
    const out: TextMessage[] = [];
    for (const o of step.outputs) {
      const chunks = splitText(o.text, limit);
      chunks.forEach((text, i) => {
        const message: TextMessage = { text };
        if (o.type === 'say' && o.articleId) message.articleId = o.articleId;
        if (o.type === 'ask' && i === chunks.length - 1 && o.expect.choices.length > 0) {
          message.buttons = o.expect.choices.map((c) => ({ label: c.label, value: c.value }));
        }
        out.push(message);
      });
    }
    return out.filter((m) => m.text !== '' || m.buttons);
  }
  const blocks: string[] = [];
  let articleId: string | undefined;
  for (const o of step.outputs) {
    if (o.type === 'say') {
      blocks.push(o.text);
      articleId ??= o.articleId;
    } else {
      const lines = o.expect.choices.map((c) => `${c.digit}. ${c.label}`);
      blocks.push([o.text, ...lines].filter((l) => l !== '').join('\n'));
    }
  }
  const text = blocks.filter((b) => b.trim() !== '').join('\n\n');
  if (!text) return [];
  return splitText(text, limit).map((t, i) => (i === 0 && articleId ? { text: t, articleId } : { text: t }));
}

/** Splits at paragraph, line or word boundaries so that no part exceeds `limit` characters. */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = -1;
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(sep);
      if (at > limit / 3) {
        cut = at;
        break;
      }
    }
    if (cut <= 0) {
      cut = limit;
      // never split a surrogate pair
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
