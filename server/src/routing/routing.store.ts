import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx, type Tx } from '../platform/db/client.ts';
import { users } from '../platform/db/schema.ts';
import { DEFAULT_CAPACITY, type AgentSpec, type CapacityProfile, type StepSpec, type TaskInput, type TaskRestore, type WorkflowFilter, type WorkflowSpec } from './engine/model.ts';
import type { TaskView } from './engine/engine.ts';
import { routingAgents, routingCommands, routingLeases, routingQueues, routingSettings, routingTasks, routingWorkflows, type RoutingCommand } from './routing.schema.ts';
import { DEFAULT_SETTINGS, toQueueSpec, toRoutingConfig, type QueueBody, type RoutingSettings } from './settings.ts';

export type QueueRow = typeof routingQueues.$inferSelect;
export type WorkflowRow = typeof routingWorkflows.$inferSelect;
export type TaskRow = typeof routingTasks.$inferSelect;

const LIVE_STATES = ['pending', 'reserved', 'assigned', 'wrapping'] as const;

// ---------------------------------------------------------------- configuration

export async function getSettings(db: DbOrTx, workspaceId: string): Promise<RoutingSettings> {
  const [row] = await db.select().from(routingSettings).where(eq(routingSettings.workspaceId, workspaceId));
  return row ? { ...DEFAULT_SETTINGS, ...row.settings } : DEFAULT_SETTINGS;
}

export async function saveSettings(tx: Tx, workspaceId: string, settings: RoutingSettings, now: Date): Promise<void> {
  await tx
    .insert(routingSettings)
    .values({ workspaceId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: routingSettings.workspaceId, set: { settings, updatedAt: now } });
}

export async function listQueues(db: DbOrTx, workspaceId: string): Promise<QueueRow[]> {
  return db.select().from(routingQueues).where(eq(routingQueues.workspaceId, workspaceId)).orderBy(asc(routingQueues.createdAt), asc(routingQueues.id));
}

export async function getQueue(db: DbOrTx, workspaceId: string, id: string): Promise<QueueRow | undefined> {
  const [row] = await db.select().from(routingQueues).where(and(eq(routingQueues.workspaceId, workspaceId), eq(routingQueues.id, id)));
  return row;
}

const queueValues = (body: QueueBody) => ({
  name: body.name,
  eligibility: body.eligibility,
  order: body.order,
  maxSize: body.maxSize ?? null,
  serviceLevelSeconds: body.serviceLevelSeconds ?? null,
  hours: body.hours ?? null,
});

export async function insertQueue(tx: Tx, workspaceId: string, body: QueueBody, now: Date, id: string = randomUUID()): Promise<QueueRow> {
  const [row] = await tx.insert(routingQueues).values({ id, workspaceId, createdAt: now, ...queueValues(body) }).returning();
  return row!;
}

export async function updateQueue(tx: Tx, workspaceId: string, id: string, body: QueueBody): Promise<QueueRow | undefined> {
  const [row] = await tx.update(routingQueues).set(queueValues(body)).where(and(eq(routingQueues.workspaceId, workspaceId), eq(routingQueues.id, id))).returning();
  return row;
}

export async function deleteQueue(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(routingQueues).where(and(eq(routingQueues.workspaceId, workspaceId), eq(routingQueues.id, id))).returning({ id: routingQueues.id });
  return rows.length > 0;
}

export async function listWorkflows(db: DbOrTx, workspaceId: string): Promise<WorkflowRow[]> {
  return db.select().from(routingWorkflows).where(eq(routingWorkflows.workspaceId, workspaceId)).orderBy(asc(routingWorkflows.createdAt), asc(routingWorkflows.id));
}

export async function getWorkflow(db: DbOrTx, workspaceId: string, id: string): Promise<WorkflowRow | undefined> {
  const [row] = await db.select().from(routingWorkflows).where(and(eq(routingWorkflows.workspaceId, workspaceId), eq(routingWorkflows.id, id)));
  return row;
}

export async function insertWorkflow(tx: Tx, workspaceId: string, body: { name: string; filters: WorkflowFilter[]; defaultSteps: StepSpec[] }, now: Date, id: string = randomUUID()): Promise<WorkflowRow> {
  const [row] = await tx.insert(routingWorkflows).values({ id, workspaceId, createdAt: now, ...body }).returning();
  return row!;
}

