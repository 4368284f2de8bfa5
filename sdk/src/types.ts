// The shapes of Hoorn's visitor API (docs/conversations-api.md, "Web chat visitor API").

export type Lang = 'nl' | 'en';

export interface WidgetConfig {
  channelId: string;
  name: string;
  greeting: Record<Lang, string>;
  color: string;
  online: boolean;
  requireEmail: boolean;
  consentText: Record<Lang, string>;
  attachments: { maxBytes: number; types: string[] };
}

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export interface VisitorMessage {
  id: string;
  seq: number;
  direction: 'inbound' | 'outbound';
  authorType: 'customer' | 'agent' | 'bot' | 'system';
  authorName: string | null;
  body: string;
  attachments: Attachment[];
  createdAt: string;
  status: MessageStatus;
  /** The client's own id of a customer's message (null on replies). */
  clientMessageId?: string | null;
  /** A bot question's choices, answered with a tap. */
  buttons?: Array<{ label: string; value: string }>;
}

export interface WaitInfo {
  state: 'waiting' | 'assigned' | 'none';
  position: number | null;
  estimatedWaitSeconds: number | null;
}

export interface Session {
  visitorToken: string;
  customer: { id: string; name: string | null; email: string | null };
  conversationId: string | null;
}

export interface SessionRequest {
  visitorToken?: string;
  name?: string;
  email?: string;
  consent?: boolean;
  language?: Lang;
  userId?: string;
  userHash?: string;
}

/** A verified app user: `userHash` is the hex HMAC-SHA256 of `userId` under the channel's identity secret, made by the app's back end. */
export interface Identity {
  userId?: string;
  userHash?: string;
  name?: string;
  email?: string;
}

export interface OfflineForm {
  name: string;
  email: string;
  body: string;
  consent: boolean;
  language: Lang;
}
