/**
 * Video calls on a web chat conversation: the agent offers one (or the customer asks, where the
 * workspace allows it), the other side accepts explicitly, the two browsers connect with WebRTC
 * (signalling in signal.ts), either side hangs up. Every step is a row change plus an event in one
 * transaction; the parties hear of it through the hub after the commit.
 *
 * A call is a routing task of channel `video` (exclusive, full capacity), kept apart from the
 * chat's own task (its `conversationId` is null; the call row names the task), so the agent's
 * other work waits while the call lasts and the chat task is left as it was.
 */
import { randomUUID } from 'node:crypto';
import { appendEvent, inTransaction } from '../../platform/events/events.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Tx } from '../../platform/db/client.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { visitorTopic, workspaceTopic } from '../../platform/realtime/hub.ts';
import { getUser } from '../../platform/auth/auth.store.ts';
import * as conversationStore from '../../conversations/conversations.store.ts';
import { defaultAgentUploadLimits, insertSystemMessage } from '../../conversations/conversations.service.ts';
import { routingOf } from '../../routing/routing.service.ts';
import { insertRoutedTask, taskAttributes } from '../../routing/tasks.ts';
import type { VideoCallState } from './video.schema.ts';
import * as store from './video.store.ts';

export const VIDEO = 'video';
/** How long an agent's offer rings before it counts as missed. */
export const OFFER_RINGS_MS = 60_000;
/** How long a customer's request may wait for an agent. */
export const REQUEST_WAITS_MS = 5 * 60_000;

export type Party = { kind: 'agent'; agentId: string } | { kind: 'customer'; customerId: string };

type Conversation = conversationStore.ConversationRow;

/** What both sides see of a call; `iceServers` come from configuration, never from the code. */
export async function presentCall(p: Platform, call: store.VideoCallRow) {
  const agent = call.agentId ? await getUser(p.db, call.workspaceId, call.agentId) : undefined;
  const [recording] = call.recordingAttachmentId ? await conversationStore.attachableRefs(p.db, call.workspaceId, [call.recordingAttachmentId]) : [];
  return {
    id: call.id,
    conversationId: call.conversationId,
    state: call.state,
    offeredBy: call.offeredBy,
    agent: agent ? { id: agent.id, name: agent.name } : null,
    audioOnly: call.audioOnly,
    recordingAllowed: call.recordingAllowed,
    recording: call.recordingAllowed && call.recordingConsented,
    /** The recording's file once the desk uploaded it (downloadable by agents only). */
    recordingAttachment: recording ? { id: recording.id, name: recording.name, contentType: recording.contentType, size: recording.size } : null,
    /** The most a recording may weigh: the attachment limit, so the desk stops recording before it. */
    recordingMaxBytes: defaultAgentUploadLimits.maxBytes,
    /** The call's line on the timeline (once it ended), where the desk offers the recording. */
    endMessageId: call.endMessageId,
    startedAt: call.startedAt.toISOString(),
    connectedAt: call.connectedAt?.toISOString() ?? null,
    endedAt: call.endedAt?.toISOString() ?? null,
    durationSeconds: call.durationSeconds,
    endReason: call.endReason,
    iceServers: p.config.iceServers,
  };
}
export type PresentedCall = Awaited<ReturnType<typeof presentCall>>;

/** Tells both parties the call's new state: the agent (or every agent while nobody has it) and the visitor's widgets. */
export async function announce(p: Platform, call: store.VideoCallRow, conversation: Conversation): Promise<PresentedCall> {
  const presented = await presentCall(p, call);
  const forUserId = call.agentId ?? conversation.assigneeId ?? undefined;
  p.hub.publish(workspaceTopic(call.workspaceId), { type: 'call', call: presented, ...(forUserId ? { forUserId } : {}) });
  p.hub.publish(visitorTopic(conversation.channelId, conversation.customerId), { type: 'call', call: presented });
  return presented;
}

