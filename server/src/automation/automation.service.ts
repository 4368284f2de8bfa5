// Automation rules at work (rules.ts decides, this file carries out). Rules on a customer's message
// (`message.received`, and `conversation.created` for the message that opened it) run in the inbound
// transaction, after routing made the task: what they change (tags, priority, queue, attributes) is
// stored with the message or not at all, and routing is told in the same transaction, so the task
// is reprioritised or moved before any agent is offered it. Each run is logged with every rule's
// trace and what each action did (`automation_runs`), traceable from the conversation.
//
// Inbound text is analysed first (language, sentiment), and the results become conversation
// attributes that rules and routing read.
import { and, eq, sql } from 'drizzle-orm';
import { isBusinessTime } from '../analytics/sla.calendar.ts';
import { defaultCalendar } from '../analytics/sla.store.ts';
import { toCalendar } from '../analytics/sla.service.ts';
import { renderCanned } from '../conversations/canned.ts';
import { checkReply, insertBotMessages, postMessageInTx, runConversationHooks, type ConversationChange, type InboundChange } from '../conversations/conversations.service.ts';
import * as conversationStore from '../conversations/conversations.store.ts';
import { customers } from '../customers/customers.schema.ts';
import { reachableOn } from '../channels/recipients.ts';
import type { Principal } from '../platform/auth/auth.ts';
import type { Tx } from '../platform/db/client.ts';
import { AppError } from '../platform/errors.ts';
import { appendEvent, inTransaction, type StoredEvent } from '../platform/events/events.ts';
import { followEventLog } from '../platform/events/follower.ts';
import type { Platform } from '../platform/platform.ts';
import { getUser } from '../platform/auth/auth.store.ts';
import { getQueue } from '../routing/routing.store.ts';
import { followOnTask } from '../routing/tasks.ts';
import { liveTaskForConversation } from '../routing/routing.store.ts';
import { routingOf } from '../routing/routing.service.ts';
import { getFlow, runningRunOf } from '../flows/flows.store.ts';
import { startFlowRun } from '../flows/runtime.ts';
import type { ActionResult } from './automation.schema.ts';
import * as store from './automation.store.ts';
import { blankSubject, evaluateRules, type Action, type RuleSubject, type Trigger } from './rules.ts';
import { analyzeText } from './text.ts';
import { enqueueWebhookDelivery } from './webhooks.service.ts';

type Conversation = conversationStore.ConversationRow;
type Message = conversationStore.MessageRow;

const actorOf = (ruleId: string) => `automation:${ruleId}`;
const normalizeTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))].sort();

/** Whether a message is a post others can see (an X mention, a Facebook or YouTube comment). */
function isPublicPost(conversation: Conversation, message: Message | undefined): boolean {
  const meta = (message?.meta ?? {}) as { public?: unknown };
  const context = (conversation.channelContext ?? {}) as { kind?: unknown };
  return meta.public === true || context.kind === 'mention' || context.kind === 'comment';
}

async function valueTierOf(tx: Tx, conversation: Conversation): Promise<string | null> {
  const [row] = await tx
    .select({ tier: sql<string | null>`${customers.attributes}->>'valueTier'` })
    .from(customers)
    .where(and(eq(customers.workspaceId, conversation.workspaceId), eq(customers.id, conversation.customerId)));
  const stored = row?.tier ?? null;
  const learnt = conversation.attributes.valueTier;
  return stored ?? (typeof learnt === 'string' ? learnt : null);
}

/** What the rules' conditions read, for an event on a conversation. */
export async function subjectFor(
  tx: Tx,
  trigger: Trigger,
  conversation: Conversation,
  message: Message | undefined,
  now: Date,
  extra: { csat?: number | null; tier?: string | null; previousTier?: string | null } = {},
): Promise<RuleSubject> {
  const calendar = await defaultCalendar(tx, conversation.workspaceId);
  const attributes = conversation.attributes;
  const latest = message ?? (await conversationStore.lastInboundMessage(tx, conversation.workspaceId, conversation.id));
  return {
    trigger,
    channel: conversation.channelType,
    text: latest?.body ?? '',
    language: conversation.language ?? null,
    sentiment: (attributes.sentiment as RuleSubject['sentiment']) ?? null,
    sentimentScore: typeof attributes.sentimentScore === 'number' ? attributes.sentimentScore : null,
    tier: extra.tier !== undefined ? extra.tier : await valueTierOf(tx, conversation),
    previousTier: extra.previousTier ?? null,
    // No calendar: the workspace keeps no business hours, so every hour is one.
    businessHours: calendar ? isBusinessTime(toCalendar(calendar), now) : true,
    priority: conversation.priority,
    status: conversation.status,
    tags: conversation.tags,
    attributes,
    csat: extra.csat ?? null,
    public: isPublicPost(conversation, latest),
    idleMinutes: Math.max(0, Math.floor((now.getTime() - conversation.lastActivityAt.getTime()) / 60_000)),
  };
}

