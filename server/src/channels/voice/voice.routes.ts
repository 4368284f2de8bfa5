import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/auth/guard.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { errorBody, errorResponses, idParam } from '../../platform/http/schemas.ts';
import { and, eq } from 'drizzle-orm';
import { conversations } from '../../conversations/conversations.schema.ts';
import * as conversationStore from '../../conversations/conversations.store.ts';
import { receiveInbound } from '../../conversations/receive.ts';
import { insertSystemMessage } from '../../conversations/conversations.service.ts';
import { renderTwiml, parseTwilioGather } from '../../flows/render.ts';
import * as flowStore from '../../flows/flows.store.ts';
import { advanceRun, endRunOf } from '../../flows/runtime.ts';
import type { Step } from '../../flows/run.ts';
import { appendEvent, inTransaction } from '../../platform/events/events.ts';
import type { Platform } from '../../platform/platform.ts';
import { enqueueOutbox } from '../../platform/outbox/outbox.store.ts';
import { routingOf, waitFor } from '../../routing/routing.service.ts';
import { liveTaskForConversation } from '../../routing/routing.store.ts';
import { getChannelById } from '../channels.store.ts';
import { contextOf } from '../inbound.ts';
import { verifyTwilioRequest } from '../twilio/twilio.signature.ts';
import { basicAuth, callUrl, voiceAdapter, type VoiceConfig, type VoiceSecrets } from './index.ts';
import { providerFetch } from '../http.ts';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import { callbackConfirmedTwiml, callEndedText, connectTwiml, enqueueTwiml, hangupTwiml, holdTwiml, languageOf, twiml } from './voice.twiml.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const VOICE_CONNECT_KIND = 'voice.connect';

class TwilioRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function voiceRoutes(app: FastifyInstance, p: Platform): void {
  void app.register(async (scope) => {
    // Twilio signs the exact form: keep the raw bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_request, body, done) => done(null, body));

    /** The channel, its settings, and the verified form (or a refusal). */
    const verified = async (request: FastifyRequest<{ Params: { channelId: string } }>) => {
      const channel = UUID.test(request.params.channelId) ? await getChannelById(p.db, request.params.channelId) : undefined;
      if (!channel || channel.type !== 'voice' || !channel.enabled) throw new TwilioRefusal(404, 'No such voice channel');
      const ctx = contextOf<VoiceConfig, VoiceSecrets>(p, voiceAdapter, channel);
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = verifyTwilioRequest({
        authToken: ctx.secrets.authToken,
        url: `${p.config.publicUrl}${request.url}`,
        contentType: String(request.headers['content-type'] ?? ''),
        rawBody,
        signature: request.headers['x-twilio-signature'] as string | undefined,
      });
      if (!verdict.ok) throw new TwilioRefusal(401, verdict.reason);
      const form = Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
      if (form.AccountSid !== ctx.config.accountSid) throw new TwilioRefusal(403, 'AccountSid is not this channel’s account');
      if (!form.CallSid) throw new TwilioRefusal(400, 'CallSid is missing');
      return { channel, ctx, form };
    };

    const handle = (work: (request: FastifyRequest<{ Params: { channelId: string } }>) => Promise<string>) => async (request: FastifyRequest<{ Params: { channelId: string } }>, reply: FastifyReply) => {
      try {
        const xml = await work(request);
        return reply.type('text/xml').send(xml);
      } catch (error) {
        if (error instanceof TwilioRefusal) {
          p.log.warn({ channelId: request.params.channelId, reason: error.message }, 'voice webhook refused');
          return reply.code(error.status).send({ error: { code: `webhook_${error.status}`, message: error.message } });
        }
        throw error;
      }
    };

    const base = (channelId: string) => `${p.config.publicUrl}/channels/voice/${channelId}`;
    const callConversation = async (workspaceId: string, channelId: string, callSid: string) => {
      const [row] = await p.db
        .select()
        .from(conversations)
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.channelId, channelId), eq(conversations.threadKey, callSid)));
      return row;
    };

    /** TwiML for where the run is: its prompts and question, its queue, or the end of the call. */
    const flowTwiml = (channelId: string, conversationId: string, step: Step) =>
      renderTwiml(step, {
        actionUrl: `${base(channelId)}/gather`,
        language: step.state.language,
        handoff: () => ({ verb: 'enqueue', name: `hoorn-${conversationId}`, waitUrl: `${base(channelId)}/wait` }),
      });

    scope.post('/channels/voice/:channelId/call', handle(async (request) => {
      const { channel, form } = await verified(request);
      const from = form.From || 'anonymous';
      const result = await receiveInbound(p, {
        workspaceId: channel.workspaceId,
        channel: { id: channel.id, type: 'voice' },
        providerMessageId: `call:${form.CallSid}`,
        // Caller ID can be spoofed: a weak key, never a reason to merge on its own.
        from: { externalId: from, verified: false, profile: { phone: /^\+\d{6,15}$/.test(from) ? from : null } },
        body: '',
        threadKey: form.CallSid,
        channelContext: { callSid: form.CallSid, from, to: form.To ?? null },
        meta: { call: { event: 'incoming', callSid: form.CallSid, from, to: form.To ?? null } },
      });
      const conversation = result.conversation;
      const run = await flowStore.runningRunOf(p.db, channel.workspaceId, conversation.id);
      if (run) {
        const step = await advanceRun(p, channel.workspaceId, run.id, { inputs: [], spoken: true });
        if (step) return flowTwiml(channel.id, conversation.id, step);
      }
      // No flow on this number (or Twilio asked twice): straight to an agent.
      return enqueueTwiml(languageOf(conversation.language), `hoorn-${conversation.id}`, `${base(channel.id)}/wait`);
    }));

    scope.post('/channels/voice/:channelId/gather', handle(async (request) => {
      const { channel, form } = await verified(request);
      const conversation = await callConversation(channel.workspaceId, channel.id, form.CallSid!);
      if (!conversation) return hangupTwiml();
      const run = await flowStore.runningRunOf(p.db, channel.workspaceId, conversation.id);
      if (!run) return enqueueTwiml(languageOf(conversation.language), `hoorn-${conversation.id}`, `${base(channel.id)}/wait`);
      const input = parseTwilioGather(form);
      // What the caller said or keyed goes into the conversation's transcript.
      if (input.type === 'digits' || input.type === 'speech') {
        const hop = (run.state as { run?: { hops?: number } } | null)?.run?.hops ?? 0;
        await receiveInbound(p, {
          workspaceId: channel.workspaceId,
          channel: { id: channel.id, type: 'voice' },
          providerMessageId: `call:${form.CallSid}:${hop}`,
          from: { externalId: form.From || 'anonymous' },
          body: input.type === 'digits' ? input.digits : input.text,
          threadKey: form.CallSid,
          meta: input.type === 'digits' ? { digits: input.digits } : { speech: input.text, confidence: input.confidence ?? null },
        });
      }
      const step = await advanceRun(p, channel.workspaceId, run.id, { inputs: [input], spoken: true });
      if (!step) return enqueueTwiml(languageOf(conversation.language), `hoorn-${conversation.id}`, `${base(channel.id)}/wait`);
      return flowTwiml(channel.id, conversation.id, step);
    }));

    scope.post('/channels/voice/:channelId/wait', handle(async (request) => {
      const { channel, ctx, form } = await verified(request);
      const conversation = await callConversation(channel.workspaceId, channel.id, form.CallSid!);
      const language = languageOf(conversation?.language);
      const wait = conversation ? await waitFor(p, channel.workspaceId, conversation.id) : null;
      if (wait?.state === 'assigned') return twiml(`<Pause length="5"/>`);
      return holdTwiml({
        language,
        position: wait?.state === 'waiting' ? wait.position : null,
        estimatedWaitSeconds: wait?.state === 'waiting' ? wait.estimatedWaitSeconds : null,
        callbackUrl: ctx.config.callbackDigit ? `${base(channel.id)}/callback` : null,
        callbackDigit: ctx.config.callbackDigit,
        pauseSeconds: ctx.config.holdSeconds,
      });
    }));

    scope.post('/channels/voice/:channelId/callback', handle(async (request) => {
      const { channel, ctx, form } = await verified(request);
      const conversation = await callConversation(channel.workspaceId, channel.id, form.CallSid!);
      if (!conversation || !ctx.config.callbackDigit || form.Digits !== ctx.config.callbackDigit) return twiml('');
      const task = await liveTaskForConversation(p.db, channel.workspaceId, conversation.id);
      if (!task) return twiml('');
      await routingOf(p).command(channel.workspaceId, { type: 'task.callback', taskId: task.id }, 'not_waiting').catch(() => undefined);
      await inTransaction(p, async (tx) => {
        await conversationStore.updateConversationRow(tx, channel.workspaceId, conversation.id, { attributes: { ...conversation.attributes, callback: { phone: form.From ?? null, requestedAt: p.clock.now().toISOString() } } });
        await appendEvent(tx, { workspaceId: channel.workspaceId, type: 'call.callback_requested', subjectType: 'conversation', subjectId: conversation.id, payload: { callSid: form.CallSid }, actorId: `customer:${conversation.customerId}` });
      });
      return callbackConfirmedTwiml(languageOf(conversation.language));
    }));

    scope.post('/channels/voice/:channelId/status', handle(async (request) => {
      const { channel, form } = await verified(request);
      const conversation = await callConversation(channel.workspaceId, channel.id, form.CallSid!);
      const status = form.CallStatus ?? '';
      if (!conversation || !['completed', 'busy', 'no-answer', 'canceled', 'failed'].includes(status)) return twiml('');
      const duration = Number(form.CallDuration ?? 0);
      const ended = await inTransaction(p, async (tx) => {
        const current = await conversationStore.lockConversation(tx, channel.workspaceId, conversation.id);
        if (!current || current.channelContext.endedAt) return false;
        const now = p.clock.now();
        await conversationStore.updateConversationRow(tx, channel.workspaceId, conversation.id, { channelContext: { ...current.channelContext, status, endedAt: now.toISOString(), durationSeconds: duration } });
        await insertSystemMessage(tx, current, callEndedText(languageOf(current.language), status, duration), { call: { event: 'ended', status, durationSeconds: duration } }, now);
        await endRunOf(tx, channel.workspaceId, conversation.id, { status: 'failed', reason: 'caller_hung_up' }, now);
        await appendEvent(tx, { workspaceId: channel.workspaceId, type: 'call.ended', subjectType: 'conversation', subjectId: conversation.id, payload: { callSid: form.CallSid, status, durationSeconds: duration, answered: Boolean(current.assigneeId) }, actorId: 'system:voice' });
        const task = await liveTaskForConversation(tx, channel.workspaceId, conversation.id);
        // Hung up while waiting: the task ends (abandoned), unless a callback was asked for.
        if (task && task.state !== 'assigned' && task.state !== 'wrapping' && !task.callback) {
          await routingOf(p).enqueue(tx, channel.workspaceId, { type: 'task.end', taskId: task.id, reason: 'abandoned' });
        }
        return true;
      });
      if (ended) await routingOf(p).runPending(channel.workspaceId).catch(() => undefined);
      return twiml('');
    }));
  });

  // Call controls in the desk: hang up, or put the call through to the assignee again.
  app.withTypeProvider<ZodTypeProvider>().post('/api/conversations/:id/call', {
    config: { access: 'agent' },
    schema: {
      tags: ['voice'],
      summary: 'Call controls: hang up the call, or put it through to the assigned agent (again)',
      params: idParam,
      body: z.object({ action: z.enum(['hangup', 'connect']) }),
      response: { 204: z.null(), 409: errorBody, ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const conversation = await conversationStore.getConversation(p.db, principal.workspaceId, request.params.id);
    if (!conversation) throw notFound('Conversation');
    const callSid = conversation.channelContext.callSid as string | undefined;
    if (conversation.channelType !== 'voice' || !callSid) throw conflict('not_a_call', 'This conversation is not a phone call');
    if (conversation.channelContext.endedAt) throw conflict('call_ended', 'The call has ended');
    if (request.body.action === 'connect') {
      if (!conversation.assigneeId) throw conflict('not_assigned', 'Nobody has this call yet; accept it first');
      await inTransaction(p, (tx) =>
        enqueueOutbox(tx, { workspaceId: principal.workspaceId, kind: VOICE_CONNECT_KIND, payload: { conversationId: conversation.id, agentId: conversation.assigneeId }, maxAttempts: 5, dedupeKey: `connect:${conversation.id}:${p.clock.now().getTime()}` }, p.clock.now()),
      );
      p.outbox.kick();
      return reply.code(204).send(null);
    }
    const channel = await getChannelById(p.db, conversation.channelId);
    if (!channel) throw notFound('Channel');
    const { config, secrets } = contextOf<VoiceConfig, VoiceSecrets>(p, voiceAdapter, channel);
    try {
      await providerFetch(callUrl(config, callSid), {
        method: 'POST',
        headers: { authorization: basicAuth(config, secrets), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ Status: 'completed' }).toString(),
      });
    } catch (error) {
      throw conflict('twilio_refused', `Twilio did not hang up: ${(error as Error).message}`);
    }
    await inTransaction(p, (tx) => appendEvent(tx, { workspaceId: principal.workspaceId, type: 'call.hangup_requested', subjectType: 'conversation', subjectId: conversation.id, payload: { callSid }, actorId: principal.actorId }));
    return reply.code(204).send(null);
  });

  p.outbox.register(VOICE_CONNECT_KIND, async (item) => {
    const { conversationId, agentId } = item.payload as { conversationId: string; agentId: string };
    const conversation = await conversationStore.getConversation(p.db, item.workspaceId, conversationId);
    const channel = conversation && (await getChannelById(p.db, conversation.channelId));
    const callSid = conversation?.channelContext.callSid as string | undefined;
    if (!conversation || !channel || !callSid) throw new DeliveryError('permanent', 'the call or its channel is gone');
    if (conversation.channelContext.endedAt) return { skipped: 'call ended' };
    const { config, secrets } = contextOf<VoiceConfig, VoiceSecrets>(p, voiceAdapter, channel);
    const body = new URLSearchParams({ Twiml: connectTwiml(languageOf(conversation.language), `${config.agentClientPrefix}${agentId}`) });
    await providerFetch(callUrl(config, callSid), {
      method: 'POST',
      headers: { authorization: basicAuth(config, secrets), 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    return { connected: agentId };
  });

  // The agent who accepted a waiting call is put through: Twilio's call update with new TwiML.
  p.bus.subscribe({ types: ['conversation.assigned'] }, (event) => {
    const payload = event.payload as { to?: string | null };
    if (!payload.to) return;
    void (async () => {
      const conversation = await conversationStore.getConversation(p.db, event.workspaceId, event.subjectId);
      if (!conversation || conversation.channelType !== 'voice' || !conversation.channelContext.callSid || conversation.channelContext.endedAt) return;
      await inTransaction(p, (tx) =>
        enqueueOutbox(tx, { workspaceId: event.workspaceId, kind: VOICE_CONNECT_KIND, payload: { conversationId: conversation.id, agentId: payload.to }, maxAttempts: 5, dedupeKey: `connect:${conversation.id}:${payload.to}` }, p.clock.now()),
      );
      p.outbox.kick();
    })().catch((error) => p.log.error({ err: error }, 'could not queue the call connection'));
  });
}
