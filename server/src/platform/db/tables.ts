/** Every table of Hoorn, for drizzle-kit and the typed query builder. Modules add their schema files here. */
export * from './schema.ts';
export * from '../../channels/channels.schema.ts';
export * from '../../customers/customers.schema.ts';
export * from '../../customers/value.schema.ts';
export * from '../../conversations/conversations.schema.ts';
export * from '../../channels/webchat/webchat.schema.ts';
export * from '../../routing/routing.schema.ts';
export * from '../../flows/flows.schema.ts';
export * from '../../knowledge/knowledge.schema.ts';
export * from '../../analytics/analytics.schema.ts';
export * from '../../analytics/sla.schema.ts';
export * from '../../analytics/benchmark.schema.ts';
export * from '../../outcomes/outcomes.schema.ts';
export * from '../../workforce/workforce.schema.ts';
export * from '../../automation/webhooks.schema.ts';
export * from '../../automation/automation.schema.ts';
export * from '../../automation/campaigns.schema.ts';
