import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Platform } from '../platform/platform.ts';
import type { ChannelRow } from './channels.store.ts';
import type { ConversationRow, MessageRow } from '../conversations/conversations.store.ts';
import type { CustomerProfile } from '../customers/customers.store.ts';

/** What a channel can carry; the desk and the flow engine adapt to it. */
export interface ChannelLimits {
  maxTextLength: number;
  /** How the channel counts text against maxTextLength, where it is not UTF-16 units (X weighs CJK and URLs). */
  textLength?: (text: string) => number;
  attachments: { maxBytes: number; types: string[] } | null;
  /** Hours after the customer's last message during which free-form replies are allowed (WhatsApp: 24). */
  replyWindowHours: number | null;
  /** Message templates the channel offers when the reply window is closed (WhatsApp). */
  templates?: Array<{ name: string; language: string; body: string; parameters: number }>;
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
  /** Who wrote it: an agent, or a bot/automation (email marks those Auto-Submitted). */
  authorType: 'agent' | 'bot' | 'system' | 'customer';
  createdAt: Date;
  /** Provider specifics set when the message was written (a template to send, say). */
  meta: Record<string, unknown> | null;
}

/** Everything an adapter's `send` may use: the channel with its decrypted secrets, the conversation. */
export interface SendContext<Config = Record<string, unknown>, Secrets = Record<string, unknown>> extends WebhookContext<Config, Secrets> {
  conversation: ConversationRow;
  /** The customer's identity on this channel: the address, number or user id to send to. */
  recipient: { externalId: string; optedOut: boolean };
  /** The latest inbound message of the conversation: what a threaded reply answers. */
  lastInbound: MessageRow | undefined;
}

/** A file the provider holds; the adapter's `fetchMedia` downloads it after the webhook was answered. */
export interface MediaRef {
  /** What `fetchMedia` needs (a URL, a provider media id). */
  ref: string;
  contentType?: string;
  name?: string;
}

/** A customer's message, normalized from the provider's format. */
export interface InboundMessageEvent {
  kind: 'message';
  /** The provider's id of the message: the idempotency key (a replay adds nothing). */
  providerMessageId: string;
  from: { externalId: string; verified?: boolean; profile?: CustomerProfile };
  body: string;
  media?: MediaRef[];
  /** Files already stored as attachments (email parses its own). */
  attachmentIds?: string[];
  subject?: string | null;
  language?: string | null;
  receivedAt?: Date;
  /** Which of the customer's threads on this channel (see conversations.threadKey); null: the direct one. */
  threadKey?: string | null;
  /** Provider ids of messages this one answers (email References, a comment's parent): their conversation is this one's. */
  inReplyTo?: string[];
  /** Stored on a conversation this message opens (e.g. the post a comment is under). */
  channelContext?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  /** An opt-out keyword (SMS STOP) or its reversal (START): recorded with the message, in its transaction. */
  optOut?: 'stop' | 'start';
}

/** A delivery report on a message Hoorn sent. */
export interface InboundStatusEvent {
  kind: 'status';
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  error?: string;
  /** The provider says the recipient opted out (Twilio 21610): no more sends to them. */
  optedOut?: boolean;
  at?: Date;
}

/**
 * "Everything sent to this customer up to then is delivered/read": Messenger reports reads as a
 * watermark rather than per message.
 */
export interface InboundWatermarkEvent {
  kind: 'watermark';
  /** The customer's id on the channel. */
  externalId: string;
  upTo: Date;
  status: 'delivered' | 'read';
}

export type InboundEvent = InboundMessageEvent | InboundStatusEvent | InboundWatermarkEvent;

/** A provider's request as the webhook endpoint received it, with the exact bytes (signatures cover them). */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  /** The URL the provider called, rebuilt from HOORN_PUBLIC_URL (Twilio signs it). */
  publicUrl: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string>;
  rawBody: Buffer;
  contentType: string;
}

/** What the webhook endpoint answers the provider. */
export interface WebhookReply {
  status: number;
  contentType?: string;
  body?: string;
}

/** Thrown by `verify`/`parse`: the endpoint answers with its status and a clear message. */
export class WebhookError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

export interface WebhookContext<Config = Record<string, unknown>, Secrets = Record<string, unknown>> {
  p: Platform;
  channel: ChannelRow;
  config: Config;
  secrets: Secrets;
  /**
   * Stores changed secrets (a rotated OAuth token), sealed like the admin's; `secrets` is updated
   * too. Merged over the secrets stored now, so a concurrent change of another key is kept.
   */
  saveSecrets(patch: Partial<Secrets>): Promise<void>;
  /** The secrets as stored now (another node may have rotated a token since this context was made). */
  storedSecrets(): Promise<Secrets>;
}