async function event(tx: Tx, call: store.VideoCallRow, type: string, actorId: string, extra: Record<string, unknown> = {}) {
  await appendEvent(tx, {
    workspaceId: call.workspaceId,
    type,
    subjectType: 'conversation',
    subjectId: call.conversationId,
    payload: { callId: call.id, conversationId: call.conversationId, state: call.state, audioOnly: call.audioOnly, agentId: call.agentId, ...extra },
    actorId,
  });
}

const actorOf = (party: Party) => (party.kind === 'agent' ? party.agentId : `customer:${party.customerId}`);

/**
 * The routing task of a call, in the caller's transaction. `assignTo`: the agent's own call, which
 * holds their capacity at once. Without it the task waits in line like any other (sticky to the
 * agent who has the chat). None when routing is off in the workspace.
 */
async function createCallTask(p: Platform, tx: Tx, conversation: Conversation, callId: string, assignTo?: string): Promise<string | null> {
  const task = await insertRoutedTask(p, tx, conversation.workspaceId, {
    // Not the conversation's id: the chat keeps its own task (one live task per conversation).
    conversationId: null,
    channel: VIDEO,
    attributes: { ...taskAttributes(conversation), conversationId: conversation.id, videoCallId: callId },
    conversationPriority: conversation.priority,
    preferredAgentId: conversation.assigneeId ?? null,
    assignTo,
    eventPayload: { conversationId: conversation.id, videoCallId: callId, agentId: assignTo ?? null },
  });
  return task?.id ?? null;
}

async function insertLiveCall(tx: Tx, values: Parameters<typeof store.insertCall>[1]): Promise<store.VideoCallRow> {
  try {
    return await store.insertCall(tx, values);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('call_in_progress', 'This conversation already has a call');
    throw error;
  }
}

async function afterCommit(p: Platform, call: store.VideoCallRow, conversation: Conversation, touchedRouting: boolean): Promise<PresentedCall> {
  if (touchedRouting) routingOf(p).wake(call.workspaceId);
  return announce(p, call, conversation);
}

/** An agent rings the customer of a web chat they hold. */
export async function offerCall(p: Platform, input: { workspaceId: string; conversationId: string; agentId: string; audioOnly?: boolean }): Promise<PresentedCall> {
  const { call, conversation, taskId } = await inTransaction(p, async (tx) => {
    const conversation = await conversationStore.lockConversation(tx, input.workspaceId, input.conversationId);
    if (!conversation) throw notFound('Conversation');
    if (conversation.channelType !== 'webchat') throw conflict('not_webchat', 'Video calls are made from a web chat');
    if (conversation.status === 'resolved') throw conflict('conversation_resolved', 'The conversation is resolved');
    if (conversation.assigneeId !== input.agentId) throw conflict('not_your_conversation', 'Take the conversation first; only its agent can call the customer');
    if (await store.liveCallOf(tx, input.workspaceId, conversation.id)) throw conflict('call_in_progress', 'This conversation already has a call');
    const settings = await store.getSettings(tx, input.workspaceId);
    const id = randomUUID();
    const taskId = await createCallTask(p, tx, conversation, id, input.agentId);
    const call = await insertLiveCall(tx, {
      id,
      workspaceId: input.workspaceId,
      conversationId: conversation.id,
      offeredBy: 'agent',
      agentId: input.agentId,
      state: 'offered',
      audioOnly: input.audioOnly ?? false,
      recordingAllowed: settings.recordingEnabled,
      taskId,
      startedAt: p.clock.now(),
    });
    await event(tx, call, 'video.call_offered', input.agentId);
    return { call, conversation, taskId };
  });
  return afterCommit(p, call, conversation, taskId !== null);
}

/**
 * A customer asks for a call on their open chat; only where the workspace allows it. A chat that
 * has an agent rings that agent, and the call's task is made when they take it: routing never
 * offers exclusive work to an agent who holds anything (here: this very chat), so a queued request
 * could not reach them. A chat without an agent puts the request in line as a task.
 */
