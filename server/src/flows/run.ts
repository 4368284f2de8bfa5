/**
 * The flow interpreter: a pure state machine. No I/O, no clock, no randomness.
 *
 *   startRun(flow, { channel, language, variables })  -> Step
 *   resumeRun(flow, state, { input } | { effectResult }) -> Step
 *
 * A Step says what to show the customer (`outputs`), the run's serializable `state` (store it as
 * JSON and hand it back on the next call), and what the run waits for (`await`):
 *   - `input`:  the customer's next answer, of the expected kind (text, choice, digits, speech);
 *   - `effect`: something the caller must do in the outside world (an HTTP lookup, a knowledge
 *               base query, scheduling a callback); its result comes back as `{ effectResult }`;
 *   - `done`:   the run is over, `contained` (self-service) or `handed_off` (queue + attributes),
 *               always with a reason.
 *
 * Every run ends in `done`: questions give up after their retries, a lookup has error/timeout
 * exits, and the hop limit (`flow.maxHops` node visits in total) hands the customer off with reason
 * `loop_limit` if a flow goes round in circles.
 */
import { z } from 'zod';
import { evaluateSource, normalizeText, renderTemplate, renderValueTemplate, toText, type Scope, type Value } from './expr.ts';
import {
  promptText,
  type AnswerNode,
  type AskNode,
  type CallbackNode,
  type Choice,
  type Flow,
  type FlowNode,
  type Language,
  type LookupNode,
  type MenuNode,
  type Prompt,
} from './flow.ts';
import { hostAllowed, staticUrlHost } from './validate.ts';

// ------------------------------------------------------------------ protocol types

export type InputKind = 'text' | 'choice' | 'digits' | 'speech';

export interface ChoiceOption {
  value: string;
  label: string;
  /** The telephone key (and the number shown in text channels). */
  digit: string;
}

export interface InputExpectation {
  kind: InputKind;
  /** For choice questions and menus. */
  choices: ChoiceOption[];
  minDigits?: number;
  maxDigits?: number;
  finishOnKey?: string;
  timeoutSeconds: number;
  /** Words the speech recognizer should expect. */
  hints: string[];
  /** 0 on the first ask, 1.. on repeats. */
  attempt: number;
}

export type Output =
  | { type: 'say'; nodeId: string; text: string; language: Language; articleId?: string }
  | { type: 'ask'; nodeId: string; text: string; language: Language; expect: InputExpectation };

export interface LookupEffect {
  kind: 'lookup';
  /** Unique within the run: use it to make the effect idempotent. */
  key: string;
  nodeId: string;
  method: LookupNode['method'];
  url: string;
  headers: Record<string, string>;
  body?: Value;
  timeoutMs: number;
}
export interface KnowledgeEffect {
  kind: 'knowledge';
  key: string;
  nodeId: string;
  query: string;
  language: Language;
  minConfidence: number;
  tags: string[];
}
export interface CallbackEffect {
  kind: 'callback';
  key: string;
  nodeId: string;
  queueId: string;
  phone: string | null;
  /** ISO date-time text from the flow, or null for "as soon as possible". */
  at: string | null;
  language: Language;
  attributes: Record<string, Value>;
}
export type Effect = LookupEffect | KnowledgeEffect | CallbackEffect;

export type EffectResult =
  | { kind: 'lookup'; outcome: 'response'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'lookup'; outcome: 'error' | 'timeout'; message?: string }
  | { kind: 'knowledge'; answer: string | null; confidence: number; articleId?: string; title?: string }
  | { kind: 'callback'; outcome: 'scheduled'; callbackId?: string; at?: string }
  | { kind: 'callback'; outcome: 'error'; message?: string };

export type CustomerInput =
  | { type: 'text'; text: string }
  | { type: 'speech'; text: string; confidence?: number }
  | { type: 'digits'; digits: string }
  /** A button press in web chat (the choice's value). */
  | { type: 'choice'; value: string }
  /** Silence on the phone, or the chat's inactivity timer. */
  | { type: 'no_input' };

