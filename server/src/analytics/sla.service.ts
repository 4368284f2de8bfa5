/**
 * SLA in the database: clocks are a projection of a conversation's history (its events) under
 * the policy that applies now. `syncConversation` recomputes them in the caller's transaction,
 * with the conversation row locked, so two recomputes of one conversation queue up and a
 * recompute is always safe to repeat. The job fires warnings and breaches (each once per clock)
 * and applies the policy's escalation in the same transaction as the breach event.
 */
import type { Tx, DbOrTx } from '../platform/db/client.ts';
import { appendEvent, inTransaction, type StoredEvent } from '../platform/events/events.ts';
import { notFound } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import * as conversationStore from '../conversations/conversations.store.ts';
import { getCustomer } from '../customers/customers.store.ts';
import { liveTaskForConversation } from '../routing/routing.store.ts';
import { followOnTask } from '../routing/tasks.ts';
import {
  ALWAYS_OPEN,
  clockStatus,
  foldClocks,
  matchPolicy,
  slaPriorities,
  type BusinessCalendar,
  type ClockStatus,
  type SlaPolicy,
  type SlaSignal,
} from './sla.ts';
import * as store from './sla.store.ts';

const ACTOR = 'system:sla';
/** How old a clock's mismatch with its conversation's status must be before the job heals it. */
const STRAY_AFTER_MS = 60_000;
/** Conversation events that move clocks or change which policy applies. */
const CLOCK_EVENT_TYPES = ['conversation.created', 'message.received', 'message.queued', 'conversation.status_changed'];
const RECOMPUTE_ON = ['message.queued', 'conversation.status_changed', 'conversation.priority_changed', 'conversation.updated', 'routing.task_queued'];

export const toCalendar = (row: store.CalendarRow | undefined | null): BusinessCalendar =>
  row ? { timeZone: row.timeZone, alwaysOpen: row.alwaysOpen, week: row.week, holidays: row.holidays.map((h) => h.date) } : ALWAYS_OPEN;

export const toPolicy = (row: store.PolicyRow): SlaPolicy => ({
  id: row.id,
  name: row.name,
  position: row.position,
  enabled: row.enabled,
  conditions: row.conditions,
  targets: row.targets,
  warning: row.warning,
  calendarId: row.calendarId,
  escalation: row.escalation,
});

/** A conversation event as the fold reads it; null for events that do not move clocks (a bot's message). */
export function signalOf(event: Pick<StoredEvent, 'type' | 'payload' | 'actorId' | 'createdAt'>): SlaSignal | null {
  const at = event.createdAt.getTime();
  switch (event.type) {
    case 'conversation.created':
      return { kind: 'opened', at };
    case 'message.received':
      return { kind: 'customer_message', at };
    case 'message.queued':
      // A self-service bot's words and Hoorn's own messages are not an answer from the team.
      if (event.payload.bot === true || event.actorId?.startsWith('system:')) return null;
      return { kind: 'agent_reply', at };
    case 'conversation.status_changed': {
      const to = event.payload.to;
      return to === 'open' || to === 'pending' || to === 'snoozed' || to === 'resolved' ? { kind: 'status', to, at } : null;
    }
    default:
      return null;
  }
}

export interface ComputedClocks {
  policy: store.PolicyRow | null;
  clocks: ClockStatus[];
}

/** The clocks a conversation has as of `now`, computed from its history; writes nothing. */
export async function computeClocks(db: DbOrTx, conversation: conversationStore.ConversationRow, now: Date): Promise<ComputedClocks> {
  const { workspaceId } = conversation;
  const policies = await store.listPolicies(db, workspaceId);
  if (!policies.some((p) => p.enabled)) return { policy: null, clocks: [] };
  const [task, customer] = await Promise.all([liveTaskForConversation(db, workspaceId, conversation.id), getCustomer(db, workspaceId, conversation.customerId)]);
  const tier = customer?.attributes.valueTier ?? conversation.attributes.valueTier;
  const facts = {
    channel: conversation.channelType,
    queueIds: [conversation.queue, task?.queueId].filter((q): q is string => Boolean(q)),
    priority: conversation.priority,
    valueTier: typeof tier === 'string' ? tier : null,
  };
  const matched = matchPolicy(policies.map((row) => ({ ...toPolicy(row), row })), facts);
  if (!matched) return { policy: null, clocks: [] };
  const calendar = toCalendar(matched.calendarId ? await store.getCalendar(db, workspaceId, matched.calendarId) : null);
  const signals = (await store.clockEventsOf(db, workspaceId, conversation.id, CLOCK_EVENT_TYPES)).map(signalOf).filter((s): s is SlaSignal => s !== null);
  const clocks = foldClocks(signals, matched.targets, calendar).map((c) => clockStatus(c, calendar, matched.warning, now.getTime()));
  return { policy: matched.row, clocks };
}

const key = (c: { metric: string; cycle: number }) => `${c.metric}#${c.cycle}`;
const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));

