// Push for apps (docs/conversations-api.md, "Push for apps"): when an agent or bot writes to a
// visitor who has no live connection open on any node (their app is closed), Hoorn POSTs a signed
// notice to the channel's push endpoint through the durable outbox, so the organisation's app
// server can show a notification. Open connections are rows in webchat_visitor_connections,
// refreshed by the node holding them; a row not refreshed within STALE_AFTER_MS counts as closed.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { and, eq, gte, inArray, like, lt } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import { inTransaction } from '../../platform/events/events.ts';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import { enqueueOutbox } from '../../platform/outbox/outbox.store.ts';
import type { Sender } from '../../platform/outbox/worker.ts';
import type { Platform } from '../../platform/platform.ts';
import { signatureOf } from '../../automation/signing.ts';
import { guardedLookup, targetProblem } from '../../automation/webhooks.service.ts';
import * as conversationStore from '../../conversations/conversations.store.ts';
import { getChannel } from '../channels.store.ts';
import { parseWebchatConfig, type WebchatSecrets } from './webchat.config.ts';
import { webchatSessions, webchatVisitorConnections } from './webchat.schema.ts';

export const PUSH_OUTBOX_KIND = 'webchat.push';
/** With the outbox's backoff (2 s doubling): about 17 minutes of tries; a late notification is worth little. */
export const PUSH_MAX_ATTEMPTS = 10;
export const HEARTBEAT_EVERY_MS = 30_000;
/** Three missed heartbeats: the node holding the socket is gone. */
export const STALE_AFTER_MS = 3 * HEARTBEAT_EVERY_MS;
const TIMEOUT_MS = 10_000;
const PREVIEW_CHARS = 140;
const USER_AGENT = 'Hoorn-Push/1';

// ------------------------------------------------------------------------------------------
// Open connections

/** This node's open visitor sockets, refreshed by the heartbeat. */
const openHere = new WeakMap<Platform, Set<string>>();
const here = (p: Platform) => {
  let set = openHere.get(p);
  if (!set) openHere.set(p, (set = new Set()));
  return set;
};

/** Records an open visitor socket; call the answer when it closes. */
export async function connectionOpened(p: Platform, visitor: { workspaceId: string; channelId: string; customerId: string }): Promise<() => Promise<void>> {
  const id = randomUUID();
  const now = p.clock.now();
  await p.db.insert(webchatVisitorConnections).values({ id, ...visitor, nodeId: p.nodeId, connectedAt: now, lastSeenAt: now });
  here(p).add(id);
  return async () => {
    here(p).delete(id);
    await p.db.delete(webchatVisitorConnections).where(eq(webchatVisitorConnections.id, id));
  };
}

/** Whether the visitor has a socket open on any node (a fresh row). */
export async function hasOpenConnection(db: DbOrTx, channelId: string, customerId: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: webchatVisitorConnections.id })
    .from(webchatVisitorConnections)
    .where(
      and(
        eq(webchatVisitorConnections.channelId, channelId),
        eq(webchatVisitorConnections.customerId, customerId),
        gte(webchatVisitorConnections.lastSeenAt, new Date(now.getTime() - STALE_AFTER_MS)),
      ),
    )
    .limit(1);
  return !!row;
}

/** The heartbeat: refreshes this node's rows and clears rows of nodes that stopped. */
export async function refreshConnections(p: Platform): Promise<void> {
  const now = p.clock.now();
  const ids = [...here(p)];
  if (ids.length) await p.db.update(webchatVisitorConnections).set({ lastSeenAt: now }).where(inArray(webchatVisitorConnections.id, ids));
  await p.db.delete(webchatVisitorConnections).where(lt(webchatVisitorConnections.lastSeenAt, new Date(now.getTime() - 10 * STALE_AFTER_MS)));
}

// ------------------------------------------------------------------------------------------
// Queueing

/**
 * Called when a reply was handed to the visitor's sockets: if none is open, a push notice goes
 * into the outbox (once per message, whatever the retries of the reply itself).
 */
export async function pushIfAway(
  p: Platform,
  channel: { id: string; config: unknown; secrets: string | null },
  message: { workspaceId: string; messageId: string; conversationId: string; customerId: string; authorType: string },
): Promise<boolean> {
  if (message.authorType !== 'agent' && message.authorType !== 'bot') return false;
  const config = parseWebchatConfig(channel.config);
  if (!config.pushUrl || !channel.secrets) return false;
  if (!p.secrets.open<WebchatSecrets & Record<string, unknown>>(channel.secrets).pushSecret) return false;
  const now = p.clock.now();
  if (await hasOpenConnection(p.db, channel.id, message.customerId, now)) return false;
  await inTransaction(p, (tx) =>
    enqueueOutbox(
      tx,
      {
        workspaceId: message.workspaceId,
        kind: PUSH_OUTBOX_KIND,
        payload: { channelId: channel.id, messageId: message.messageId, conversationId: message.conversationId },
        maxAttempts: PUSH_MAX_ATTEMPTS,
        dedupeKey: `webchat.push:${message.messageId}`,
      },
      now,
    ),
  );
  p.outbox.kick();
  return true;
}