export type ResumeInput = { input: CustomerInput } | { effectResult: EffectResult };

export type Outcome =
  | { result: 'contained'; reason: string; nodeId: string }
  | { result: 'handed_off'; reason: string; queueId: string; attributes: Record<string, Value>; nodeId: string | null };

export type Await =
  | { type: 'input'; nodeId: string; expect: InputExpectation }
  | { type: 'effect'; nodeId: string; effect: Effect }
  | { type: 'done'; outcome: Outcome };

export interface RunState {
  v: 1;
  flowId: string;
  flowVersion: number;
  channel: string;
  language: Language;
  variables: Record<string, Value>;
  /** The node the run stands on (waiting at it, or where it ended). */
  nodeId: string;
  status: 'input' | 'effect' | 'done';
  /** Repeats used at the current question. */
  attempt: number;
  /** Every node visited, in order (at most flow.maxHops entries). */
  path: string[];
  hops: number;
  /** Set while waiting for an effect: its key. */
  effectKey?: string;
  /** Set when done. */
  outcome?: Outcome;
}

export interface Step {
  outputs: Output[];
  state: RunState;
  await: Await;
}

export interface StartOptions {
  channel: string;
  language?: Language;
  variables?: Record<string, Value>;
}

export class FlowRunError extends Error {
  readonly code: 'flow_mismatch' | 'not_waiting_for_input' | 'not_waiting_for_effect' | 'wrong_effect' | 'bad_state';
  constructor(code: FlowRunError['code'], message: string) {
    super(message);
    this.name = 'FlowRunError';
    this.code = code;
  }
}

// zod shapes for what crosses the HTTP boundary (the simulator) and the database (state)
const valueSchema: z.ZodType<Value> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(valueSchema), z.record(z.string(), valueSchema)]));
export const customerInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().max(10_000) }),
  z.object({ type: z.literal('speech'), text: z.string().max(10_000), confidence: z.number().min(0).max(1).optional() }),
  z.object({ type: z.literal('digits'), digits: z.string().max(64) }),
  z.object({ type: z.literal('choice'), value: z.string().max(100) }),
  z.object({ type: z.literal('no_input') }),
]);
export const effectResultSchema = z.union([
  z.object({ kind: z.literal('lookup'), outcome: z.literal('response'), status: z.number().int(), body: z.unknown().optional(), headers: z.record(z.string(), z.string()).optional() }),
  z.object({ kind: z.literal('lookup'), outcome: z.enum(['error', 'timeout']), message: z.string().optional() }),
  z.object({ kind: z.literal('knowledge'), answer: z.string().nullable(), confidence: z.number(), articleId: z.string().optional(), title: z.string().optional() }),
  z.object({ kind: z.literal('callback'), outcome: z.literal('scheduled'), callbackId: z.string().optional(), at: z.string().optional() }),
  z.object({ kind: z.literal('callback'), outcome: z.literal('error'), message: z.string().optional() }),
]);
export const resumeInputSchema = z.union([z.object({ input: customerInputSchema }), z.object({ effectResult: effectResultSchema })]);
export const runStateSchema = z.object({
  v: z.literal(1),
  flowId: z.string(),
  flowVersion: z.number().int(),
  channel: z.string(),
  language: z.enum(['nl', 'en']),
  variables: z.record(z.string(), valueSchema),
  nodeId: z.string(),
  status: z.enum(['input', 'effect', 'done']),
  attempt: z.number().int().min(0),
  path: z.array(z.string()),
  hops: z.number().int().min(0),
  effectKey: z.string().optional(),
  outcome: z.unknown().optional(),
}) as unknown as z.ZodType<RunState>;

// ------------------------------------------------------------------ texts the engine itself says