/**
 * Language and sentiment of a customer's message onto the conversation: `language` when it has none
 * yet (a detected one never overrides what a flow or an agent set), and the latest message's
 * `sentiment` and `sentimentScore` as attributes.
 */
export async function analyzeInbound(tx: Tx, conversation: Conversation, message: Message): Promise<Conversation> {
  const analysis = analyzeText(message.body ?? '');
  const patch: Partial<Conversation> = {};
  if (!conversation.language && analysis.language) patch.language = analysis.language;
  if (analysis.sentiment) patch.attributes = { ...conversation.attributes, sentiment: analysis.sentiment.label, sentimentScore: analysis.sentiment.score };
  if (!patch.language && !patch.attributes) return conversation;
  const updated = await conversationStore.updateConversationRow(tx, conversation.workspaceId, conversation.id, patch);
  await appendEvent(tx, {
    workspaceId: conversation.workspaceId,
    type: 'conversation.analyzed',
    subjectType: 'conversation',
    subjectId: conversation.id,
    payload: { messageId: message.id, language: analysis.language, languageConfidence: analysis.languageConfidence, sentiment: analysis.sentiment },
    actorId: 'automation',
  });
  return updated;
}

/** Messages analysed in a transaction already (by the opening hook), so the inbound hook does not repeat it. */
const analysedIn = new WeakMap<Tx, Set<string>>();

/**
 * The conversation hook, run before flows' and routing's: a conversation the customer's message
 * opens is analysed first, so a flow and routing's workflow filters see its language and sentiment
 * (`task.language`), and the later hooks get the analysed row.
 */
export async function analyzeOpening(tx: Tx, change: ConversationChange): Promise<void> {
  const { conversation } = change;
  if (change.kind !== 'opened' || !change.byCustomer || !conversation.lastMessageId) return;
  const message = await conversationStore.getMessage(tx, conversation.workspaceId, conversation.lastMessageId);
  if (!message || message.direction !== 'inbound') return;
  change.conversation = await analyzeInbound(tx, conversation, message);
  analysedIn.set(tx, (analysedIn.get(tx) ?? new Set()).add(message.id));
}

/** The inbound hook: analyse (unless the opening hook did), then the rules on the opening message and on every message. */
export async function onInbound(p: Platform, tx: Tx, change: InboundChange): Promise<void> {
  // The row as the conversation hooks left it (the opening hook analysed it; routing may have moved it).
  const current = (await conversationStore.getConversation(tx, change.workspaceId, change.conversation.id)) ?? change.conversation;
  let conversation = analysedIn.get(tx)?.has(change.message.id) ? current : await analyzeInbound(tx, current, change.message);
  if (change.opened) conversation = await runRules(p, tx, { trigger: 'conversation.created', conversation, message: change.message });
  await runRules(p, tx, { trigger: 'message.received', conversation, message: change.message });
}

export interface RunInput {
  trigger: Trigger;
  conversation: Conversation;
  message?: Message;
  /** The rules whose actions caused this event. */
  chain?: string[];
  csat?: number | null;
  /** For a tier change: the tiers after and before it (as the event says, not as the customer row says now). */
  tier?: string | null;
  previousTier?: string | null;
  /** Only these rules (a scheduled rule runs on its own); else every rule of the trigger. */
  rules?: store.RuleRow[];
}

