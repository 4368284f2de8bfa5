/**
 * Flows in live conversations. A conversation that opens on a channel with a published flow is
 * claimed by a run instead of going to routing; every customer message then advances the run
 * through the outbox (`flow.advance`), so a webhook is acknowledged before any lookup runs and a
 * crash loses nothing. A run that hands off opens the conversation to routing with the flow's
 * attributes (intent, language, value tier); one that is contained resolves it.
 *
 * Effects (HTTP lookups, knowledge questions) are performed outside any transaction: the run is
 * read, advanced in memory, and written back only if nobody advanced it meanwhile (the state and
 * cursor are compared); otherwise the job is retried and starts from the newer state.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { customers } from '../customers/customers.schema.ts';
import { messages } from '../conversations/conversations.schema.ts';
import * as conversationStore from '../conversations/conversations.store.ts';
import { insertBotMessages, onConversationChange, onInboundMessage, runConversationHooks } from '../conversations/conversations.service.ts';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { DeliveryError } from '../platform/outbox/outbox.ts';
import { enqueueOutbox } from '../platform/outbox/outbox.store.ts';
import type { Platform } from '../platform/platform.ts';
import { effectPerformer, type EffectContext } from './effects.ts';
import { parseFlow, type Flow, type Language } from './flow.ts';
import { flowRuns } from './flows.schema.ts';
import * as store from './flows.store.ts';
import { renderText } from './render.ts';
import { resumeRun, runStateSchema, settle, startRun, type Await, type CustomerInput, type Outcome, type RunState, type Step } from './run.ts';

export const FLOW_OUTBOX_KIND = 'flow.advance';
/** Channels whose adapter advances the run inline (a call's webhooks answer with TwiML). */
const SYNCHRONOUS_CHANNELS = new Set(['voice']);

/** What a run row keeps between messages: the engine's state and what it waits for. */
interface StoredRun {
  run: RunState;
  await: Await;
}

/** A customer's message as flow input: a web chat button press, or the text. */
export function inputOf(message: { body: string; meta: Record<string, unknown> | null }): CustomerInput {
  const choice = message.meta?.choice;
  if (typeof choice === 'string' && choice) return { type: 'choice', value: choice };
  return { type: 'text', text: message.body };
}

async function publishedFlow(db: DbOrTx, workspaceId: string, flowId: string, version: number): Promise<Flow | undefined> {
  const row = await store.getVersion(db, workspaceId, flowId, version);
  return row ? parseFlow(row.definition) : undefined;
}

export function installFlowRuntime(p: Platform): void {
  onConversationChange(p, async (tx, change) => {
    const { workspaceId, conversation } = change;
    const running = await store.runningRunOf(tx, workspaceId, conversation.id);
    if (change.kind !== 'opened') {
      // An agent took the conversation or closed it while the bot was talking.
      if (running) await endRun(tx, running, { status: 'handed_off', reason: change.kind === 'resolved' ? 'closed_by_agent' : 'agent_took_over' }, p.clock.now());
      return;
    }
    if (change.handoff || !change.byCustomer) return;
    if (running) {
      change.claimedBy = 'flow';
      return;
    }
    const flowId = await store.bindingOfChannel(tx, workspaceId, conversation.channelId);
    const flow = flowId ? await store.getFlow(tx, workspaceId, flowId) : undefined;
    if (!flow?.publishedVersion) return;
    const run = await startFlowRun(p, tx, conversation, { id: flow.id, publishedVersion: flow.publishedVersion }, 'system:flows');
    if (run) change.claimedBy = 'flow';
  });

  onInboundMessage(p, async (tx, { workspaceId, conversation, message }) => {
    if (SYNCHRONOUS_CHANNELS.has(conversation.channelType)) return;
    const running = await store.runningRunOf(tx, workspaceId, conversation.id);
    if (!running || message.seq <= running.cursorSeq) return;
    await enqueueOutbox(tx, { workspaceId, kind: FLOW_OUTBOX_KIND, payload: { runId: running.id }, maxAttempts: 10, dedupeKey: `flow:${message.id}` }, p.clock.now());
  });

  p.outbox.register(FLOW_OUTBOX_KIND, async (item) => {
    await advanceRun(p, item.workspaceId, String(item.payload.runId));
  });
}

/**
 * Starts a run of a flow's published version on a conversation, in the caller's transaction: the
 * message that is the conversation's latest greets the flow (it is not an answer to anything), and
 * the first step goes through the outbox. Undefined when a run is there already.
 */
