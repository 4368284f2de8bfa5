// Outbound webhooks (docs/automation.md, "Outbound webhooks"): the organisation's endpoints get the
// workspace's events as signed JSON POSTs. A dispatcher follows the event log (as the analytics
// projector does) and writes, per subscribed endpoint, a delivery row and an outbox row in one
// transaction; the outbox retries; the sender records every attempt on the delivery row, which is
// the delivery log. See webhooks.routes.ts for the admin API.
import { randomBytes, randomUUID } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Tx } from '../platform/db/client.ts';
import { badRequest, conflict, notFound } from '../platform/errors.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { followEventLog, startEventCursor } from '../platform/events/follower.ts';
import { DeliveryError } from '../platform/outbox/outbox.ts';
import { enqueueOutbox, getOutboxItem } from '../platform/outbox/outbox.store.ts';
import type { Sender } from '../platform/outbox/worker.ts';
import type { Platform } from '../platform/platform.ts';
import { signatureHeader } from './signing.ts';
import type { WebhookDeliverySource } from './webhooks.schema.ts';
import * as store from './webhooks.store.ts';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './webhooks.store.ts';

export const WEBHOOK_OUTBOX_KIND = 'webhook.delivery';
/**
 * Attempts per delivery. With the outbox's backoff (2 s doubling, capped at 1 h, equal jitter) 20
 * attempts spread over 4.6 to 9.1 hours (half to all of each step), enough to ride out a receiver's outage.
 */
export const WEBHOOK_MAX_ATTEMPTS = 20;
/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
const DEFAULT_TIMEOUT_MS = 10_000;
/** How often the dispatcher looks for new events (as often as the analytics projector). */
const DISPATCH_EVERY_MS = 2_000;
/** A receiver's Retry-After is honoured up to this; beyond it the normal schedule applies. */
const MAX_RETRY_AFTER_MS = 3_600_000;
const USER_AGENT = 'Hoorn-Webhooks/1';

export interface WebhookOptions {
  /**
   * Whether endpoints may point at loopback, private, link-local or other non-public addresses.
   * Off by default: an admin could otherwise make the server probe its own network.
   */
  allowPrivateTargets: boolean;
  /** How long one attempt may take, connection to last byte. */
  timeoutMs: number;
}
const defaultOptions: WebhookOptions = { allowPrivateTargets: false, timeoutMs: DEFAULT_TIMEOUT_MS };
const optionsByPlatform = new WeakMap<Platform, WebhookOptions>();

/** Changes the webhook options of one platform (tests allow their loopback receiver with it). */
export function configureWebhooks(p: Platform, options: Partial<WebhookOptions>): void {
  optionsByPlatform.set(p, { ...optionsOf(p), ...options });
}
const optionsOf = (p: Platform): WebhookOptions => optionsByPlatform.get(p) ?? { ...defaultOptions, allowPrivateTargets: p.config.webhooksAllowPrivate ?? false };

// ---------------------------------------------------------------------------------------------
// Subscriptions (pure)

/**
 * Event types that `*` leaves out: the routing engine's and the outbox's bookkeeping, analytics
 * internals, and webhooks' own. An endpoint still gets them when it names them (`routing.*`).
 */
const INTERNAL_PREFIXES = ['routing.', 'outbox.', 'analytics.', 'webhook.', 'clv.', 'maturity.'];
const INTERNAL_TYPES = new Set(['user.logged_in', 'webchat.session_started', 'knowledge.demo_seeded']);

export const isInternalEventType = (type: string) => INTERNAL_TYPES.has(type) || INTERNAL_PREFIXES.some((prefix) => type.startsWith(prefix));

/** An entry of an endpoint's `eventTypes`: `*`, an exact type, or a prefix ending in `.*`. */
export const EVENT_TYPE_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$/;

/** Whether an endpoint with these `eventTypes` gets an event of `type`. */
export function subscribes(eventTypes: readonly string[], type: string): boolean {
  if (eventTypes.includes(type)) return true;
  if (eventTypes.some((t) => t.endsWith('.*') && type.startsWith(t.slice(0, -1)))) return true;
  return eventTypes.includes('*') && !isInternalEventType(type);
}

