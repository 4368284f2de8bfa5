// Proactive campaigns (docs/automation.md, "Campaigns"): a message to a segment of customers on an
// e-mail, SMS or WhatsApp channel. Launch fixes the recipients in one transaction; a job sends the
// due ones, each in its own transaction that checks consent at that moment, through the normal
// outbound path (message + outbox row); replies are found by following the event log.
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Principal } from '../platform/auth/auth.ts';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { AppError, badRequest, conflict, notFound } from '../platform/errors.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { followEventLog, startEventCursor } from '../platform/events/follower.ts';
import type { Platform } from '../platform/platform.ts';
import { getAnalyticsSettings } from '../analytics/facts.store.ts';
import { getChannel } from '../channels/channels.store.ts';
import { checkReply, insertBotMessages, type PostMessageInput } from '../conversations/conversations.service.ts';
import { renderCanned } from '../conversations/canned.ts';
import * as conversationStore from '../conversations/conversations.store.ts';
import { customerIdentities } from '../customers/customers.schema.ts';
import { setIdentityOptOut } from '../customers/customers.service.ts';
import { getCustomer } from '../customers/customers.store.ts';
import {
  campaignChannelTypes,
  customerTimeZone,
  effectiveRate,
  inSegment,
  isQuiet,
  launchStatus,
  nextSendableAt,
  pacedSendTimes,
  sendBudget,
  skipReasons,
  type QuietHours,
  type RecipientStatus,
  type Segment,
  type SkipReason,
} from './campaigns.ts';
import type { CampaignMessage } from './campaigns.schema.ts';
import * as store from './campaigns.store.ts';

/** The durable reader that marks recipients as replied. */
export const REPLIES_READER = 'campaigns.replies';

export interface CampaignInput {
  name: string;
  channelId: string;
  message: CampaignMessage;
  segment: Segment;
  quietHours: QuietHours | null;
  /** An optional lower cap under the channel's campaign rate. */
  ratePerMinute: number | null;
  scheduledAt: string | null;
  dynamic: boolean;
  endsAt: string | null;
}

async function checkedChannel(p: Platform, db: DbOrTx, workspaceId: string, channelId: string, message: CampaignMessage) {
  const channel = await getChannel(db, workspaceId, channelId);
  if (!channel) throw badRequest('unknown_channel', 'The channel is not one of this workspace');
  if (!(campaignChannelTypes as readonly string[]).includes(channel.type)) {
    throw badRequest('unsupported_channel', `Campaigns go out on e-mail, SMS or WhatsApp, not on ${channel.type}`);
  }
  // Proactive WhatsApp messages are outside any 24-hour window: only an approved template goes.
  if (channel.type === 'whatsapp' && !message.template) throw badRequest('template_required', 'A WhatsApp campaign sends an approved template');
  if (!message.template && !message.text.trim()) throw badRequest('empty_message', 'A campaign needs text or a template');
  return channel;
}

function checkedTimes(input: CampaignInput): void {
  if (input.endsAt && input.scheduledAt && new Date(input.endsAt) <= new Date(input.scheduledAt)) throw badRequest('ends_before_start', 'endsAt must be after scheduledAt');
}

function row(input: CampaignInput) {
  return {
    name: input.name,
    channelId: input.channelId,
    message: input.message,
    segment: input.segment,
    quietHours: input.quietHours,
    ratePerMinute: input.ratePerMinute,
    scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null,
    dynamic: input.dynamic,
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
  };
}

const event = (tx: Tx, workspaceId: string, type: string, campaignId: string, payload: Record<string, unknown>, actorId: string) =>
  appendEvent(tx, { workspaceId, type, subjectType: 'campaign', subjectId: campaignId, payload, actorId });

export async function createCampaign(p: Platform, principal: Principal, input: CampaignInput): Promise<store.CampaignRow> {
  return inTransaction(p, async (tx) => {
    await checkedChannel(p, tx, principal.workspaceId, input.channelId, input.message);
    checkedTimes(input);
    const created = await store.insertCampaign(tx, principal.workspaceId, { ...row(input), status: 'draft', createdBy: principal.actorId }, p.clock.now());
    await event(tx, principal.workspaceId, 'campaign.created', created.id, { channelId: created.channelId }, principal.actorId);
    return created;
  });
}