export async function startFlowRun(
  p: Platform,
  tx: Tx,
  conversation: conversationStore.ConversationRow,
  flow: { id: string; publishedVersion: number },
  actorId: string,
  marker: Record<string, unknown> = {},
): Promise<store.FlowRunRow | undefined> {
  const { workspaceId } = conversation;
  const latest = conversation.lastMessageId ? await conversationStore.getMessage(tx, workspaceId, conversation.lastMessageId) : undefined;
  const now = p.clock.now();
  const run = await store.insertRun(tx, {
    id: randomUUID(),
    workspaceId,
    flowId: flow.id,
    version: flow.publishedVersion,
    conversationId: conversation.id,
    channelType: conversation.channelType,
    cursorSeq: latest?.seq ?? 0,
    startedAt: now,
  });
  if (!run) return undefined;
  await conversationStore.updateConversationRow(tx, workspaceId, conversation.id, { attributes: { ...conversation.attributes, selfService: 'running' } });
  await appendEvent(tx, { workspaceId, type: 'flow.run_started', subjectType: 'conversation', subjectId: conversation.id, payload: { runId: run.id, flowId: flow.id, version: run.version, ...marker }, actorId });
  // A call is driven by its own webhooks, which must answer with the next TwiML at once.
  if (!SYNCHRONOUS_CHANNELS.has(conversation.channelType)) {
    await enqueueOutbox(tx, { workspaceId, kind: FLOW_OUTBOX_KIND, payload: { runId: run.id }, maxAttempts: 10, dedupeKey: `flow:${run.id}:start` }, now);
  }
  return run;
}

async function endRun(tx: Tx, run: store.FlowRunRow, end: { status: 'contained' | 'handed_off' | 'failed'; reason: string }, now: Date): Promise<void> {
  await tx.update(flowRuns).set({ status: end.status, reason: end.reason, endedAt: now }).where(eq(flowRuns.id, run.id));
  await appendEvent(tx, {
    workspaceId: run.workspaceId,
    type: `flow.run_${end.status}`,
    subjectType: 'conversation',
    subjectId: run.conversationId,
    payload: { runId: run.id, flowId: run.flowId, version: run.version, channelType: run.channelType, reason: end.reason },
    actorId: 'system:flows',
  });
  const conversation = await conversationStore.getConversation(tx, run.workspaceId, run.conversationId);
  if (conversation && conversation.attributes.selfService === 'running') {
    const { selfService: _running, ...rest } = conversation.attributes;
    await conversationStore.updateConversationRow(tx, run.workspaceId, run.conversationId, { attributes: { ...rest, selfService: end.status } });
  }
}

export interface AdvanceOptions {
  /**
   * Inputs given directly (a call's keys or speech, silence) instead of the conversation's
   * unread messages; the cursor stays.
   */
  inputs?: CustomerInput[];
  /** The bot's words are spoken on the call: stored as sent, nothing goes through the outbox. */
  spoken?: boolean;
}

/**
 * Feeds the run everything the customer said since its cursor (or the given inputs), performing
 * effects, then writes it back. Returns what the bot said and what the run waits for now, or null
 * when there was nothing to do.
 */
export async function advanceRun(p: Platform, workspaceId: string, runId: string, options: AdvanceOptions = {}): Promise<Step | null> {
  const run = await store.getRun(p.db, workspaceId, runId);
  if (!run || run.status !== 'running') return null;
  const flow = await publishedFlow(p.db, workspaceId, run.flowId, run.version);
  if (!flow) throw new DeliveryError('permanent', `flow version ${run.version} is gone`);
  const conversation = await conversationStore.getConversation(p.db, workspaceId, run.conversationId);
  if (!conversation) return null;
  const pending = options.inputs
    ? options.inputs.map((input) => ({ input, seq: run.cursorSeq }))
    : (
        await p.db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, run.conversationId), eq(messages.direction, 'inbound'), eq(messages.kind, 'message'), gt(messages.seq, run.cursorSeq)))
            .orderBy(asc(messages.seq))
            .limit(50)
      ).map((m) => ({ input: inputOf(m), seq: m.seq }));

  const context: EffectContext = { workspaceId, callbacks: [] };
  const perform = effectPerformer(p, flow, context);
  const outputs: Step[] = [];
  let stored = run.state as unknown as StoredRun | null;
  let step: Step | undefined;
  if (!stored) {
    const [customer] = await p.db.select().from(customers).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, conversation.customerId)));
    const opening = conversation.lastMessageId ? await conversationStore.getMessage(p.db, workspaceId, conversation.lastMessageId) : undefined;
    const language = pickLanguage(flow, conversation.language ?? customer?.language ?? null);
    step = await settle(
      flow,
      startRun(flow, {
        channel: conversation.channelType,
        language,
        variables: {
          customer: { name: customer?.name ?? null, email: customer?.email ?? null, phone: customer?.phone ?? null, valueTier: (customer?.attributes.valueTier as string | undefined) ?? null },
          firstMessage: opening?.direction === 'inbound' ? opening.body : null,
        },
      }),
      perform,
    );
    outputs.push(step);
    stored = { run: step.state, await: step.await };
  }
  let cursor = run.cursorSeq;
  for (const { input, seq } of pending) {
    if (stored.await.type !== 'input') break;
    step = await settle(flow, resumeRun(flow, runStateSchema.parse(stored.run) as RunState, { input }), perform);
    outputs.push(step);
    stored = { run: step.state, await: step.await };
    cursor = seq;
  }
  if (outputs.length === 0) return null;

  await inTransaction(p, async (tx) => {
    // Written back only if nobody advanced the run meanwhile; else retry from the newer state.
    const updated = await tx
      .update(flowRuns)
      .set({ state: stored as unknown as Record<string, unknown>, cursorSeq: cursor })
      .where(and(eq(flowRuns.id, run.id), eq(flowRuns.status, 'running'), eq(flowRuns.cursorSeq, run.cursorSeq), run.state === null ? sql`${flowRuns.state} is null` : sql`${flowRuns.state} = ${JSON.stringify(run.state)}::jsonb`))
      .returning({ id: flowRuns.id });
    if (updated.length === 0) throw new DeliveryError('retryable', 'the run was advanced concurrently');
    const now = p.clock.now();
    const current = await conversationStore.lockConversation(tx, workspaceId, run.conversationId);
    if (!current) return;
    const texts = options.spoken ? outputs.flatMap((s) => s.outputs.map((o) => ({ text: o.text }))) : outputs.flatMap((s) => renderText(s, { channel: current.channelType }));
    await insertBotMessages(
      p,
      tx,
      current,
      texts.filter((m) => m.text !== '').map((m: { text: string; buttons?: unknown; articleId?: string }) => ({ body: m.text, meta: { flowRunId: run.id, ...(m.buttons ? { buttons: m.buttons } : {}), ...(m.articleId ? { articleId: m.articleId } : {}) } })),
      now,
      { spoken: options.spoken },
    );
    if (stored!.await.type === 'done') await finish(p, tx, run, current, stored!.await.outcome, context, now);
  });
  p.outbox.kick();
  // One step with everything said in this pass, and what the run waits for now.
  return { outputs: outputs.flatMap((s) => s.outputs), state: stored.run, await: stored.await };
}