/** The outbox's events about webhook deliveries would otherwise cause deliveries of their own, without end. */
const isOwnDeliveryBookkeeping = (type: string, payload: Record<string, unknown>) => type.startsWith('outbox.') && payload.kind === WEBHOOK_OUTBOX_KIND;

// ---------------------------------------------------------------------------------------------
// Targets: http(s) only, and by default never a non-public address (checked when the URL is saved
// and again, after DNS, when connecting, so a name that later resolves inwards is refused too).

const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) nonPublic.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32]] as const) nonPublic.addSubnet(network, prefix, 'ipv6');

/** Loopback, private, link-local, shared, documentation, multicast or reserved. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return nonPublic.check(address, 'ipv4');
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return nonPublic.check(mapped[1]!, 'ipv4');
  return nonPublic.check(address, 'ipv6');
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');
const isLocalName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** Why a URL cannot be an endpoint, or null. Names are not resolved here (the sender checks them). */
export function targetProblem(raw: string, allowPrivateTargets: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'the URL must start with http:// or https://';
  if (url.username || url.password) return 'put credentials in the receiver’s check of the signature, not in the URL';
  if (url.hash) return 'the URL must not have a #fragment';
  const host = hostOf(url);
  if (!allowPrivateTargets && (isLocalName(host) || isNonPublicAddress(host))) return `${host} is not a public address`;
  return null;
}

class NonPublicTargetError extends Error {}

/** dns.lookup that refuses names resolving to a non-public address (so the connection never opens). */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    const cb = callback as (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void;
    if (error) return cb(error, '', 0);
    const list = addresses as dns.LookupAddress[];
    const inward = list.find((a) => isNonPublicAddress(a.address));
    if (inward) return cb(new NonPublicTargetError(`${hostname} resolves to ${inward.address}, which is not a public address`), '', 0);
    if (list.length === 0) return cb(new Error(`${hostname} has no address`), '', 0);
    if (options.all) return cb(null, list);
    return cb(null, list[0]!.address, list[0]!.family);
  });
};

interface ReceiverAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The start of the answer's body (at most 1 KB), for the delivery log. */
  excerpt: string;
}

/** One POST. Redirects are not followed (a 3xx is an answer like any other). */
function post(url: URL, body: string, headers: Record<string, string>, options: WebhookOptions): Promise<ReceiverAnswer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: options.allowPrivateTargets ? undefined : guardedLookup,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < 1024) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, excerpt: Buffer.concat(chunks).subarray(0, store.RESPONSE_EXCERPT_BYTES).toString('utf8') });
        });
        response.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no complete answer within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

function retryAfterMs(value: string | string[] | undefined, now: Date): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(text) - now.getTime();
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

interface SealedSecrets extends Record<string, unknown> {
  current: string;
  previous?: string;
}

/** The secrets that sign now: the current one, and the previous one during its overlap. */
export function signingSecrets(p: Platform, endpoint: WebhookEndpointRow, now: Date): string[] {
  const secrets = p.secrets.open<SealedSecrets>(endpoint.secrets);
  const previousValid = secrets.previous && endpoint.previousSecretExpiresAt && now < endpoint.previousSecretExpiresAt;
  return previousValid ? [secrets.current, secrets.previous!] : [secrets.current];
}

function checkTarget(p: Platform, url: string): void {
  const problem = targetProblem(url, optionsOf(p).allowPrivateTargets);
  if (problem) throw badRequest('invalid_webhook_url', `url: ${problem}`);
}

const auditPayload = (e: WebhookEndpointRow) => ({ name: e.name, eventTypes: e.eventTypes, enabled: e.enabled });
// The URL stays out of events: events reach every agent's desk, and URLs sometimes carry tokens.
const audit = (tx: Tx, endpoint: WebhookEndpointRow, type: string, actorId: string, extra: Record<string, unknown> = {}) =>
  appendEvent(tx, { workspaceId: endpoint.workspaceId, type, subjectType: 'webhook_endpoint', subjectId: endpoint.id, payload: { ...auditPayload(endpoint), ...extra }, actorId });