export async function getCampaignOrThrow(p: Platform, workspaceId: string, id: string): Promise<store.CampaignRow> {
  const campaign = await store.getCampaign(p.db, workspaceId, id);
  if (!campaign) throw notFound('Campaign');
  return campaign;
}

/** Only a draft changes: once launched, its recipients were chosen under what it said then. */
export async function updateCampaign(p: Platform, principal: Principal, id: string, input: CampaignInput): Promise<store.CampaignRow> {
  return inTransaction(p, async (tx) => {
    const current = await store.lockCampaign(tx, principal.workspaceId, id);
    if (!current) throw notFound('Campaign');
    if (current.status !== 'draft') throw conflict('campaign_launched', 'Only a draft campaign can be changed');
    await checkedChannel(p, tx, principal.workspaceId, input.channelId, input.message);
    checkedTimes(input);
    const updated = await store.updateCampaign(tx, principal.workspaceId, id, { ...row(input), updatedAt: p.clock.now() });
    await event(tx, principal.workspaceId, 'campaign.updated', id, {}, principal.actorId);
    return updated;
  });
}

export async function deleteCampaign(p: Platform, principal: Principal, id: string): Promise<void> {
  await inTransaction(p, async (tx) => {
    const current = await store.lockCampaign(tx, principal.workspaceId, id);
    if (!current) throw notFound('Campaign');
    if (current.status !== 'draft') throw conflict('campaign_launched', 'Only a draft campaign can be deleted; cancel a launched one');
    await store.deleteCampaign(tx, principal.workspaceId, id);
    await event(tx, principal.workspaceId, 'campaign.deleted', id, {}, principal.actorId);
  });
}

type Candidate = Awaited<ReturnType<typeof store.segmentCandidates>>[number];
const asSegmentCandidate = (c: Candidate) => ({ attributes: c.attributes, erased: c.erasedAt !== null, identity: c.identityId ? { optedOut: c.optedOutAt !== null } : null });
const PHONE_CHANNELS = new Set(['sms', 'whatsapp', 'voice']);
/** The number a customer's country (and so time zone) is read from: their profile's, else the one this campaign texts. */
const phoneOf = (customer: { phone: string | null }, channelType: string, externalId: string | null) =>
  customer.phone ?? (PHONE_CHANNELS.has(channelType) ? externalId : null);

async function segmentMembers(p: Platform, db: DbOrTx, campaign: store.CampaignRow) {
  const channel = await getChannel(db, campaign.workspaceId, campaign.channelId);
  if (!channel) throw badRequest('unknown_channel', 'The campaign\'s channel no longer exists');
  const { timeZone } = await getAnalyticsSettings(db, campaign.workspaceId);
  const candidates = await store.segmentCandidates(db, campaign.workspaceId, channel.type);
  const members = candidates
    .filter((c) => inSegment(campaign.segment, asSegmentCandidate(c)))
    .map((c) => ({ candidate: c, status: launchStatus(asSegmentCandidate(c)), zone: customerTimeZone({ attributes: c.attributes, phone: phoneOf(c, channel.type, c.identityExternalId) }, timeZone) }));
  return { channel, members };
}

/** Recipient rows for members, the sendable ones paced from `start` on the campaign's effective rate. */
function pacedRows(campaign: store.CampaignRow, channelRate: number | null, members: Awaited<ReturnType<typeof segmentMembers>>['members'], start: number) {
  const sendable = members.filter((m) => m.status === 'pending');
  const times = pacedSendTimes(sendable.map((m) => m.zone), start, effectiveRate(channelRate, campaign.ratePerMinute), campaign.quietHours);
  let next = 0;
  const rows = members.map((m) => ({ customerId: m.candidate.id, status: m.status as RecipientStatus, dueAt: m.status === 'pending' ? new Date(times[next++]!) : null }));
  return { rows, sendable: times.length };
}

/** How big the segment is now, how many would be skipped and why, and its first 20 members. */
export async function previewCampaign(p: Platform, workspaceId: string, id: string) {
  const campaign = await getCampaignOrThrow(p, workspaceId, id);
  const { members } = await segmentMembers(p, p.db, campaign);
  const skipped = Object.fromEntries(skipReasons.map((r) => [r, 0])) as Record<SkipReason, number>;
  for (const m of members) if (m.status !== 'pending') skipped[m.status]++;
  return {
    size: members.length,
    sendable: members.filter((m) => m.status === 'pending').length,
    skipped,
    first: members.slice(0, 20).map((m) => ({ customerId: m.candidate.id, name: m.candidate.name, status: m.status })),
  };
}

