/**
 * The routing model: what the engine is configured with, the events it consumes and the decisions
 * it returns. Everything here is plain JSON so the service can persist it and tests can write it.
 * Times are epoch milliseconds; the engine never reads a clock itself.
 */

export type TaskState = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';

/** A cost budget: every open task costs its channel's price; voice usually costs the whole budget. */
export interface CapacityProfile {
  total: number;
  /** Cost per channel; a channel missing here costs the whole budget. */
  cost: Record<string, number>;
  /** Optional hard cap of simultaneous tasks per channel. */
  maxPerChannel?: Record<string, number>;
  /** Channels that block every other channel while the agent holds one (voice, video). */
  exclusive?: string[];
}

export const DEFAULT_CAPACITY: CapacityProfile = {
  total: 100,
  cost: { voice: 100, video: 100, chat: 25, webchat: 25, whatsapp: 25, messenger: 25, instagram: 25, sms: 20, email: 10, x: 10, youtube: 10 },
  exclusive: ['voice', 'video'],
};

export interface AgentSpec {
  id: string;
  name?: string;
  attributes: Record<string, unknown>;
  /** Skill name -> proficiency 1..5. */
  skills: Record<string, number>;
  languages: string[];
  capacity: CapacityProfile;
  presence: string;
}

export interface PresenceSpec {
  name: string;
  /** Whether the router may offer work to an agent in this presence. */
  routable: boolean;
}

export const DEFAULT_PRESENCES: PresenceSpec[] = [
  { name: 'available', routable: true },
  { name: 'busy', routable: false },
  { name: 'break', routable: false },
  { name: 'offline', routable: false },
];

export interface OpeningHours {
  /** IANA zone, e.g. Europe/Amsterdam. */
  timeZone: string;
  /** Weekday (0 = Sunday) -> list of [open, close] as "HH:MM"; a missing day is closed. */
  week: Partial<Record<'0' | '1' | '2' | '3' | '4' | '5' | '6', Array<[string, string]>>>;
  /** Dates (YYYY-MM-DD, in the zone) on which the queue is closed. */
  closedOn?: string[];
}

export interface QueueSpec {
  id: string;
  name: string;
  /** Expression over `agent.`; empty means every agent. */
  eligibility: string;
  order: 'fifo' | 'lifo';
  maxSize?: number;
  hours?: OpeningHours;
  /** Threshold for the service level statistic (answered within N seconds). */
  serviceLevelSeconds?: number;
}

export type Strategy = 'longest-idle' | 'least-occupied' | 'round-robin' | 'best-proficiency' | 'weighted';

export interface Weights {
  proficiency: number;
  idle: number;
  occupancy: number;
  fairness: number;
  value: number;
  sticky: number;
}

export const DEFAULT_WEIGHTS: Weights = { proficiency: 3, idle: 1, occupancy: 1, fairness: 1, value: 2, sticky: 2 };

export interface StepSpec {
  queueId: string;
  /** Agent-vs-task expression, e.g. `agent.skills.billing >= 3 AND agent.languages HAS task.language`. */
  agentExpression?: string;
  /** Overrides the task's base priority while it is in this step. */
  priority?: number;
  /** Seconds before the task moves on to the next step; none means it waits here. */
  timeoutSeconds?: number;
  /** Expression over `task.` and `queue.`; when true on entering, the step is passed over. */
  skipIf?: string;
  strategy?: Strategy;
  weights?: Partial<Weights>;
  /** The skill proficiency ranks by: a skill name, or `task.<field>` naming it per task. */
  skill?: string;
  /** Only the task's preferred agent (transfer target, the customer's last agent) may take it here. */
  preferredAgentOnly?: boolean;
  /** Offer to up to N agents at once; the first to accept wins. */
  parallelOffers?: number;
  offerTimeoutSeconds?: number;
}

export interface WorkflowFilter {
  name: string;
  /** Expression over `task.`. */
  expression: string;
  steps: StepSpec[];
}

export interface WorkflowSpec {
  id: string;
  name: string;
  filters: WorkflowFilter[];
  defaultSteps: StepSpec[];
}

/** Priority added when a task has used this fraction of its SLA target. */
export interface SlaBoost {
  atFraction: number;
  add: number;
}