export async function updateWorkflow(tx: Tx, workspaceId: string, id: string, body: { name: string; filters: WorkflowFilter[]; defaultSteps: StepSpec[] }): Promise<WorkflowRow | undefined> {
  const [row] = await tx.update(routingWorkflows).set(body).where(and(eq(routingWorkflows.workspaceId, workspaceId), eq(routingWorkflows.id, id))).returning();
  return row;
}

export async function deleteWorkflow(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(routingWorkflows).where(and(eq(routingWorkflows.workspaceId, workspaceId), eq(routingWorkflows.id, id))).returning({ id: routingWorkflows.id });
  return rows.length > 0;
}

export const toWorkflowSpec = (row: WorkflowRow): WorkflowSpec => ({ id: row.id, name: row.name, filters: row.filters, defaultSteps: row.defaultSteps });

export async function loadConfig(db: DbOrTx, workspaceId: string) {
  // One after another: inside a transaction they share one connection.
  const settings = await getSettings(db, workspaceId);
  const queues = await listQueues(db, workspaceId);
  const workflows = await listWorkflows(db, workspaceId);
  return { settings, config: toRoutingConfig(settings, queues.map(toQueueSpec), workflows.map(toWorkflowSpec)), queues, workflows };
}

/** The workflow new conversations are routed by: the chosen default, else the oldest; none means routing is off. */
export function defaultWorkflowId(settings: RoutingSettings, workflows: Array<{ id: string }>): string | undefined {
  if (settings.defaultWorkflowId && workflows.some((w) => w.id === settings.defaultWorkflowId)) return settings.defaultWorkflowId;
  return workflows[0]?.id;
}

// ---------------------------------------------------------------- agents

export interface AgentRow {
  userId: string;
  name: string;
  email: string;
  role: string;
  skills: Record<string, number>;
  languages: string[];
  attributes: Record<string, unknown>;
  capacity: CapacityProfile;
  presence: string;
  presenceSince: Date | null;
}

/** Every active user with their routing profile (defaults for those without one). */
export async function listAgents(db: DbOrTx, workspaceId: string, userId?: string): Promise<AgentRow[]> {
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      skills: routingAgents.skills,
      languages: routingAgents.languages,
      attributes: routingAgents.attributes,
      capacity: routingAgents.capacity,
      presence: routingAgents.presence,
      presenceSince: routingAgents.presenceSince,
    })
    .from(users)
    .leftJoin(routingAgents, and(eq(routingAgents.userId, users.id), eq(routingAgents.workspaceId, users.workspaceId)))
    .where(and(eq(users.workspaceId, workspaceId), isNull(users.disabledAt), userId ? eq(users.id, userId) : undefined))
    .orderBy(asc(users.name), asc(users.id));
  return rows.map((r) => ({
    ...r,
    skills: r.skills ?? {},
    languages: r.languages ?? [],
    attributes: r.attributes ?? {},
    capacity: r.capacity ?? DEFAULT_CAPACITY,
    presence: r.presence ?? 'offline',
  }));
}

export const toAgentSpec = (row: AgentRow): AgentSpec => ({
  id: row.userId,
  name: row.name,
  attributes: row.attributes,
  skills: row.skills,
  languages: row.languages,
  capacity: row.capacity,
  presence: row.presence,
});

export async function saveAgentProfile(
  tx: Tx,
  workspaceId: string,
  userId: string,
  profile: { skills: Record<string, number>; languages: string[]; attributes: Record<string, unknown>; capacity: CapacityProfile },
  now: Date,
): Promise<void> {
  await tx
    .insert(routingAgents)
    .values({ workspaceId, userId, ...profile, presence: 'offline', presenceSince: now })
    .onConflictDoUpdate({ target: [routingAgents.workspaceId, routingAgents.userId], set: profile });
}

export async function saveAgentPresence(tx: Tx, workspaceId: string, userId: string, presence: string, now: Date): Promise<void> {
  await tx
    .insert(routingAgents)
    .values({ workspaceId, userId, presence, presenceSince: now })
    .onConflictDoUpdate({ target: [routingAgents.workspaceId, routingAgents.userId], set: { presence, presenceSince: now } });
}

// ---------------------------------------------------------------- tasks

export async function insertTask(tx: Tx, row: typeof routingTasks.$inferInsert): Promise<TaskRow> {
  const [inserted] = await tx.insert(routingTasks).values(row).returning();
  return inserted!;
}