const BUILT_IN: Record<'noInput' | 'noMatch', Prompt> = {
  noInput: { nl: 'Ik heb geen antwoord ontvangen.', en: "I didn't receive an answer." },
  noMatch: { nl: 'Sorry, dat begreep ik niet.', en: "Sorry, I didn't get that." },
};

// ------------------------------------------------------------------ run context

interface Ctx {
  flow: Flow;
  state: RunState;
  outputs: Output[];
  nodes: Map<string, FlowNode>;
}

function nodesOf(flow: Flow): Map<string, FlowNode> {
  return new Map(flow.nodes.map((n) => [n.id, n]));
}

function scopeOf(state: RunState): Scope {
  return { ...state.variables, channel: state.channel, language: state.language };
}

function text(ctx: Ctx, prompt: Prompt | undefined): string | undefined {
  const t = promptText(prompt, ctx.state.language);
  return t === undefined ? undefined : renderTemplate(t, scopeOf(ctx.state));
}

function say(ctx: Ctx, nodeId: string, prompt: Prompt | undefined): void {
  const t = text(ctx, prompt);
  if (t !== undefined && t.trim() !== '') ctx.outputs.push({ type: 'say', nodeId, text: t, language: ctx.state.language });
}

/** Writes `a.b.c` into the variables, creating objects on the way (a scalar on the way is replaced). */
export function setVariable(variables: Record<string, Value>, path: string, value: Value): void {
  const segments = path.split('.');
  let cur: Record<string, Value> = variables;
  for (const s of segments.slice(0, -1)) {
    const existing = cur[s];
    if (existing === null || typeof existing !== 'object' || Array.isArray(existing)) cur[s] = {};
    cur = cur[s] as Record<string, Value>;
  }
  cur[segments[segments.length - 1] as string] = value;
}

function step(ctx: Ctx, awaiting: Await): Step {
  return { outputs: ctx.outputs, state: ctx.state, await: awaiting };
}

function done(ctx: Ctx, outcome: Outcome): Step {
  ctx.state.status = 'done';
  ctx.state.outcome = outcome;
  delete ctx.state.effectKey;
  return step(ctx, { type: 'done', outcome });
}

function attributes(ctx: Ctx, ...sources: Array<Record<string, string>>): Record<string, Value> {
  const scope = scopeOf(ctx.state);
  const out: Record<string, Value> = { language: ctx.state.language };
  for (const source of sources) {
    for (const [name, expression] of Object.entries(source)) {
      const value = evaluateSource(expression, scope);
      if (value === null) delete out[name];
      else out[name] = value;
    }
  }
  return out;
}

/** Hands off to the flow's default queue (agent request, loop guard, a broken flow). */
function fallbackHandoff(ctx: Ctx, reason: string, queueId?: string): Step {
  return done(ctx, {
    result: 'handed_off',
    reason,
    queueId: queueId ?? ctx.flow.handoff.queueId,
    attributes: attributes(ctx, ctx.flow.handoff.attributes),
    nodeId: ctx.state.nodeId,
  });
}

// ------------------------------------------------------------------ public API

export function startRun(flow: Flow, options: StartOptions): Step {
  const state: RunState = {
    v: 1,
    flowId: flow.id,
    flowVersion: flow.version,
    channel: options.channel,
    language: options.language ?? flow.defaultLanguage,
    variables: structuredClone(options.variables ?? {}),
    nodeId: flow.start,
    status: 'input',
    attempt: 0,
    path: [],
    hops: 0,
  };
  const ctx: Ctx = { flow, state, outputs: [], nodes: nodesOf(flow) };
  return enter(ctx, flow.start);
}