export async function requestCall(
  p: Platform,
  input: { workspaceId: string; conversationId: string; customerId: string; audioOnly?: boolean; recordingConsent?: boolean },
): Promise<PresentedCall> {
  const { call, conversation, taskId } = await inTransaction(p, async (tx) => {
    const settings = await store.getSettings(tx, input.workspaceId);
    if (!settings.customerMayStart) throw new AppError(403, 'video_not_allowed', 'Video calls are started by an agent here');
    const conversation = await conversationStore.lockConversation(tx, input.workspaceId, input.conversationId);
    if (!conversation || conversation.customerId !== input.customerId) throw notFound('Conversation');
    if (await store.liveCallOf(tx, input.workspaceId, conversation.id)) throw conflict('call_in_progress', 'This conversation already has a call');
    const id = randomUUID();
    const taskId = conversation.assigneeId ? null : await createCallTask(p, tx, conversation, id);
    const call = await insertLiveCall(tx, {
      id,
      workspaceId: input.workspaceId,
      conversationId: conversation.id,
      offeredBy: 'customer',
      agentId: null,
      state: 'ringing',
      audioOnly: input.audioOnly ?? false,
      recordingAllowed: settings.recordingEnabled,
      // Asked with the request itself: the customer ticks it before they call.
      recordingConsented: settings.recordingEnabled && input.recordingConsent === true,
      taskId,
      startedAt: p.clock.now(),
    });
    await event(tx, call, 'video.call_requested', `customer:${input.customerId}`, { recording: call.recordingAllowed && call.recordingConsented });
    return { call, conversation, taskId };
  });
  return afterCommit(p, call, conversation, taskId !== null);
}

/** The customer's live call on a conversation of theirs; 404 for any other call (ids do not leak). */
async function customersCall(tx: Tx, workspaceId: string, callId: string, customer: { customerId: string; channelId: string }) {
  const call = await store.getCall(tx, workspaceId, callId);
  const conversation = call ? await conversationStore.lockConversation(tx, workspaceId, call.conversationId) : undefined;
  if (!call || !conversation || conversation.customerId !== customer.customerId || conversation.channelId !== customer.channelId) throw notFound('Call');
  return { call, conversation };
}

/** The customer says yes to an agent's call: explicitly, optionally audio-only, recording only with consent. */
export async function acceptByCustomer(
  p: Platform,
  input: { workspaceId: string; channelId: string; customerId: string; callId: string; audioOnly?: boolean; recordingConsent?: boolean },
): Promise<PresentedCall> {
  const { call, conversation } = await inTransaction(p, async (tx) => {
    const found = await customersCall(tx, input.workspaceId, input.callId, input);
    const call = await store.moveCall(tx, input.workspaceId, found.call.id, ['offered'], {
      state: 'accepted',
      acceptedAt: p.clock.now(),
      audioOnly: found.call.audioOnly || (input.audioOnly ?? false),
      // Recording needs both: the workspace allows it and this customer agreed, now.
      recordingConsented: found.call.recordingAllowed && input.recordingConsent === true,
    });
    if (!call) throw conflict('call_not_offered', 'This call is no longer ringing');
    await event(tx, call, 'video.call_accepted', `customer:${input.customerId}`, { recording: call.recordingAllowed && call.recordingConsented });
    return { call, conversation: found.conversation };
  });
  return announce(p, call, conversation);
}

/** An agent takes a customer's request: through routing's offer when there is a task, else as the chat's agent. */
export async function acceptByAgent(p: Platform, input: { workspaceId: string; agentId: string; callId: string }): Promise<PresentedCall> {
  const call = await store.getCall(p.db, input.workspaceId, input.callId);
  if (!call) throw notFound('Call');
  if (call.state !== 'ringing') throw conflict('call_not_ringing', 'Nobody is waiting on this call');
  if (call.taskId) {
    await routingOf(p).command(input.workspaceId, { type: 'offer.accept', taskId: call.taskId, agentId: input.agentId }, 'not_offered');
  } else {
    const conversation = await conversationStore.getConversation(p.db, input.workspaceId, call.conversationId);
    if (conversation?.assigneeId !== input.agentId) throw conflict('not_your_conversation', 'Only the agent of the chat can take this call');
  }
  const accepted = await agentTakes(p, input.workspaceId, call.id, input.agentId, { makeTask: !call.taskId });
  if (accepted) return accepted;
  // Routing's own assignment (routing.assigned) may have marked it theirs first.
  const now = await store.getCall(p.db, input.workspaceId, call.id);
  if (now?.agentId === input.agentId && (now.state === 'accepted' || now.state === 'connected')) return presentCall(p, now);
  throw conflict('call_not_ringing', 'Nobody is waiting on this call');
}

