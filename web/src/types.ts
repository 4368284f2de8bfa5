/** Shapes of the Hoorn server API (timestamps are ISO strings, ids are strings). */

import type { RoutingStatistics } from './routing/types';

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
  | { type: 'event'; event: DomainEvent }
  | PresenceMessage
  | CustomerTypingMessage
  | RoutingStatsMessage;

/** Ephemeral, supervisors only, every two seconds (docs/routing-api.md). */
export interface RoutingStatsMessage {
  type: 'routing_stats';
  live: RoutingStatistics;
}

/* ---------- Conversations (docs/conversations-api.md, "Agent API") ---------- */

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const INBOX_VIEWS = ['mine', 'unassigned', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export type MessageDirection = 'inbound' | 'outbound';
export type AuthorType = 'customer' | 'agent' | 'bot' | 'system';
export type MessageKind = 'message' | 'note';
export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export interface PersonRef {
  id: string;
  name: string;
}

export interface ConversationCustomer {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface Conversation {
  id: string;
  channelId: string;
  channelType: string;
  status: ConversationStatus;
  priority: Priority;
  assignee: PersonRef | null;
  queue: string | null;
  language: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  subject: string | null;
  customer: ConversationCustomer;
  lastMessage: { body: string; direction: MessageDirection; authorType: AuthorType; createdAt: string } | null;
  lastActivityAt: string;
  snoozedUntil: string | null;
  createdAt: string;
  resolvedAt: string | null;
  unread: number;
  /** Phone conversations: the call, live or ended. */
  call?: { from: string | null; status: string; endedAt: string | null; durationSeconds: number | null } | null;
}

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export interface Message {
  id: string;
  seq: number;
  conversationId: string;
  kind: MessageKind;
  direction: MessageDirection;
  authorType: AuthorType;
  author: PersonRef | null;
  body: string;
  attachments: Attachment[];
  status: MessageStatus;
  error: string | null;
  /** The text was erased at the customer's request. */
  redacted?: boolean;
  createdAt: string;
}

export interface ConversationPatch {
  status?: ConversationStatus;
  assigneeId?: string | null;
  priority?: Priority;
  tags?: string[];
  queue?: string | null;
  attributes?: Record<string, unknown>;
  snoozedUntil?: string | null;
}

export interface Customer {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  attributes: Record<string, unknown>;
  identities: Array<{ channelType: string; externalId: string; verified: boolean; optedOut?: boolean }>;
  /** Set when this customer was merged into another. */
  mergedIntoId?: string | null;
  /** Set when the customer's personal data was erased (GDPR). */
  erasedAt?: string | null;
  createdAt: string;
}

export interface CannedResponse {
  id: string;
  shortcode: string;
  title: string;
  body: string;
  /** Only from `GET /api/conversations/:id/canned-responses`. */
  rendered?: string;
}

export interface Channel {
  id: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
}

/** `GET /api/conversations/:id/reply-options`: what a reply on this conversation's channel may be. */
export interface ReplyTemplate {
  name: string;
  language: string;
  body: string;
  /** How many parameters ({{1}}, {{2}}, ...) the template takes. */
  parameters: number;
}

export interface ReplyOptions {
  maxTextLength: number;
  attachments: { maxBytes: number; types: string[] } | null;
  /** Channels with a reply window (WhatsApp: 24 h after the customer's last message); null: none. */
  window: { hours: number; closesAt: string | null; open: boolean } | null;
  templates: ReplyTemplate[];
  optedOut: boolean;
}

export interface TemplateInput {
  name: string;
  language: string;
  parameters: string[];
}

export type PresenceState = 'viewing' | 'typing' | 'left';

export interface PresenceMessage {
  type: 'presence';
  conversationId: string;
  user: PersonRef;
  state: PresenceState;
  at: string;
}

export interface CustomerTypingMessage {
  type: 'customer_typing';
  conversationId: string;
  typing: boolean;
}