/** Evaluates the workspace's rules for the event and carries out the matching actions; returns the conversation as they left it. */
export async function runRules(p: Platform, tx: Tx, input: RunInput): Promise<Conversation> {
  const { conversation, trigger } = input;
  const rows = input.rules ?? (await store.listRules(tx, conversation.workspaceId, trigger));
  if (!rows.some((r) => r.enabled)) return conversation;
  const now = p.clock.now();
  const subject = await subjectFor(tx, trigger, conversation, input.message, now, { csat: input.csat, tier: input.tier, previousTier: input.previousTier });
  const chain = input.chain ?? [];
  const evaluation = evaluateRules(rows.map(store.toRule), subject, chain);
  let current = conversation;
  const results: ActionResult[] = [];
  for (const { ruleId, action } of evaluation.actions) {
    try {
      const ctx: ActionContext = { actorId: actorOf(ruleId), marker: { automation: { ruleId, chain: [...chain, ruleId] } }, trigger, message: input.message };
      const { conversation: next, outcome, detail } = await carryOut(p, tx, current, action, ctx, now);
      current = next;
      results.push({ ruleId, action, outcome, ...(detail ? { detail } : {}) });
    } catch (error) {
      // A refused action (an unknown queue, a reply the channel will not take) is logged and the
      // rest go on; anything else is a bug and fails the whole transaction, message included.
      if (!(error instanceof AppError)) throw error;
      results.push({ ruleId, action, outcome: 'failed', detail: error.message });
    }
  }
  // A scheduled rule's pass over the open conversations logs only where it acted (else every pass
  // would log every open conversation).
  if (trigger !== 'schedule' || evaluation.actions.length > 0) {
    await store.insertRun(tx, { workspaceId: conversation.workspaceId, trigger, conversationId: conversation.id, messageId: input.message?.id ?? null, chain, traces: evaluation.traces, results, at: now });
  }
  return current;
}

/** Who carries out an action and how its events say so. */
export interface ActionContext {
  /** `automation:<rule id>` for a rule, the agent for a macro. */
  actorId: string;
  /** Added to the payload of every event the action appends (the rule and its chain, or the macro). */
  marker: Record<string, unknown>;
  /** The event the rule runs on (none for a macro). */
  trigger?: Trigger;
  message?: Message;
  /** A macro's replies are the agent's own; a rule's are automated (bot) replies. */
  replyAs?: Principal;
}

export type Done = { conversation: Conversation; outcome: ActionResult['outcome']; detail?: string };

