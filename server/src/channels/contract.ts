import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import type { ChannelRow } from './channels.store.ts';

/** What a channel can carry; the desk and the flow engine adapt to it. */
export interface ChannelLimits {
  maxTextLength: number;
  attachments: { maxBytes: number; types: string[] } | null;
  /** Hours after the customer's last message during which free-form replies are allowed (WhatsApp: 24). */
  replyWindowHours: number | null;
}

/** An outbound message as the adapter needs it. */
export interface OutboundMessage {
  workspaceId: string;
  messageId: string;
  conversationId: string;
  customerId: string;
  body: string;
  attachments: Array<{ id: string; name: string; contentType: string; size: number }>;
  authorName: string | null;
  createdAt: Date;
}

/**
 * The adapter contract: one per channel type, in its own folder, registered in registry.ts.
 * Inbound: the adapter's routes verify and parse what the provider sends and hand normalized
 * messages to `receiveInbound`. Outbound: the outbox calls `send`, which throws DeliveryError kinds.
 */
export interface ChannelAdapter {
  type: string;
  limits: (channel: ChannelRow) => ChannelLimits;
  /** Sends one message; returns the provider's message id. */
  send: (p: Platform, channel: ChannelRow, message: OutboundMessage) => Promise<{ providerMessageId: string | null }>;
  /** The provider-facing routes (webhooks, or the widget's API). */
  routes?: (app: FastifyInstance, p: Platform) => void;
}