/** Ends a conversation's running flow from outside (the caller hung up). */
export async function endRunOf(tx: Tx, workspaceId: string, conversationId: string, end: { status: 'contained' | 'handed_off' | 'failed'; reason: string }, now: Date): Promise<void> {
  const running = await store.runningRunOf(tx, workspaceId, conversationId);
  if (running) await endRun(tx, running, end, now);
}

function pickLanguage(flow: Flow, preferred: string | null): Language {
  const short = preferred?.slice(0, 2).toLowerCase();
  return short === 'nl' || short === 'en' ? (flow.languages.includes(short) ? short : flow.defaultLanguage) : flow.defaultLanguage;
}

/** The end of a run: contained resolves the conversation; a handoff opens it to routing. */
async function finish(p: Platform, tx: Tx, run: store.FlowRunRow, conversation: conversationStore.ConversationRow, outcome: Outcome, context: EffectContext, now: Date): Promise<void> {
  await endRun(tx, run, { status: outcome.result, reason: outcome.reason }, now);
  const callback = context.callbacks?.[0];
  const fresh = (await conversationStore.getConversation(tx, run.workspaceId, run.conversationId))!;
  if (outcome.result === 'contained' && !callback) {
    const resolved = await conversationStore.updateConversationRow(tx, run.workspaceId, run.conversationId, { status: 'resolved', resolvedAt: now });
    await appendEvent(tx, { workspaceId: run.workspaceId, type: 'conversation.status_changed', subjectType: 'conversation', subjectId: run.conversationId, payload: { from: conversation.status, to: 'resolved', reason: 'self-service' }, actorId: 'system:flows' });
    await runConversationHooks(p, tx, { workspaceId: run.workspaceId, conversation: resolved, kind: 'resolved' });
    return;
  }
  // Handed off (or a callback asked for): routing takes it with what the flow learnt.
  const attributes = outcome.result === 'handed_off' ? outcome.attributes : (callback?.attributes ?? {});
  const queue = outcome.result === 'handed_off' ? outcome.queueId : (callback?.queueId ?? fresh.queue);
  const merged = { ...fresh.attributes };
  for (const [key, value] of Object.entries(attributes)) if (value !== null && value !== undefined) merged[key] = value;
  if (callback) merged.callback = { phone: callback.phone, at: callback.at };
  const language = typeof attributes.language === 'string' ? attributes.language : fresh.language;
  const opened = await conversationStore.updateConversationRow(tx, run.workspaceId, run.conversationId, { attributes: merged, queue, language });
  await appendEvent(tx, {
    workspaceId: run.workspaceId,
    type: 'conversation.updated',
    subjectType: 'conversation',
    subjectId: run.conversationId,
    payload: { queue, attributes: Object.keys(attributes), by: 'flow' },
    actorId: 'system:flows',
  });
  if (!opened.assigneeId) await runConversationHooks(p, tx, { workspaceId: run.workspaceId, conversation: opened, kind: 'opened', handoff: true });
}