export async function getTask(db: DbOrTx, workspaceId: string, id: string): Promise<TaskRow | undefined> {
  const [row] = await db.select().from(routingTasks).where(and(eq(routingTasks.workspaceId, workspaceId), eq(routingTasks.id, id)));
  return row;
}

export async function liveTaskForConversation(db: DbOrTx, workspaceId: string, conversationId: string): Promise<TaskRow | undefined> {
  const [row] = await db
    .select()
    .from(routingTasks)
    .where(and(eq(routingTasks.workspaceId, workspaceId), eq(routingTasks.conversationId, conversationId), inArray(routingTasks.state, [...LIVE_STATES])));
  return row;
}

export async function listLiveTasks(db: DbOrTx, workspaceId: string): Promise<TaskRow[]> {
  return db
    .select()
    .from(routingTasks)
    .where(and(eq(routingTasks.workspaceId, workspaceId), inArray(routingTasks.state, [...LIVE_STATES])))
    .orderBy(asc(routingTasks.createdAt), asc(routingTasks.id));
}

export async function listTasks(db: DbOrTx, workspaceId: string, which: 'waiting' | 'active' | 'all', limit = 500): Promise<TaskRow[]> {
  const states = which === 'waiting' ? ['pending', 'reserved'] : which === 'active' ? [...LIVE_STATES] : undefined;
  return db
    .select()
    .from(routingTasks)
    .where(and(eq(routingTasks.workspaceId, workspaceId), states ? inArray(routingTasks.state, states as TaskRow['state'][]) : undefined))
    .orderBy(asc(routingTasks.createdAt), asc(routingTasks.id))
    .limit(limit);
}

/** Offers open for an agent, oldest first. */
export async function offersFor(db: DbOrTx, workspaceId: string, agentId: string): Promise<TaskRow[]> {
  return db
    .select()
    .from(routingTasks)
    .where(
      and(
        eq(routingTasks.workspaceId, workspaceId),
        eq(routingTasks.state, 'reserved'),
        sql`${routingTasks.offers} @> ${JSON.stringify([{ agentId }])}::jsonb`,
      ),
    )
    .orderBy(asc(routingTasks.createdAt));
}

export const toTaskInput = (row: TaskRow): TaskInput => ({
  id: row.id,
  workflowId: row.workflowId,
  channel: row.channel,
  attributes: row.attributes,
  priority: row.basePriority,
  ...(row.slaSeconds ? { slaSeconds: row.slaSeconds } : {}),
  createdAt: row.createdAt.getTime(),
  ...(row.preferredAgentId ? { preferredAgentId: row.preferredAgentId } : {}),
});

export const toTaskRestore = (row: TaskRow): TaskRestore => ({
  state: row.state,
  stepIndex: row.stepIndex,
  stepEnteredAt: (row.stepEnteredAt ?? row.createdAt).getTime(),
  agentId: row.agentId ?? undefined,
  offers: row.offers,
  rejectedBy: row.rejectedBy,
  callback: row.callback,
  transfer: row.transfer ?? undefined,
});

/** Writes where the engine says a live task stands now. */
export async function saveTaskView(tx: Tx, workspaceId: string, view: TaskView, extra: Partial<TaskRow> = {}): Promise<void> {
  await tx
    .update(routingTasks)
    .set({
      state: view.state,
      priority: view.priority,
      stepIndex: view.stepIndex,
      stepEnteredAt: new Date(view.stepEnteredAt),
      queueId: view.queueId ?? null,
      agentId: view.agentId ?? null,
      offers: view.offers,
      rejectedBy: view.rejectedBy,
      callback: view.callback,
      transfer: view.transfer ?? null,
      ...(view.transfer && 'agentId' in view.transfer ? { preferredAgentId: view.transfer.agentId } : {}),
      ...extra,
    })
    .where(and(eq(routingTasks.workspaceId, workspaceId), eq(routingTasks.id, view.id)));
}

export async function endTask(tx: Tx, workspaceId: string, id: string, state: 'completed' | 'canceled', reason: string | null, now: Date): Promise<void> {
  await tx
    .update(routingTasks)
    .set({ state, endReason: reason, endedAt: now, offers: [] })
    .where(and(eq(routingTasks.workspaceId, workspaceId), eq(routingTasks.id, id), notInArray(routingTasks.state, ['completed', 'canceled'])));
}

// ---------------------------------------------------------------- commands

