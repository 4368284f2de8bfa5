// A simulation scenario: what a manager (or the CLI's --scenario FILE) hands the simulator. Plain
// JSON, checked with Zod, so a scenario can be saved, edited in the web app, varied and compared.
//
// Demand streams say what arrives (counts per interval of the simulated day, handle and patience
// distributions, the share a self-service flow contains); agent groups say who works when (skills,
// capacity, shifts). Routing is either the workspace's own configuration (queues, workflows and
// expressions as the live router runs them, so "what if" is asked of the real routing) or, when
// absent, one queue per stream whose agents are the ones with the stream's skill.
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'HH:MM');
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name of letters, digits and _ (used in routing expressions)');
/** Skill names as routing allows them (a demand stream's `skill` is an identifier: it goes into an expression). */
const skillName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a skill name of letters, digits, _ and -');

export const strategies = ['longest-idle', 'least-occupied', 'round-robin', 'best-proficiency', 'weighted'] as const;

export const demandStreamSchema = z.object({
  /** Unique in the scenario; also the queue's id when the scenario brings no routing. */
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  channel: z.string().min(1).max(40),
  /** Contacts arriving per interval of the day (length 24·60 / intervalMinutes); Poisson within it. */
  arrivals: z.array(z.number().min(0).max(1_000_000)),
  /** Multiplies every arrival count (a scenario variant: "10 % more contacts"). */
  arrivalFactor: z.number().min(0).max(100).default(1),
  /** Agent time per contact, after-contact work included: mean, and coefficient of variation (1 = exponential, 0 = fixed; otherwise lognormal). */
  handleTime: z.object({ meanSeconds: z.number().positive().max(86_400), cv: z.number().min(0).max(5).default(1) }),
  /** Mean of the customers' (exponential) patience; null: they never abandon (Erlang C's assumption). */
  patienceSeconds: z.number().positive().max(7 * 86_400).nullable().default(null),
  /** Share of arrivals a self-service flow answers before they reach routing, 0..1. */
  selfServiceContainment: z.number().min(0).max(1).default(0),
  /** Answered within this many seconds counts toward the service level. */
  serviceLevelSeconds: z.number().int().min(0).max(86_400).default(20),
  /** Without routing: only agents with this skill serve the stream (none: every agent). */
  skill: identifier.optional(),
  /** With routing: the workflow the task enters, its task attributes and base priority, as the live router gets them. */
  workflowId: z.string().optional(),
  attributes: z.record(z.string(), z.unknown()).default({}),
  priority: z.number().int().min(0).max(1000).default(0),
});

export const agentGroupSchema = z.object({
  name: z.string().min(1).max(200),
  count: z.number().int().min(0).max(100_000),
  /** Skill name -> proficiency 1..5. */
  skills: z.record(skillName, z.number().int().min(1).max(5)).default({}),
  languages: z.array(z.string()).default([]),
  attributes: z.record(z.string(), z.unknown()).default({}),
  team: z.string().max(100).default(''),
  /** The routing capacity budget (default: the product's, voice 100, chat 25, email 10 of 100). */
  capacity: z
    .object({
      total: z.number().positive(),
      cost: z.record(z.string(), z.number().min(0)),
      maxPerChannel: z.record(z.string(), z.number().int().min(0)).optional(),
      exclusive: z.array(z.string()).optional(),
    })
    .optional(),
  /** Local times the group is logged in; "24:00" ends at midnight. Default: the whole day. */
  shifts: z.array(z.object({ start: hhmm, end: hhmm })).default([{ start: '00:00', end: '24:00' }]),
});

/** The workspace's routing as the live router runs it (see routing/engine/model.ts). */
export const scenarioRoutingSchema = z.object({
  queues: z.array(z.record(z.string(), z.unknown())),
  workflows: z.array(z.record(z.string(), z.unknown())),
  taskFields: z.record(z.string(), z.string()).default({}),
  agentFields: z.record(z.string(), z.string()).default({}),
});

export const scenarioSchema = z.object({
  name: z.string().min(1).max(200),
  /** The simulated local day, YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  timeZone: z.string().default('Europe/Amsterdam'),
  intervalMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]).default(15),
  /** The same seed and scenario give the same result. */
  seed: z.number().int().default(1),
  costPerAgentHour: z.number().min(0).default(35),
  /** Every routing step ranks agents by this strategy (a scenario variant: "another routing strategy"). */
  strategy: z.enum(strategies).optional(),
  /** Seconds an agent takes to accept an offer (0: at once, as Erlang's models assume). */
  acceptSeconds: z.number().min(0).max(600).default(0),
  routing: scenarioRoutingSchema.optional(),
  demand: z.array(demandStreamSchema).min(1).max(200),
  agents: z.array(agentGroupSchema).min(1).max(1000),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type DemandStream = z.infer<typeof demandStreamSchema>;
export type AgentGroup = z.infer<typeof agentGroupSchema>;

/** Parses a scenario, or throws a ZodError listing every problem. */
export function parseScenario(input: unknown): Scenario {
  const scenario = scenarioSchema.parse(input);
  const slots = (24 * 60) / scenario.intervalMinutes;
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const stream of scenario.demand) {
    if (ids.has(stream.id)) problems.push(`demand "${stream.id}" appears twice`);
    ids.add(stream.id);
    if (stream.arrivals.length !== slots) problems.push(`demand "${stream.id}" has ${stream.arrivals.length} arrival counts; a day of ${scenario.intervalMinutes}-minute intervals has ${slots}`);
    if (scenario.routing && !stream.workflowId) problems.push(`demand "${stream.id}" needs a workflowId: the scenario brings its own routing`);
  }
  for (const group of scenario.agents) {
    for (const shift of group.shifts) if (shift.start >= shift.end) problems.push(`agent group "${group.name}" has a shift ending before it starts (${shift.start}–${shift.end})`);
  }
  if (problems.length) throw new ScenarioError(problems);
  return scenario;
}

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid scenario: ${problems.join('; ')}`);
    this.name = 'ScenarioError';
  }
}
