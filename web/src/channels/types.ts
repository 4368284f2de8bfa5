/** Shapes of the channels API (server/src/channels/channels.routes.ts). */

export type FieldKind = 'text' | 'secret' | 'url' | 'number' | 'boolean' | 'email' | 'json' | 'select';

export interface Localized {
  nl: string;
  en: string;
}

/** One field of a channel type's settings form; `secret` fields go into `secrets`, the rest into `config`. */
export interface ChannelField {
  key: string;
  kind: FieldKind | (string & {});
  label: Localized;
  help?: Localized;
  required?: boolean;
  placeholder?: string;
  /** The choices of a `select`. */
  options?: Array<{ value: string; label: Localized }>;
}

export interface ChannelType {
  type: string;
  provider: string;
  label: string;
  inbound: 'webhook' | 'poll' | 'listener' | 'hoorn';
  testable: boolean;
  fields: ChannelField[];
}

export interface ChannelDetail {
  id: string;
  type: string;
  provider: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  /** Which secrets are set; their values never leave the server. */
  secretsSet: string[];
  webhookUrl: string | null;
  /** Where customers reach a channel without a webhook (an email address). */
  inboundAddress: string | null;
  /** Campaign messages a minute on this channel, shared by all its campaigns; null: the default (60). */
  campaignRatePerMinute: number | null;
  createdAt: string;
}

export interface ChannelTestResult {
  ok: boolean;
  detail: string;
}

export interface WebhookReject {
  id: string;
  error: string;
  contentType: string | null;
  body: string;
  receivedAt: string;
}

export interface ChannelCreateInput {
  type: string;
  provider: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  secrets: Record<string, unknown>;
  campaignRatePerMinute?: number | null;
}

export type ChannelPatch = Partial<Pick<ChannelCreateInput, 'name' | 'enabled' | 'config' | 'secrets' | 'campaignRatePerMinute'>>;