export function resumeRun(flow: Flow, previous: RunState, resume: ResumeInput): Step {
  if (previous.flowId !== flow.id || previous.flowVersion !== flow.version) {
    throw new FlowRunError('flow_mismatch', `The run belongs to flow ${previous.flowId} v${previous.flowVersion}, not ${flow.id} v${flow.version}`);
  }
  const state = structuredClone(previous);
  const ctx: Ctx = { flow, state, outputs: [], nodes: nodesOf(flow) };
  if (state.status === 'done') return step(ctx, { type: 'done', outcome: state.outcome as Outcome });
  const node = ctx.nodes.get(state.nodeId);
  if (!node) return fallbackHandoff(ctx, 'flow_error');

  if ('input' in resume) {
    if (state.status !== 'input' || (node.type !== 'ask' && node.type !== 'menu')) {
      throw new FlowRunError('not_waiting_for_input', `The run waits for ${state.status === 'effect' ? 'an effect result' : 'nothing'} at ${state.nodeId}`);
    }
    return answer(ctx, node, resume.input);
  }
  if (state.status !== 'effect') throw new FlowRunError('not_waiting_for_effect', `The run waits for customer input at ${state.nodeId}`);
  return effectDone(ctx, node, resume.effectResult);
}

/** The step's expectations, if it waits for input (handy for adapters). */
export function expectationOf(stepOrAwait: Step | Await): InputExpectation | undefined {
  const a = 'await' in stepOrAwait ? stepOrAwait.await : stepOrAwait;
  return a.type === 'input' ? a.expect : undefined;
}

/**
 * Drives a run through its effects: calls `perform` for each effect and resumes with the result,
 * until the run waits for the customer or is done. Outputs of all steps are concatenated. Pure
 * apart from what `perform` does (adapters pass real I/O, the simulator and tests pass fakes).
 */
export async function settle(flow: Flow, first: Step, perform: (effect: Effect, state: RunState) => Promise<EffectResult> | EffectResult): Promise<Step> {
  let current = first;
  const outputs = [...first.outputs];
  for (let guard = 0; current.await.type === 'effect' && guard < flow.maxHops; guard++) {
    const result = await perform(current.await.effect, current.state);
    current = resumeRun(flow, current.state, { effectResult: result });
    outputs.push(...current.outputs);
  }
  return { ...current, outputs };
}

// ------------------------------------------------------------------ moving through nodes

function follow(ctx: Ctx, node: FlowNode, exit: string, fallbackExit?: string): Step {
  const target = node.exits[exit] ?? (fallbackExit ? node.exits[fallbackExit] : undefined);
  if (target === undefined || !ctx.nodes.has(target)) return fallbackHandoff(ctx, 'flow_error');
  return enter(ctx, target);
}

function enter(ctx: Ctx, nodeId: string): Step {
  const { state, flow } = ctx;
  for (;;) {
    if (state.hops >= flow.maxHops) return fallbackHandoff(ctx, 'loop_limit');
    const node = ctx.nodes.get(nodeId);
    if (!node) return fallbackHandoff(ctx, 'flow_error');
    state.hops++;
    state.path.push(nodeId);
    state.nodeId = nodeId;
    state.attempt = 0;
    delete state.effectKey;

    switch (node.type) {
      case 'say':
        say(ctx, node.id, node.prompt);
        return follow(ctx, node, 'next');
      case 'set': {
        for (const a of node.assignments) {
          const scope = scopeOf(state);
          const value = a.mode === 'template' ? renderTemplate(a.value, scope) : evaluateSource(a.value, scope);
          if (a.variable === 'language') {
            if (value === 'nl' || value === 'en') state.language = value;
          } else setVariable(state.variables, a.variable, value);
        }
        return follow(ctx, node, 'next');
      }
      case 'branch': {
        const scope = scopeOf(state);
        const hit = node.conditions.find((c) => isTrue(evaluateSource(c.when, scope)));
        const exit = hit ? hit.exit : 'else';
        const target = node.exits[exit];
        if (target === undefined) return fallbackHandoff(ctx, 'flow_error');
        nodeId = target;
        continue;
      }
      case 'ask':
      case 'menu':
        return prompt(ctx, node);
      case 'lookup':
        return lookup(ctx, node);
      case 'answer':
        return knowledge(ctx, node);
      case 'callback':
        return callback(ctx, node);
      case 'handoff':
        say(ctx, node.id, node.prompt);
        return done(ctx, {
          result: 'handed_off',
          reason: node.reason,
          queueId: node.queueId,
          attributes: attributes(ctx, flow.handoff.attributes, node.attributes),
          nodeId: node.id,
        });
      case 'end':
        say(ctx, node.id, node.prompt);
        return done(ctx, { result: 'contained', reason: node.reason, nodeId: node.id });
    }
  }
}

