import type { Logger } from 'pino';
import type { Database, Tx } from '../db/client.ts';
import { appendEvent, inTransaction, type TransactionDeps } from '../events/events.ts';
import { afterFailure, classifyError, defaultRetryPolicy, type RetryPolicy } from './outbox.ts';
import { claimDue, markDelivered, markFailed, type OutboxItem } from './outbox.store.ts';

/** Delivers one outbox message; throws DeliveryError (or anything: counted retryable) on failure. */
export type SendFn = (item: OutboxItem) => Promise<unknown>;

/**
 * A sender with hooks that record the outcome in the owner's tables in the same transaction as
 * the outbox row (e.g. a chat message becomes `sent` or `failed` exactly when the outbox says so).
 */
export interface Sender {
  send: SendFn;
  /** Runs with what `send` returned (a provider message id, say). */
  onDelivered?: (tx: Tx, item: OutboxItem, result: unknown) => Promise<void>;
  onDead?: (tx: Tx, item: OutboxItem, failure: { kind: string; message: string }) => Promise<void>;
}

export interface DeliveryResult {
  id: string;
  outcome: 'delivered' | 'retry' | 'dead';
}

export interface OutboxWorkerOptions {
  deps: TransactionDeps & { database: Database };
  log: Logger;
  pollMs: number;
  batchSize?: number;
  /** How long a claimed message is reserved for this worker before another may take it. */
  leaseMs?: number;
  policy?: RetryPolicy;
  random?: () => number;
  onResult?: (kind: string, outcome: DeliveryResult['outcome']) => void;
}

/**
 * Drains the outbox: claims due messages, hands each to the sender registered for its kind,
 * and records the outcome with its event. Later issues plug their senders in with `register`.
 */
export class OutboxWorker {
  private readonly senders = new Map<string, Sender>();
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<DeliveryResult[]> | undefined;
  private rerun = false;
  private stopped = true;

  constructor(private readonly opts: OutboxWorkerOptions) {}

  register(kind: string, sender: Sender | SendFn): void {
    if (this.senders.has(kind)) throw new Error(`an outbox sender for "${kind}" is already registered`);
    this.senders.set(kind, typeof sender === 'function' ? { send: sender } : sender);
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(tick, this.opts.pollMs);
      this.timer.unref();
    };
    tick();
  }

  /** Asks for a drain soon (e.g. right after something was enqueued), without waiting for the poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.rerun = true;
      return;
    }
    void this.drainOnce()
      .catch((error) => this.opts.log.error({ err: error }, 'outbox drain failed'))
      .finally(() => {
        if (this.rerun && !this.stopped) {
          this.rerun = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.draining?.catch(() => {});
  }

  /** One pass over the due messages; tests call it directly with a manual clock. */
  drainOnce(): Promise<DeliveryResult[]> {
    if (this.draining) return this.draining;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drain(): Promise<DeliveryResult[]> {
    const { deps } = this.opts;
    const results: DeliveryResult[] = [];
    const claimed = await claimDue(deps.database.db, deps.clock.now(), this.opts.leaseMs ?? 60_000, this.opts.batchSize ?? 50);
    for (const item of claimed) results.push(await this.deliver(item));
    return results;
  }

  private async deliver(item: OutboxItem): Promise<DeliveryResult> {
    const { deps, log } = this.opts;
    const sender = this.senders.get(item.kind);
    let failure: ReturnType<typeof classifyError> | undefined;
    let result: unknown;
    if (!sender) {
      failure = { kind: 'permanent', message: `no sender is registered for kind "${item.kind}"` };
    } else {
      try {
        result = await sender.send(item);
      } catch (error) {
        failure = classifyError(error);
      }
    }
    const now = deps.clock.now();
    const subject = { workspaceId: item.workspaceId, subjectType: 'outbox', subjectId: item.id, actorId: 'system:outbox' };
    let outcome: DeliveryResult['outcome'];
    if (!failure) {
      outcome = 'delivered';
      await inTransaction(deps, async (tx) => {
        await markDelivered(tx, item.id, now);
        await sender?.onDelivered?.(tx, item, result);
        await appendEvent(tx, { ...subject, type: 'outbox.delivered', payload: { kind: item.kind, attempts: item.attempts } });
      });
    } else {
      const next = afterFailure(
        { attempts: item.attempts, maxAttempts: item.maxAttempts, kind: failure.kind, retryAfterMs: failure.retryAfterMs },
        now,
        (this.opts.random ?? Math.random)(),
        this.opts.policy ?? defaultRetryPolicy,
      );
      outcome = next.status === 'dead' ? 'dead' : 'retry';
      await inTransaction(deps, async (tx) => {
        await markFailed(tx, item.id, {
          status: next.status,
          nextAttemptAt: next.status === 'pending' ? next.nextAttemptAt : undefined,
          error: failure.message,
          errorKind: failure.kind,
        });
        const payload = { kind: item.kind, attempts: item.attempts, error: failure.message, errorKind: failure.kind };
        if (next.status === 'dead') {
          await sender?.onDead?.(tx, item, failure);
          await appendEvent(tx, { ...subject, type: 'outbox.dead_lettered', payload: { ...payload, reason: next.reason } });
        } else {
          await appendEvent(tx, { ...subject, type: 'outbox.retry_scheduled', payload: { ...payload, nextAttemptAt: next.nextAttemptAt.toISOString() } });
        }
      });
      log.warn({ outboxId: item.id, kind: item.kind, attempts: item.attempts, error: failure.message, outcome }, 'outbox delivery failed');
    }
    this.opts.onResult?.(item.kind, outcome);
    return { id: item.id, outcome };
  }
}