/** Carries out one action on a conversation in the caller's transaction; says what it did. */
export async function carryOut(p: Platform, tx: Tx, conversation: Conversation, action: Action, ctx: ActionContext, now: Date): Promise<Done> {
  const { workspaceId, id } = conversation;
  const event = (type: string, payload: Record<string, unknown>) =>
    appendEvent(tx, { workspaceId, type, subjectType: 'conversation', subjectId: id, payload: { ...payload, ...ctx.marker }, actorId: ctx.actorId });
  const update = (patch: Partial<Conversation>) => conversationStore.updateConversationRow(tx, workspaceId, id, patch);
  switch (action.type) {
    case 'add_tags':
    case 'remove_tags': {
      const tags = normalizeTags(action.type === 'add_tags' ? [...conversation.tags, ...action.tags] : conversation.tags.filter((t) => !normalizeTags(action.tags).includes(t)));
      if (tags.join('\u0000') === conversation.tags.join('\u0000')) return { conversation, outcome: 'unchanged' };
      await event('conversation.tags_changed', { added: tags.filter((t) => !conversation.tags.includes(t)), removed: conversation.tags.filter((t) => !tags.includes(t)) });
      return { conversation: await update({ tags }), outcome: 'done' };
    }
    case 'set_priority': {
      if (action.priority === conversation.priority) return { conversation, outcome: 'unchanged' };
      await event('conversation.priority_changed', { from: conversation.priority, to: action.priority });
      const updated = await update({ priority: action.priority });
      const followed = await followOnTask(p, tx, workspaceId, id, { priority: action.priority });
      return { conversation: updated, outcome: 'done', detail: followed.reprioritized ? 'routing task reprioritised' : undefined };
    }
    case 'set_attribute': {
      const attributes = { ...conversation.attributes };
      if (action.value === null) delete attributes[action.key];
      else attributes[action.key] = action.value;
      if (JSON.stringify(attributes) === JSON.stringify(conversation.attributes)) return { conversation, outcome: 'unchanged' };
      await event('conversation.updated', { attributes: { [action.key]: action.value } });
      return { conversation: await update({ attributes }), outcome: 'done' };
    }
    case 'route_to_queue': {
      const queue = await getQueue(tx, workspaceId, action.queueId);
      if (!queue) throw new AppError(400, 'unknown_queue', `There is no queue ${action.queueId}`);
      if (conversation.status === 'resolved' || conversation.assigneeId) return { conversation, outcome: 'skipped', detail: 'the conversation is resolved or has an agent' };
      const followed = await followOnTask(p, tx, workspaceId, id, { queueId: queue.id });
      const updated = conversation.queue === queue.name ? conversation : await update({ queue: queue.name });
      if (updated !== conversation) await event('conversation.updated', { queue: queue.name });
      // No task: routing is off, or a self-service flow has the conversation and hands it off later.
      return { conversation: updated, outcome: followed.moved ? 'done' : 'skipped', detail: followed.moved ? `moved to ${queue.name}` : 'no routing task to move' };
    }
    case 'assign': {
      const user = await getUser(tx, workspaceId, action.agentId);
      if (!user || user.disabledAt) throw new AppError(400, 'unknown_assignee', 'The agent is not an active user of this workspace');
      if (conversation.assigneeId === user.id) return { conversation, outcome: 'unchanged' };
      await event('conversation.assigned', { from: conversation.assigneeId, to: user.id });
      const updated = await update({ assigneeId: user.id });
      await runConversationHooks(p, tx, { workspaceId, conversation: updated, kind: 'reassigned' });
      return { conversation: updated, outcome: 'done' };
    }
    case 'auto_reply': {
      if (!(await reachableOn(tx, workspaceId, conversation.customerId, conversation.channelType))) return { conversation, outcome: 'skipped', detail: 'the customer cannot be reached on this channel (opted out or erased)' };
      const [customer] = await tx.select({ name: customers.name, email: customers.email }).from(customers).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, conversation.customerId)));
      const agentName = ctx.replyAs?.kind === 'user' ? ((await getUser(tx, workspaceId, ctx.replyAs.id))?.name ?? '') : 'Hoorn';
      const body = renderCanned(action.body, { customer: { name: customer?.name ?? null, email: customer?.email ?? null }, agent: { name: agentName }, conversation: { id } });
      if (ctx.replyAs) await postMessageInTx(p, tx, ctx.replyAs, conversation, { body, kind: 'message' });
      else {
        await checkReply(p, tx, conversation, { body, kind: 'message' }, now);
        await insertBotMessages(p, tx, conversation, [{ body, meta: ctx.marker }], now, { actorId: ctx.actorId });
      }
      return { conversation: (await conversationStore.getConversation(tx, workspaceId, id)) ?? conversation, outcome: 'done' };
    }
    case 'snooze': {
      if (conversation.status === 'resolved') return { conversation, outcome: 'skipped', detail: 'the conversation is resolved' };
      const until = new Date(now.getTime() + action.minutes * 60_000);
      if (conversation.status !== 'snoozed') await event('conversation.status_changed', { from: conversation.status, to: 'snoozed' });
      return { conversation: await update({ status: 'snoozed', snoozedUntil: until }), outcome: 'done', detail: `until ${until.toISOString()}` };
    }
    case 'resolve': {
      if (conversation.status === 'resolved') return { conversation, outcome: 'unchanged' };
      await event('conversation.status_changed', { from: conversation.status, to: 'resolved' });
      const updated = await update({ status: 'resolved', resolvedAt: now, snoozedUntil: null });
      await runConversationHooks(p, tx, { workspaceId, conversation: updated, kind: 'resolved' });
      return { conversation: updated, outcome: 'done' };
    }
    case 'add_note': {
      const message = await conversationStore.insertMessage(tx, workspaceId, {
        conversationId: id,
        channelId: conversation.channelId,
        kind: 'note',
        direction: 'outbound',
        authorType: 'system',
        authorId: null,
        body: action.body,
        attachments: [],
        clientMessageId: null,
        status: 'sent',
        meta: ctx.marker,
        createdAt: now,
      });
      if (message) await event('note.added', { messageId: message.id });
      return { conversation, outcome: 'done' };
    }
    case 'send_webhook': {
      const deliveryId = await enqueueWebhookDelivery(p, tx, workspaceId, action.endpointId, {
        id: `${ctx.actorId}:${ctx.message?.id ?? id}:${now.getTime()}`,
        type: ctx.trigger ? `automation.${ctx.trigger}` : 'automation.macro',
        occurredAt: now.toISOString(),
        data: {
          ...ctx.marker,
          conversation: { id, channel: conversation.channelType, status: conversation.status, priority: conversation.priority, tags: conversation.tags, attributes: conversation.attributes, language: conversation.language },
          ...(ctx.message ? { message: { id: ctx.message.id, body: ctx.message.body, createdAt: ctx.message.createdAt.toISOString() } } : {}),
        },
      });
      return deliveryId ? { conversation, outcome: 'done', detail: `delivery ${deliveryId}` } : { conversation, outcome: 'skipped', detail: 'the webhook endpoint does not exist or is disabled' };
    }
    case 'trigger_flow': {
      const flow = await getFlow(tx, workspaceId, action.flowId);
      if (!flow?.publishedVersion) throw new AppError(400, 'unknown_flow', `There is no published flow ${action.flowId}`);
      if (conversation.status === 'resolved' || conversation.assigneeId) return { conversation, outcome: 'skipped', detail: 'the conversation is resolved or has an agent' };
      if (await runningRunOf(tx, workspaceId, id)) return { conversation, outcome: 'skipped', detail: 'a flow is running on the conversation already' };
      // The bot takes over from the queue: the waiting task ends, and the flow's handoff (if it
      // comes to that) opens the conversation to routing again with what it learnt.
      const live = await liveTaskForConversation(tx, workspaceId, id);
      if (live && live.state !== 'pending') return { conversation, outcome: 'skipped', detail: 'an agent is being offered the conversation' };
      if (live) await routingOf(p).enqueue(tx, workspaceId, { type: 'task.end', taskId: live.id, reason: 'self-service' });
      const run = await startFlowRun(p, tx, conversation, { id: flow.id, publishedVersion: flow.publishedVersion }, ctx.actorId, ctx.marker);
      if (!run) return { conversation, outcome: 'skipped', detail: 'a flow is running on the conversation already' };
      return { conversation: (await conversationStore.getConversation(tx, workspaceId, id)) ?? conversation, outcome: 'done', detail: `${flow.name} v${flow.publishedVersion}` };
    }
  }
}