function isTrue(v: Value): boolean {
  return !(v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0));
}

// ------------------------------------------------------------------ questions

function choicesOf(ctx: Ctx, node: AskNode | MenuNode): ChoiceOption[] {
  if (node.type === 'ask' && node.kind !== 'choice') return [];
  return node.choices.map((c, i) => ({ value: c.value, label: text(ctx, c.label) ?? c.value, digit: c.digit ?? String(i + 1) }));
}

function expectation(ctx: Ctx, node: AskNode | MenuNode): InputExpectation {
  const choices = choicesOf(ctx, node);
  const lang = ctx.state.language;
  const hints =
    node.type === 'ask' && node.kind !== 'choice'
      ? node.hints
      : [...choices.map((c) => c.label), ...node.choices.flatMap((c) => c.synonyms[lang])];
  const expect: InputExpectation = {
    kind: node.type === 'menu' ? 'choice' : node.kind,
    choices,
    timeoutSeconds: node.timeoutSeconds,
    hints: [...new Set(hints)].slice(0, 100),
    attempt: ctx.state.attempt,
  };
  if (node.type === 'ask' && node.kind === 'digits') {
    if (node.minDigits !== undefined) expect.minDigits = node.minDigits;
    if (node.maxDigits !== undefined) expect.maxDigits = node.maxDigits;
    expect.finishOnKey = node.finishOnKey;
  }
  if (choices.length > 0 && choices.every((c) => c.digit.length === 1)) expect.maxDigits = 1;
  return expect;
}

function prompt(ctx: Ctx, node: AskNode | MenuNode): Step {
  ctx.state.status = 'input';
  const expect = expectation(ctx, node);
  ctx.outputs.push({ type: 'ask', nodeId: node.id, text: text(ctx, node.prompt) ?? '', language: ctx.state.language, expect });
  return step(ctx, { type: 'input', nodeId: node.id, expect });
}

function retry(ctx: Ctx, node: AskNode | MenuNode, why: 'no_input' | 'no_match'): Step {
  if (ctx.state.attempt >= node.maxRetries) return follow(ctx, node, why);
  ctx.state.attempt++;
  say(ctx, node.id, (why === 'no_input' ? node.noInputPrompt : node.noMatchPrompt) ?? BUILT_IN[why === 'no_input' ? 'noInput' : 'noMatch']);
  return prompt(ctx, node);
}

function inputText(input: CustomerInput): string {
  switch (input.type) {
    case 'text':
    case 'speech':
      return input.text;
    case 'digits':
      return input.digits;
    case 'choice':
      return input.value;
    case 'no_input':
      return '';
  }
}

const MAX_AGENT_REQUEST_WORDS = 8;

