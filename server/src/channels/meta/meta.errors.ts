import { DeliveryError } from '../../platform/outbox/outbox.ts';
import type { ProviderResponse } from '../http.ts';

/** The Graph API's error answer: {"error":{"message","type","code","error_subcode","fbtrace_id"}}. */
export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_msg?: string;
  error_data?: { details?: string };
  fbtrace_id?: string;
}

export const graphErrorOf = (response: ProviderResponse): GraphError | undefined => {
  const error = (response.json as { error?: unknown } | null)?.error;
  return error && typeof error === 'object' ? (error as GraphError) : undefined;
};

/** Throttling: app (4), user (17), page (32), API-specific (613), WhatsApp account (80007), throughput (130429), pair (131056). */
const RATE_LIMITED = new Set([4, 17, 32, 613, 80007, 130429, 131056]);
/** The token expired or was revoked (190), or the session is invalid (102): an admin must act. */
const AUTH = new Set([102, 190]);
/** Trying again will not help: outside the window (131047, Messenger 10/2018278), recipient unavailable (551), not a WhatsApp user (131026), blocked (131031). */
const WINDOW_CLOSED_SUBCODES = new Set([2018278, 2534022]);

const describe = (response: ProviderResponse, e: GraphError) =>
  `HTTP ${response.status} (code ${e.code}${e.error_subcode ? `/${e.error_subcode}` : ''}): ${e.message ?? 'Graph API error'}${e.error_data?.details ? ` (${e.error_data.details})` : ''}${e.fbtrace_id ? ` [fbtrace ${e.fbtrace_id}]` : ''}`;

/**
 * Graph errors by their code rather than the HTTP status (Meta answers rate limits as 400 or 403):
 * rate limits and server trouble are retried, an expired token asks for the admin, the closed
 * customer-service window says what to do instead.
 */
export function classifyGraphError(response: ProviderResponse): DeliveryError | undefined {
  const e = graphErrorOf(response);
  if (!e) return undefined;
  const code = typeof e.code === 'number' ? e.code : Number(e.code);
  const description = describe(response, e);
  if (code === 131047) {
    return new DeliveryError('permanent', `More than 24 hours passed since the customer's last message, so WhatsApp refuses free text: send an approved template. ${description}`);
  }
  if (code === 10 && e.error_subcode !== undefined && WINDOW_CLOSED_SUBCODES.has(e.error_subcode)) {
    return new DeliveryError('permanent', `The messaging window for this person has closed: ${description}`);
  }
  if (RATE_LIMITED.has(code)) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return new DeliveryError('retryable', `Rate limited by Meta: ${description}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  }
  if (AUTH.has(code)) return new DeliveryError('auth', `The access token is invalid or expired: ${description}`);
  if (response.status >= 500 || code === 1 || code === 2) return new DeliveryError('retryable', description);
  if (response.status === 401 || response.status === 403) return new DeliveryError('auth', description);
  return new DeliveryError('permanent', description);
}