export interface RoutingConfig {
  presences: PresenceSpec[];
  queues: QueueSpec[];
  workflows: WorkflowSpec[];
  /** Task attribute names (besides the built-ins) expressions may read, with types. */
  taskFields: Record<string, 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'any'>;
  /** Agent attribute names expressions may read, with types. */
  agentFields: Record<string, 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'any'>;
  slaBoosts: SlaBoost[];
  /** Presence an agent is put in after missing an offer (timeout); none keeps it. */
  presenceAfterMissedOffer?: string;
  /** Presence an agent is put in after rejecting an offer; none keeps it. */
  presenceAfterReject?: string;
  /** Seconds a transfer to a named agent waits for them before falling back to the queue. */
  transferTimeoutSeconds: number;
  defaultOfferTimeoutSeconds: number;
}

export const DEFAULT_CONFIG: RoutingConfig = {
  presences: DEFAULT_PRESENCES,
  queues: [],
  workflows: [],
  taskFields: {},
  agentFields: {},
  slaBoosts: [
    { atFraction: 0.5, add: 1 },
    { atFraction: 0.8, add: 2 },
    { atFraction: 1, add: 5 },
  ],
  presenceAfterMissedOffer: 'busy',
  transferTimeoutSeconds: 60,
  defaultOfferTimeoutSeconds: 30,
};

export interface TaskInput {
  id: string;
  workflowId: string;
  channel: string;
  attributes: Record<string, unknown>;
  priority: number;
  /** SLA target in seconds from createdAt; drives the priority boosts. */
  slaSeconds?: number;
  /** When the customer started waiting (keeps the place in queue across restarts and callbacks). */
  createdAt?: number;
  /** Sticky routing: the agent the customer knows, or a transfer target. */
  preferredAgentId?: string;
}

/** Where a task stood when the service persisted it; lets a new leader continue exactly there. */
export interface TaskRestore {
  state: TaskState;
  stepIndex: number;
  stepEnteredAt: number;
  agentId?: string;
  offers: Array<{ agentId: string; expiresAt: number }>;
  rejectedBy: string[];
  callback?: boolean;
  transfer?: TransferTarget;
}

export type TransferTarget = { agentId: string } | { queueId: string };

export type RoutingEvent =
  | { type: 'tick' }
  | { type: 'config'; config: RoutingConfig }
  | { type: 'agent.upsert'; agent: AgentSpec }
  | { type: 'agent.remove'; agentId: string }
  | { type: 'agent.presence'; agentId: string; presence: string }
  | { type: 'task.create'; task: TaskInput; restore?: TaskRestore }
  | { type: 'task.update'; taskId: string; attributes?: Record<string, unknown>; priority?: number }
  | { type: 'task.cancel'; taskId: string; reason: string }
  | { type: 'offer.accept'; taskId: string; agentId: string }
  | { type: 'offer.reject'; taskId: string; agentId: string }
  | { type: 'task.wrapup'; taskId: string }
  | { type: 'task.complete'; taskId: string }
  | { type: 'task.transfer'; taskId: string; to: TransferTarget }
  | { type: 'task.callback'; taskId: string };

export type RescindReason = 'accepted-elsewhere' | 'canceled' | 'agent-unavailable' | 'agent-removed';

export type Decision =
  | { type: 'task.queued'; taskId: string; queueId: string; stepIndex: number; priority: number; reason: 'created' | 'timeout' | 'skipped' | 'transfer' | 'requeued' | 'updated' }
  | { type: 'task.rejected'; taskId: string; reason: 'no-workflow' | 'queue-full' | 'closed' }
  | { type: 'task.priority'; taskId: string; priority: number }
  | { type: 'offer'; taskId: string; agentId: string; expiresAt: number; callback: boolean }
  | { type: 'offer.rescinded'; taskId: string; agentId: string; reason: RescindReason }
  | { type: 'offer.timeout'; taskId: string; agentId: string }
  | { type: 'offer.rejected'; taskId: string; agentId: string }
  | { type: 'task.assigned'; taskId: string; agentId: string; waitedMs: number }
  | { type: 'task.wrapping'; taskId: string; agentId: string }
  | { type: 'task.completed'; taskId: string; agentId?: string }
  | { type: 'task.canceled'; taskId: string; reason: string }
  | { type: 'task.transferred'; taskId: string; fromAgentId?: string; to: TransferTarget }
  | { type: 'task.callback'; taskId: string }
  | { type: 'agent.presence'; agentId: string; presence: string; reason: 'missed-offer' | 'rejected-offer' | 'set' }
  /** The event could not be applied; nothing changed. */
  | { type: 'refused'; event: RoutingEvent['type']; reason: string };