/** A field of the channel's settings form in the admin screens. */
export interface SettingsField {
  key: string;
  /** `secret` fields are sealed at rest, write-only in the API, and never shown again. */
  kind: 'text' | 'secret' | 'url' | 'number' | 'boolean' | 'email' | 'json' | 'select';
  /** The choices of a `select`. */
  options?: Array<{ value: string; label: { nl: string; en: string } }>;
  label: { nl: string; en: string };
  help?: { nl: string; en: string };
  required?: boolean;
  placeholder?: string;
}

/**
 * The adapter contract: one per (channel type, provider), in its own folder, registered in
 * registry.ts. Inbound arrives by webhook (`webhook`), by polling (`poll`), or through the
 * adapter's own listener (`start`: the SMTP server); every path ends in `receiveInbound`.
 * Outbound: the outbox calls `send`, which throws `DeliveryError` kinds (see providerFetch).
 */
export interface ChannelAdapter<Config = any, Secrets = any> {
  /** The medium: routing costs and SLAs, the desk's icon. */
  type: string;
  /** Who carries it; channels.provider. */
  provider: string;
  /** Shown in the admin screens. */
  label: string;
  /** Validates (and defaults) the channel's public settings; errors reach the admin as 400s. */
  config: z.ZodType<Config>;
  /** Validates the channel's secrets before they are sealed. */
  secrets: z.ZodType<Secrets>;
  /** The admin form: public settings and secrets, in order. */
  fields: SettingsField[];
  /** The conversation, when known, lets limits differ per thread (a public reply on X: 280 characters). */
  limits: (channel: ChannelRow, config: Config, conversation?: ConversationRow) => ChannelLimits;
  /** Sends one message; returns the provider's message id. */
  send: (ctx: SendContext<Config, Secrets>, message: OutboundMessage) => Promise<{ providerMessageId: string | null; meta?: Record<string, unknown> }>;
  /**
   * The provider's webhook at `/channels/<type>/<channelId>/webhook` (GET for handshakes such
   * as Meta's hub.challenge or X's CRC, POST for deliveries). `verify` throws WebhookError(401)
   * on a bad or missing signature; `parse` turns the verified request into events (or throws
   * WebhookError(400)); `reply` is what the provider expects back once they are stored.
   */
  webhook?: {
    handshake?: (ctx: WebhookContext<Config, Secrets>, request: WebhookRequest) => WebhookReply;
    verify: (ctx: WebhookContext<Config, Secrets>, request: WebhookRequest) => void;
    parse: (ctx: WebhookContext<Config, Secrets>, request: WebhookRequest) => InboundEvent[];
    reply?: (ctx: WebhookContext<Config, Secrets>) => WebhookReply;
  };
  /** For providers without push (YouTube) or mailboxes (IMAP): one polling pass; the registry runs it on an interval. */
  poll?: {
    intervalMs: (config: Config) => number;
    run: (ctx: WebhookContext<Config, Secrets>, state: PollState) => Promise<InboundEvent[]>;
  };
  /** Downloads a file named in an inbound message (after the webhook was answered). */
  fetchMedia?: (ctx: WebhookContext<Config, Secrets>, media: MediaRef) => Promise<{ data: Buffer; contentType: string; name: string }>;
  /**
   * Names a customer the provider's messages leave anonymous (Messenger sends only a page-scoped
   * id). Runs through the outbox after the first message was stored, once per customer.
   */
  lookupProfile?: (ctx: WebhookContext<Config, Secrets>, externalId: string) => Promise<CustomerProfile | null>;
  /** The admin's test-connection button: checks the credentials against the provider without sending anything to customers. */
  testConnection?: (ctx: WebhookContext<Config, Secrets>) => Promise<{ ok: boolean; detail: string }>;
  /** Where customers reach a channel without a webhook (an email address), shown to the admin. */
  inboundAddress?: (p: Platform, channel: ChannelRow, config: Config) => string | null;
  /** Extra routes (the web chat widget's API). */
  routes?: (app: FastifyInstance, p: Platform) => void;
  /** Long-running listeners of this provider (an SMTP server); stopped with the platform. */
  start?: (p: Platform) => Promise<void> | void;
}

/** A polling adapter's durable cursor (channel_state), read before and saved after each pass. */
export interface PollState {
  get<T>(key: string): Promise<T | undefined>;
  /** Saves a value; null removes the key. */
  set(key: string, value: unknown): Promise<void>;
}
