/**
 * Flow definitions: the JSON an admin saves and the visual editor edits. A flow is a graph of
 * nodes; each node has an id, a type, its settings, a position on the editor's canvas and named
 * exits that point at other nodes' ids. The same definition runs on every channel (voice, web
 * chat, SMS, WhatsApp, social); channels only differ in how prompts are rendered (render.ts).
 *
 * Texts are templates (`{{ expression }}` holes, see expr.ts) in Dutch and English; a prompt may
 * leave out one language, the interpreter then falls back to the other.
 *
 * Shapes are checked here (zod); the graph and the expressions are checked by validate.ts.
 */
import { z } from 'zod';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const languageSchema = z.enum(LANGUAGES);

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, _ and - only');
/** A variable path that `set`, `ask` and result mappings write: `customer.tier`. */
export const variablePathSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a variable name like customer.tier');

export const promptSchema = z.object({ nl: z.string().max(4000).optional(), en: z.string().max(4000).optional() });
export type Prompt = z.infer<typeof promptSchema>;
const keywordsSchema = z.object({ nl: z.array(z.string().max(100)).max(50).default([]), en: z.array(z.string().max(100)).max(50).default([]) });
export type Keywords = z.infer<typeof keywordsSchema>;

const positionSchema = z.object({ x: z.number(), y: z.number() });
const base = {
  id,
  /** The editor's title for the node; not shown to customers. */
  label: z.string().max(200).optional(),
  position: positionSchema.default({ x: 0, y: 0 }),
  /** Exit name → target node id. Which names a node needs depends on its type (requiredExits). */
  exits: z.record(z.string(), z.string()).default({}),
};

