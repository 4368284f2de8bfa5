/**
 * The router of one workspace, on the node that leads it: the pure engine in memory, fed from the
 * durable command table, with every decision written back in the same transaction as the
 * commands that caused it and the events that tell everyone else.
 *
 * One loop, one transaction at a time: commands are applied in order, timers fire when due. If a
 * transaction fails (the database went away, or another node took the lease), the engine may hold
 * decisions that were never written, so it is thrown away and rebuilt from the database.
 */
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import { workspaceTopic } from '../platform/realtime/hub.ts';
import type { Tx } from '../platform/db/client.ts';
import { assignByRouting } from '../conversations/conversations.service.ts';
import { RoutingEngine, type RoutingStatistics } from './engine/engine.ts';
import type { Decision, RoutingEvent } from './engine/model.ts';
import type { RoutingCommand } from './routing.schema.ts';
import * as store from './routing.store.ts';

export class LostLease extends Error {
  constructor(workspaceId: string) {
    super(`another node leads routing for workspace ${workspaceId}`);
    this.name = 'LostLease';
  }
}

/** Hub topic on which command results are announced (to the node that waits for them). */
export const resultTopic = (workspaceId: string) => `routing-result:${workspaceId}`;

const MAX_IDLE_MS = 1_000;
const BATCH = 200;
const STATS_EVERY_MS = 2_000;

export interface CommandOutcome {
  id: number;
  status: 'done' | 'refused';
  result: Record<string, unknown>;
}

export class WorkspaceRouter {
  private engine?: RoutingEngine;
  private conversations = new Map<string, string | null>();
  /** Tasks a `task.end` of the current batch ended; their rows are written when the batch is persisted. */
  private readonly endedInBatch = new Set<string>();
  private stopped = false;
  private wakeUp?: () => void;
  private pendingWake = false;
  private loop?: Promise<void>;
  private lastStatsAt = 0;
  lastStatistics?: RoutingStatistics;

  constructor(
    private readonly p: Platform,
    readonly workspaceId: string,
    private readonly epoch: number,
    private readonly onLost: (router: WorkspaceRouter) => void,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Loads if needed and applies what is pending and due, once; for callers that drive time themselves. */
  async runOnce(): Promise<void> {
    try {
      if (!this.engine) await this.load();
      while (await this.drain());
    } catch (error) {
      this.engine = undefined;
      if (error instanceof LostLease) this.onLost(this);
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  /** The engine's live statistics, when this node leads and has loaded. */
  statistics(): RoutingStatistics | undefined {
    return this.engine?.statistics(this.p.clock.now().getTime());
  }

  estimate(taskId: string) {
    return this.engine?.estimate(taskId, this.p.clock.now().getTime());
  }

  agentView(agentId: string) {
    return this.engine?.agent(agentId);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!this.engine) await this.load();
        const busy = await this.drain();
        failures = 0;
        this.publishStatistics();
        if (busy) continue;
      } catch (error) {
        this.engine = undefined;
        if (error instanceof LostLease) {
          this.p.log.warn({ workspaceId: this.workspaceId }, 'routing lease lost; stepping down');
          this.stopped = true;
          this.onLost(this);
          return;
        }
        failures++;
        this.p.log.error({ err: error, workspaceId: this.workspaceId }, 'routing step failed; reloading');
      }
      await this.sleep(failures > 0 ? Math.min(30_000, 250 * 2 ** failures) : this.idleDelay());
    }
  }

  private idleDelay(): number {
    const next = this.engine?.nextWakeAt();
    const now = this.p.clock.now().getTime();
    return next === undefined ? MAX_IDLE_MS : Math.max(0, Math.min(MAX_IDLE_MS, next - now));
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake || this.stopped) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        self.pendingWake = false;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Builds the engine from the database: configuration, agents, then every live task where it stood. */
  private async load(): Promise<void> {
    const { config } = await store.loadConfig(this.p.db, this.workspaceId);
    const engine = new RoutingEngine(config);
    const agents = (await store.listAgents(this.p.db, this.workspaceId)).map(store.toAgentSpec);
    const tasks = await store.listLiveTasks(this.p.db, this.workspaceId);
    this.conversations = new Map(tasks.map((t) => [t.id, t.conversationId]));
    const now = this.p.clock.now();
    const decisions = engine.restore(
      agents,
      tasks.filter((t) => t.stepEnteredAt).map((t) => ({ task: store.toTaskInput(t), restore: store.toTaskRestore(t) })),
      now.getTime(),
    );
    // Tasks created while no leader ran have not been routed yet; their create command is pending.
    await inTransaction(this.p, async (tx) => {
      if (!(await store.holdsLease(tx, this.workspaceId, this.epoch, now))) throw new LostLease(this.workspaceId);
      await this.persist(tx, engine, decisions, now);
    });
    this.engine = engine;
    this.p.log.info({ workspaceId: this.workspaceId, agents: agents.length, tasks: tasks.length }, 'routing loaded');
  }

