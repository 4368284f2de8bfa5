/**
 * The customer's rights under the GDPR: access (art. 15, an export of everything Hoorn holds about
 * them, machine-readable) and erasure (art. 17). Erasure removes what identifies the person and
 * what they said, and keeps what the centre's figures are made of: conversations keep their
 * channel, times and status; orders keep date and amount; the event log (append-only, and holding
 * ids only, never names, addresses or text) is untouched.
 */
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { webchatSessions } from '../channels/webchat/webchat.schema.ts';
import { attachments, conversations, messages } from '../conversations/conversations.schema.ts';
import { queryRows, type DbOrTx, type Tx } from '../platform/db/client.ts';
import { outbox } from '../platform/db/schema.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { appendEvent } from '../platform/events/events.ts';
import { routingTasks } from '../routing/routing.schema.ts';
import { customerIdentities, customerMatchKeys, customerMerges, customerMergeSuggestions, customers } from './customers.schema.ts';
import { customerOrders } from './value.schema.ts';

/** Scores that stay on an erased customer: figures about value, nothing about the person. */
const AGGREGATE_ATTRIBUTES = ['valueTier', 'churnRisk', 'pAlive', 'expectedPurchases52w', 'clv', 'clvModelVersion', 'scoredAt'];

async function liveCustomer(db: DbOrTx, workspaceId: string, id: string, forUpdate: boolean) {
  const query = db.select().from(customers).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('Customer');
  if (row.mergedIntoId) throw conflict('customer_merged', `This customer was merged into ${row.mergedIntoId}; use that customer`);
  return row;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Everything about one customer, as one JSON document; attachments included as base64. */
export async function exportCustomer(db: DbOrTx, workspaceId: string, customerId: string, now: Date) {
  const customer = await liveCustomer(db, workspaceId, customerId, false);
  const identities = await db.select().from(customerIdentities).where(and(eq(customerIdentities.workspaceId, workspaceId), eq(customerIdentities.customerId, customerId)));
  const convs = await db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.customerId, customerId))).orderBy(conversations.createdAt);
  const convIds = convs.map((c) => c.id);
  // Internal notes are the organisation's own working notes about the case, but they are personal
  // data about the customer all the same, so they are part of the export.
  const msgs = convIds.length === 0 ? [] : await db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), inArray(messages.conversationId, convIds))).orderBy(messages.seq);
  const attachmentIds = [...new Set(msgs.flatMap((m) => m.attachments.map((a) => a.id)))];
  const files = attachmentIds.length === 0 ? [] : await db.select().from(attachments).where(and(eq(attachments.workspaceId, workspaceId), inArray(attachments.id, attachmentIds)));
  const orders = await db.select().from(customerOrders).where(and(eq(customerOrders.workspaceId, workspaceId), eq(customerOrders.customerId, customerId))).orderBy(customerOrders.orderedAt);
  const merges = await db.select().from(customerMerges).where(and(eq(customerMerges.workspaceId, workspaceId), or(eq(customerMerges.survivorId, customerId), eq(customerMerges.mergedId, customerId))));
  return {
    format: 'hoorn.customer-export/1',
    exportedAt: now.toISOString(),
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      phone: customer.phone,
      language: customer.language,
      attributes: customer.attributes,
      createdAt: customer.createdAt.toISOString(),
      erasedAt: iso(customer.erasedAt),
    },
    identities: identities.map((i) => ({ channelType: i.channelType, externalId: i.externalId, verified: i.verified, optedOutAt: iso(i.optedOutAt), createdAt: i.createdAt.toISOString() })),
    conversations: convs.map((c) => ({
      id: c.id,
      channelType: c.channelType,
      status: c.status,
      subject: c.subject,
      language: c.language,
      tags: c.tags,
      attributes: c.attributes,
      createdAt: c.createdAt.toISOString(),
      resolvedAt: iso(c.resolvedAt),
      messages: msgs
        .filter((m) => m.conversationId === c.id)
        .map((m) => ({ id: m.id, kind: m.kind, direction: m.direction, authorType: m.authorType, body: m.body, attachments: m.attachments, status: m.status, createdAt: m.createdAt.toISOString() })),
    })),
    attachments: files.map((f) => ({ id: f.id, name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256, base64: f.data.toString('base64') })),
    orders: orders.map((o) => ({ externalId: o.externalId, orderedAt: o.orderedAt.toISOString(), amountMinor: o.amountMinor, currency: o.currency })),
    merges: merges.map((m) => ({ id: m.id, survivorId: m.survivorId, mergedId: m.mergedId, rule: m.rule, createdAt: m.createdAt.toISOString(), undoneAt: iso(m.undoneAt) })),
  };
}

export interface ErasureReport {
  customerId: string;
  erasedAt: string;
  conversations: number;
  messages: number;
  attachments: number;
  identities: number;
  orders: number;
  canceledSends: number;
}

/**
 * Erases a customer's personal data in one transaction. Afterwards the same address or number
 * starts a new, unrelated customer. Erasing twice is refused with the first erasure's time.
 */