/**
 * Marks a ringing call as taken by an agent (from the accept route, or routing's own accept).
 * `makeTask`: the request rang the chat's agent directly, so the call's task is made now, held by
 * them from the first moment like their own call.
 */
async function agentTakes(p: Platform, workspaceId: string, callId: string, agentId: string, options: { makeTask?: boolean } = {}): Promise<PresentedCall | undefined> {
  const done = await inTransaction(p, async (tx) => {
    let call = await store.moveCall(tx, workspaceId, callId, ['ringing'], { state: 'accepted', agentId, acceptedAt: p.clock.now() });
    if (!call) return undefined;
    const conversation = (await conversationStore.getConversation(tx, workspaceId, call.conversationId))!;
    if (options.makeTask && !call.taskId) {
      const taskId = await createCallTask(p, tx, conversation, call.id, agentId);
      if (taskId) call = (await store.moveCall(tx, workspaceId, callId, ['accepted'], { taskId })) ?? call;
    }
    await event(tx, call, 'video.call_accepted', agentId, { recording: call.recordingAllowed && call.recordingConsented });
    return { call, conversation };
  });
  if (!done) return undefined;
  return options.makeTask ? afterCommit(p, done.call, done.conversation, done.call.taskId !== null) : announce(p, done.call, done.conversation);
}

/** Routing assigned a call's task (an agent accepted the offer in the routing panel): the call is theirs. */
export async function followRoutingAssignment(p: Platform, workspaceId: string, taskId: string, agentId: string): Promise<void> {
  const call = await store.callOfTask(p.db, workspaceId, taskId);
  if (call?.state === 'ringing') await agentTakes(p, workspaceId, call.id, agentId);
}

/** The negotiation finished (the agent's browser got the customer's answer): the call counts from here. */
export async function markConnected(p: Platform, call: store.VideoCallRow): Promise<void> {
  const done = await inTransaction(p, async (tx) => {
    const moved = await store.moveCall(tx, call.workspaceId, call.id, ['accepted'], { state: 'connected', connectedAt: p.clock.now() });
    if (!moved) return undefined;
    await event(tx, moved, 'video.call_connected', 'system:video');
    return { call: moved, conversation: (await conversationStore.getConversation(tx, call.workspaceId, call.conversationId))! };
  });
  if (done) await announce(p, done.call, done.conversation);
}

export const callLength = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** The timeline line; the desk shows it as it is, so it is written in the conversation's language. */
export function callEndedLine(language: string | null, state: VideoCallState, audioOnly: boolean, seconds: number): string {
  const en = language?.slice(0, 2).toLowerCase() === 'en';
  const what = audioOnly ? (en ? 'Audio call' : 'Audiogesprek') : en ? 'Video call' : 'Videogesprek';
  if (state === 'declined') return en ? `${what} declined` : `${what} geweigerd`;
  if (state === 'missed') return en ? `${what} not answered` : `${what} niet beantwoord`;
  return `${what}, ${callLength(seconds)}`;
}

/**
 * Ends a live call: hung up by either side, declined by the customer, or missed. Frees the
 * agent's capacity, writes the line on the timeline and the event with the duration.
 */
