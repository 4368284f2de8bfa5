import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/auth/guard.ts';
import { inTransaction } from '../../platform/events/events.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { errorBody, errorResponses, idParam } from '../../platform/http/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import * as conversationStore from '../../conversations/conversations.store.ts';
import { activeConversationId, loadWebchatChannel, resolveVisitor } from '../webchat/webchat.service.ts';
import { allowCrossOrigin } from '../webchat/webchat.routes.ts';
import { videoCallStates } from './video.schema.ts';
import * as service from './video.service.ts';
import * as store from './video.store.ts';

const callBody = z.object({
  id: z.string(),
  conversationId: z.string(),
  state: z.enum(videoCallStates),
  offeredBy: z.enum(['agent', 'customer']),
  agent: z.object({ id: z.string(), name: z.string() }).nullable(),
  audioOnly: z.boolean(),
  recordingAllowed: z.boolean(),
  recording: z.boolean(),
  recordingAttachment: z.object({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number() }).nullable(),
  recordingMaxBytes: z.number(),
  endMessageId: z.string().nullable(),
  startedAt: z.string(),
  connectedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  endReason: z.string().nullable(),
  iceServers: z.array(z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() })),
});
const settingsBody = z.object({ customerMayStart: z.boolean(), recordingEnabled: z.boolean() });
const conflictResponses = { ...errorResponses, 409: errorBody };
const visitorParams = z.object({ channelId: z.string().max(64) });
const visitorCallParams = visitorParams.extend({ callId: z.uuid() });

const bearer = (request: FastifyRequest) => {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
};