/**
 * Resolves the segment into recipients (one row per customer, skipped ones with their reason) and
 * paces the sendable ones, all in one transaction; sending starts at `scheduledAt` (or now).
 */
export async function launchCampaign(p: Platform, principal: Principal, id: string): Promise<store.CampaignRow> {
  const { workspaceId } = principal;
  return inTransaction(p, async (tx) => {
    const campaign = await store.lockCampaign(tx, workspaceId, id);
    if (!campaign) throw notFound('Campaign');
    if (campaign.status !== 'draft') throw conflict('campaign_launched', `The campaign is ${campaign.status}, not a draft`);
    const now = p.clock.now();
    const { channel, members } = await segmentMembers(p, tx, campaign);
    const start = Math.max(now.getTime(), campaign.scheduledAt?.getTime() ?? 0);
    const { rows, sendable } = pacedRows(campaign, channel.campaignRatePerMinute, members, start);
    await store.insertRecipients(tx, workspaceId, id, rows, now);
    // Replies count from now on; the reader starts at the end of the log when the first campaign launches.
    await startEventCursor(tx, REPLIES_READER, now);
    const status = start > now.getTime() ? 'scheduled' : 'sending';
    const launched = await store.updateCampaign(tx, workspaceId, id, { status, launchedAt: now, updatedAt: now });
    await event(tx, workspaceId, 'campaign.launched', id, { recipients: rows.length, sendable, status }, principal.actorId);
    return launched;
  });
}

/** Stops a launched campaign: nothing more is sent; what was sent stays. */
export async function cancelCampaign(p: Platform, principal: Principal, id: string): Promise<store.CampaignRow> {
  const { workspaceId } = principal;
  return inTransaction(p, async (tx) => {
    const campaign = await store.lockCampaign(tx, workspaceId, id);
    if (!campaign) throw notFound('Campaign');
    if (campaign.status === 'done' || campaign.status === 'canceled') throw conflict('campaign_finished', `The campaign is already ${campaign.status}`);
    const now = p.clock.now();
    await store.cancelPending(tx, workspaceId, id, now);
    const canceled = await store.updateCampaign(tx, workspaceId, id, { status: 'canceled', finishedAt: now, updatedAt: now });
    await event(tx, workspaceId, 'campaign.canceled', id, {}, principal.actorId);
    return canceled;
  });
}

/** A signed (sealed) token naming one customer's identity on a channel type, for the unsubscribe link. */
export function unsubscribeToken(p: Platform, workspaceId: string, channelType: string, externalId: string): string {
  return p.secrets.seal({ k: 'unsubscribe', w: workspaceId, t: channelType, e: externalId });
}

export function unsubscribeUrl(p: Platform, token: string): string {
  return `${p.config.publicUrl}/campaigns/unsubscribe?token=${encodeURIComponent(token)}`;
}

function openToken(p: Platform, token: string): { w: string; t: string; e: string } | null {
  try {
    const v = p.secrets.open<{ k?: string; w?: string; t?: string; e?: string }>(token);
    return v.k === 'unsubscribe' && v.w && v.t && v.e ? { w: v.w, t: v.t, e: v.e } : null;
  } catch {
    return null;
  }
}

/** The unsubscribe link was followed (and confirmed): the identity is opted out. False for a bad token. */
export async function unsubscribe(p: Platform, token: string): Promise<boolean> {
  const opened = openToken(p, token);
  if (!opened) return false;
  await inTransaction(p, async (tx) => {
    const [identity] = await tx
      .select({ customerId: customerIdentities.customerId, optedOutAt: customerIdentities.optedOutAt })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.workspaceId, opened.w), eq(customerIdentities.channelType, opened.t), eq(customerIdentities.externalId, opened.e)));
    // Gone (erased) or already out: nothing to record.
    if (!identity || identity.optedOutAt) return;
    await setIdentityOptOut(tx, opened.w, opened.t, opened.e, p.clock.now());
    await appendEvent(tx, {
      workspaceId: opened.w,
      type: 'customer.unsubscribed',
      subjectType: 'customer',
      subjectId: identity.customerId,
      payload: { channelType: opened.t },
      actorId: `customer:${identity.customerId}`,
    });
  });
  return true;
}