/** Does the customer ask for a person? Keywords of both languages count, as whole words. */
export function asksForAgent(flow: Flow, input: CustomerInput, kind: InputKind): boolean {
  const request = flow.agentRequest;
  if (!request.enabled) return false;
  if (input.type === 'digits') return kind !== 'digits' && request.digit !== undefined && input.digits.replace(/[#*]$/, '') === request.digit;
  if (input.type !== 'text' && input.type !== 'speech') return false;
  const said = normalizeText(input.text);
  if (!said || said.split(' ').length > MAX_AGENT_REQUEST_WORDS) return false;
  return [...request.keywords.nl, ...request.keywords.en].some((k) => containsPhrase(said, normalizeText(k)));
}

function containsPhrase(haystack: string, phrase: string): boolean {
  if (!phrase) return false;
  return ` ${haystack} `.includes(` ${phrase} `);
}

function answer(ctx: Ctx, node: AskNode | MenuNode, input: CustomerInput): Step {
  const kind: InputKind = node.type === 'menu' ? 'choice' : node.kind;
  if (asksForAgent(ctx.flow, input, kind)) {
    return fallbackHandoff(ctx, ctx.flow.agentRequest.reason, ctx.flow.agentRequest.queueId);
  }
  if (input.type === 'no_input' || inputText(input).trim() === '') return retry(ctx, node, 'no_input');
  const vars = ctx.state.variables;
  vars.input = inputText(input);

  if (node.type === 'menu' || node.kind === 'choice') {
    const chosen = matchChoice(node.choices, input);
    if (!chosen) return retry(ctx, node, 'no_match');
    if (node.variable) setVariable(vars, node.variable, chosen.value);
    return follow(ctx, node, node.type === 'menu' ? chosen.value : 'next');
  }
  if (node.kind === 'digits') {
    const digits = digitsOf(input, node.finishOnKey);
    const min = node.minDigits ?? 1;
    const max = node.maxDigits ?? 32;
    if (digits === null || digits.length < min || digits.length > max) return retry(ctx, node, 'no_match');
    setVariable(vars, node.variable, digits);
    return follow(ctx, node, 'next');
  }
  const value = checkText(node, inputText(input).trim());
  if (value === null) return retry(ctx, node, 'no_match');
  setVariable(vars, node.variable, value);
  return follow(ctx, node, 'next');
}

const NUMBER_WORDS: Record<string, string> = {
  nul: '0', zero: '0', een: '1', één: '1', one: '1', twee: '2', two: '2', drie: '3', three: '3', vier: '4', four: '4',
  vijf: '5', five: '5', zes: '6', six: '6', zeven: '7', seven: '7', acht: '8', eight: '8', negen: '9', nine: '9',
  eerste: '1', first: '1', tweede: '2', second: '2', derde: '3', third: '3', vierde: '4', fourth: '4', vijfde: '5', fifth: '5',
};

/** Digits typed, or spoken/written ("een twee drie", "1 2 3", "123#"); null when it is not only digits. */
export function digitsOf(input: CustomerInput, finishOnKey = '#'): string | null {
  if (input.type === 'digits') {
    let d = input.digits;
    if (finishOnKey && d.endsWith(finishOnKey)) d = d.slice(0, -1);
    return /^\d+$/.test(d) ? d : null;
  }
  if (input.type !== 'text' && input.type !== 'speech') return null;
  const words = normalizeText(input.text).split(' ').filter(Boolean);
  let out = '';
  for (const w of words) {
    if (/^\d+$/.test(w)) out += w;
    else if (NUMBER_WORDS[w] !== undefined) out += NUMBER_WORDS[w];
    else return null;
  }
  return out || null;
}

/**
 * Which choice the customer meant: the button's value, the key or number (also spoken: "twee",
 * "option 2"), the label or a synonym in either language (case and accents ignored), or the only
 * choice whose label or synonym appears in what was said. Ambiguous answers match nothing.
 */
export function matchChoice(choices: readonly Choice[], input: CustomerInput): Choice | undefined {
  const keyOf = (c: Choice, i: number) => c.digit ?? String(i + 1);
  if (input.type === 'choice') return choices.find((c) => c.value === input.value);
  if (input.type === 'digits') {
    const d = input.digits.replace(/#$/, '');
    return choices.find((c, i) => keyOf(c, i) === d);
  }
  if (input.type !== 'text' && input.type !== 'speech') return undefined;
  const said = normalizeText(input.text);
  if (!said) return undefined;
  const phrases = (c: Choice) =>
    [c.value, c.label.nl, c.label.en, ...c.synonyms.nl, ...c.synonyms.en].filter((p): p is string => !!p).map(normalizeText).filter(Boolean);

  // 1. exactly a label, synonym or value
  const exact = choices.filter((c) => phrases(c).includes(said));
  if (exact.length === 1) return exact[0];
  // 2. a number: "2", "twee", "optie 2", "nummer twee", "de tweede"
  const words = said.split(' ').filter((w) => !['optie', 'option', 'nummer', 'number', 'keuze', 'choice', 'de', 'the', 'toets', 'press'].includes(w));
  if (words.length === 1) {
    const w = words[0] as string;
    const n = /^\d+$/.test(w) ? w : NUMBER_WORDS[w];
    if (n !== undefined) {
      const byKey = choices.find((c, i) => keyOf(c, i) === n);
      if (byKey) return byKey;
    }
  }
  // 3. one choice whose phrase occurs in what was said
  const contained = choices.filter((c) => phrases(c).some((p) => containsPhrase(said, p)));
  return contained.length === 1 ? contained[0] : undefined;
}

const FORMATS: Record<string, (s: string) => string | null> = {
  any: (s) => s,
  email: (s) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? s : null),
  phone: (s) => {
    const compact = s.replace(/[\s().-]/g, '');
    return /^\+?\d{6,15}$/.test(compact) ? compact : null;
  },
  number: (s) => {
    const n = Number(s.replace(',', '.'));
    return s !== '' && Number.isFinite(n) ? String(n) : null;
  },
  postcode_nl: (s) => {
    const m = /^(\d{4})\s?([A-Za-z]{2})$/.exec(s);
    return m ? `${m[1]} ${(m[2] as string).toUpperCase()}` : null;
  },
};

function checkText(node: AskNode, value: string): string | null {
  if (node.minLength !== undefined && value.length < node.minLength) return null;
  if (node.maxLength !== undefined && value.length > node.maxLength) return null;
  return (FORMATS[node.format] ?? FORMATS.any!)(value);
}

// ------------------------------------------------------------------ effects

function effectKey(ctx: Ctx, nodeId: string): string {
  return `${nodeId}:${ctx.state.hops}`;
}

function waitFor(ctx: Ctx, effect: Effect): Step {
  ctx.state.status = 'effect';
  ctx.state.effectKey = effect.key;
  return step(ctx, { type: 'effect', nodeId: effect.nodeId, effect });
}

function renderBody(value: unknown, scope: Scope): Value {
  if (typeof value === 'string') return renderValueTemplate(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderBody(v, scope));
  if (value && typeof value === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderBody(v, scope);
    return out;
  }
  return value === undefined ? null : (value as Value);
}

function lookup(ctx: Ctx, node: LookupNode): Step {
  const scope = scopeOf(ctx.state);
  const url = renderTemplate(node.url, scope, encodeURIComponent);
  // Checked again after filling in: the host must be on the allow-list whatever the variables say.
  const staticHost = staticUrlHost(node.url);
  let actualHost: string | undefined;
  try {
    actualHost = new URL(url).hostname.toLowerCase();
  } catch {
    actualHost = undefined;
  }
  if ('error' in staticHost || actualHost === undefined || actualHost.replace(/^\[|\]$/g, '') !== staticHost.host.replace(/^\[|\]$/g, '') || !hostAllowed(actualHost, ctx.flow.allowedHosts)) {
    setVariable(ctx.state.variables, 'lookup', { nodeId: node.id, outcome: 'error', message: 'host_not_allowed' });
    return follow(ctx, node, 'error');
  }
  say(ctx, node.id, node.prompt);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(node.headers)) headers[name] = renderTemplate(value, scope).replace(/[\r\n]+/g, ' ');
  const effect: LookupEffect = { kind: 'lookup', key: effectKey(ctx, node.id), nodeId: node.id, method: node.method, url, headers, timeoutMs: node.timeoutMs };
  if (node.body !== undefined && node.method !== 'GET' && node.method !== 'DELETE') effect.body = renderBody(node.body, scope);
  return waitFor(ctx, effect);
}

function knowledge(ctx: Ctx, node: AnswerNode): Step {
  const query = renderTemplate(node.query, scopeOf(ctx.state)).trim();
  if (!query) {
    setVariable(ctx.state.variables, node.variable, null);
    return follow(ctx, node, 'low_confidence');
  }
  return waitFor(ctx, {
    kind: 'knowledge',
    key: effectKey(ctx, node.id),
    nodeId: node.id,
    query,
    language: ctx.state.language,
    minConfidence: node.minConfidence,
    tags: node.tags,
  });
}

function callback(ctx: Ctx, node: CallbackNode): Step {
  const scope = scopeOf(ctx.state);
  const phone = evaluateSource(node.phone, scope);
  const at = evaluateSource(node.at, scope);
  return waitFor(ctx, {
    kind: 'callback',
    key: effectKey(ctx, node.id),
    nodeId: node.id,
    queueId: node.queueId,
    phone: phone === null ? null : toText(phone),
    at: at === null ? null : toText(at),
    language: ctx.state.language,
    attributes: attributes(ctx, ctx.flow.handoff.attributes, node.attributes),
  });
}

/** `body.orders.0.id` into a response; missing parts give null. */
function readResponse(response: Record<string, unknown>, path: string): Value {
  let cur: unknown = response;
  for (const s of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, s)) return null;
    cur = (cur as Record<string, unknown>)[s];
  }
  return toValue(cur);
}