export async function insertCommand(tx: Tx, workspaceId: string, command: RoutingCommand, now: Date): Promise<number> {
  const [row] = await tx.insert(routingCommands).values({ workspaceId, command, createdAt: now }).returning({ id: routingCommands.id });
  return row!.id;
}

export async function pendingCommands(tx: Tx, workspaceId: string, limit: number) {
  return tx
    .select()
    .from(routingCommands)
    .where(and(eq(routingCommands.workspaceId, workspaceId), eq(routingCommands.status, 'pending')))
    .orderBy(asc(routingCommands.id))
    .limit(limit);
}

export async function hasPendingCommands(db: DbOrTx, workspaceId: string): Promise<boolean> {
  const rows = await db
    .select({ id: routingCommands.id })
    .from(routingCommands)
    .where(and(eq(routingCommands.workspaceId, workspaceId), eq(routingCommands.status, 'pending')))
    .limit(1);
  return rows.length > 0;
}

export async function finishCommand(tx: Tx, id: number, status: 'done' | 'refused', result: Record<string, unknown>, now: Date): Promise<void> {
  await tx.update(routingCommands).set({ status, result, doneAt: now }).where(eq(routingCommands.id, id));
}

export async function getCommand(db: DbOrTx, workspaceId: string, id: number) {
  const [row] = await db.select().from(routingCommands).where(and(eq(routingCommands.workspaceId, workspaceId), eq(routingCommands.id, id)));
  return row;
}

/** Old finished commands are only history; a day is plenty for debugging. */
export async function pruneCommands(db: DbOrTx, before: Date): Promise<void> {
  await db.execute(sql`delete from routing_commands where status <> 'pending' and done_at < ${before}`);
}

// ---------------------------------------------------------------- leadership

/** Takes the workspace's lease with the next epoch; writes by older epochs are refused from now on. */
export async function takeLease(db: DbOrTx, workspaceId: string, nodeId: string, now: Date): Promise<number> {
  const [row] = await db
    .insert(routingLeases)
    .values({ workspaceId, epoch: 1, nodeId, renewedAt: now })
    .onConflictDoUpdate({ target: routingLeases.workspaceId, set: { epoch: sql`${routingLeases.epoch} + 1`, nodeId, renewedAt: now } })
    .returning({ epoch: routingLeases.epoch });
  return row!.epoch;
}

/** True while this epoch still holds the lease; locks the row for the rest of the transaction. */
export async function holdsLease(tx: Tx, workspaceId: string, epoch: number, now: Date): Promise<boolean> {
  const rows = await tx
    .update(routingLeases)
    .set({ renewedAt: now })
    .where(and(eq(routingLeases.workspaceId, workspaceId), eq(routingLeases.epoch, epoch)))
    .returning({ epoch: routingLeases.epoch });
  return rows.length > 0;
}

export async function workspacesToRoute(db: DbOrTx): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(db, sql`select id from workspaces order by id`);
  return rows.map((r) => r.id);
}

export interface QueueTotals {
  queueId: string;
  answered: number;
  abandoned: number;
  answeredWithinServiceLevel: number;
  averageWaitSeconds: number | null;
}

/** Cumulative figures per queue since `since`, from the tasks themselves (so they survive restarts). */
export async function queueTotals(db: DbOrTx, workspaceId: string, since: Date, thresholds: Map<string, number>): Promise<QueueTotals[]> {
  const rows = await queryRows<{ queue_id: string; answered: number; abandoned: number; waits: number[] | null }>(
    db,
    sql`select queue_id::text,
               count(*) filter (where assigned_at is not null)::int as answered,
               count(*) filter (where assigned_at is null and state = 'canceled')::int as abandoned,
               array_agg(extract(epoch from assigned_at - created_at)::float8) filter (where assigned_at is not null) as waits
          from routing_tasks
         where workspace_id = ${workspaceId} and queue_id is not null
           and (assigned_at >= ${since} or (assigned_at is null and coalesce(ended_at, created_at) >= ${since}))
         group by queue_id`,
  );
  return rows.map((r) => {
    const waits = (r.waits ?? []).map(Number);
    const threshold = thresholds.get(r.queue_id);
    return {
      queueId: r.queue_id,
      answered: r.answered,
      abandoned: r.abandoned,
      answeredWithinServiceLevel: threshold === undefined ? 0 : waits.filter((w) => w <= threshold).length,
      averageWaitSeconds: waits.length ? Math.round((waits.reduce((s, w) => s + w, 0) / waits.length) * 10) / 10 : null,
    };
  });
}