// ---------------------------------------------------------------- rules on later events

/** The event log reader that runs rules on events other than a customer's message. */
export const RULES_READER = 'automation.rules';

/** Which trigger an event is, if any (a resolution, a change, an SLA warning or breach, a CSAT answer). */
export function triggerOf(event: Pick<StoredEvent, 'type' | 'payload'>): Trigger | null {
  switch (event.type) {
    case 'conversation.status_changed':
      return event.payload.to === 'resolved' ? 'conversation.resolved' : 'conversation.updated';
    case 'conversation.updated':
    case 'conversation.tags_changed':
    case 'conversation.priority_changed':
    case 'conversation.assigned':
      return 'conversation.updated';
    case 'sla.warning':
      return 'sla.warning';
    case 'sla.breached':
      return 'sla.breached';
    case 'survey.answered':
      return event.payload.kind === 'csat' ? 'csat.received' : null;
    case 'customer.tier_changed':
      return 'customer.tier_changed';
    default:
      return null;
  }
}
export const FOLLOWED_TYPES = [
  'conversation.status_changed',
  'conversation.updated',
  'conversation.tags_changed',
  'conversation.priority_changed',
  'conversation.assigned',
  'sla.warning',
  'sla.breached',
  'survey.answered',
  'customer.tier_changed',
];

/**
 * Runs the rules of later events (a few seconds after them, from the event log, so none is missed
 * across restarts). An event a rule's action caused carries the rule chain, which the loop guard reads.
 */
export async function runRulesOnEvents(p: Platform): Promise<number> {
  return followEventLog(p, { name: RULES_READER, types: FOLLOWED_TYPES }, async (tx, events) => {
    const triggersWithRules = new Map<string, Set<string>>();
    for (const event of events) {
      const trigger = triggerOf(event);
      if (!trigger) continue;
      let triggers = triggersWithRules.get(event.workspaceId);
      if (!triggers) {
        triggers = new Set((await store.listRules(tx, event.workspaceId)).filter((r) => r.enabled).map((r) => r.trigger));
        triggersWithRules.set(event.workspaceId, triggers);
      }
      if (!triggers.has(trigger)) continue;
      if (trigger === 'customer.tier_changed' && event.subjectType === 'customer') {
        await runTierChanged(p, tx, event);
        continue;
      }
      if (event.subjectType !== 'conversation') continue;
      const conversation = await conversationStore.lockConversation(tx, event.workspaceId, event.subjectId);
      if (!conversation) continue;
      const chain = ((event.payload.automation as { chain?: unknown } | undefined)?.chain ?? []) as string[];
      await runRules(p, tx, { trigger, conversation, chain: Array.isArray(chain) ? chain.map(String) : [], csat: trigger === 'csat.received' ? Number(event.payload.score) : null });
    }
  });
}

