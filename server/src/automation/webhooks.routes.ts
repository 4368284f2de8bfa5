// Outbound webhooks' admin API (docs/automation.md, "Outbound webhooks"). A secret leaves the server
// twice only: in the answer that creates the endpoint and in the one that rotates its secret.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { notFound } from '../platform/errors.ts';
import { decodeCursor, errorBody, errorResponses, idParam, iso, pageLimit, keysetPage } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { webhookDeliverySources, webhookDeliveryStatuses } from './webhooks.schema.ts';
import * as service from './webhooks.service.ts';
import { getEndpoint, listEndpoints, type WebhookDeliveryAttemptRow, type WebhookDeliveryRow, type WebhookEndpointRow } from './webhooks.store.ts';

const tags = ['webhooks'];

const endpointBody = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  /** Set when Hoorn switched the endpoint off itself (the receiver answered 410 Gone). */
  disabledReason: z.string().nullable(),
  /** While a rotated-out secret still signs (next to the new one), until when. */
  previousSecretExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const endpointWithSecret = endpointBody.extend({ secret: z.string().describe('Shown once: store it now') });

const deliveryBody = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  source: z.enum(webhookDeliverySources),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  /** The exact JSON body sent (and signed). */
  body: z.string(),
});

const attemptBody = z.object({
  attempt: z.number(),
  at: z.string(),
  /** The receiver's HTTP status; null when no answer came (refused, timed out, not allowed). */
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
  /** The start of the receiver's answer, at most 1 KB. */
  responseExcerpt: z.string().nullable(),
});
const deliveryWithAttemptsBody = deliveryBody.extend({ attemptLog: z.array(attemptBody) });

const eventType = z.string().max(100).regex(service.EVENT_TYPE_PATTERN, 'an event type (conversation.created), a prefix (conversation.*) or *');
const endpointFields = {
  name: z.string().trim().min(1).max(100),
  url: z.string().trim().min(1).max(2000),
  eventTypes: z.array(eventType).min(1).max(100),
  enabled: z.boolean(),
};
const endpointInput = z.object({ ...endpointFields, enabled: endpointFields.enabled.default(true) });
// No defaults here: a field left out stays as it is.
const endpointPatch = z.object(endpointFields).partial();

const deliveryParams = z.object({ id: z.uuid({ message: 'must be a UUID' }), deliveryId: z.uuid({ message: 'must be a UUID' }) });
const cursorShape = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

