import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.ts';
import { customerIdentities } from '../../customers/customers.schema.ts';
import type { ChannelRow } from '../channels.store.ts';
import { getChannelById } from '../channels.store.ts';
import { findMessageByProviderId, lastInboundMessage } from '../../conversations/conversations.store.ts';
import { bareAddress, optOutChange, readTwilioForm, TWILIO_OPTED_OUT } from './twilio.parse.ts';

/**
 * Records (stop) or clears (start) a number's opt-out on a channel type. Keeps the first
 * opt-out time when it is repeated, so a replayed STOP changes nothing.
 */
export async function setOptedOut(p: Platform, channel: Pick<ChannelRow, 'workspaceId' | 'type'>, externalId: string, change: 'stop' | 'start'): Promise<void> {
  const identity = and(eq(customerIdentities.workspaceId, channel.workspaceId), eq(customerIdentities.channelType, channel.type), eq(customerIdentities.externalId, externalId));
  if (change === 'stop') await p.db.update(customerIdentities).set({ optedOutAt: p.clock.now() }).where(and(identity, isNull(customerIdentities.optedOutAt)));
  else await p.db.update(customerIdentities).set({ optedOutAt: null }).where(and(identity, isNotNull(customerIdentities.optedOutAt)));
}

const WEBHOOK_ROUTE = '/channels/:type/:channelId/webhook';

/**
 * SMS STOP/START keywords, and Twilio's 21610 in a status callback. The webhook pipeline
 * (verify -> parse -> store) has no step that runs after the message is stored, and the customer's identity may only exist once it is. So this
 * hook runs when the webhook endpoint is about to answer 200 (the message is stored by then), and
 * before the answer leaves: a failure answers 500 and Twilio delivers again.
 * Workaround until the framework applies an opt-out carried by the inbound event itself.
 */
export function recordOptOuts(app: FastifyInstance, p: Platform): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'POST' || reply.statusCode !== 200 || request.routeOptions.url !== WEBHOOK_ROUTE) return payload;
    const { type, channelId } = request.params as { type?: string; channelId?: string };
    if ((type !== 'sms' && type !== 'whatsapp') || !channelId || !Buffer.isBuffer(request.body)) return payload;
    const found = optOutOf(request.body, String(request.headers['content-type'] ?? ''), type);
    if (!found) return payload;
    const channel = await getChannelById(p.db, channelId);
    if (!channel || channel.type !== type || channel.provider !== 'twilio') return payload;
    if (found.keywordSid) {
      // A late replay of an old STOP must not undo a START sent since: only the latest message counts.
      const message = await findMessageByProviderId(p.db, channel.workspaceId, channel.id, found.keywordSid);
      const latest = message && (await lastInboundMessage(p.db, channel.workspaceId, message.conversationId));
      if (!message || latest?.id !== message.id) return payload;
    }
    await setOptedOut(p, channel, found.number, found.change);
    return payload;
  });
}

/**
 * What a (verified, stored) Twilio post says about opting out: an SMS keyword from the sender,
 * or a status callback with error 21610 about the recipient. Pure.
 */
export function optOutOf(raw: Buffer, contentType: string, type: string): { number: string; change: 'stop' | 'start'; keywordSid?: string } | null {
  let form: Map<string, string>;
  try {
    form = readTwilioForm(raw, contentType);
  } catch {
    return null;
  }
  const status = form.get('MessageStatus');
  if (status !== undefined && status !== 'received' && status !== 'receiving') {
    const to = form.get('To');
    return form.get('ErrorCode') === TWILIO_OPTED_OUT && to ? { number: bareAddress(to), change: 'stop' } : null;
  }
  const from = form.get('From');
  const change = type === 'sms' ? optOutChange(form.get('Body') ?? '', form.get('OptOutType')) : null;
  const sid = form.get('MessageSid');
  return change && from && sid ? { number: bareAddress(from), change, keywordSid: sid } : null;
}
