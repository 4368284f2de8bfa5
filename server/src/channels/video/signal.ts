/**
 * WebRTC signalling over Hoorn's own authenticated sockets: offer, answer, ICE candidates and
 * renegotiation (screen sharing) pass through the server, which lets only the two parties of a
 * live call speak into it. Everything else is refused: an error frame to the sender, nothing
 * relayed, a warning in the log. Delivery goes through the hub, so the parties may sit on
 * different nodes.
 */
import { z } from 'zod';
import type { Platform } from '../../platform/platform.ts';
import { visitorTopic, workspaceTopic, type CallSignalRelay, type CallSignalSender, type HubMessage } from '../../platform/realtime/hub.ts';
import * as conversationStore from '../../conversations/conversations.store.ts';
import { markConnected } from './video.service.ts';
import * as store from './video.store.ts';

export const callSignalFrame = z.object({
  type: z.literal('call_signal'),
  callId: z.uuid(),
  signal: z
    .object({
      /** `recording`: the agent's desk started or stopped recording, so the customer sees it (`active`). */
      kind: z.enum(['offer', 'answer', 'ice', 'renegotiate', 'recording']),
      active: z.boolean().optional(),
      sdp: z.string().max(64_000).optional(),
      candidate: z
        .object({ candidate: z.string().max(2_000), sdpMid: z.string().max(64).nullish(), sdpMLineIndex: z.number().int().min(0).max(64).nullish(), usernameFragment: z.string().max(256).nullish() })
        .nullish(),
    })
    .strict(),
});

/** Signalling happens once both have said yes, until the call ends. */
const SIGNALLING_STATES = new Set(['accepted', 'connected']);

export function callSignalRelay(p: Platform): CallSignalRelay {
  return async ({ from, frame }) => {
    const refuse = (code: string, callId?: string): HubMessage => {
      p.log.warn({ code, callId, from: describe(from) }, 'call signal refused');
      return { type: 'call_error', code, callId: callId ?? null };
    };
    const parsed = callSignalFrame.safeParse(frame);
    if (!parsed.success) return refuse('bad_frame');
    const { callId, signal } = parsed.data;
    const call = await store.getCall(p.db, from.workspaceId, callId);
    const conversation = call ? await conversationStore.getConversation(p.db, from.workspaceId, call.conversationId) : undefined;
    if (!call || !conversation) return refuse('unknown_call', callId);
    const isAgent = from.kind === 'agent' && call.agentId === from.userId;
    const isCustomer = from.kind === 'visitor' && conversation.customerId === from.customerId && conversation.channelId === from.channelId;
    if (!isAgent && !isCustomer) return refuse('not_a_party', callId);
    if (!SIGNALLING_STATES.has(call.state)) return refuse('call_not_live', callId);
    // Only the desk records, and only a call the customer agreed to have recorded.
    if (signal.kind === 'recording' && (!isAgent || !call.recordingAllowed || !call.recordingConsented)) return refuse('recording_not_consented', callId);
    const relayed = { type: 'call_signal', callId, signal };
    if (isAgent) p.hub.publish(visitorTopic(conversation.channelId, conversation.customerId), relayed);
    else p.hub.publish(workspaceTopic(call.workspaceId), { ...relayed, forUserId: call.agentId! });
    // The customer answered the agent's offer: media negotiation is done, the call counts from now.
    if (signal.kind === 'answer' && call.state === 'accepted') await markConnected(p, call);
    return undefined;
  };
}

/** Who tried, for the log: ids only. */
const describe = (from: CallSignalSender) => (from.kind === 'agent' ? `agent:${from.userId}` : `customer:${from.customerId}@${from.channelId}`);