function rowValues(policyId: string, s: ClockStatus, now: Date): store.ClockValues {
  return {
    metric: s.metric,
    cycle: s.cycle,
    policyId,
    state: s.state,
    targetSeconds: Math.round(s.targetSeconds),
    elapsedSeconds: s.elapsedSeconds,
    startedAt: new Date(s.startedAt),
    completedAt: dateOrNull(s.completedAt),
    dueAt: dateOrNull(s.dueAt),
    warnAt: dateOrNull(s.warnAt),
    updatedAt: now,
  };
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
function changed(row: store.ClockRow, v: store.ClockValues): boolean {
  return (
    row.policyId !== v.policyId ||
    row.state !== v.state ||
    row.targetSeconds !== v.targetSeconds ||
    !sameTime(row.completedAt, v.completedAt) ||
    !sameTime(row.dueAt, v.dueAt) ||
    !sameTime(row.warnAt, v.warnAt) ||
    // Elapsed time of a running clock changes every second; write it only when something else moved or it stopped.
    (row.dueAt === null && row.elapsedSeconds !== v.elapsedSeconds)
  );
}

function slaEvent(tx: Tx, row: store.ClockRow, type: 'sla.warning' | 'sla.breached', extra: Record<string, unknown> = {}) {
  return appendEvent(tx, {
    workspaceId: row.workspaceId,
    type,
    subjectType: 'conversation',
    subjectId: row.conversationId,
    payload: { conversationId: row.conversationId, policyId: row.policyId, metric: row.metric, dueAt: row.dueAt?.toISOString() ?? null, cycle: row.cycle, ...extra },
    actorId: ACTOR,
  });
}

/**
 * Recomputes a conversation's clocks in the caller's transaction and stores what changed. A
 * clock that was completed after its due time without the job having seen it (an answer a few
 * seconds late) gets its breach event here, without escalation: there is nothing left to escalate.
 */
export async function syncConversation(tx: Tx, workspaceId: string, conversationId: string, now: Date): Promise<store.ClockRow[]> {
  // Most changes in a workspace without SLA policies: two cheap reads, no lock.
  if (!(await store.hasEnabledPolicy(tx, workspaceId)) && !(await store.hasClocks(tx, workspaceId, conversationId))) return [];
  const conversation = await conversationStore.lockConversation(tx, workspaceId, conversationId);
  if (!conversation) return [];
  const { policy, clocks } = await computeClocks(tx, conversation, now);
  const existing = new Map((await store.clocksOf(tx, workspaceId, conversationId)).map((row) => [key(row), row]));
  const result: store.ClockRow[] = [];
  for (const status of clocks) {
    const values = rowValues(policy!.id, status, now);
    const row = existing.get(key(status));
    existing.delete(key(status));
    let stored = !row ? await store.insertClock(tx, workspaceId, conversationId, values) : changed(row, values) ? await store.updateClock(tx, workspaceId, row.id, values) : row;
    if (stored.completedAt && stored.state === 'breached' && !stored.breachedAt) {
      stored = await store.updateClock(tx, workspaceId, stored.id, { breachedAt: now });
      await slaEvent(tx, stored, 'sla.breached', { escalation: null });
    }
    result.push(stored);
  }
  // Clocks the history or the policy no longer has: forget them, unless a breach was reported (kept, frozen).
  const gone = [...existing.values()];
  await store.deleteClocks(tx, workspaceId, gone.filter((row) => !row.breachedAt).map((row) => row.id));
  for (const row of gone.filter((r) => r.breachedAt && !r.completedAt)) {
    result.push(await store.updateClock(tx, workspaceId, row.id, { completedAt: now, dueAt: null, warnAt: null, updatedAt: now }));
  }
  return result;
}

const PRIORITY_RANK: Record<string, number> = Object.fromEntries(slaPriorities.map((p, i) => [p, i]));

/** The escalation of a breached policy, in the breach's transaction. Returns what it did. */
async function escalate(p: Platform, tx: Tx, workspaceId: string, conversationId: string, policy: store.PolicyRow) {
  const { raisePriorityTo, moveToQueueId, notify } = policy.escalation;
  const done: { priority?: string; queueId?: string; notify: boolean } = { notify };
  let conversation = await conversationStore.lockConversation(tx, workspaceId, conversationId);
  if (!conversation) return done;
  const raise = raisePriorityTo && (PRIORITY_RANK[conversation.priority] ?? 0) < PRIORITY_RANK[raisePriorityTo]! ? raisePriorityTo : undefined;
  if (raise) {
    const from = conversation.priority;
    conversation = await conversationStore.updateConversationRow(tx, workspaceId, conversationId, { priority: raise });
    await appendEvent(tx, {
      workspaceId,
      type: 'conversation.priority_changed',
      subjectType: 'conversation',
      subjectId: conversationId,
      payload: { from, to: raise, reason: 'sla breached' },
      actorId: ACTOR,
    });
    done.priority = raise;
  }
  const move = moveToQueueId && conversation.status !== 'resolved' ? moveToQueueId : undefined;
  const followed = await followOnTask(p, tx, workspaceId, conversationId, { priority: raise, queueId: move }, { createFor: conversation });
  if (followed.moved) done.queueId = move;
  return done;
}

/**
 * Fires what is due on one conversation: recomputes it first (so a reply the recompute missed
 * never becomes a false breach), then writes each due warning and breach once, and escalates.
 */
export async function fireDue(p: Platform, workspaceId: string, conversationId: string): Promise<number> {
  return inTransaction(p, async (tx) => {
    const now = p.clock.now();
    const rows = await syncConversation(tx, workspaceId, conversationId, now);
    let fired = 0;
    let escalated = false;
    for (let row of rows) {
      if (row.completedAt) continue;
      if (!row.warnedAt && row.warnAt && row.warnAt <= now) {
        row = await store.updateClock(tx, workspaceId, row.id, { warnedAt: now });
        await slaEvent(tx, row, 'sla.warning');
        fired++;
      }
      if (!row.breachedAt && row.dueAt && row.dueAt <= now) {
        row = await store.updateClock(tx, workspaceId, row.id, { breachedAt: now });
        const policy = await store.getPolicy(tx, workspaceId, row.policyId);
        // Several clocks breaching at once escalate once.
        const escalation = policy && !escalated ? await escalate(p, tx, workspaceId, conversationId, policy) : null;
        escalated ||= Boolean(policy);
        await slaEvent(tx, row, 'sla.breached', { escalation });
        fired++;
      }
    }
    return fired;
  });
}

/** The periodic job: heal clocks whose recompute was lost, then fire what is due. Returns events fired. */
export async function runSlaJob(p: Platform, batch = 200): Promise<number> {
  const now = p.clock.now();
  for (const { workspaceId, conversationId } of await store.strayConversations(p.db, new Date(now.getTime() - STRAY_AFTER_MS), batch)) {
    await inTransaction(p, async (tx) => {
      await syncConversation(tx, workspaceId, conversationId, p.clock.now());
      // A status changed without an event (nothing to replay) stays a mismatch: look again in a minute, not every pass.
      await store.touchOpenClocks(tx, workspaceId, conversationId, p.clock.now());
    });
  }
  let fired = 0;
  for (const { workspaceId, conversationId } of await store.dueConversations(p.db, p.clock.now(), batch)) {
    fired += await fireDue(p, workspaceId, conversationId);
  }
  return fired;
}

// Recomputes after the commit of changes that have no in-transaction hook (an agent's reply).

const inFlight = new WeakMap<object, Set<Promise<unknown>>>();

function track(p: Platform, work: () => Promise<unknown>): void {
  let set = inFlight.get(p);
  if (!set) inFlight.set(p, (set = new Set()));
  const run: Promise<unknown> = work()
    .catch((error) => p.log.error({ err: error }, 'SLA recompute failed'))
    .finally(() => set.delete(run));
  set.add(run);
}

/** Waits until recomputes started by events have finished (shutdown, and tests). */
export async function slaSettled(p: Platform): Promise<void> {
  const set = inFlight.get(p);
  while (set?.size) await Promise.allSettled([...set]);
}

export function recomputeLater(p: Platform, workspaceId: string, conversationIds: string[]): void {
  if (!conversationIds.length) return;
  track(p, async () => {
    for (const id of conversationIds) await inTransaction(p, (tx) => syncConversation(tx, workspaceId, id, p.clock.now()));
  });
}

/** Listens to the bus for the changes that move clocks but run no hook (replies, waiting, priority, queue). */
export function followEvents(p: Platform): void {
  p.bus.subscribe({ types: RECOMPUTE_ON }, (event) => {
    const conversationId = event.subjectType === 'conversation' ? event.subjectId : typeof event.payload.conversationId === 'string' ? event.payload.conversationId : null;
    if (conversationId) recomputeLater(p, event.workspaceId, [conversationId]);
  });
}

/** A conversation's clocks for the desk, computed now; 404 for another workspace's conversation. */
export async function conversationSla(p: Platform, workspaceId: string, conversationId: string) {
  const conversation = await conversationStore.getConversation(p.db, workspaceId, conversationId);
  if (!conversation) throw notFound('Conversation');
  const now = p.clock.now();
  const { policy, clocks } = await computeClocks(p.db, conversation, now);
  const rows = new Map((await store.clocksOf(p.db, workspaceId, conversationId)).map((row) => [key(row), row]));
  return {
    policy: policy ? { id: policy.id, name: policy.name } : null,
    clocks: clocks.map((c) => ({ ...c, warnedAt: rows.get(key(c))?.warnedAt ?? null, breachedAt: rows.get(key(c))?.breachedAt ?? null })),
  };
}
