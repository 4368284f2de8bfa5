/**
 * Routing settings and the validated shapes of queues and workflows as the API takes them, and
 * how they become the engine's configuration. Pure: no database here.
 */
import { z } from 'zod';
import { RoutingEngine, RoutingConfigError, expressionSchema } from './engine/engine.ts';
import { validateExpression, type Root } from './engine/expressions.ts';
import { validTimeZone } from './engine/hours.ts';
import { DEFAULT_CONFIG, DEFAULT_PRESENCES, type QueueSpec, type RoutingConfig, type WorkflowSpec } from './engine/model.ts';

const fieldType = z.enum(['string', 'number', 'boolean', 'string[]', 'number[]', 'any']);
const name = z.string().trim().min(1).max(100);
const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'letters, digits, _ and -');

export const routingSettingsSchema = z.object({
  presences: z
    .array(z.object({ name: fieldName.max(40), routable: z.boolean() }))
    .min(1)
    .refine((ps) => new Set(ps.map((p) => p.name)).size === ps.length, 'presence names must be unique')
    .refine((ps) => ps.some((p) => p.name === 'offline' && !p.routable), "an 'offline' presence that is not routable is required"),
  skills: z.array(fieldName.max(60)).max(500),
  taskFields: z.record(fieldName, fieldType),
  agentFields: z.record(fieldName, fieldType),
  slaBoosts: z.array(z.object({ atFraction: z.number().min(0).max(10), add: z.number().int().min(-100).max(100) })).max(20),
  /** SLA target in seconds per channel type; the boosts count towards it. */
  slaSeconds: z.record(z.string(), z.number().int().positive()),
  presenceAfterMissedOffer: z.string().optional(),
  presenceAfterReject: z.string().optional(),
  transferTimeoutSeconds: z.number().int().min(1).max(3600),
  defaultOfferTimeoutSeconds: z.number().int().min(5).max(3600),
  defaultWorkflowId: z.uuid().optional(),
});
export type RoutingSettings = z.infer<typeof routingSettingsSchema>;

export const DEFAULT_SETTINGS: RoutingSettings = {
  presences: DEFAULT_PRESENCES,
  skills: [],
  taskFields: { language: 'string', topic: 'string', queue: 'string', tags: 'string[]', valueTier: 'string', churnRisk: 'number', subject: 'string' },
  agentFields: { team: 'string' },
  slaBoosts: DEFAULT_CONFIG.slaBoosts,
  slaSeconds: { webchat: 60, whatsapp: 300, messenger: 300, instagram: 300, sms: 600, email: 14_400, voice: 20 },
  presenceAfterMissedOffer: 'busy',
  transferTimeoutSeconds: DEFAULT_CONFIG.transferTimeoutSeconds,
  defaultOfferTimeoutSeconds: DEFAULT_CONFIG.defaultOfferTimeoutSeconds,
};

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const queueBody = z.object({
  name,
  eligibility: z.string().max(10_000).default(''),
  order: z.enum(['fifo', 'lifo']).default('fifo'),
  maxSize: z.number().int().positive().nullish(),
  serviceLevelSeconds: z.number().int().positive().nullish(),
  hours: z
    .object({
      timeZone: z.string().refine(validTimeZone, 'unknown time zone'),
      week: z.record(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(z.tuple([hhmm, hhmm]))),
      closedOn: z.array(z.iso.date()).optional(),
    })
    .nullish(),
});
export type QueueBody = z.infer<typeof queueBody>;

const strategy = z.enum(['longest-idle', 'least-occupied', 'round-robin', 'best-proficiency', 'weighted']);
export const stepSchema = z.object({
  queueId: z.string().min(1),
  agentExpression: z.string().max(10_000).optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
  timeoutSeconds: z.number().int().positive().max(7 * 86_400).optional(),
  skipIf: z.string().max(10_000).optional(),
  strategy: strategy.optional(),
  weights: z.object({ proficiency: z.number(), idle: z.number(), occupancy: z.number(), fairness: z.number(), value: z.number(), sticky: z.number() }).partial().optional(),
  skill: z.string().max(200).optional(),
  preferredAgentOnly: z.boolean().optional(),
  parallelOffers: z.number().int().min(1).max(20).optional(),
  offerTimeoutSeconds: z.number().int().min(5).max(3600).optional(),
});
export const workflowBody = z.object({
  name,
  filters: z.array(z.object({ name, expression: z.string().min(1).max(10_000), steps: z.array(stepSchema).min(1).max(20) })).max(100),
  defaultSteps: z.array(stepSchema).max(20),
});
export type WorkflowBody = z.infer<typeof workflowBody>;

/** Where an expression is written decides what it may read. */
export const expressionPlaces = {
  queue: ['agent'],
  filter: ['task'],
  step: ['agent', 'task'],
  skip: ['task', 'queue'],
} as const satisfies Record<string, readonly Root[]>;
export type ExpressionPlace = keyof typeof expressionPlaces;

export function toQueueSpec(row: { id: string; name: string; eligibility: string; order: 'fifo' | 'lifo'; maxSize: number | null; hours: QueueSpec['hours'] | null; serviceLevelSeconds: number | null }): QueueSpec {
  return {
    id: row.id,
    name: row.name,
    eligibility: row.eligibility,
    order: row.order,
    ...(row.maxSize != null ? { maxSize: row.maxSize } : {}),
    ...(row.hours ? { hours: row.hours } : {}),
    ...(row.serviceLevelSeconds != null ? { serviceLevelSeconds: row.serviceLevelSeconds } : {}),
  };
}

export function toRoutingConfig(settings: RoutingSettings, queues: QueueSpec[], workflows: WorkflowSpec[]): RoutingConfig {
  return {
    presences: settings.presences,
    queues,
    workflows,
    taskFields: settings.taskFields,
    agentFields: settings.agentFields,
    slaBoosts: settings.slaBoosts,
    presenceAfterMissedOffer: settings.presenceAfterMissedOffer,
    presenceAfterReject: settings.presenceAfterReject,
    transferTimeoutSeconds: settings.transferTimeoutSeconds,
    defaultOfferTimeoutSeconds: settings.defaultOfferTimeoutSeconds,
  };
}

/** Checks a whole configuration the way the engine will load it; the message names the place. */
export function configProblem(config: RoutingConfig): string | undefined {
  const presenceNames = new Set(config.presences.map((p) => p.name));
  for (const [what, value] of [['presence after a missed offer', config.presenceAfterMissedOffer], ['presence after a rejected offer', config.presenceAfterReject]] as const) {
    if (value && !presenceNames.has(value)) return `${what}: unknown presence '${value}'`;
  }
  try {
    new RoutingEngine(config);
    return undefined;
  } catch (e) {
    if (e instanceof RoutingConfigError) return e.message;
    throw e;
  }
}

export function checkExpressionAt(source: string, place: ExpressionPlace, settings: RoutingSettings) {
  const schema = expressionSchema(toRoutingConfig(settings, [], []));
  return validateExpression(source, schema, [...expressionPlaces[place]]);
}
