/**
 * Performing a flow's effects: the I/O around the pure engine. Lookups call the organisation's
 * systems over HTTP (only hosts on the flow's allow-list, no redirects followed, a hard timeout and
 * a size cap on the answer); knowledge questions go to the knowledge base; callbacks are recorded
 * for the routing engine once the run ends.
 */
import type { Platform } from '../platform/platform.ts';
import type { Flow } from './flow.ts';
import type { Effect, EffectResult, KnowledgeEffect } from './run.ts';
import { hostAllowed } from './validate.ts';

/** Largest lookup answer read (bytes): a flow reads a balance or a status, not a file. */
export const MAX_LOOKUP_BYTES = 256 * 1024;

export type KnowledgeAnswerer = (workspaceId: string, effect: KnowledgeEffect) => Promise<{ answer: string | null; confidence: number; articleId?: string; title?: string }>;
const answerers = new WeakMap<object, KnowledgeAnswerer>();

/** The knowledge module registers how a flow's question is answered. */
export function provideKnowledgeAnswers(p: Platform, answerer: KnowledgeAnswerer): void {
  answerers.set(p, answerer);
}

async function readLimited(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_LOOKUP_BYTES) {
      await reader.cancel();
      throw new Error(`answer larger than ${MAX_LOOKUP_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function performLookup(flow: Flow, effect: Extract<Effect, { kind: 'lookup' }>): Promise<EffectResult> {
  let url: URL;
  try {
    url = new URL(effect.url);
  } catch {
    return { kind: 'lookup', outcome: 'error', message: 'not a URL' };
  }
  // The engine checked this already; an adapter that calls out checks again.
  if (!hostAllowed(url.hostname, flow.allowedHosts) || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return { kind: 'lookup', outcome: 'error', message: `host ${url.hostname} is not allowed` };
  }
  const hasBody = effect.body !== undefined && effect.method !== 'GET' && effect.method !== 'DELETE';
  try {
    const response = await fetch(url, {
      method: effect.method,
      headers: { accept: 'application/json', ...(hasBody ? { 'content-type': 'application/json' } : {}), ...effect.headers },
      body: hasBody ? JSON.stringify(effect.body) : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(effect.timeoutMs),
    });
    const text = await readLimited(response);
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { kind: 'lookup', outcome: 'response', status: response.status, body, headers };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'lookup', outcome: 'timeout' };
    return { kind: 'lookup', outcome: 'error', message: (error as Error).message };
  }
}

export interface EffectContext {
  workspaceId: string;
  /**
   * Callbacks asked for in this pass: a live run hands them to routing when it ends; the
   * simulator only shows them.
   */
  callbacks?: Array<Extract<Effect, { kind: 'callback' }>>;
}

/** The `perform` function `settle` needs, bound to a workspace. */
export function effectPerformer(p: Platform, flow: Flow, context: EffectContext) {
  return async (effect: Effect): Promise<EffectResult> => {
    switch (effect.kind) {
      case 'lookup':
        return performLookup(flow, effect);
      case 'knowledge': {
        const answerer = answerers.get(p);
        if (!answerer) return { kind: 'knowledge', answer: null, confidence: 0 };
        try {
          return { kind: 'knowledge', ...(await answerer(context.workspaceId, effect)) };
        } catch {
          return { kind: 'knowledge', answer: null, confidence: 0 };
        }
      }
      case 'callback':
        context.callbacks?.push(effect);
        return { kind: 'callback', outcome: 'scheduled', ...(effect.at ? { at: effect.at } : {}) };
    }
  };
}