export interface EndpointInput {
  name: string;
  url: string;
  /** Event types, `prefix.*`, or `*` (every event but internal bookkeeping). */
  eventTypes: string[];
  enabled: boolean;
}

/** Creates an endpoint with a fresh secret; the secret is answered here and never again. */
export async function createEndpoint(p: Platform, workspaceId: string, input: EndpointInput, actorId: string): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  checkTarget(p, input.url);
  const secret = newSecret();
  const now = p.clock.now();
  const endpoint = await inTransaction(p, async (tx) => {
    const row = await store.insertEndpoint(tx, {
      id: randomUUID(),
      workspaceId,
      name: input.name,
      url: input.url,
      secrets: p.secrets.seal({ current: secret } satisfies SealedSecrets),
      eventTypes: [...new Set(input.eventTypes)],
      enabled: input.enabled,
      startAfterEventId: await store.lastEventId(tx),
      createdAt: now,
      updatedAt: now,
    });
    await startEventCursor(tx, WEBHOOKS_READER, now);
    await audit(tx, row, 'webhook.endpoint_created', actorId);
    return row;
  });
  return { endpoint, secret };
}

export async function updateEndpoint(p: Platform, workspaceId: string, id: string, patch: Partial<EndpointInput>, actorId: string): Promise<WebhookEndpointRow> {
  if (patch.url !== undefined) checkTarget(p, patch.url);
  return inTransaction(p, async (tx) => {
    const row = await store.updateEndpoint(tx, workspaceId, id, {
      ...patch,
      ...(patch.eventTypes ? { eventTypes: [...new Set(patch.eventTypes)] } : {}),
      ...(patch.enabled ? { disabledReason: null } : {}),
      updatedAt: p.clock.now(),
    });
    if (!row) throw notFound('Webhook endpoint');
    await audit(tx, row, 'webhook.endpoint_updated', actorId, { changed: Object.keys(patch) });
    return row;
  });
}

export async function deleteEndpoint(p: Platform, workspaceId: string, id: string, actorId: string): Promise<void> {
  await inTransaction(p, async (tx) => {
    const row = await store.getEndpoint(tx, workspaceId, id);
    if (!row || !(await store.deleteEndpoint(tx, workspaceId, id))) throw notFound('Webhook endpoint');
    // Queued outbox rows of its deliveries find no delivery and end quietly (see the sender).
    await audit(tx, row, 'webhook.endpoint_deleted', actorId);
  });
}

/** A new secret; the old one keeps signing alongside it for ROTATION_OVERLAP_MS. */
export async function rotateSecret(p: Platform, workspaceId: string, id: string, actorId: string): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const secret = newSecret();
  const now = p.clock.now();
  const endpoint = await inTransaction(p, async (tx) => {
    const existing = await store.getEndpoint(tx, workspaceId, id);
    if (!existing) throw notFound('Webhook endpoint');
    const old = p.secrets.open<SealedSecrets>(existing.secrets);
    const row = await store.updateEndpoint(tx, workspaceId, id, {
      secrets: p.secrets.seal({ current: secret, previous: old.current } satisfies SealedSecrets),
      previousSecretExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS),
      updatedAt: now,
    });
    await audit(tx, row!, 'webhook.secret_rotated', actorId);
    return row!;
  });
  return { endpoint, secret };
}

// ---------------------------------------------------------------------------------------------
// Deliveries