export async function endCall(
  p: Platform,
  workspaceId: string,
  callId: string,
  how: { state: 'ended' | 'declined' | 'missed'; reason: string; by: Party | 'system'; onlyFrom?: VideoCallState[]; customer?: { customerId: string; channelId: string } },
): Promise<PresentedCall> {
  const done = await inTransaction(p, async (tx) => {
    const found = how.customer ? await customersCall(tx, workspaceId, callId, how.customer) : undefined;
    const before = found?.call ?? (await store.getCall(tx, workspaceId, callId));
    if (!before) throw notFound('Call');
    if (how.by !== 'system' && how.by.kind === 'agent' && before.agentId !== how.by.agentId) throw conflict('not_your_call', 'This call is not yours');
    const now = p.clock.now();
    const durationSeconds = before.connectedAt ? Math.max(0, Math.round((now.getTime() - before.connectedAt.getTime()) / 1000)) : 0;
    const call = await store.moveCall(tx, workspaceId, callId, how.onlyFrom ?? ['offered', 'ringing', 'accepted', 'connected'], {
      state: how.state,
      endedAt: now,
      durationSeconds,
      endReason: how.reason,
    });
    if (!call) throw conflict('call_ended', 'The call has already ended');
    if (call.taskId) await routingOf(p).enqueue(tx, workspaceId, { type: 'task.end', taskId: call.taskId, reason: `video ${how.reason}` });
    const conversation = found?.conversation ?? (await conversationStore.lockConversation(tx, workspaceId, call.conversationId))!;
    const line = await insertSystemMessage(tx, conversation, callEndedLine(conversation.language, call.state, call.audioOnly, durationSeconds), { videoCall: { callId: call.id, state: call.state, durationSeconds } }, now);
    const withLine = line ? ((await store.moveCall(tx, workspaceId, callId, [call.state], { endMessageId: line.id })) ?? call) : call;
    await event(tx, withLine, 'video.call_ended', how.by === 'system' ? 'system:video' : actorOf(how.by), { durationSeconds, endReason: how.reason });
    return { call: withLine, conversation };
  });
  return afterCommit(p, done.call, done.conversation, done.call.taskId !== null);
}

/** Offers and requests nobody answered in time become missed calls (a periodic job). */
export async function expireUnanswered(p: Platform): Promise<number> {
  const now = p.clock.now().getTime();
  const stale = [
    ...(await store.unansweredSince(p.db, 'offered', new Date(now - OFFER_RINGS_MS))),
    ...(await store.unansweredSince(p.db, 'ringing', new Date(now - REQUEST_WAITS_MS))),
  ];
  let expired = 0;
  for (const call of stale) {
    try {
      await endCall(p, call.workspaceId, call.id, { state: 'missed', reason: 'timeout', by: 'system', onlyFrom: ['offered', 'ringing'] });
      expired++;
    } catch (error) {
      if (!(error instanceof AppError)) throw error; // answered or ended meanwhile
    }
  }
  return expired;
}

/** A call the agent's desk may have recorded: answered (live or over) and recorded with consent. */
const RECORDABLE_STATES: VideoCallState[] = ['accepted', 'connected', 'ended'];

/**
 * Links the recording the agent's desk uploaded (through the ordinary attachment upload) to the
 * call. Only the call's agent, only for a call that was answered, only when the workspace allowed
 * recording and the customer consented, only their own upload of a video or audio file, and once.
 */
export async function attachRecording(p: Platform, input: { workspaceId: string; agentId: string; callId: string; attachmentId: string }): Promise<PresentedCall> {
  const call = await inTransaction(p, async (tx) => {
    const call = await store.getCall(tx, input.workspaceId, input.callId);
    if (!call) throw notFound('Call');
    if (call.agentId !== input.agentId) throw conflict('not_your_call', 'This call is not yours');
    if (!RECORDABLE_STATES.includes(call.state) || !call.acceptedAt) throw conflict('call_not_answered', 'Only an answered call has a recording');
    if (!call.recordingAllowed || !call.recordingConsented) throw new AppError(403, 'recording_not_consented', 'This call may not be recorded: the workspace does not allow it or the customer did not agree');
    const [file] = await conversationStore.attachableRefs(tx, input.workspaceId, [input.attachmentId], `user:${input.agentId}`);
    if (!file) throw notFound('Attachment');
    if (!/^(video|audio)\//.test(file.contentType)) throw badRequest('not_a_recording', 'A recording is a video or audio file');
    const linked = await store.setRecording(tx, input.workspaceId, call.id, file.id);
    if (!linked) throw conflict('recording_exists', 'This call already has its recording');
    await event(tx, linked, 'video.call_recorded', input.agentId, { attachmentId: file.id, size: file.size });
    return linked;
  });
  return presentCall(p, call);
}
