/**
 * Routing as the rest of Hoorn sees it: submit a command (durably), optionally wait for its
 * outcome, and know which node leads which workspace.
 *
 * Leadership: on PGlite there is one node, which leads every workspace. On PostgreSQL each node
 * holds a session connection and tries `pg_try_advisory_lock` per workspace every few seconds; the
 * lock dies with the connection, so when a node dies another takes over at its next try. The
 * lease epoch in `routing_leases` fences a node that lost its lock without noticing yet: its next
 * transaction finds a newer epoch and rolls back, so no task is ever decided by two nodes.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Tx } from '../platform/db/client.ts';
import { AppError, conflict } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import { inTransaction } from '../platform/events/events.ts';
import type { RoutingCommand } from './routing.schema.ts';
import * as store from './routing.store.ts';
import { WorkspaceRouter, resultTopic, type CommandOutcome } from './router.ts';

const WAKE_TOPIC = 'routing-wake';
const LEADERSHIP_EVERY_MS = 2_000;
const DEFAULT_WAIT_MS = 10_000;
/** Advisory lock class for routing leadership ("Rout"); the object id is a hash of the workspace. */
const LOCK_CLASS = 0x526f7574;

const lockObjectId = (workspaceId: string) => createHash('sha256').update(workspaceId).digest().readInt32BE(0);

export class RoutingService {
  private readonly routers = new Map<string, WorkspaceRouter>();
  private lockClient?: pg.Client;
  /** The lock session runs one statement at a time; statements queue here. */
  private lockChain: Promise<unknown> = Promise.resolve();
  private running = false;
  private electing?: Promise<void>;

  constructor(private readonly p: Platform) {
    p.hub.subscribe(WAKE_TOPIC, (message) => this.routers.get(String(message.workspaceId))?.wake());
    // A conversation change may have written a command in its own transaction: look now, not at the next poll.
    p.bus.subscribe({ types: '*' }, (event) => {
      if (event.type.startsWith('conversation.') || event.type === 'routing.command') this.routers.get(event.workspaceId)?.wake();
    });
  }

  /**
   * Background leadership runs as a job, so it starts with the platform's workers (the server) and
   * not in tests, which drive routers with `runPending` instead.
   */
  register(): void {
    this.p.jobs.every('routing leadership', LEADERSHIP_EVERY_MS, () => {
      this.running = true;
      return this.elect();
    });
    this.p.jobs.onStop(() => this.stop());
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.electing;
    await Promise.all([...this.routers.values()].map((r) => r.stop()));
    this.routers.clear();
    await this.lockClient?.end().catch(() => {});
    this.lockClient = undefined;
  }

  leads(workspaceId: string): WorkspaceRouter | undefined {
    return this.routers.get(workspaceId);
  }

  /** Writes a command in the caller's transaction; the leader applies it after the commit. */
  async enqueue(tx: Tx, workspaceId: string, command: RoutingCommand): Promise<number> {
    return store.insertCommand(tx, workspaceId, command, this.p.clock.now());
  }

  /** Wakes the workspace's leader, wherever it runs. */
  wake(workspaceId: string): void {
    const local = this.routers.get(workspaceId);
    if (local) local.wake();
    else this.p.hub.publish(WAKE_TOPIC, { type: 'routing_wake', workspaceId });
  }

