/**
 * Changing SLA calendars and policies: checks that need the database (the calendar and queues a
 * policy names exist in the workspace), the change and its event in one transaction, and a
 * recompute of the conversations whose clocks run under the old settings.
 */
import type { Principal } from '../platform/auth/auth.ts';
import { isUniqueViolation } from '../platform/db/errors.ts';
import type { Tx } from '../platform/db/client.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { badRequest, conflict, notFound } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import { getQueue } from '../routing/routing.store.ts';
import { recomputeLater } from './sla.service.ts';
import * as store from './sla.store.ts';

/** How many conversations with running clocks are recomputed right after a change; the rest at their next change. */
const RECOMPUTE_AFTER_CHANGE = 2000;

async function named<T>(work: () => Promise<T>, what: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('name_taken', `Another ${what} has this name`);
    throw error;
  }
}

async function change<T>(p: Platform, principal: Principal, type: string, work: (tx: Tx) => Promise<T & { id: string }>, what: string): Promise<T & { id: string }> {
  const { workspaceId } = principal;
  const row = await named(
    () =>
      inTransaction(p, async (tx) => {
        const result = await work(tx);
        await appendEvent(tx, { workspaceId, type, subjectType: type.startsWith('sla.calendar') ? 'sla_calendar' : 'sla_policy', subjectId: result.id, actorId: principal.actorId });
        return result;
      }),
    what,
  );
  recomputeLater(p, workspaceId, await store.conversationsWithOpenClocks(p.db, workspaceId, RECOMPUTE_AFTER_CHANGE));
  return row;
}

export function createCalendar(p: Platform, principal: Principal, input: store.CalendarInput) {
  return change(p, principal, 'sla.calendar_created', (tx) => store.insertCalendar(tx, principal.workspaceId, input, p.clock.now()), 'calendar');
}

export function updateCalendar(p: Platform, principal: Principal, id: string, input: store.CalendarInput) {
  return change(p, principal, 'sla.calendar_updated', async (tx) => {
    const row = await store.updateCalendar(tx, principal.workspaceId, id, input, p.clock.now());
    if (!row) throw notFound('Calendar');
    return row;
  }, 'calendar');
}

export function deleteCalendar(p: Platform, principal: Principal, id: string) {
  return change(p, principal, 'sla.calendar_deleted', async (tx) => {
    if (!(await store.getCalendar(tx, principal.workspaceId, id))) throw notFound('Calendar');
    const users = await store.policiesUsingCalendar(tx, principal.workspaceId, id);
    if (users.length) throw conflict('calendar_in_use', `The calendar is used by: ${users.join(', ')}`);
    await store.deleteCalendar(tx, principal.workspaceId, id);
    return { id };
  }, 'calendar');
}

/** The calendar and queues a policy names must be this workspace's; 400 naming the field otherwise. */
async function checkReferences(tx: Tx, workspaceId: string, input: store.PolicyInput): Promise<void> {
  if (input.calendarId && !(await store.getCalendar(tx, workspaceId, input.calendarId))) {
    throw badRequest('unknown_calendar', 'calendarId: no such calendar in this workspace', [{ path: 'calendarId', message: 'unknown calendar' }]);
  }
  for (const [i, queueId] of input.conditions.queueIds.entries()) {
    if (!(await getQueue(tx, workspaceId, queueId))) {
      throw badRequest('unknown_queue', `conditions.queueIds.${i}: no such queue in this workspace`, [{ path: `conditions.queueIds.${i}`, message: 'unknown queue' }]);
    }
  }
  const target = input.escalation.moveToQueueId;
  if (target && !(await getQueue(tx, workspaceId, target))) {
    throw badRequest('unknown_queue', 'escalation.moveToQueueId: no such queue in this workspace', [{ path: 'escalation.moveToQueueId', message: 'unknown queue' }]);
  }
}

export function createPolicy(p: Platform, principal: Principal, input: store.PolicyInput) {
  return change(p, principal, 'sla.policy_created', async (tx) => {
    await checkReferences(tx, principal.workspaceId, input);
    return store.insertPolicy(tx, principal.workspaceId, input, p.clock.now());
  }, 'policy');
}

export function updatePolicy(p: Platform, principal: Principal, id: string, input: store.PolicyInput) {
  return change(p, principal, 'sla.policy_updated', async (tx) => {
    if (!(await store.getPolicy(tx, principal.workspaceId, id))) throw notFound('Policy');
    await checkReferences(tx, principal.workspaceId, input);
    return (await store.updatePolicy(tx, principal.workspaceId, id, input, p.clock.now()))!;
  }, 'policy');
}

export function deletePolicy(p: Platform, principal: Principal, id: string) {
  return change(p, principal, 'sla.policy_deleted', async (tx) => {
    if (!(await store.deletePolicy(tx, principal.workspaceId, id))) throw notFound('Policy');
    return { id };
  }, 'policy');
}
