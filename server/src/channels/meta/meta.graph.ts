import { DeliveryError } from '../../platform/outbox/outbox.ts';
import { joinUrl, providerFetch, type ProviderResponse } from '../http.ts';
import type { GraphSettings } from './meta.config.ts';
import { classifyGraphError } from './meta.errors.ts';

export const graphUrl = (c: GraphSettings, path: string) => joinUrl(c.graphBaseUrl, `${c.apiVersion}/${path}`);

/** The token goes in the Authorization header, never in the URL, so it stays out of logs and errors. */
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

export function graphPost(c: GraphSettings, token: string, path: string, body: unknown): Promise<ProviderResponse> {
  return providerFetch(graphUrl(c, path), { headers: { ...auth(token), 'content-type': 'application/json' }, body: JSON.stringify(body), classify: classifyGraphError });
}

export function graphGet(c: GraphSettings, token: string, path: string): Promise<ProviderResponse> {
  return providerFetch(graphUrl(c, path), { method: 'GET', headers: auth(token), classify: classifyGraphError });
}

/** A string field of a Graph answer, or a permanent error naming what was missing. */
export function answerField(res: ProviderResponse, pick: (json: any) => unknown, what: string): string {
  const value = pick(res.json ?? {});
  if (typeof value !== 'string' || !value) throw new DeliveryError('permanent', `Meta answered without ${what}: ${res.text.slice(0, 200)}`);
  return value;
}

/** Downloads a file from Meta's CDN (WhatsApp's media URLs need the bearer token too). */
export async function download(url: string, token: string | null): Promise<{ data: Buffer; contentType: string | null }> {
  let res: Response;
  try {
    res = await fetch(url, { headers: token ? auth(token) : {}, signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new DeliveryError('retryable', `media download failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!res.ok) throw new DeliveryError(res.status >= 500 || res.status === 429 ? 'retryable' : 'permanent', `media download: HTTP ${res.status}`);
  return { data: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') };
}
