import type { OutboxFilter } from './types';

/** Query keys in one place so pages and mutations invalidate the same data. */
export const queryKeys = {
  session: ['auth', 'me'] as const,
  users: ['users'] as const,
  apiKeys: ['api-keys'] as const,
  outbox: ['outbox'] as const,
  outboxByStatus: (status: OutboxFilter) => ['outbox', status] as const,
  recentEvents: ['events', 'recent'] as const,
  channels: ['channels'] as const,
  channelTypes: ['channels', 'types'] as const,
  channelRejects: (id: string) => ['channels', 'rejects', id] as const,
  clvOverview: ['clv', 'overview'] as const,
  customerValue: (id: string) => ['clv', 'customer', id] as const,
};