export const isValidUnsubscribeToken = (p: Platform, token: string) => openToken(p, token) !== null;

/**
 * One recipient's send, in its own transaction: consent and identity are read now (an opt-out
 * committed a moment ago counts), the channel's reply guard runs, and the message is written
 * with its outbox row, so it goes through the adapter with the outbox's retries.
 */
async function sendToRecipient(p: Platform, workspaceId: string, campaignId: string, recipientId: string, workspaceZone: string): Promise<RecipientStatus | 'held' | null> {
  return inTransaction(p, async (tx) => {
    // Campaign first, then the recipient: the order cancel takes them in.
    const campaign = await store.lockCampaign(tx, workspaceId, campaignId);
    const recipient = await store.lockRecipient(tx, workspaceId, recipientId);
    if (!campaign || campaign.status !== 'sending' || !recipient || recipient.status !== 'pending') return null;
    const now = p.clock.now();
    const skip = async (status: SkipReason, error: string | null = null) => {
      await store.updateRecipient(tx, workspaceId, recipientId, { status, error, updatedAt: now });
      return status;
    };
    const channel = await getChannel(tx, workspaceId, campaign.channelId);
    if (!channel) return skip('failed', 'the channel no longer exists');
    const customer = await getCustomer(tx, workspaceId, recipient.customerId);
    if (!customer || customer.erasedAt) return skip('erased');
    const [identity] = await tx
      .select({ externalId: customerIdentities.externalId, optedOutAt: customerIdentities.optedOutAt })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.workspaceId, workspaceId), eq(customerIdentities.customerId, customer.id), eq(customerIdentities.channelType, channel.type)))
      .orderBy(asc(customerIdentities.createdAt))
      .limit(1);
    if (!identity) return skip('no_identity');
    if (identity.optedOutAt) return skip('opted_out');
    // Quiet hours in the customer's own zone, read now (the pacing used it too, but a job may run
    // late, and the customer's time zone attribute may have changed since launch).
    const zone = customerTimeZone({ attributes: customer.attributes, phone: phoneOf(customer, channel.type, identity.externalId) }, workspaceZone);
    if (isQuiet(now.getTime(), campaign.quietHours, zone)) {
      await store.updateRecipient(tx, workspaceId, recipientId, { dueAt: new Date(nextSendableAt(now.getTime(), campaign.quietHours, zone)), updatedAt: now });
      return 'held';
    }

    const values = { customer: { name: customer.name, email: customer.email }, agent: { name: '' }, conversation: { id: '' } };
    let body = renderCanned(campaign.message.text, values);
    let headers: Record<string, string> | undefined;
    if (channel.type === 'email') {
      // The link in the text for people, and RFC 2369/8058 headers for mail programs' own
      // unsubscribe button (a one-click POST to the same URL).
      const link = unsubscribeUrl(p, unsubscribeToken(p, workspaceId, channel.type, identity.externalId));
      body = `${body}\n\n--\nAfmelden / Unsubscribe: ${link}`;
      headers = listUnsubscribeHeaders(link, channel.config);
    }
    const template = campaign.message.template ? { ...campaign.message.template, parameters: campaign.message.template.parameters.map((v) => renderCanned(v, values)) } : undefined;
    const input: PostMessageInput = { body, kind: 'message', ...(template ? { template } : {}) };

    // E-mail: every campaign mail starts its own thread (the answer finds it by In-Reply-To).
    // SMS and WhatsApp have one thread per customer: the active conversation, or a new one.
    const existing = channel.type === 'email' ? undefined : await conversationStore.findActiveConversation(tx, workspaceId, customer.id, channel.id, null);
    const draft: conversationStore.ConversationRow = existing ?? {
      id: randomUUID(),
      workspaceId,
      channelId: channel.id,
      channelType: channel.type,
      customerId: customer.id,
      status: 'pending',
      assigneeId: null,
      queue: null,
      priority: 'normal',
      language: customer.language,
      subject: channel.type === 'email' ? (campaign.message.subject ?? campaign.name) : null,
      tags: [],
      attributes: {},
      snoozedUntil: null,
      threadKey: null,
      channelContext: {},
      unread: 0,
      lastMessageId: null,
      lastActivityAt: now,
      createdAt: now,
      resolvedAt: null,
    };
    try {
      await checkReply(p, tx, draft, input, now);
    } catch (error) {
      if (error instanceof AppError) return skip('failed', `${error.code}: ${error.message}`);
      throw error;
    }
    let conversation = existing;
    if (!conversation) {
      conversation = await conversationStore.insertConversation(
        tx,
        workspaceId,
        { channelId: channel.id, channelType: channel.type, customerId: customer.id, language: customer.language, subject: draft.subject, threadKey: null },
        now,
      );
      // Waiting for the customer: their answer reopens it, and routing makes a task then.
      conversation = await conversationStore.updateConversationRow(tx, workspaceId, conversation.id, { status: 'pending' });
      await appendEvent(tx, {
        workspaceId,
        type: 'conversation.created',
        subjectType: 'conversation',
        subjectId: conversation.id,
        payload: { channelType: channel.type, channelId: channel.id, customerId: customer.id, campaignId, direction: 'outbound' },
        actorId: `campaign:${campaignId}`,
      });
    }
    const [message] = await insertBotMessages(p, tx, conversation, [{ body, meta: { campaignId, ...(template ? { template } : {}), ...(headers ? { headers } : {}) } }], now, { actorId: `campaign:${campaignId}` });
    await store.updateRecipient(tx, workspaceId, recipientId, { status: 'sent', conversationId: conversation.id, messageId: message!.id, sentAt: now, updatedAt: now });
    return 'sent';
  });
}