export interface WebhookEvent {
  /** The event log's id (as text); deliveries of one event to one endpoint from one source are made once. */
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Writes the delivery and its outbox row in the caller's transaction; an existing delivery is answered as it is. */
async function queueDelivery(p: Platform, tx: Tx, endpoint: WebhookEndpointRow, event: WebhookEvent, source: WebhookDeliverySource): Promise<{ row: WebhookDeliveryRow; created: boolean }> {
  const id = randomUUID();
  const now = p.clock.now();
  const body = JSON.stringify({ id, type: event.type, occurredAt: event.occurredAt, workspaceId: endpoint.workspaceId, data: event.data });
  const { row, created } = await store.insertDeliveryOnce(tx, {
    id,
    workspaceId: endpoint.workspaceId,
    endpointId: endpoint.id,
    eventId: event.id,
    eventType: event.type,
    source,
    body,
    status: 'pending',
    createdAt: now,
  });
  if (!created) return { row, created };
  const item = await enqueueOutbox(tx, { workspaceId: endpoint.workspaceId, kind: WEBHOOK_OUTBOX_KIND, payload: { deliveryId: id }, maxAttempts: WEBHOOK_MAX_ATTEMPTS }, now);
  await store.setDeliveryOutbox(tx, id, item.id, 'pending');
  return { row: { ...row, outboxId: item.id }, created };
}

/** Starts what webhooks need at boot (the outbox sender, the event dispatcher job). */
export function initWebhooks(p: Platform): void {
  p.outbox.register(WEBHOOK_OUTBOX_KIND, webhookSender(p));
  p.jobs.every('automation.webhooks.dispatch', DISPATCH_EVERY_MS, () => dispatchWebhooks(p));
}

/**
 * Queues one delivery of `event` to an endpoint in the caller's transaction (the `send_webhook`
 * action of a rule). Returns the delivery id, or null when the endpoint does not exist or is disabled.
 * The outbox sends it at its next poll after the commit (or at once if the caller kicks it).
 */
export async function enqueueWebhookDelivery(
  p: Platform,
  tx: Tx,
  workspaceId: string,
  endpointId: string,
  event: { id: string; type: string; occurredAt: string; data: Record<string, unknown> },
): Promise<string | null> {
  const endpoint = await store.getEndpoint(tx, workspaceId, endpointId);
  if (!endpoint || !endpoint.enabled) return null;
  const { row } = await queueDelivery(p, tx, endpoint, event, 'rule');
  return row.id;
}

/** Sends a `webhook.test` event to the endpoint now (also when it is switched off, to check it first). */
export async function sendTestEvent(p: Platform, workspaceId: string, endpointId: string): Promise<WebhookDeliveryRow> {
  const row = await inTransaction(p, async (tx) => {
    const endpoint = await store.getEndpoint(tx, workspaceId, endpointId);
    if (!endpoint) throw notFound('Webhook endpoint');
    const now = p.clock.now();
    const event = {
      id: `test:${randomUUID()}`,
      type: 'webhook.test',
      occurredAt: now.toISOString(),
      data: { endpointId, message: { nl: 'Testbericht van Hoorn', en: 'Test message from Hoorn' } },
    };
    return (await queueDelivery(p, tx, endpoint, event, 'test')).row;
  });
  p.outbox.kick();
  return row;
}

/** Sends a delivery again now, in whatever state it is (a dead one too): a fresh round of attempts. */
export async function redeliver(p: Platform, workspaceId: string, endpointId: string, deliveryId: string, actorId: string): Promise<WebhookDeliveryRow> {
  const row = await inTransaction(p, async (tx) => {
    const endpoint = await store.getEndpoint(tx, workspaceId, endpointId);
    const delivery = endpoint && (await store.getDelivery(tx, workspaceId, endpointId, deliveryId));
    if (!endpoint || !delivery) throw notFound('Webhook delivery');
    if (!endpoint.enabled && delivery.source !== 'test') throw conflict('endpoint_disabled', 'Switch the endpoint on before redelivering to it');
    const now = p.clock.now();
    const item = await enqueueOutbox(tx, { workspaceId, kind: WEBHOOK_OUTBOX_KIND, payload: { deliveryId }, maxAttempts: WEBHOOK_MAX_ATTEMPTS }, now);
    // The delivery now follows the new outbox row; a still-queued older row finds itself stale and ends.
    await store.setDeliveryOutbox(tx, deliveryId, item.id, 'pending');
    await appendEvent(tx, { workspaceId, type: 'webhook.redelivery_requested', subjectType: 'webhook_delivery', subjectId: deliveryId, payload: { endpointId, eventType: delivery.eventType }, actorId });
    return { ...delivery, outboxId: item.id, status: 'pending' as const };
  });
  p.outbox.kick();
  return row;
}

/** One delivery with every attempt it took, first to last. */
export async function deliveryWithAttempts(p: Platform, workspaceId: string, endpointId: string, deliveryId: string) {
  if (!(await store.getEndpoint(p.db, workspaceId, endpointId))) throw notFound('Webhook endpoint');
  const delivery = await store.getDelivery(p.db, workspaceId, endpointId, deliveryId);
  if (!delivery) throw notFound('Webhook delivery');
  const item = (delivery.status === 'pending' || delivery.status === 'failed') && delivery.outboxId ? await getOutboxItem(p.db, workspaceId, delivery.outboxId) : undefined;
  return { ...delivery, nextAttemptAt: item && item.status === 'pending' ? item.nextAttemptAt : null, attemptLog: await store.listAttempts(p.db, workspaceId, deliveryId) };
}

/** A page of an endpoint's delivery log, newest first, with when a failed one is tried next. */
export async function deliveryLog(
  p: Platform,
  workspaceId: string,
  endpointId: string,
  opts: Parameters<typeof store.listDeliveries>[3],
): Promise<Array<WebhookDeliveryRow & { nextAttemptAt: Date | null }>> {
  if (!(await store.getEndpoint(p.db, workspaceId, endpointId))) throw notFound('Webhook endpoint');
  const rows = await store.listDeliveries(p.db, workspaceId, endpointId, opts);
  const result = [];
  for (const row of rows) {
    const waiting = (row.status === 'pending' || row.status === 'failed') && row.outboxId;
    const item = waiting ? await getOutboxItem(p.db, workspaceId, row.outboxId!) : undefined;
    result.push({ ...row, nextAttemptAt: item && item.status === 'pending' ? item.nextAttemptAt : null });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The dispatcher: event log -> deliveries

/** The event log reader that turns events into deliveries. */
export const WEBHOOKS_READER = 'webhooks.dispatch';

/**
 * Brings the deliveries up to date with the event log (platform/events/follower.ts): for each event
 * of a workspace with enabled endpoints, a delivery per subscribed endpoint (deduplicated per
 * endpoint and event), in the transaction that moves the reader. Answers the number queued.
 */
export async function dispatchWebhooks(p: Platform, options: { batchSize?: number } = {}): Promise<number> {
  let queued = 0;
  await followEventLog(p, { name: WEBHOOKS_READER, types: '*', batchSize: options.batchSize }, async (tx, events) => {
    const byWorkspace = new Map<string, WebhookEndpointRow[]>();
    for (const endpoint of await store.enabledEndpointsOfAllWorkspaces(tx)) byWorkspace.set(endpoint.workspaceId, [...(byWorkspace.get(endpoint.workspaceId) ?? []), endpoint]);
    for (const row of events) {
      const endpoints = byWorkspace.get(row.workspaceId);
      if (!endpoints || isOwnDeliveryBookkeeping(row.type, row.payload)) continue;
      for (const endpoint of endpoints) {
        // An endpoint gets what happens after its creation, not the backlog before it.
        if (row.id <= endpoint.startAfterEventId || !subscribes(endpoint.eventTypes, row.type)) continue;
        const event = { id: String(row.id), type: row.type, occurredAt: row.createdAt.toISOString(), data: { subjectType: row.subjectType, subjectId: row.subjectId, ...row.payload } };
        if ((await queueDelivery(p, tx, endpoint, event, 'subscription')).created) queued++;
      }
    }
  });
  if (queued > 0) p.outbox.kick();
  return queued;
}

// ---------------------------------------------------------------------------------------------
// The sender: outbox row -> one signed POST

const isRetryableStatus = (status: number) => status >= 500 || status === 408 || status === 429;

/** Answers of the receiver, in the delivery log's words. */
const describeAnswer = (answer: ReceiverAnswer) => `HTTP ${answer.status}${answer.excerpt.trim() ? `: ${answer.excerpt.trim().slice(0, 300)}` : ''}`;

function webhookSender(p: Platform): Sender {
  return {
    async send(item) {
      const { deliveryId } = item.payload as { deliveryId: string };
      const found = await store.getDeliveryWithEndpoint(p.db, item.workspaceId, deliveryId);
      // Deleted with its endpoint, or superseded by a redelivery: nothing to send.
      if (!found || found.delivery.outboxId !== item.id) return { skipped: true };
      const { delivery, endpoint } = found;
      if (!endpoint.enabled && delivery.source !== 'test') throw new DeliveryError('permanent', 'the endpoint is switched off');
      const options = optionsOf(p);
      const now = p.clock.now();
      const problem = targetProblem(endpoint.url, options.allowPrivateTargets);
      // Every attempt goes into the attempt log as well as onto the delivery row (which keeps the latest).
      const attempt = delivery.attempts + 1;
      let started: number | null = null;
      const logAttempt = (statusCode: number | null, error: string | null, excerpt: string | null) =>
        store.insertAttempt(p.db, delivery.workspaceId, delivery.id, { attempt, at: now, statusCode, error, durationMs: started === null ? 0 : performance.now() - started, responseExcerpt: excerpt });
      const fail = async (kind: 'retryable' | 'permanent', message: string, statusCode: number | null, retryAfter?: number, excerpt: string | null = null): Promise<never> => {
        await logAttempt(statusCode, message, excerpt);
        await store.recordAttempt(p.db, delivery.id, { at: now, statusCode, error: message, status: 'failed' });
        throw new DeliveryError(kind, message, retryAfter);
      };
      if (problem) return fail('permanent', problem, null);
      const headers = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'hoorn-signature': signatureHeader(signingSecrets(p, endpoint, now), now.getTime(), delivery.body),
        'hoorn-event-id': delivery.eventId,
        'hoorn-event-type': delivery.eventType,
        'hoorn-delivery-id': delivery.id,
      };
      let answer: ReceiverAnswer;
      started = performance.now();
      try {
        answer = await post(new URL(endpoint.url), delivery.body, headers, options);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return fail(error instanceof NonPublicTargetError ? 'permanent' : 'retryable', message, null);
      }
      if (answer.status >= 200 && answer.status < 300) {
        await logAttempt(answer.status, null, answer.excerpt);
        await store.recordAttempt(p.db, delivery.id, { at: now, statusCode: answer.status, error: null, status: 'delivered' });
        return { statusCode: answer.status };
      }
      const message = describeAnswer(answer);
      if (answer.status === 410) {
        // The receiver says this URL is gone for good: stop sending to it until an admin switches it on again.
        await inTransaction(p, async (tx) => {
          const row = await store.updateEndpoint(tx, endpoint.workspaceId, endpoint.id, { enabled: false, disabledReason: 'The receiver answered 410 Gone', updatedAt: now });
          if (row) await audit(tx, row, 'webhook.endpoint_disabled', 'system:webhooks', { reason: 'gone' });
        });
        return fail('permanent', message, answer.status, undefined, answer.excerpt);
      }
      if (isRetryableStatus(answer.status)) return fail('retryable', message, answer.status, retryAfterMs(answer.headers['retry-after'], now), answer.excerpt);
      return fail('permanent', message, answer.status, undefined, answer.excerpt);
    },
    async onDead(tx, item, failure) {
      const { deliveryId } = item.payload as { deliveryId: string };
      const found = await store.getDeliveryWithEndpoint(tx, item.workspaceId, deliveryId);
      if (!found || found.delivery.outboxId !== item.id) return;
      await store.setDeliveryStatus(tx, deliveryId, 'dead', failure.message);
    },
  };
}