function toValue(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(toValue);
  if (typeof v === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toValue(x);
    return out;
  }
  return null;
}

function effectDone(ctx: Ctx, node: FlowNode, result: EffectResult): Step {
  const expected = node.type === 'lookup' ? 'lookup' : node.type === 'answer' ? 'knowledge' : node.type === 'callback' ? 'callback' : undefined;
  if (expected !== result.kind) throw new FlowRunError('wrong_effect', `The run waits for a ${expected ?? 'different'} result at ${node.id}, got ${result.kind}`);
  const vars = ctx.state.variables;

  if (node.type === 'lookup' && result.kind === 'lookup') {
    if (result.outcome !== 'response') {
      setVariable(vars, 'lookup', { nodeId: node.id, outcome: result.outcome, message: result.message ?? null });
      return follow(ctx, node, result.outcome === 'timeout' ? 'timeout' : 'error', 'error');
    }
    const response = { status: result.status, body: result.body ?? null, headers: result.headers ?? {} };
    for (const [variable, path] of Object.entries(node.result)) setVariable(vars, variable, readResponse(response, path));
    const ok = result.status >= 200 && result.status < 300;
    setVariable(vars, 'lookup', { nodeId: node.id, outcome: ok ? 'ok' : 'error', status: result.status });
    return follow(ctx, node, ok ? 'ok' : 'error');
  }
  if (node.type === 'answer' && result.kind === 'knowledge') {
    if (result.answer && result.answer.trim() && result.confidence >= node.minConfidence) {
      setVariable(vars, node.variable, { text: result.answer, articleId: result.articleId ?? null, title: result.title ?? null, confidence: result.confidence });
      const out: Output = { type: 'say', nodeId: node.id, text: result.answer, language: ctx.state.language };
      if (result.articleId) out.articleId = result.articleId;
      ctx.outputs.push(out);
      say(ctx, node.id, node.followUp);
      return follow(ctx, node, 'answered');
    }
    setVariable(vars, node.variable, null);
    return follow(ctx, node, 'low_confidence');
  }
  if (node.type === 'callback' && result.kind === 'callback') {
    if (result.outcome === 'scheduled') {
      setVariable(vars, 'callback', { callbackId: result.callbackId ?? null, at: result.at ?? null });
      say(ctx, node.id, node.prompt);
      return follow(ctx, node, 'scheduled');
    }
    setVariable(vars, 'callback', { error: result.message ?? 'error' });
    return follow(ctx, node, 'error');
  }
  throw new FlowRunError('bad_state', `Node ${node.id} does not wait for an effect`);
}