// ------------------------------------------------------------------------------------------
// Sending

/** The app's own user id when the visitor is a verified user of it (`userId` of identify). */
async function appUserIdOf(db: Db, channelId: string, customerId: string): Promise<string | null> {
  const [row] = await db
    .select({ externalId: webchatSessions.externalId })
    .from(webchatSessions)
    .where(and(eq(webchatSessions.channelId, channelId), eq(webchatSessions.customerId, customerId), like(webchatSessions.externalId, 'user:%')))
    .limit(1);
  return row ? row.externalId.slice('user:'.length) : null;
}

/** What the push endpoint receives (JSON). */
export interface PushNotice {
  /** Unique per notice; the outbox delivers at least once, so receivers dedupe on it. */
  id: string;
  type: 'message';
  workspaceId: string;
  channelId: string;
  /** The verified app user id if the visitor identified, else Hoorn's customer id. */
  appUserId: string;
  customerId: string;
  verified: boolean;
  conversationId: string;
  message: { id: string; authorType: string; authorName: string | null; preview: string; attachments: number; createdAt: string };
}

/** The headers of a signed notice: `X-Hoorn-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export function pushHeaders(secret: string, body: string, atMs: number): Record<string, string> {
  const timestamp = Math.floor(atMs / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-hoorn-timestamp': String(timestamp),
    'x-hoorn-signature': `sha256=${signatureOf(secret, timestamp, body)}`,
  };
}

function post(url: URL, body: string, headers: Record<string, string>, guarded: boolean): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guarded ? guardedLookup : undefined, agent: false },
      (response) => {
        response.resume();
        response.on('end', () => {
          clearTimeout(timer);
          const retryAfter = response.headers['retry-after'];
          resolve({ status: response.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
        });
        response.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no complete answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

export function pushSender(p: Platform): Sender {
  return {
    async send(item) {
      const { channelId, messageId, conversationId } = item.payload as { channelId: string; messageId: string; conversationId: string };
      const [channel, message, conversation] = await Promise.all([
        getChannel(p.db, item.workspaceId, channelId),
        conversationStore.getMessage(p.db, item.workspaceId, messageId),
        conversationStore.getConversation(p.db, item.workspaceId, conversationId),
      ]);
      if (!channel || !message || !conversation) throw new DeliveryError('permanent', 'the channel, message or conversation no longer exists');
      const config = parseWebchatConfig(channel.config);
      const secret = channel.secrets ? p.secrets.open<WebchatSecrets & Record<string, unknown>>(channel.secrets).pushSecret : undefined;
      if (!config.pushUrl || !secret) throw new DeliveryError('permanent', 'the channel has no push endpoint any more');
      const allowPrivate = p.config.webhooksAllowPrivate ?? false;
      const problem = targetProblem(config.pushUrl, allowPrivate);
      if (problem) throw new DeliveryError('permanent', `push URL: ${problem}`);

      const appUserId = await appUserIdOf(p.db, channel.id, conversation.customerId);
      const authorName = message.authorType === 'agent' && message.authorId ? ((await conversationStore.authorNames(p.db, item.workspaceId, [message.authorId])).get(message.authorId) ?? null) : null;
      const notice: PushNotice = {
        id: item.id,
        type: 'message',
        workspaceId: item.workspaceId,
        channelId: channel.id,
        appUserId: appUserId ?? conversation.customerId,
        customerId: conversation.customerId,
        verified: appUserId !== null,
        conversationId,
        message: {
          id: message.id,
          authorType: message.authorType,
          authorName,
          preview: message.body.length > PREVIEW_CHARS ? `${message.body.slice(0, PREVIEW_CHARS - 1)}…` : message.body,
          attachments: message.attachments.length,
          createdAt: message.createdAt.toISOString(),
        },
      };
      const body = JSON.stringify(notice);
      let answer: { status: number; retryAfter?: string };
      try {
        answer = await post(new URL(config.pushUrl), body, pushHeaders(secret, body, p.clock.now().getTime()), !allowPrivate);
      } catch (error) {
        throw new DeliveryError('retryable', error instanceof Error ? error.message : String(error));
      }
      if (answer.status >= 200 && answer.status < 300) return { status: answer.status };
      const retryAfterSeconds = Number(answer.retryAfter);
      const retryAfterMs = Number.isFinite(retryAfterSeconds) ? Math.min(3_600_000, Math.max(0, retryAfterSeconds * 1000)) : undefined;
      if (answer.status >= 500 || answer.status === 408 || answer.status === 429) throw new DeliveryError('retryable', `push endpoint answered ${answer.status}`, retryAfterMs);
      throw new DeliveryError('permanent', `push endpoint answered ${answer.status}`);
    },
  };
}

const started = new WeakSet<Platform>();

/** Registers the push sender and the connection heartbeat (once per platform). */
export function initPush(p: Platform): void {
  if (started.has(p)) return;
  started.add(p);
  p.outbox.register(PUSH_OUTBOX_KIND, pushSender(p));
  p.jobs.every('webchat.connections.heartbeat', HEARTBEAT_EVERY_MS, () => refreshConnections(p));
}
