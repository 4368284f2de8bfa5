/** Small routing worlds for engine tests: a config builder and an agent factory. */
import { DEFAULT_CAPACITY, DEFAULT_CONFIG, type AgentSpec, type Decision, type RoutingConfig, type StepSpec } from '../../../src/routing/engine/model.ts';

export const T0 = Date.parse('2026-03-02T09:00:00Z'); // a Monday

export function config(overrides: Partial<RoutingConfig> = {}): RoutingConfig {
  return {
    ...DEFAULT_CONFIG,
    taskFields: { topic: 'string', language: 'string', valueTier: 'string', value: 'number' },
    agentFields: { team: 'string' },
    queues: [
      { id: 'billing', name: 'Billing', eligibility: 'agent.skills HAS billing', order: 'fifo', serviceLevelSeconds: 20 },
      { id: 'general', name: 'General', eligibility: '', order: 'fifo' },
    ],
    workflows: [
      {
        id: 'main',
        name: 'Main',
        filters: [
          {
            name: 'Billing questions',
            expression: 'task.topic == billing',
            steps: [
              { queueId: 'billing', agentExpression: 'agent.skills.billing >= 4', timeoutSeconds: 30 },
              { queueId: 'billing', agentExpression: 'agent.skills.billing >= 1', timeoutSeconds: 60 },
              { queueId: 'general' },
            ],
          },
        ],
        defaultSteps: [{ queueId: 'general' }],
      },
    ],
    ...overrides,
  };
}

export function agent(id: string, skills: Record<string, number> = {}, extra: Partial<AgentSpec> = {}): AgentSpec {
  return {
    id,
    attributes: { team: 'a' },
    skills,
    languages: ['nl', 'en'],
    capacity: DEFAULT_CAPACITY,
    presence: 'available',
    ...extra,
  };
}

export const step = (queueId: string, more: Partial<StepSpec> = {}): StepSpec => ({ queueId, ...more });

export const offersIn = (ds: Decision[]) => ds.filter((d): d is Extract<Decision, { type: 'offer' }> => d.type === 'offer');
export const ofType = <K extends Decision['type']>(ds: Decision[], type: K) => ds.filter((d): d is Extract<Decision, { type: K }> => d.type === type);