  /** Submits a command and waits for the leader's outcome; 503 when no leader answers in time. */
  async submit(workspaceId: string, command: RoutingCommand, waitMs = DEFAULT_WAIT_MS): Promise<CommandOutcome> {
    const id = await inTransaction(this.p, (tx) => this.enqueue(tx, workspaceId, command));
    if (!this.running) {
      // No background routers (tests, one-off CLI): apply it here and now.
      await this.runPending(workspaceId);
      return this.outcomeOf(workspaceId, id);
    }
    return new Promise<CommandOutcome>((resolve, reject) => {
      let settled = false;
      const finish = (outcome?: CommandOutcome, error?: Error) => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearTimeout(timeout);
        clearInterval(poll);
        if (outcome) resolve(outcome);
        else reject(error);
      };
      const unsubscribe = this.p.hub.subscribe(resultTopic(workspaceId), (message) => {
        if (message.id === id) finish(message as unknown as CommandOutcome);
      });
      // NOTIFY can be missed (a reconnect); the row is the truth.
      const poll = setInterval(() => {
        store
          .getCommand(this.p.db, workspaceId, id)
          .then((row) => {
            if (row && row.status !== 'pending') finish({ id, status: row.status, result: row.result ?? {} });
          })
          .catch(() => {});
      }, 500);
      const timeout = setTimeout(() => finish(undefined, new AppError(503, 'router_unavailable', 'Routing did not answer in time; the request is queued and will still be applied')), waitMs);
      this.wake(workspaceId);
    });
  }

  private async outcomeOf(workspaceId: string, id: number): Promise<CommandOutcome> {
    const row = await store.getCommand(this.p.db, workspaceId, id);
    if (!row || row.status === 'pending') throw new AppError(503, 'router_unavailable', 'Routing did not apply the request');
    return { id, status: row.status, result: row.result ?? {} };
  }

  /** Applies pending commands and due timers of a workspace now (tests and single-shot use). */
  async runPending(workspaceId: string): Promise<void> {
    let router = this.routers.get(workspaceId);
    if (!router) {
      const epoch = await store.takeLease(this.p.db, workspaceId, this.p.nodeId, this.p.clock.now());
      router = new WorkspaceRouter(this.p, workspaceId, epoch, (r) => this.routers.delete(r.workspaceId));
      this.routers.set(workspaceId, router);
    }
    await router.runOnce();
  }

  /** Like submit, but 409 with the engine's reason when the command was refused. */
  async command(workspaceId: string, command: RoutingCommand, code = 'routing_refused'): Promise<Record<string, unknown>> {
    const outcome = await this.submit(workspaceId, command);
    if (outcome.status === 'refused') throw conflict(code, String(outcome.result.reason ?? 'refused'));
    return outcome.result;
  }

  private elect(): Promise<void> {
    if (!this.electing) this.electing = this.electOnce().finally(() => (this.electing = undefined));
    return this.electing;
  }

  private async electOnce(): Promise<void> {
    if (!this.running) return;
    const workspaces = await store.workspacesToRoute(this.p.db);
    if (this.p.database.kind === 'pglite') {
      for (const workspaceId of workspaces) if (!this.routers.has(workspaceId)) await this.lead(workspaceId);
      return;
    }
    const client = await this.lockConnection();
    if (!client) return;
    for (const workspaceId of workspaces) {
      if (this.routers.has(workspaceId) || !this.running) continue;
      const { rows } = await this.onLockSession(client, (c) => c.query<{ locked: boolean }>('select pg_try_advisory_lock($1, $2) as locked', [LOCK_CLASS, lockObjectId(workspaceId)]));
      if (rows[0]?.locked) await this.lead(workspaceId);
    }
  }

  private async lead(workspaceId: string): Promise<void> {
    const epoch = await store.takeLease(this.p.db, workspaceId, this.p.nodeId, this.p.clock.now());
    const router = new WorkspaceRouter(this.p, workspaceId, epoch, (r) => this.stepDown(r));
    this.routers.set(workspaceId, router);
    this.p.log.info({ workspaceId, epoch }, 'leading routing');
    router.start();
  }

  private stepDown(router: WorkspaceRouter): void {
    if (this.routers.get(router.workspaceId) === router) this.routers.delete(router.workspaceId);
    const client = this.lockClient;
    if (client) void this.onLockSession(client, (c) => c.query('select pg_advisory_unlock($1, $2)', [LOCK_CLASS, lockObjectId(router.workspaceId)])).catch(() => {});
  }

  private onLockSession<T>(client: pg.Client, run: (client: pg.Client) => Promise<T>): Promise<T> {
    const result = this.lockChain.then(() => run(client));
    this.lockChain = result.catch(() => {});
    return result;
  }

  /** The session that holds the advisory locks; losing it is losing every lock, so every router stops. */
  private async lockConnection(): Promise<pg.Client | undefined> {
    if (this.lockClient) return this.lockClient;
    const url = this.p.config.databaseUrl;
    if (!url) return undefined;
    const client = new pg.Client({ connectionString: url });
    const lost = () => {
      if (this.lockClient !== client) return;
      this.lockClient = undefined;
      this.p.log.warn('routing lock connection lost; stepping down everywhere');
      for (const router of this.routers.values()) void router.stop();
      this.routers.clear();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    this.lockClient = client;
    return client;
  }
}

const services = new WeakMap<object, RoutingService>();

export function routingOf(p: Platform): RoutingService {
  let service = services.get(p);
  if (!service) {
    service = new RoutingService(p);
    services.set(p, service);
  }
  return service;
}

/**
 * What a waiting customer may know: their place in line and an estimated wait, or that an agent
 * has it. Null when the conversation is not being routed (routing off, or already ended).
 */
export async function waitFor(
  p: Platform,
  workspaceId: string,
  conversationId: string,
): Promise<{ state: 'waiting'; position: number | null; estimatedWaitSeconds: number | null } | { state: 'assigned' } | null> {
  const task = await store.liveTaskForConversation(p.db, workspaceId, conversationId);
  if (!task) return null;
  if (task.state === 'assigned' || task.state === 'wrapping') return { state: 'assigned' };
  // Only the leading node has the line in memory; elsewhere the customer just hears they wait.
  const estimate = routingOf(p).leads(workspaceId)?.estimate(task.id);
  return { state: 'waiting', position: estimate?.position ?? null, estimatedWaitSeconds: estimate?.estimatedWaitSeconds ?? null };
}
