import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryError } from '../platform/outbox/outbox.ts';

/** A provider's answer, read whole: JSON when it parses, the text otherwise. */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface ProviderFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams | Buffer | FormData;
  /** Milliseconds before the call counts as failed (retryable). */
  timeoutMs?: number;
  /**
   * Refines the classification of a failed answer from the provider's own error codes (Twilio's
   * 21610 "opted out" is permanent, Telegram's 429 says how long to wait). Returning undefined
   * keeps the default: 429 and 5xx retryable, 401/403 auth, other 4xx permanent.
   */
  classify?: (response: ProviderResponse) => DeliveryError | undefined;
}

const retryAfterMs = (headers: Headers): number | undefined => {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
};

/** Short description of a provider's error answer for the desk: the provider's own message where it has one. */
export function describeProviderError(response: ProviderResponse): string {
  const j = response.json as Record<string, any> | null;
  const message =
    (j && (j.message ?? j.error?.message ?? j.error_description ?? j.description ?? j.detail ?? j.title ?? (typeof j.error === 'string' ? j.error : undefined))) ??
    response.text.slice(0, 200);
  const code = j && (j.code ?? j.error?.code ?? j.error_code);
  return `HTTP ${response.status}${code !== undefined && code !== null ? ` (code ${code})` : ''}${message ? `: ${message}` : ''}`;
}

/**
 * Calls a provider's API for the outbox: a 2xx answer is returned, anything else is thrown as
 * a DeliveryError of the right kind, so the outbox retries what may succeed later and
 * dead-letters what never will, with the provider's message for the desk.
 */
export async function providerFetch(url: string, options: ProviderFetchOptions = {}): Promise<ProviderResponse> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: options.method ?? 'POST',
      headers: options.headers,
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : (error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new DeliveryError('retryable', `could not reach ${new URL(url).host}: ${reason}`);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  const response: ProviderResponse = { status: res.status, headers: res.headers, text, json };
  if (res.ok) return response;
  const refined = options.classify?.(response);
  if (refined) throw refined;
  const description = describeProviderError(response);
  if (res.status === 429 || res.status >= 500) throw new DeliveryError('retryable', description, retryAfterMs(res.headers));
  if (res.status === 401 || res.status === 403) throw new DeliveryError('auth', description);
  throw new DeliveryError('permanent', description);
}

/** Constant-time comparison of two signatures (strings of any length). */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

export const hmacHex = (algorithm: 'sha1' | 'sha256', key: string | Buffer, data: string | Buffer) => createHmac(algorithm, key).update(data).digest('hex');
export const hmacBase64 = (algorithm: 'sha1' | 'sha256', key: string | Buffer, data: string | Buffer) => createHmac(algorithm, key).update(data).digest('base64');

/** Joins a configurable base URL (tests point it at a fake provider) and a path. */
export const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
