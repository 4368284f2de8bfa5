/** Web-side shapes of the routing API (docs/routing-api.md); mirrors the engine's model. */

export type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'any';
export const FIELD_TYPES: readonly FieldType[] = ['string', 'number', 'boolean', 'string[]', 'number[]', 'any'];

export interface PresenceSpec {
  name: string;
  routable: boolean;
}

export interface SlaBoost {
  atFraction: number;
  add: number;
}

export interface RoutingSettings {
  presences: PresenceSpec[];
  skills: string[];
  taskFields: Record<string, FieldType>;
  agentFields: Record<string, FieldType>;
  slaBoosts: SlaBoost[];
  presenceAfterMissedOffer?: string;
  presenceAfterReject?: string;
  transferTimeoutSeconds: number;
  defaultOfferTimeoutSeconds: number;
  defaultWorkflowId?: string;
}

export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '0'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface OpeningHours {
  timeZone: string;
  week: Partial<Record<Weekday, Array<[string, string]>>>;
  closedOn?: string[];
}

export interface Queue {
  id: string;
  name: string;
  eligibility: string;
  order: 'fifo' | 'lifo';
  maxSize?: number;
  hours?: OpeningHours;
  serviceLevelSeconds?: number;
}
export type QueueInput = Omit<Queue, 'id'>;

export const STRATEGIES = ['longest-idle', 'least-occupied', 'round-robin', 'best-proficiency', 'weighted'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Weights {
  proficiency: number;
  idle: number;
  occupancy: number;
  fairness: number;
  value: number;
  sticky: number;
}

export interface Step {
  queueId: string;
  agentExpression?: string;
  priority?: number;
  timeoutSeconds?: number;
  skipIf?: string;
  strategy?: Strategy;
  weights?: Partial<Weights>;
  skill?: string;
  preferredAgentOnly?: boolean;
  parallelOffers?: number;
  offerTimeoutSeconds?: number;
}

export interface WorkflowFilter {
  name: string;
  expression: string;
  steps: Step[];
}

export interface Workflow {
  id: string;
  name: string;
  filters: WorkflowFilter[];
  defaultSteps: Step[];
}
export type WorkflowInput = Omit<Workflow, 'id'>;

export interface CapacityProfile {
  total: number;
  cost: Record<string, number>;
  maxPerChannel?: Record<string, number>;
  exclusive?: string[];
}

export interface RoutingAgent {
  userId: string;
  name: string;
  email: string;
  role: string;
  presence: string;
  presenceSince: string;
  skills: Record<string, number>;
  languages: string[];
  attributes: Record<string, unknown>;
  capacity: CapacityProfile;
  live?: { routable: boolean; used: number; tasks: number };
}

export interface RoutingAgentInput {
  skills: Record<string, number>;
  languages: string[];
  attributes: Record<string, unknown>;
  capacity: CapacityProfile;
}

export interface Offer {
  taskId: string;
  conversationId?: string;
  channel: string;
  queueId: string;
  queueName: string;
  expiresAt: string;
  callback: boolean;
  customerName?: string;
  preview?: string;
}

export interface RoutingMe {
  agent: RoutingAgent;
  offers: Offer[];
  /** Presences the agent may pick (agents cannot read the settings). */
  presences?: PresenceSpec[];
}

export type ExpressionPlace = 'queue' | 'filter' | 'step' | 'skip';

export interface ExpressionIssue {
  message: string;
  position: number;
  length: number;
}

export interface QueueStatistics {
  queueId: string;
  name: string;
  open: boolean;
  waiting: number;
  waitingByPriority: Record<string, number>;
  longestWaitSeconds: number;
  eligibleAgents: number;
  availableAgents: number;
  readyAgents: number;
  offered: number;
  accepted: number;
  rejected: number;
  timedOut: number;
  rescinded: number;
  canceledWaiting?: number;
  answeredWithinServiceLevel?: number;
}

export interface AgentStatistics {
  agentId: string;
  presence: string;
  routable: boolean;
  used: number;
  total: number;
  tasks: number;
  idleSeconds?: number;
  offered: number;
  accepted: number;
  rejected: number;
  timedOut: number;
}

export interface RoutingStatistics {
  queues: QueueStatistics[];
  agents: AgentStatistics[];
}

export interface QueueTotals {
  queueId: string;
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithinServiceLevel: number;
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  averageWaitSeconds: number;
}

export interface RoutingStatsResponse {
  live: RoutingStatistics;
  today: QueueTotals[];
}

/** Payloads of the routing domain events the web app reacts to. */
export interface OfferedPayload {
  taskId: string;
  agentId: string;
  conversationId?: string;
  expiresAt: string | number;
  callback?: boolean;
}
export interface OfferEndedPayload {
  taskId: string;
  agentId: string;
  reason: 'accepted' | 'rejected' | 'timeout' | 'rescinded';
}
export interface AssignedPayload {
  taskId: string;
  agentId: string;
  conversationId?: string;
  waitedMs: number;
}