const presentEndpoint = (e: WebhookEndpointRow) => ({
  id: e.id,
  name: e.name,
  url: e.url,
  eventTypes: e.eventTypes,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  previousSecretExpiresAt: iso(e.previousSecretExpiresAt),
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

const presentDelivery = (d: WebhookDeliveryRow & { nextAttemptAt?: Date | null }) => ({
  id: d.id,
  endpointId: d.endpointId,
  eventId: d.eventId,
  eventType: d.eventType,
  source: d.source,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastAttemptAt: iso(d.lastAttemptAt),
  nextAttemptAt: iso(d.nextAttemptAt),
  deliveredAt: iso(d.deliveredAt),
  createdAt: d.createdAt.toISOString(),
  body: d.body,
});

const presentAttempt = (a: WebhookDeliveryAttemptRow) => ({
  attempt: a.attempt,
  at: a.at.toISOString(),
  statusCode: a.statusCode,
  error: a.error,
  durationMs: a.durationMs,
  responseExcerpt: a.responseExcerpt,
});

export function webhooksRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { access: 'admin' as const };

  r.get('/api/webhooks', {
    config: admin,
    schema: { tags, summary: "The workspace's webhook endpoints (never their secrets)", response: { 200: z.object({ items: z.array(endpointBody) }), ...errorResponses } },
  }, async (request) => ({ items: (await listEndpoints(p.db, principalOf(request).workspaceId)).map(presentEndpoint) }));

  r.post('/api/webhooks', {
    config: admin,
    schema: { tags, summary: 'Add an endpoint; the answer holds its signing secret, shown this once', body: endpointInput, response: { 201: endpointWithSecret, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { endpoint, secret } = await service.createEndpoint(p, principal.workspaceId, request.body, principal.actorId);
    return reply.status(201).send({ ...presentEndpoint(endpoint), secret });
  });

  r.get('/api/webhooks/:id', {
    config: admin,
    schema: { tags, params: idParam, response: { 200: endpointBody, ...errorResponses } },
  }, async (request) => {
    const endpoint = await getEndpoint(p.db, principalOf(request).workspaceId, request.params.id);
    if (!endpoint) throw notFound('Webhook endpoint');
    return presentEndpoint(endpoint);
  });

  r.patch('/api/webhooks/:id', {
    config: admin,
    schema: { tags, summary: 'Change an endpoint; switching it on clears why Hoorn switched it off', params: idParam, body: endpointPatch, response: { 200: endpointBody, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return presentEndpoint(await service.updateEndpoint(p, principal.workspaceId, request.params.id, request.body, principal.actorId));
  });

  r.delete('/api/webhooks/:id', {
    config: admin,
    schema: { tags, summary: 'Remove an endpoint with its delivery log', params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await service.deleteEndpoint(p, principal.workspaceId, request.params.id, principal.actorId);
    return reply.status(204).send(null);
  });

  r.post('/api/webhooks/:id/rotate-secret', {
    config: admin,
    schema: { tags, summary: 'A new signing secret (shown this once); the old one keeps signing alongside it for 24 hours', params: idParam, response: { 200: endpointWithSecret, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const { endpoint, secret } = await service.rotateSecret(p, principal.workspaceId, request.params.id, principal.actorId);
    return { ...presentEndpoint(endpoint), secret };
  });

  r.post('/api/webhooks/:id/test', {
    config: admin,
    schema: { tags, summary: 'Send a webhook.test event to the endpoint now', params: idParam, response: { 202: deliveryBody, ...errorResponses } },
  }, async (request, reply) => {
    const delivery = await service.sendTestEvent(p, principalOf(request).workspaceId, request.params.id);
    return reply.status(202).send(presentDelivery(delivery));
  });

  r.get('/api/webhooks/:id/deliveries', {
    config: admin,
    schema: {
      tags,
      summary: "The endpoint's delivery log, newest first",
      params: idParam,
      querystring: z.object({ status: z.enum(webhookDeliveryStatuses).optional(), cursor: z.string().optional(), limit: pageLimit }),
      response: { 200: z.object({ items: z.array(deliveryBody), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const { status, cursor, limit } = request.query;
    const after = decodeCursor(cursor, cursorShape);
    const rows = await service.deliveryLog(p, principalOf(request).workspaceId, request.params.id, {
      status,
      limit: limit + 1,
      before: after ? { createdAt: new Date(after.createdAt), id: after.id } : undefined,
    });
    return keysetPage(rows, limit, presentDelivery, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
  });

  r.get('/api/webhooks/:id/deliveries/:deliveryId', {
    config: admin,
    schema: { tags, summary: 'One delivery with every attempt it took, first to last', params: deliveryParams, response: { 200: deliveryWithAttemptsBody, ...errorResponses } },
  }, async (request) => {
    const delivery = await service.deliveryWithAttempts(p, principalOf(request).workspaceId, request.params.id, request.params.deliveryId);
    return { ...presentDelivery(delivery), attemptLog: delivery.attemptLog.map(presentAttempt) };
  });

  r.post('/api/webhooks/:id/deliveries/:deliveryId/redeliver', {
    config: admin,
    schema: { tags, summary: 'Send a delivery again now, with a fresh set of attempts (also a dead one)', params: deliveryParams, response: { 202: deliveryBody, 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const delivery = await service.redeliver(p, principal.workspaceId, request.params.id, request.params.deliveryId, principal.actorId);
    return reply.status(202).send(presentDelivery(delivery));
  });
}