  /** One transaction: due timers, then pending commands in order. Returns true if there may be more. */
  private async drain(): Promise<boolean> {
    const engine = this.engine as RoutingEngine;
    const outcomes: CommandOutcome[] = [];
    let written: Array<{ type: string; createdAt: Date }> = [];
    let more = false;
    // Nothing due and nothing asked: no transaction (an idle workspace costs one small read).
    const due = engine.nextWakeAt();
    if ((due === undefined || due > this.p.clock.now().getTime()) && !(await store.hasPendingCommands(this.p.db, this.workspaceId))) return false;
    await inTransaction(this.p, async (tx) => {
      const now = this.p.clock.now();
      if (!(await store.holdsLease(tx, this.workspaceId, this.epoch, now))) throw new LostLease(this.workspaceId);
      const commands = await store.pendingCommands(tx, this.workspaceId, BATCH);
      this.endedInBatch.clear();
      more = commands.length === BATCH;
      const due = engine.nextWakeAt();
      if (commands.length === 0 && (due === undefined || due > now.getTime())) return;
      const decisions: Decision[] = this.timed(() => engine.apply({ type: 'tick' }, now.getTime()));
      for (const row of commands) {
        const { decisions: ds, outcome } = await this.applyCommand(tx, engine, row.command, now);
        decisions.push(...ds);
        outcomes.push({ id: row.id, ...outcome });
        await store.finishCommand(tx, row.id, outcome.status, outcome.result, now);
      }
      await this.persist(tx, engine, decisions, now);
      written = commands.map((row) => ({ type: row.command.type, createdAt: row.createdAt }));
    });
    const committed = Date.now();
    for (const { type, createdAt } of written) this.p.metrics.routingCommandSeconds.labels(type).observe(Math.max(0, committed - createdAt.getTime()) / 1000);
    for (const outcome of outcomes) this.p.hub.publish(resultTopic(this.workspaceId), { type: 'routing_result', ...outcome });
    return more;
  }

  private async applyCommand(
    tx: Tx,
    engine: RoutingEngine,
    command: RoutingCommand,
    now: Date,
  ): Promise<{ decisions: Decision[]; outcome: { status: 'done' | 'refused'; result: Record<string, unknown> } }> {
    const at = now.getTime();
    const run = (event: RoutingEvent) => this.timed(() => engine.apply(event, at));
    let decisions: Decision[];
    switch (command.type) {
      case 'config': {
        const { config } = await store.loadConfig(tx, this.workspaceId);
        decisions = run({ type: 'config', config });
        break;
      }
      case 'agent.refresh':
        decisions = await this.refreshAgent(tx, engine, command.agentId, at);
        break;
      case 'task.create': {
        const row = await store.getTask(tx, this.workspaceId, command.taskId);
        // A task written as already assigned (an agent's own video call) goes to that agent without
        // an offer: it is loaded like a restored one, so it holds their capacity from now on.
        const direct = row?.state === 'assigned' && row.agentId !== null;
        if (!row || (row.state !== 'pending' && !direct) || engine.task(row.id)) {
          decisions = [{ type: 'refused', event: 'task.create', reason: 'no such new task' }];
          break;
        }
        this.conversations.set(row.id, row.conversationId);
        decisions = run({ type: 'task.create', task: store.toTaskInput(row), ...(direct ? { restore: store.toTaskRestore(row) } : {}) });
        break;
      }
      case 'task.end': {
        const view = engine.task(command.taskId);
        if (!view) {
          // Not routed (never loaded, or already ended): make sure the row says it ended, unless
          // an earlier command of this batch ended it (its row is written after the batch).
          if (!this.endedInBatch.has(command.taskId)) await store.endTask(tx, this.workspaceId, command.taskId, 'canceled', command.reason, now);
          decisions = [];
        } else if (view.state === 'assigned' || view.state === 'wrapping') {
          decisions = run({ type: 'task.complete', taskId: command.taskId });
        } else {
          decisions = run({ type: 'task.cancel', taskId: command.taskId, reason: command.reason });
        }
        this.endedInBatch.add(command.taskId);
        break;
      }
      case 'agent.presence': {
        const agentExists = engine.agent(command.agentId) ? [] : await this.refreshAgent(tx, engine, command.agentId, at);
        decisions = [...agentExists, ...run(command)];
        if (!decisions.some((d) => d.type === 'refused')) {
          decisions.push({ type: 'agent.presence', agentId: command.agentId, presence: command.presence, reason: 'set' });
        }
        break;
      }
      default:
        decisions = run(command);
    }
    const refused = decisions.find((d) => d.type === 'refused');
    if (refused && refused.type === 'refused') return { decisions, outcome: { status: 'refused', result: { reason: refused.reason } } };
    const result: Record<string, unknown> = {};
    if (command.type === 'offer.accept') result.conversationId = this.conversations.get(command.taskId) ?? null;
    return { decisions, outcome: { status: 'done', result } };
  }

  /** Runs the engine and records how long the decision took (the pure part, without I/O). */
  private timed(apply: () => Decision[]): Decision[] {
    const started = process.hrtime.bigint();
    const decisions = apply();
    this.p.metrics.routingEngineSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    for (const d of decisions) this.p.metrics.routingDecisions.labels(d.type).inc();
    return decisions;
  }