const dtmfDigit = z.string().regex(/^[0-9*#]$/, 'one key: 0-9, * or #');

export const sayNodeSchema = z.object({ ...base, type: z.literal('say'), prompt: promptSchema });

export const choiceSchema = z.object({
  /** What is stored in the variable (ask) or the exit name (menu). */
  value: id,
  label: promptSchema,
  /** Other words customers use for it; matched without regard to case and accents. */
  synonyms: keywordsSchema.default({ nl: [], en: [] }),
  /** The telephone key for it; defaults to its position (1, 2, ...). */
  digit: dtmfDigit.optional(),
});
export type Choice = z.infer<typeof choiceSchema>;

export const ASK_KINDS = ['text', 'choice', 'digits', 'speech'] as const;
export type AskKind = (typeof ASK_KINDS)[number];
export const TEXT_FORMATS = ['any', 'email', 'phone', 'number', 'postcode_nl'] as const;

const repromptFields = {
  /** Said (before the prompt again) when nothing came in; defaults to the prompt alone. */
  noInputPrompt: promptSchema.optional(),
  /** Said when the answer did not fit. */
  noMatchPrompt: promptSchema.optional(),
  /** How many times to ask again after no input or no match before taking the no_input / no_match exit. */
  maxRetries: z.number().int().min(0).max(5).default(2),
  /** Voice: seconds of silence before "no input". */
  timeoutSeconds: z.number().int().min(1).max(60).default(5),
};

export const askNodeSchema = z.object({
  ...base,
  type: z.literal('ask'),
  kind: z.enum(ASK_KINDS),
  prompt: promptSchema,
  /** Where the answer goes (for choice: the chosen value). */
  variable: variablePathSchema,
  ...repromptFields,
  /** text / speech */
  format: z.enum(TEXT_FORMATS).default('any'),
  minLength: z.number().int().min(0).max(10_000).optional(),
  maxLength: z.number().int().min(1).max(10_000).optional(),
  /** digits */
  minDigits: z.number().int().min(1).max(32).optional(),
  maxDigits: z.number().int().min(1).max(32).optional(),
  finishOnKey: z.enum(['#', '*', '']).default('#'),
  /** choice */
  choices: z.array(choiceSchema).max(20).default([]),
  /** speech: words the recognizer should expect (Twilio hints). */
  hints: z.array(z.string().max(100)).max(100).default([]),
});

export const menuNodeSchema = z.object({
  ...base,
  type: z.literal('menu'),
  prompt: promptSchema,
  /** Each choice's `value` is also the name of its exit. */
  choices: z.array(choiceSchema).min(1).max(12),
  /** Store the chosen value here as well (optional). */
  variable: variablePathSchema.optional(),
  ...repromptFields,
});

export const branchNodeSchema = z.object({
  ...base,
  type: z.literal('branch'),
  /** First condition that holds wins; its `exit` names the exit; none → the `else` exit. */
  conditions: z.array(z.object({ exit: id, when: z.string().min(1).max(2000) })).min(1).max(50),
});

export const setNodeSchema = z.object({
  ...base,
  type: z.literal('set'),
  assignments: z
    .array(
      z.object({
        variable: variablePathSchema,
        /** An expression (`coalesce(customer.tier, 'standard')`), or with mode template a text with holes. */
        value: z.string().max(4000),
        mode: z.enum(['expression', 'template']).default('expression'),
      }),
    )
    .min(1)
    .max(50),
});

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const MAX_LOOKUP_TIMEOUT_MS = 10_000;
export const lookupNodeSchema = z.object({
  ...base,
  type: z.literal('lookup'),
  method: z.enum(HTTP_METHODS).default('GET'),
  /** `https://crm.example.nl/api/accounts/{{ account.number }}`; holes are URL-encoded. */
  url: z.string().min(1).max(2000),
  /** Header values are templates. Secrets are not stored in flows: the adapter adds credentials per host. */
  headers: z.record(z.string(), z.string().max(2000)).default({}),
  /**
   * JSON body whose string leaves are templates; a leaf that is exactly one hole keeps its type
   * (`"{{ account.number }}"` stays a number if it is one).
   */
  body: z.unknown().optional(),
  timeoutMs: z.number().int().min(100).max(MAX_LOOKUP_TIMEOUT_MS).default(3000),
  /** Variable → path into the response (`status`, `body.name`, `body.orders.0.id`). */
  result: z.record(z.string(), z.string().max(500)).default({}),
  /** Optional prompt said while waiting ("Een moment, ik zoek het op"). */
  prompt: promptSchema.optional(),
});

export const answerNodeSchema = z.object({
  ...base,
  type: z.literal('answer'),
  /** What to ask the knowledge base; defaults to the last thing the customer said. */
  query: z.string().max(2000).default('{{ input }}'),
  minConfidence: z.number().min(0).max(1).default(0.6),
  /** Limit to articles with these tags (empty: all published articles). */
  tags: z.array(z.string().max(100)).max(20).default([]),
  /** Where the answer text and article id go. */
  variable: variablePathSchema.default('answer'),
  /** Said after the answer (e.g. "Heeft dit u geholpen?"); optional. */
  followUp: promptSchema.optional(),
});

export const handoffNodeSchema = z.object({
  ...base,
  type: z.literal('handoff'),
  queueId: z.string().min(1).max(100),
  /** Attribute → expression (`intent: "'billing'"`, `valueTier: "customer.valueTier"`). */
  attributes: z.record(z.string(), z.string().max(2000)).default({}),
  reason: z.string().min(1).max(100).default('flow_handoff'),
  prompt: promptSchema.optional(),
});

export const callbackNodeSchema = z.object({
  ...base,
  type: z.literal('callback'),
  queueId: z.string().min(1).max(100),
  /** Expression for the number to call back (default: the caller's number). */
  phone: z.string().max(500).default('caller.phone'),
  /** Expression for the preferred moment (ISO text) or null for "as soon as possible". */
  at: z.string().max(500).default('null'),
  attributes: z.record(z.string(), z.string().max(2000)).default({}),
  /** Said once the callback is scheduled. */
  prompt: promptSchema.optional(),
});

export const endNodeSchema = z.object({
  ...base,
  type: z.literal('end'),
  /** Why the customer was helped without an agent (`balance_given`, `faq_answered`). */
  reason: z.string().min(1).max(100),
  prompt: promptSchema.optional(),
});

export const flowNodeSchema = z.discriminatedUnion('type', [
  sayNodeSchema,
  askNodeSchema,
  menuNodeSchema,
  branchNodeSchema,
  setNodeSchema,
  lookupNodeSchema,
  answerNodeSchema,
  handoffNodeSchema,
  callbackNodeSchema,
  endNodeSchema,
]);
export type FlowNode = z.infer<typeof flowNodeSchema>;
export type NodeType = FlowNode['type'];
export type NodeOf<T extends NodeType> = Extract<FlowNode, { type: T }>;
export type SayNode = NodeOf<'say'>;
export type AskNode = NodeOf<'ask'>;
export type MenuNode = NodeOf<'menu'>;
export type BranchNode = NodeOf<'branch'>;
export type SetNode = NodeOf<'set'>;
export type LookupNode = NodeOf<'lookup'>;
export type AnswerNode = NodeOf<'answer'>;
export type HandoffNode = NodeOf<'handoff'>;
export type CallbackNode = NodeOf<'callback'>;
export type EndNode = NodeOf<'end'>;

export const DEFAULT_AGENT_KEYWORDS: Keywords = {
  nl: ['medewerker', 'mens', 'persoon', 'iemand spreken', 'echt iemand', 'operator', 'agent'],
  en: ['agent', 'human', 'person', 'representative', 'operator', 'real person', 'someone'],
};

export const flowSchema = z.object({
  id,
  name: z.string().min(1).max(200),
  /** Increases with every save; a run remembers the version it started on. */
  version: z.number().int().min(1),
  start: id,
  defaultLanguage: languageSchema.default('nl'),
  /** Languages the flow promises; validation warns about prompts missing one of them. */
  languages: z.array(languageSchema).min(1).default(['nl', 'en']),
  /** Hosts a lookup may call (exact, or `*.example.nl` for subdomains). */
  allowedHosts: z.array(z.string().min(1).max(253)).max(100).default([]),
  /** Node transitions a run may make in total before it is handed off (loop guard). */
  maxHops: z.number().int().min(10).max(2000).default(200),
  /** Where a run goes when the customer asks for a person, or the flow cannot continue. */
  handoff: z.object({
    queueId: z.string().min(1).max(100),
    attributes: z.record(z.string(), z.string().max(2000)).default({}),
  }),
  /** "agent" / "medewerker" at any question hands off with reason customer_asked_for_agent. */
  agentRequest: z
    .object({
      enabled: z.boolean().default(true),
      keywords: keywordsSchema.default(DEFAULT_AGENT_KEYWORDS),
      /** A telephone key that means the same at any question (e.g. "0"). */
      digit: dtmfDigit.optional(),
      reason: z.string().min(1).max(100).default('customer_asked_for_agent'),
      queueId: z.string().min(1).max(100).optional(),
    })
    .default({ enabled: true, keywords: DEFAULT_AGENT_KEYWORDS, reason: 'customer_asked_for_agent' }),
  nodes: z.array(flowNodeSchema).min(1).max(500),
});
export type Flow = z.infer<typeof flowSchema>;
/** What an admin sends (defaults not yet applied). */
export type FlowInput = z.input<typeof flowSchema>;

/** Exits each node type must wire; other exits are optional. */
export function requiredExits(node: FlowNode): string[] {
  switch (node.type) {
    case 'say':
    case 'set':
      return ['next'];
    case 'ask':
      return ['next', 'no_input', 'no_match'];
    case 'menu':
      return [...node.choices.map((c) => c.value), 'no_input', 'no_match'];
    case 'branch':
      return [...new Set(node.conditions.map((c) => c.exit)), 'else'];
    case 'lookup':
      return ['ok', 'error'];
    case 'answer':
      return ['answered', 'low_confidence'];
    case 'callback':
      return ['scheduled', 'error'];
    case 'handoff':
    case 'end':
      return [];
  }
}

/** Every exit name the node type knows (required plus optional). */
export function knownExits(node: FlowNode): string[] {
  const required = requiredExits(node);
  if (node.type === 'lookup') return [...required, 'timeout'];
  return required;
}

export const isTerminal = (node: FlowNode): boolean => node.type === 'handoff' || node.type === 'end';

/** Picks the run's language from a prompt, falling back to the other language. */
export function promptText(prompt: Prompt | undefined, language: Language): string | undefined {
  if (!prompt) return undefined;
  const own = prompt[language];
  if (own !== undefined && own !== '') return own;
  const other = prompt[language === 'nl' ? 'en' : 'nl'];
  return other !== undefined && other !== '' ? other : undefined;
}

export function parseFlow(input: unknown): Flow {
  return flowSchema.parse(input);
}