/** The desk's call controls and the workspace's video settings. */
function agentRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/conversations/:id/calls', {
    config: { access: 'agent' },
    schema: { tags: ['video'], summary: "A conversation's video calls, newest first", params: idParam, response: { 200: z.object({ items: z.array(callBody) }), ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    if (!(await conversationStore.getConversation(p.db, workspaceId, request.params.id))) throw notFound('Conversation');
    const rows = await store.listCalls(p.db, workspaceId, request.params.id);
    return { items: await Promise.all(rows.map((row) => service.presentCall(p, row))) };
  });

  r.post('/api/conversations/:id/calls', {
    config: { access: 'agent' },
    schema: {
      tags: ['video'],
      summary: 'The agent who holds this web chat rings the customer for a video call',
      params: idParam,
      body: z.object({ audioOnly: z.boolean().optional() }).default({}),
      response: { 201: callBody, ...conflictResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const call = await service.offerCall(p, { workspaceId: principal.workspaceId, conversationId: request.params.id, agentId: principal.id, audioOnly: request.body.audioOnly });
    return reply.status(201).send(call);
  });

  r.post('/api/video-calls/:id/accept', {
    config: { access: 'agent' },
    schema: { tags: ['video'], summary: "Take a customer's request for a video call", params: idParam, response: { 200: callBody, ...conflictResponses, 503: errorBody } },
  }, async (request) => {
    const principal = principalOf(request);
    return service.acceptByAgent(p, { workspaceId: principal.workspaceId, agentId: principal.id, callId: request.params.id });
  });

  r.post('/api/video-calls/:id/hangup', {
    config: { access: 'agent' },
    schema: { tags: ['video'], summary: 'The agent ends (or withdraws) their call', params: idParam, response: { 200: callBody, ...conflictResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const call = await store.getCall(p.db, principal.workspaceId, request.params.id);
    if (!call) throw notFound('Call');
    const wasAnswered = call.state === 'accepted' || call.state === 'connected';
    return service.endCall(p, principal.workspaceId, call.id, {
      state: wasAnswered || call.state === 'ringing' ? 'ended' : 'missed',
      reason: wasAnswered ? 'agent_hung_up' : 'agent_withdrew',
      by: { kind: 'agent', agentId: principal.id },
    });
  });

  r.post('/api/video-calls/:id/recording', {
    config: { access: 'agent' },
    schema: {
      tags: ['video'],
      summary: "Link the recording the desk uploaded (POST /api/attachments) to the agent's call; only with the customer's consent",
      params: idParam,
      body: z.object({ attachmentId: z.uuid() }),
      response: { 200: callBody, ...conflictResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return service.attachRecording(p, { workspaceId: principal.workspaceId, agentId: principal.id, callId: request.params.id, attachmentId: request.body.attachmentId });
  });

  r.get('/api/video/settings', {
    config: { access: 'agent' },
    schema: { tags: ['video'], summary: 'Whether customers may start calls and calls may be recorded', response: { 200: settingsBody, ...errorResponses } },
  }, async (request) => store.getSettings(p.db, principalOf(request).workspaceId));

  r.put('/api/video/settings', {
    config: { access: 'admin' },
    schema: { tags: ['video'], summary: "Change the workspace's video settings", body: settingsBody, response: { 200: settingsBody, ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    return inTransaction(p, (tx) => store.saveSettings(tx, workspaceId, request.body, p.clock.now()));
  });
}

/** The widget's side, on the web chat visitor API: the visitor's bearer token, like the other visitor routes. */
function visitorRoutes(app: FastifyInstance, p: Platform): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', (request, reply) => allowCrossOrigin(p, request, reply));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const visitorOf = async (request: FastifyRequest) => {
      const channel = await loadWebchatChannel(p, (request.params as { channelId: string }).channelId);
      const visitor = await resolveVisitor(p, channel, bearer(request));
      return { workspaceId: channel.row.workspaceId, channelId: channel.row.id, customerId: visitor.customer.id };
    };

    r.get('/channels/webchat/:channelId/calls/current', {
      schema: {
        tags: ['web chat'],
        summary: "The visitor's live call (if any) and whether they may ask for one",
        params: visitorParams,
        response: { 200: z.object({ call: callBody.nullable(), customerMayStart: z.boolean(), recordingEnabled: z.boolean() }), ...errorResponses },
      },
    }, async (request) => {
      const visitor = await visitorOf(request);
      const settings = await store.getSettings(p.db, visitor.workspaceId);
      const conversationId = await activeConversationId(p.db, visitor.workspaceId, visitor.channelId, visitor.customerId);
      const live = conversationId ? await store.liveCallOf(p.db, visitor.workspaceId, conversationId) : undefined;
      return { call: live ? await service.presentCall(p, live) : null, ...settings };
    });

    r.post('/channels/webchat/:channelId/calls', {
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: ['web chat'],
        summary: 'The visitor asks for a video call (where the workspace allows it); recording only with their consent',
        params: visitorParams,
        body: z.object({ audioOnly: z.boolean().optional(), recordingConsent: z.boolean().optional() }).default({}),
        response: { 201: callBody, ...conflictResponses },
      },
    }, async (request, reply) => {
      const visitor = await visitorOf(request);
      const conversationId = await activeConversationId(p.db, visitor.workspaceId, visitor.channelId, visitor.customerId);
      if (!conversationId) throw conflict('no_conversation', 'Start a chat first');
      const call = await service.requestCall(p, { workspaceId: visitor.workspaceId, conversationId, customerId: visitor.customerId, audioOnly: request.body.audioOnly, recordingConsent: request.body.recordingConsent });
      return reply.status(201).send(call);
    });

    r.post('/channels/webchat/:channelId/calls/:callId/accept', {
      schema: {
        tags: ['web chat'],
        summary: "The visitor accepts the agent's call; recording only with their consent",
        params: visitorCallParams,
        body: z.object({ audioOnly: z.boolean().optional(), recordingConsent: z.boolean().optional() }).default({}),
        response: { 200: callBody, ...conflictResponses },
      },
    }, async (request) => {
      const visitor = await visitorOf(request);
      return service.acceptByCustomer(p, { ...visitor, callId: request.params.callId, audioOnly: request.body.audioOnly, recordingConsent: request.body.recordingConsent });
    });

    r.post('/channels/webchat/:channelId/calls/:callId/decline', {
      schema: { tags: ['web chat'], summary: "The visitor declines the agent's call", params: visitorCallParams, response: { 200: callBody, ...conflictResponses } },
    }, async (request) => {
      const visitor = await visitorOf(request);
      return service.endCall(p, visitor.workspaceId, request.params.callId, {
        state: 'declined',
        reason: 'customer_declined',
        by: { kind: 'customer', customerId: visitor.customerId },
        onlyFrom: ['offered'],
        customer: visitor,
      });
    });

    r.post('/channels/webchat/:channelId/calls/:callId/hangup', {
      schema: { tags: ['web chat'], summary: 'The visitor ends the call (or withdraws their request)', params: visitorCallParams, response: { 200: callBody, ...conflictResponses } },
    }, async (request) => {
      const visitor = await visitorOf(request);
      return service.endCall(p, visitor.workspaceId, request.params.callId, {
        state: 'ended',
        reason: 'customer_hung_up',
        by: { kind: 'customer', customerId: visitor.customerId },
        customer: visitor,
      });
    });
  });
}

export function videoRoutes(app: FastifyInstance, p: Platform): void {
  agentRoutes(app, p);
  visitorRoutes(app, p);
}