  private async refreshAgent(tx: Tx, engine: RoutingEngine, agentId: string, at: number): Promise<Decision[]> {
    const [row] = await store.listAgents(tx, this.workspaceId, agentId);
    if (!row) return engine.agent(agentId) ? this.timed(() => engine.apply({ type: 'agent.remove', agentId }, at)) : [];
    return this.timed(() => engine.apply({ type: 'agent.upsert', agent: store.toAgentSpec(row) }, at));
  }

  /** Writes the decisions: task rows, presences, conversation assignments, and one event each. */
  private async persist(tx: Tx, engine: RoutingEngine, decisions: Decision[], now: Date): Promise<void> {
    const workspaceId = this.workspaceId;
    const touched = new Set<string>();
    const assignedAt = new Map<string, Date>();
    const event = (type: string, subjectId: string, payload: Record<string, unknown>) =>
      appendEvent(tx, { workspaceId, type, subjectType: 'routing_task', subjectId, payload, actorId: 'routing' });
    for (const d of decisions) {
      const conversationId = 'taskId' in d ? (this.conversations.get(d.taskId) ?? null) : null;
      switch (d.type) {
        case 'task.queued':
          touched.add(d.taskId);
          await event('routing.task_queued', d.taskId, { taskId: d.taskId, conversationId, queueId: d.queueId, stepIndex: d.stepIndex, priority: d.priority, reason: d.reason });
          break;
        case 'task.priority':
        case 'task.callback':
          touched.add(d.taskId);
          break;
        case 'task.wrapping':
          touched.add(d.taskId);
          // After-contact work starts here; analytics measures it up to the task's end.
          await event('routing.wrapping', d.taskId, { taskId: d.taskId, agentId: d.agentId, conversationId });
          break;
        case 'offer':
          touched.add(d.taskId);
          await event('routing.offered', d.taskId, { taskId: d.taskId, agentId: d.agentId, conversationId, expiresAt: new Date(d.expiresAt).toISOString(), callback: d.callback });
          break;
        case 'offer.rescinded':
        case 'offer.timeout':
        case 'offer.rejected': {
          touched.add(d.taskId);
          const reason = d.type === 'offer.rescinded' ? 'rescinded' : d.type === 'offer.timeout' ? 'timeout' : 'rejected';
          await event('routing.offer_ended', d.taskId, { taskId: d.taskId, agentId: d.agentId, conversationId, reason });
          break;
        }
        case 'task.assigned':
          touched.add(d.taskId);
          assignedAt.set(d.taskId, now);
          await event('routing.offer_ended', d.taskId, { taskId: d.taskId, agentId: d.agentId, conversationId, reason: 'accepted' });
          await event('routing.assigned', d.taskId, { taskId: d.taskId, agentId: d.agentId, conversationId, waitedMs: d.waitedMs });
          this.p.metrics.routingWaitSeconds.labels(engine.task(d.taskId)?.queueId ?? 'none').observe(d.waitedMs / 1000);
          if (conversationId) await assignByRouting(tx, workspaceId, conversationId, d.agentId);
          break;
        case 'task.transferred':
          touched.add(d.taskId);
          await event('routing.transferred', d.taskId, { taskId: d.taskId, conversationId, from: d.fromAgentId ?? null, to: d.to });
          break;
        case 'task.completed':
        case 'task.canceled':
        case 'task.rejected': {
          const state = d.type === 'task.completed' ? 'completed' : 'canceled';
          const reason = d.type === 'task.completed' ? null : d.reason;
          await store.endTask(tx, workspaceId, d.taskId, state, reason, now);
          await event('routing.task_ended', d.taskId, { taskId: d.taskId, conversationId, state, reason });
          touched.delete(d.taskId);
          this.conversations.delete(d.taskId);
          break;
        }
        case 'agent.presence':
          await store.saveAgentPresence(tx, workspaceId, d.agentId, d.presence, now);
          await appendEvent(tx, {
            workspaceId,
            type: 'routing.presence_changed',
            subjectType: 'user',
            subjectId: d.agentId,
            payload: { agentId: d.agentId, presence: d.presence, reason: d.reason },
            actorId: d.reason === 'set' ? d.agentId : 'routing',
          });
          break;
        case 'refused':
          break;
      }
    }
    for (const taskId of touched) {
      const view = engine.task(taskId);
      if (view) await store.saveTaskView(tx, workspaceId, view, assignedAt.has(taskId) ? { assignedAt: assignedAt.get(taskId) } : {});
    }
  }

  private publishStatistics(): void {
    const now = Date.now();
    if (!this.engine || now - this.lastStatsAt < STATS_EVERY_MS) return;
    this.lastStatsAt = now;
    const live = this.engine.statistics(this.p.clock.now().getTime());
    this.lastStatistics = live;
    this.p.hub.publish(workspaceTopic(this.workspaceId), { type: 'routing_stats', live });
  }
}
