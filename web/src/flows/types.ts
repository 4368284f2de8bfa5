/** Shapes of the flows API (server/src/flows/flows.routes.ts); definitions are edited as loose JSON. */

export const NODE_TYPES = ['say', 'ask', 'menu', 'branch', 'set', 'lookup', 'answer', 'handoff', 'callback', 'end'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** A node as the editor holds it: the shape may be broken while an admin types. */
export interface FlowNodeJson {
  id: string;
  type: string;
  label?: string;
  position?: { x: number; y: number };
  exits?: Record<string, string>;
  prompt?: { nl?: string; en?: string };
  [key: string]: unknown;
}

/** A flow definition as JSON: the settings plus `nodes`. */
export interface FlowDefinition {
  start?: string;
  nodes: FlowNodeJson[];
  [key: string]: unknown;
}

export interface FlowIssue {
  nodeId: string | null;
  field: string;
  message: string;
  severity: 'error' | 'warning';
  position?: number;
  length?: number;
}

export interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  channelIds: string[];
  valid: boolean;
  updatedAt: string;
}

export interface FlowVersion {
  version: number;
  publishedAt: string;
  publishedBy: string;
}

export interface FlowDetail extends FlowSummary {
  draft: Record<string, unknown>;
  issues: FlowIssue[];
  versions: FlowVersion[];
}

export interface ValidationResult {
  ok: boolean;
  issues: FlowIssue[];
}

export interface FlowStatsItem {
  flowId: string;
  channelType: string;
  runs: number;
  running: number;
  contained: number;
  handedOff: number;
  containment: number | null;
  reasons: Record<string, number>;
}

export type CustomerInput =
  | { type: 'text'; text: string }
  | { type: 'speech'; text: string; confidence?: number }
  | { type: 'digits'; digits: string }
  | { type: 'choice'; value: string }
  | { type: 'no_input' };

export interface SimMessage {
  text: string;
  buttons?: Array<{ label: string; value: string }>;
  articleId?: string;
}

export type RunOutcome =
  | { result: 'contained'; reason: string; nodeId: string }
  | { result: 'handed_off'; reason: string; queueId: string; attributes: Record<string, unknown>; nodeId: string };

export type RunAwait =
  | { type: 'input'; nodeId: string; expect?: { kind?: string; choices?: Array<{ value: string }> } }
  | { type: 'effect'; nodeId: string }
  | { type: 'done'; outcome: RunOutcome };

export interface SimulateRequest {
  channel: string;
  language?: 'nl' | 'en';
  state?: unknown;
  input?: CustomerInput;
}

export interface SimulateResponse {
  messages: SimMessage[];
  twiml: string | null;
  await: RunAwait;
  state: unknown;
  callbacks: unknown[];
}
