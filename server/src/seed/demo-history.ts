/**
 * Three weeks of made-up contact history for the demo workspace, so the reports, the benchmark
 * page and their charts have something to show on a fresh `npm start`. Written as events (with
 * `payload.demo: true`) in the past, the way the live centre writes them, so the analytics
 * projector turns them into figures like any other history. They are history, not news: inserted
 * straight into the log without going over the event bus (nothing reacts to them live).
 * Deterministic (a seeded generator), and only once per workspace.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { events } from '../platform/db/schema.ts';
import { EVENTS_HORIZON_LOCK } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';

const DAYS = 21;
const MARKER = 'demo.history_seeded';

/** mulberry32: a small seeded generator, so the demo looks the same on every machine. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface HistoryInput {
  agents: string[];
  queues: string[];
  now: Date;
}

interface NewEventRow {
  workspaceId: string;
  type: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
  actorId: string | null;
  createdAt: Date;
}

/** The events of the history, oldest first. Pure apart from ids. */
export function demoHistory(workspaceId: string, input: HistoryInput): NewEventRow[] {
  const random = generator(20261123);
  const rows: NewEventRow[] = [];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const exp = (mean: number) => -Math.log(1 - random()) * mean;
  const push = (at: number, type: string, subjectId: string, payload: Record<string, unknown>, actorId: string | null = 'system:seed') =>
    rows.push({ workspaceId, type, subjectType: type.startsWith('routing.') ? 'routing_task' : 'conversation', subjectId, payload: { ...payload, demo: true }, actorId, createdAt: new Date(at) });
  const channels = ['webchat', 'webchat', 'webchat', 'webchat', 'email', 'email', 'whatsapp', 'whatsapp', 'voice', 'sms'] as const;
  const today = new Date(input.now);
  today.setUTCHours(0, 0, 0, 0);
  for (let d = DAYS; d >= 1; d--) {
    const dayStart = today.getTime() - d * 86_400_000;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday === 0) continue; // closed on Sundays
    const contacts = weekday === 6 ? 18 : 40 + Math.floor(random() * 12);
    // Shifts (UTC, Amsterdam is UTC+1 in winter): the agents log in at 07:00 and 11:00, out at 16:00 and 19:00.
    input.agents.forEach((agentId, i) => {
      const start = dayStart + (i % 2 === 0 ? 7 : 11) * 3_600_000;
      push(start, 'routing.presence_changed', agentId, { agentId, presence: 'available', reason: 'set' }, agentId);
      push(start + 9 * 3_600_000, 'routing.presence_changed', agentId, { agentId, presence: 'offline', reason: 'set' }, agentId);
    });
    for (let c = 0; c < contacts; c++) {
      // Arrivals peak late morning and after dinner, between 07:30 and 18:30 UTC.
      const hour = 7.5 + Math.min(10.9, Math.max(0, (random() + random() + random()) / 3 * 11 + (random() < 0.3 ? 2 : 0)));
      const at = dayStart + hour * 3_600_000;
      const channel = pick(channels);
      const conversationId = randomUUID();
      const customerId = randomUUID();
      push(at, 'conversation.created', conversationId, { channelType: channel, customerId });
      let t = at;
      if (channel === 'webchat' && random() < 0.3) {
        t += 60_000 + random() * 120_000;
        if (random() < 0.55) {
          push(t, 'flow.run_contained', conversationId, { runId: randomUUID(), flowId: 'demo', channelType: channel, reason: 'answered' }, 'system:flows');
          push(t, 'conversation.status_changed', conversationId, { from: 'open', to: 'resolved' }, 'system:flows');
          continue;
        }
        push(t, 'flow.run_handed_off', conversationId, { runId: randomUUID(), flowId: 'demo', channelType: channel, reason: 'asked for a person' }, 'system:flows');
      }
      const taskId = randomUUID();
      const queueId = random() < 0.2 && input.queues[1] ? input.queues[1] : input.queues[0]!;
      push(t, 'routing.task_created', taskId, { taskId, conversationId, channel });
      push(t, 'routing.task_queued', taskId, { taskId, conversationId, queueId, reason: 'created' });
      const wait = (channel === 'email' ? exp(900) : exp(35)) * 1000;
      if (channel !== 'email' && random() < 0.06) {
        push(t + Math.min(wait, 120_000), 'routing.task_ended', taskId, { taskId, conversationId, state: 'canceled', reason: 'abandoned' });
        continue;
      }
      const agentId = pick(input.agents);
      t += wait;
      push(t, 'routing.assigned', taskId, { taskId, conversationId, agentId, waitedMs: Math.round(wait) });
      push(t + 20_000 + random() * 60_000, 'message.queued', conversationId, { messageId: randomUUID(), channelType: channel }, agentId);
      const handle = (channel === 'voice' ? 180 + exp(240) : 240 + exp(360)) * 1000;
      t += handle;
      push(t, 'conversation.status_changed', conversationId, { from: 'open', to: 'resolved' }, agentId);
      push(t, 'routing.task_ended', taskId, { taskId, conversationId, state: 'completed', reason: null });
      const roll = random();
      if (roll < 0.14) {
        const outcome = roll < 0.09 ? 'sale' : roll < 0.12 ? 'upsell' : 'retention_saved';
        push(t + 30_000, 'outcome.recorded', conversationId, { conversationId, taskId, agentId, disposition: outcome, outcome, amount: Math.round(25 + random() * 150) + 0.95, currency: 'EUR' }, agentId);
      }
      if (random() < 0.35) {
        const score = random() < 0.72 ? 4 + Math.round(random()) : 1 + Math.floor(random() * 3);
        push(t + 120_000, 'survey.answered', conversationId, { conversationId, surveyId: randomUUID(), kind: 'csat', score, agentId });
      }
    }
  }
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Seeds the history once (a marker event says it was done). */
export async function seedDemoHistory(p: Platform, workspaceId: string, input: Omit<HistoryInput, 'now'>): Promise<void> {
  if (!input.agents.length || !input.queues.length) return;
  const [done] = await p.db.select({ id: events.id }).from(events).where(and(eq(events.workspaceId, workspaceId), eq(events.type, MARKER))).limit(1);
  if (done) return;
  const now = p.clock.now();
  const rows = demoHistory(workspaceId, { ...input, now });
  await p.db.transaction(async (tx) => {
    // Like appendEvent: readers of the log by id must not pass these while they are uncommitted.
    if (p.database.kind === 'postgres') await tx.execute(sql`select pg_advisory_xact_lock_shared(${EVENTS_HORIZON_LOCK})`);
    for (let i = 0; i < rows.length; i += 500) await tx.insert(events).values(rows.slice(i, i + 500));
    await tx.insert(events).values({ workspaceId, type: MARKER, subjectType: 'workspace', subjectId: workspaceId, payload: { events: rows.length, days: DAYS }, actorId: 'system:seed', createdAt: now });
  });
}