export async function eraseCustomer(tx: Tx, workspaceId: string, customerId: string, actorId: string, now: Date): Promise<ErasureReport> {
  const customer = await liveCustomer(tx, workspaceId, customerId, true);
  if (customer.erasedAt) throw conflict('customer_erased', `This customer was already erased at ${customer.erasedAt.toISOString()}`);
  const ws = <T extends { workspaceId: AnyPgColumn }>(t: T) => eq(t.workspaceId, workspaceId);

  const convIds = (await tx.select({ id: conversations.id }).from(conversations).where(and(ws(conversations), eq(conversations.customerId, customerId)))).map((r) => r.id);
  let messageCount = 0;
  let attachmentCount = 0;
  let canceledSends = 0;
  if (convIds.length > 0) {
    const inConversations = and(ws(messages), inArray(messages.conversationId, convIds));
    const msgs = await tx.select({ id: messages.id, attachments: messages.attachments }).from(messages).where(inConversations);
    messageCount = msgs.length;
    const attachmentIds = [...new Set(msgs.flatMap((m) => m.attachments.map((a) => a.id)))];
    await tx.update(messages).set({ body: '', attachments: [], meta: { redacted: true }, error: null }).where(inConversations);
    if (attachmentIds.length > 0) attachmentCount = (await tx.delete(attachments).where(and(ws(attachments), inArray(attachments.id, attachmentIds))).returning({ id: attachments.id })).length;
    await tx
      .update(conversations)
      .set({ subject: null, channelContext: {}, threadKey: null, attributes: sql`${conversations.attributes} - 'replyTo'` })
      .where(and(ws(conversations), inArray(conversations.id, convIds)));
    await tx.update(routingTasks).set({ attributes: sql`${routingTasks.attributes} - 'subject'` }).where(and(ws(routingTasks), inArray(routingTasks.conversationId, convIds)));
    // A reply still waiting in the outbox would go out with the text just erased: cancel it.
    canceledSends = (
      await tx
        .update(outbox)
        .set({ status: 'dead', lastError: 'customer erased', lockedUntil: null })
        .where(and(ws(outbox), inArray(outbox.status, ['pending', 'sending']), sql`${outbox.payload}->>'conversationId' in ${convIds}`))
        .returning({ id: outbox.id })
    ).length;
  }
  // Files the customer uploaded but never sent.
  await tx.delete(attachments).where(and(ws(attachments), eq(attachments.uploadedBy, `customer:${customerId}`)));
  const identities = (await tx.delete(customerIdentities).where(and(ws(customerIdentities), eq(customerIdentities.customerId, customerId))).returning({ id: customerIdentities.id })).length;
  await tx.delete(customerMatchKeys).where(and(ws(customerMatchKeys), eq(customerMatchKeys.customerId, customerId)));
  await tx
    .update(customerMergeSuggestions)
    .set({ status: 'dismissed', decidedAt: now, decidedBy: actorId })
    .where(and(ws(customerMergeSuggestions), eq(customerMergeSuggestions.status, 'open'), or(eq(customerMergeSuggestions.customerId, customerId), eq(customerMergeSuggestions.otherCustomerId, customerId))));
  await tx.delete(webchatSessions).where(and(ws(webchatSessions), eq(webchatSessions.customerId, customerId)));
  // Order numbers lead back to the person in the shop's system; amounts and dates stay for revenue.
  const orders = (
    await tx
      .update(customerOrders)
      .set({ externalId: sql`'erased:' || ${customerOrders.id}::text` })
      .where(and(ws(customerOrders), eq(customerOrders.customerId, customerId)))
      .returning({ id: customerOrders.id })
  ).length;
  // Customers merged into this one are the same person: their hidden rows go too, and the merge
  // records forget the profile values they carried over (that makes those merges final).
  const absorbed = (
    await queryRows<{ id: string }>(tx, sql`
      with recursive chain(id) as (
        select id from customers where workspace_id = ${workspaceId} and merged_into_id = ${customerId}
        union select c.id from customers c join chain on c.merged_into_id = chain.id where c.workspace_id = ${workspaceId})
      select id from chain`)
  ).map((r) => r.id);
  if (absorbed.length > 0) {
    await tx.update(customers).set({ name: null, email: null, phone: null, attributes: {}, erasedAt: now, updatedAt: now }).where(and(ws(customers), inArray(customers.id, absorbed)));
  }
  await tx
    .update(customerMerges)
    .set({ moved: sql`${customerMerges.moved} || '{"filledFields":{},"filledAttributes":{}}'::jsonb` })
    .where(and(ws(customerMerges), inArray(customerMerges.survivorId, [customerId, ...absorbed])));
  const kept = Object.fromEntries(Object.entries(customer.attributes).filter(([key]) => AGGREGATE_ATTRIBUTES.includes(key)));
  await tx.update(customers).set({ name: null, email: null, phone: null, attributes: kept, erasedAt: now, updatedAt: now }).where(and(ws(customers), eq(customers.id, customerId)));
  const report: ErasureReport = { customerId, erasedAt: now.toISOString(), conversations: convIds.length, messages: messageCount, attachments: attachmentCount, identities, orders, canceledSends };
  const { customerId: _id, erasedAt: _at, ...counts } = report;
  await appendEvent(tx, { workspaceId, type: 'customer.erased', subjectType: 'customer', subjectId: customerId, payload: counts, actorId });
  return report;
}
