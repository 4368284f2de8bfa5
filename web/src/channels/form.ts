import type { ChannelCreateInput, ChannelDetail, ChannelField, ChannelPatch, ChannelType, Localized } from './types';

/** Form state: every field as the input holds it (text for most, a flag for booleans). */
export type FieldValues = Record<string, string | boolean>;

export const isSecret = (f: ChannelField) => f.kind === 'secret';

export function localized(text: Localized | undefined, language: string): string | undefined {
  if (!text) return undefined;
  return language.startsWith('en') ? text.en : text.nl;
}

/** Values to start from: the channel's public settings (edit) or empty (new); secrets always empty. */
export function initialValues(type: ChannelType, channel: ChannelDetail | null): FieldValues {
  const values: FieldValues = {};
  for (const f of type.fields) {
    const current = channel && !isSecret(f) ? channel.config[f.key] : undefined;
    if (f.kind === 'boolean') values[f.key] = current === true;
    else if (f.kind === 'json') values[f.key] = current === undefined || current === null ? '' : JSON.stringify(current, null, 2);
    else values[f.key] = current === undefined || current === null ? '' : String(current);
  }
  return values;
}

/** Client-side checks that need no server: JSON that parses, numbers, required fields. Keyed by field. */
export function localErrors(type: ChannelType, values: FieldValues, channel: ChannelDetail | null, messages: { json: string; number: string; required: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of type.fields) {
    const value = values[f.key];
    if (typeof value !== 'string') continue;
    const empty = value.trim() === '';
    const kept = isSecret(f) && channel?.secretsSet.includes(f.key);
    if (empty) {
      // A secret already set is kept when left empty; other required fields must be filled on create.
      if (f.required && !kept && !(channel && !isSecret(f))) errors[f.key] = messages.required;
      continue;
    }
    if (f.kind === 'json') {
      try {
        JSON.parse(value);
      } catch {
        errors[f.key] = messages.json;
      }
    } else if (f.kind === 'number' && !Number.isFinite(Number(value))) {
      errors[f.key] = messages.number;
    }
  }
  return errors;
}

/** Splits the form into `config` and `secrets`; empty inputs are left out (server defaults, kept secrets). */
export function toSettings(type: ChannelType, values: FieldValues): { config: Record<string, unknown>; secrets: Record<string, unknown> } {
  const config: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const f of type.fields) {
    const value = values[f.key];
    if (typeof value === 'boolean') {
      (isSecret(f) ? secrets : config)[f.key] = value;
      continue;
    }
    if (value === undefined || value.trim() === '') continue;
    if (isSecret(f)) secrets[f.key] = value;
    else if (f.kind === 'json') config[f.key] = JSON.parse(value);
    else if (f.kind === 'number') config[f.key] = Number(value);
    else config[f.key] = value.trim();
  }
  return { config, secrets };
}

export function createInput(type: ChannelType, name: string, enabled: boolean, values: FieldValues): ChannelCreateInput {
  return { type: type.type, provider: type.provider, name: name.trim(), enabled, ...toSettings(type, values) };
}

export function patchInput(type: ChannelType, name: string, enabled: boolean, values: FieldValues): ChannelPatch {
  const { config, secrets } = toSettings(type, values);
  const patch: ChannelPatch = { name: name.trim(), enabled, config };
  if (Object.keys(secrets).length) patch.secrets = secrets;
  return patch;
}

/**
 * The server names the offending field first: "config.apiBaseUrl: Invalid URL" or
 * "secrets.webhookSecret: 16-256 characters ...". Returns the field key and the message.
 */
export function fieldOfServerMessage(message: string): { key: string; message: string } | null {
  const match = /^(?:config|secrets)\.([A-Za-z0-9_]+)(?:\.[^:]*)?:\s*(.*)$/s.exec(message);
  return match ? { key: match[1]!, message: match[2]! } : null;
}