/**
 * The headers that give mail programs an unsubscribe button: the one-click URL (RFC 8058: a POST
 * with `List-Unsubscribe=One-Click`, which the public unsubscribe route takes) and, when the
 * channel has an address, a mailto: whose arrival in the inbox is a visible request to an agent.
 */
export function listUnsubscribeHeaders(link: string, channelConfig: Record<string, unknown>): Record<string, string> {
  const address = typeof channelConfig.address === 'string' && channelConfig.address.includes('@') ? channelConfig.address : null;
  const mailto = address ? `, <mailto:${address}?subject=${encodeURIComponent('unsubscribe')}>` : '';
  // Sent on the organisation's initiative, not in answer to anything (RFC 3834).
  return { 'List-Unsubscribe': `<${link}>${mailto}`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated' };
}

/**
 * Sends what is due of one campaign, within the channel's per-minute budget (shared by all of its
 * campaigns) and the campaign's own cap; a recipient in quiet hours in their own zone waits.
 */
async function sendDue(p: Platform, workspaceId: string, campaignId: string): Promise<number> {
  const campaign = await store.getCampaign(p.db, workspaceId, campaignId);
  if (!campaign || campaign.status !== 'sending') return 0;
  const channel = await getChannel(p.db, workspaceId, campaign.channelId);
  if (!channel) return 0;
  const { timeZone } = await getAnalyticsSettings(p.db, workspaceId);
  let sent = 0;
  // Held recipients (quiet where they are) give their turn to the next due one.
  for (let round = 0; round < 50; round++) {
    const now = p.clock.now();
    const aMinuteAgo = new Date(now.getTime() - 60_000);
    let budget = sendBudget(effectiveRate(channel.campaignRatePerMinute, null), await store.sentOnChannelSince(p.db, workspaceId, campaign.channelId, aMinuteAgo));
    if (campaign.ratePerMinute) budget = Math.min(budget, sendBudget(campaign.ratePerMinute, await store.sentByCampaignSince(p.db, workspaceId, campaignId, aMinuteAgo)));
    if (budget === 0) break;
    const due = await store.dueRecipients(p.db, workspaceId, campaignId, now, budget);
    if (!due.length) break;
    for (const recipient of due) if ((await sendToRecipient(p, workspaceId, campaignId, recipient.id, timeZone)) === 'sent') sent++;
  }
  return sent;
}

/**
 * A dynamic campaign's newcomers: customers who entered the segment since launch get a row now
 * (skipped ones with their reason too), paced from now after the ones already there.
 */
async function addSegmentNewcomers(p: Platform, workspaceId: string, campaignId: string): Promise<number> {
  return inTransaction(p, async (tx) => {
    const campaign = await store.lockCampaign(tx, workspaceId, campaignId);
    const now = p.clock.now();
    if (!campaign?.dynamic || campaign.status !== 'sending' || (campaign.endsAt && campaign.endsAt <= now)) return 0;
    const { channel, members } = await segmentMembers(p, tx, campaign);
    const { customerIds, nextPosition } = await store.recipientCustomerIds(tx, workspaceId, campaignId);
    const newcomers = members.filter((m) => !customerIds.has(m.candidate.id));
    if (!newcomers.length) return 0;
    const { rows, sendable } = pacedRows(campaign, channel.campaignRatePerMinute, newcomers, now.getTime());
    await store.insertRecipients(tx, workspaceId, campaignId, rows, now, nextPosition);
    await event(tx, workspaceId, 'campaign.recipients_added', campaignId, { recipients: rows.length, sendable }, 'system:campaigns');
    return rows.length;
  });
}

/** Whether a sending campaign is over: nobody pending, and (dynamic) no more newcomers to wait for. */
const finished = (c: store.CampaignRow, pending: number, now: Date) => pending === 0 && (!c.dynamic || (c.endsAt !== null && c.endsAt <= now));

/** Marks recipients replied from `message.received` events of their campaign conversations. */
export async function followReplies(p: Platform): Promise<number> {
  return followEventLog(p, { name: REPLIES_READER, types: ['message.received'] }, async (tx, events) => {
    for (const e of events) await store.markReplied(tx, e.workspaceId, [e.subjectId], e.createdAt);
  });
}

/** The job: start scheduled campaigns, send what is due, finish campaigns with nobody pending, record replies. */
export async function runCampaigns(p: Platform): Promise<{ sent: number }> {
  const now = p.clock.now();
  for (const c of await store.campaignsInStatus(p.db, 'scheduled')) {
    if (c.scheduledAt && c.scheduledAt > now) continue;
    await inTransaction(p, async (tx) => {
      const current = await store.lockCampaign(tx, c.workspaceId, c.id);
      if (current?.status !== 'scheduled') return;
      await store.updateCampaign(tx, c.workspaceId, c.id, { status: 'sending', updatedAt: now });
      await event(tx, c.workspaceId, 'campaign.sending', c.id, {}, 'system:campaigns');
    });
  }
  for (const c of await store.campaignsInStatus(p.db, 'sending')) if (c.dynamic) await addSegmentNewcomers(p, c.workspaceId, c.id);
  let sent = 0;
  for (const c of await store.campaignsWithDueRecipients(p.db, now)) sent += await sendDue(p, c.workspaceId, c.id);
  if (sent > 0) p.outbox.kick();
  for (const c of await store.campaignsInStatus(p.db, 'sending')) {
    if (!finished(c, await store.pendingCount(p.db, c.workspaceId, c.id), now)) continue;
    await inTransaction(p, async (tx) => {
      const current = await store.lockCampaign(tx, c.workspaceId, c.id);
      if (current?.status !== 'sending' || !finished(current, await store.pendingCount(tx, c.workspaceId, c.id), now)) return;
      await store.updateCampaign(tx, c.workspaceId, c.id, { status: 'done', finishedAt: now, updatedAt: now });
      await event(tx, c.workspaceId, 'campaign.done', c.id, {}, 'system:campaigns');
    });
  }
  await followReplies(p);
  return { sent };
}

/** What became of a campaign: recipients, skipped by reason, sent, delivered, failed, replied, revenue. */
export async function campaignResults(p: Platform, workspaceId: string, id: string) {
  await getCampaignOrThrow(p, workspaceId, id);
  const { currency } = await getAnalyticsSettings(p.db, workspaceId);
  const totals = await store.campaignTotals(p.db, workspaceId, id, currency);
  const count = (s: string) => totals.byStatus[s] ?? 0;
  const m = (s: string) => totals.messages[s] ?? 0;
  const skipped = Object.fromEntries(skipReasons.filter((r) => r !== 'failed').map((r) => [r, count(r)]));
  return {
    recipients: Object.values(totals.byStatus).reduce((a, b) => a + b, 0),
    pending: count('pending'),
    skipped,
    sent: count('sent'),
    /** Accepted by the provider or confirmed delivered (sent, delivered, read). */
    delivered: m('sent') + m('delivered') + m('read'),
    /** Of those, confirmed by the provider's delivery report. */
    confirmedDelivered: m('delivered') + m('read'),
    queued: m('queued'),
    /** Refused before sending (the channel's guard) or given up by the outbox. */
    failed: count('failed') + m('failed'),
    replied: totals.replied,
    convertedRevenue: { amount: totals.revenueCents / 100, currency },
  };
}