/**
 * A customer's value tier changed (a lifetime-value refit): the rules run on each of the customer's
 * open conversations, where their actions have something to act on. With none open, the run is
 * still logged, and only a webhook can go out (the organisation's CRM may want to know).
 */
async function runTierChanged(p: Platform, tx: Tx, event: StoredEvent): Promise<void> {
  const { workspaceId } = event;
  const previousTier = typeof event.payload.from === 'string' ? event.payload.from : null;
  const tier = typeof event.payload.to === 'string' ? event.payload.to : null;
  const open = await conversationStore.openConversationIdsOfCustomer(tx, workspaceId, event.subjectId);
  for (const conversationId of open) {
    const conversation = await conversationStore.lockConversation(tx, workspaceId, conversationId);
    if (conversation) await runRules(p, tx, { trigger: 'customer.tier_changed', conversation, tier, previousTier });
  }
  if (open.length > 0) return;
  const now = p.clock.now();
  const rows = await store.listRules(tx, workspaceId, 'customer.tier_changed');
  const subject: RuleSubject = { ...blankSubject('customer.tier_changed'), status: 'none', tier, previousTier };
  const evaluation = evaluateRules(rows.map(store.toRule), subject);
  const results: ActionResult[] = [];
  for (const { ruleId, action } of evaluation.actions) {
    if (action.type !== 'send_webhook') {
      results.push({ ruleId, action, outcome: 'skipped', detail: 'the customer has no open conversation' });
      continue;
    }
    const deliveryId = await enqueueWebhookDelivery(p, tx, workspaceId, action.endpointId, {
      id: `${actorOf(ruleId)}:${event.id}`,
      type: 'automation.customer.tier_changed',
      occurredAt: now.toISOString(),
      data: { automation: { ruleId, chain: [ruleId] }, customer: { id: event.subjectId, tier: subject.tier, previousTier } },
    });
    results.push({ ruleId, action, outcome: deliveryId ? 'done' : 'skipped', ...(deliveryId ? { detail: `delivery ${deliveryId}` } : { detail: 'the webhook endpoint does not exist or is disabled' }) });
  }
  if (evaluation.actions.length > 0) {
    await store.insertRun(tx, { workspaceId, trigger: 'customer.tier_changed', conversationId: null, messageId: null, chain: [], traces: evaluation.traces, results, at: now });
  }
}

// ---------------------------------------------------------------- scheduled rules

/** How many conversations a scheduled rule reads at a time (it reads them all, page by page). */
export const SCHEDULE_PAGE = 500;

/**
 * The scheduled rules that are due: each looks at every open, pending and snoozed conversation of
 * its workspace, quietest first, page by page, and acts where its conditions hold, at most once per
 * conversation until something new is said in it. Each conversation is its own transaction, so one
 * refused action does not undo the others. Returns how many conversations were acted on.
 */
export async function runScheduledRules(p: Platform, pageSize = SCHEDULE_PAGE): Promise<number> {
  const now = p.clock.now();
  const due = await inTransaction(p, (tx) => store.claimDueRules(tx, now));
  let acted = 0;
  for (const rule of due) {
    let after: { lastActivityAt: Date; id: string } | undefined;
    for (;;) {
      const page = await conversationStore.quietestUnresolved(p.db, rule.workspaceId, pageSize, after);
      for (const { id } of page) acted += await runScheduledRuleOn(p, rule, id, now);
      if (page.length < pageSize) break;
      after = page.at(-1);
    }
  }
  return acted;
}

async function runScheduledRuleOn(p: Platform, rule: store.RuleRow, conversationId: string, now: Date): Promise<number> {
  return inTransaction(p, async (tx) => {
    const conversation = await conversationStore.lockConversation(tx, rule.workspaceId, conversationId);
    if (!conversation || conversation.status === 'resolved') return 0;
    if (await store.alreadyHit(tx, rule.id, conversation.id, conversation.lastMessageId)) return 0;
    const subject = await subjectFor(tx, 'schedule', conversation, undefined, now);
    if (!evaluateRules([store.toRule(rule)], subject).actions.length) return 0;
    await runRules(p, tx, { trigger: 'schedule', conversation, rules: [rule] });
    // The hit remembers the message it acted after (an auto-reply it sent is not something new).
    const after = await conversationStore.getConversation(tx, rule.workspaceId, conversation.id);
    await store.recordHit(tx, { workspaceId: rule.workspaceId, ruleId: rule.id, conversationId: conversation.id, lastMessageId: after?.lastMessageId ?? null, at: now });
    return 1;
  });
}
