/** Shapes of the Hoorn server API (timestamps are ISO strings, ids are strings). */

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface UserListItem extends User {
  createdAt: string;
  disabled?: boolean;
}

export interface Workspace {
  id: string;
  slug: string;
  name: string;
}

export interface Session {
  user: User;
  workspace: Workspace;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

/** Statuses a user can filter the outbox on. */
export const OUTBOX_FILTERS = ['pending', 'delivered', 'dead'] as const;
export type OutboxFilter = (typeof OUTBOX_FILTERS)[number];
/** `sending` is transient: the worker is delivering the message right now. */
export type OutboxStatus = OutboxFilter | 'sending';

export interface OutboxItem {
  id: string;
  kind: string;
  status: OutboxStatus;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastErrorKind?: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface DomainEvent {
  id: string;
  type: string;
  subjectType: string;
  subjectId: string;
  payload: unknown;
  actorId: string | null;
  createdAt: string;
}

export interface ListResponse<T> {
  items: T[];
}

export interface PageResponse<T> extends ListResponse<T> {
  nextCursor: string | null;
}

export type RealtimeMessage =
  | { type: 'hello'; workspaceId: string }
  | { type: 'event'; event: DomainEvent };
