/**
 * The outbox's retry policy, pure: what happens to a message after a delivery attempt.
 * Senders classify failures into a few kinds (as provider SDKs do), and the kind picks the policy.
 */
export type DeliveryErrorKind = 'retryable' | 'permanent' | 'auth';

/** Thrown by senders. Anything else thrown counts as `retryable`. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    /** The provider's Retry-After, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseDelayMs: 2_000, maxDelayMs: 60 * 60_000 };

export type AfterFailure = { status: 'pending'; nextAttemptAt: Date; delayMs: number } | { status: 'dead'; reason: string };

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * base * 2^(n-1), capped; so retries of many messages that failed together spread out.
 * `attempts` counts the attempt that just failed. `random` is in [0, 1).
 */
export function afterFailure(
  input: { attempts: number; maxAttempts: number; kind: DeliveryErrorKind; retryAfterMs?: number },
  now: Date,
  random: number,
  policy: RetryPolicy = defaultRetryPolicy,
): AfterFailure {
  if (input.kind === 'permanent') return { status: 'dead', reason: 'permanent failure' };
  if (input.attempts >= input.maxAttempts) return { status: 'dead', reason: `gave up after ${input.attempts} attempts` };
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (input.attempts - 1));
  // Credentials rarely fix themselves within seconds: wait the full step.
  const jittered = input.kind === 'auth' ? ceiling : ceiling / 2 + (random * ceiling) / 2;
  const delayMs = Math.round(Math.max(jittered, input.retryAfterMs ?? 0));
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + delayMs), delayMs };
}

export function classifyError(error: unknown): { kind: DeliveryErrorKind; message: string; retryAfterMs?: number } {
  if (error instanceof DeliveryError) return { kind: error.kind, message: error.message, retryAfterMs: error.retryAfterMs };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'retryable', message };
}
