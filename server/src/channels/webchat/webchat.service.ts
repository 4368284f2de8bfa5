import { and, desc, eq, ne } from 'drizzle-orm';
import { sha256 } from '../../platform/auth/tokens.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { appendEvent, inTransaction } from '../../platform/events/events.ts';
import { AppError, badRequest, notFound, unauthenticated } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { findOrCreateCustomerByIdentity } from '../../customers/customers.service.ts';
import { getCustomer, type CustomerRow } from '../../customers/customers.store.ts';
import { conversations } from '../../conversations/conversations.schema.ts';
import { getChannelById, type ChannelRow } from '../channels.store.ts';
import { newVisitorId, newVisitorToken, userExternalId, verifyUserHash, visitorExternalId } from './identity.ts';
import { parseWebchatConfig, type WebchatConfig, type WebchatSecrets } from './webchat.config.ts';
import * as store from './webchat.store.ts';

export const WEBCHAT = 'webchat';

export interface WebchatChannel {
  row: ChannelRow;
  config: WebchatConfig;
}

/** The web chat channel named in a public URL; 404 for anything else (no hint which ids exist). */
export async function loadWebchatChannel(p: Platform, channelId: string): Promise<WebchatChannel> {
  const row = /^[0-9a-f-]{36}$/i.test(channelId) ? await getChannelById(p.db, channelId) : undefined;
  if (!row || row.type !== WEBCHAT || !row.enabled) throw notFound('Chat');
  return { row, config: parseWebchatConfig(row.config) };
}

export interface VisitorSession {
  session: store.WebchatSessionRow;
  customer: CustomerRow;
}

/** The visitor behind a bearer token, on this channel only. */
export async function resolveVisitor(p: Platform, channel: WebchatChannel, token: string | undefined): Promise<VisitorSession> {
  if (!token) throw unauthenticated('Start a chat session first');
  const session = await store.findSession(p.db, sha256(token));
  if (!session || session.channelId !== channel.row.id) throw unauthenticated('This chat session is not known');
  const customer = await getCustomer(p.db, session.workspaceId, session.customerId);
  if (!customer) throw unauthenticated('This chat session is not known');
  return { session, customer };
}

export interface StartSessionInput {
  visitorToken?: string;
  name?: string;
  email?: string;
  consent?: boolean;
  language?: 'nl' | 'en';
  userId?: string;
  userHash?: string;
}

/**
 * Starts or resumes a visitor's session. A verified site user (userId + userHash) is one
 * customer on every device; an anonymous visitor is a customer of their own until identity
 * resolution joins them. The email typed into the pre-chat form is kept on the profile but
 * never used to merge customers: anyone can type anyone's address.
 */
export async function startSession(p: Platform, channel: WebchatChannel, input: StartSessionInput) {
  const workspaceId = channel.row.workspaceId;
  let verifiedUser: string | undefined;
  if (input.userId !== undefined || input.userHash !== undefined) {
    const secrets = channel.row.secrets ? p.secrets.open<WebchatSecrets & Record<string, unknown>>(channel.row.secrets) : undefined;
    if (!secrets || !input.userId || !input.userHash || !verifyUserHash(secrets.identitySecret, input.userId, input.userHash)) {
      throw new AppError(401, 'invalid_user_hash', 'userHash does not match userId');
    }
    verifiedUser = input.userId;
  }
  const profile = { name: input.name ?? null, email: input.email ?? null, language: input.language ?? null };
  const existing = input.visitorToken ? await store.findSession(p.db, sha256(input.visitorToken)) : undefined;
  const resumable = existing && existing.channelId === channel.row.id ? existing : undefined;
  if (!resumable && channel.config.requireEmail && !input.email) throw badRequest('email_required', 'This chat asks for an email address');

  const now = p.clock.now();
  const result = await inTransaction(p, async (tx) => {
    const externalId = verifiedUser ? userExternalId(verifiedUser) : (resumable?.externalId ?? visitorExternalId(newVisitorId()));
    const { customer } = await findOrCreateCustomerByIdentity(tx, workspaceId, { channelType: WEBCHAT, externalId, verified: Boolean(verifiedUser), profile }, now);
    let token = input.visitorToken;
    if (resumable && token) {
      await store.updateSession(tx, resumable.tokenHash, { customerId: customer.id, externalId, lastSeenAt: now });
    } else {
      token = newVisitorToken();
      await store.insertSession(tx, { tokenHash: sha256(token), workspaceId, channelId: channel.row.id, customerId: customer.id, externalId, createdAt: now, lastSeenAt: now });
      await appendEvent(tx, {
        workspaceId,
        type: 'webchat.session_started',
        subjectType: 'customer',
        subjectId: customer.id,
        payload: { channelId: channel.row.id, consent: input.consent === true, verified: Boolean(verifiedUser) },
        actorId: `customer:${customer.id}`,
      });
    }
    return { token, customer };
  });
  return { visitorToken: result.token, customer: result.customer, conversationId: await activeConversationId(p.db, workspaceId, channel.row.id, result.customer.id) };
}

export async function activeConversationId(db: DbOrTx, workspaceId: string, channelId: string, customerId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.channelId, channelId), eq(conversations.customerId, customerId), ne(conversations.status, 'resolved')))
    .orderBy(desc(conversations.lastActivityAt))
    .limit(1);
  return row?.id ?? null;
}
