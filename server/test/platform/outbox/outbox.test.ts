import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailure, classifyError, DeliveryError, defaultRetryPolicy } from '../../../src/platform/outbox/outbox.ts';

const now = new Date('2026-01-05T09:00:00Z');

describe('outbox retry policy', () => {
  it('waits between half and all of an exponentially growing step, capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempts, random) => {
        const result = afterFailure({ attempts, maxAttempts: 100, kind: 'retryable' }, now, random);
        if (result.status !== 'pending') return false;
        const step = Math.min(defaultRetryPolicy.maxDelayMs, defaultRetryPolicy.baseDelayMs * 2 ** (attempts - 1));
        return result.delayMs >= step / 2 - 1 && result.delayMs <= step + 1 && result.nextAttemptAt.getTime() === now.getTime() + result.delayMs;
      }),
    );
  });

  it('grows with each attempt when jitter is fixed', () => {
    const delays = [1, 2, 3, 4, 5].map((attempts) => {
      const r = afterFailure({ attempts, maxAttempts: 10, kind: 'retryable' }, now, 0.5);
      return r.status === 'pending' ? r.delayMs : -1;
    });
    expect(delays).toEqual([1500, 3000, 6000, 12000, 24000]);
  });

  it('dead-letters after the last attempt and at once on a permanent error', () => {
    expect(afterFailure({ attempts: 5, maxAttempts: 5, kind: 'retryable' }, now, 0.5)).toMatchObject({ status: 'dead' });
    expect(afterFailure({ attempts: 1, maxAttempts: 5, kind: 'permanent' }, now, 0.5)).toMatchObject({ status: 'dead', reason: 'permanent failure' });
  });

  it("honours a provider's Retry-After when it is longer", () => {
    const r = afterFailure({ attempts: 1, maxAttempts: 5, kind: 'retryable', retryAfterMs: 120_000 }, now, 0);
    expect(r).toMatchObject({ status: 'pending', delayMs: 120_000 });
  });

  it('treats unknown errors as retryable', () => {
    expect(classifyError(new Error('ECONNRESET')).kind).toBe('retryable');
    expect(classifyError(new DeliveryError('auth', 'token expired')).kind).toBe('auth');
  });
});
