// Queries of proactive campaigns. Every function takes the workspace id (tenancy) except the job's
// look-up of due recipients across workspaces.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx, type Tx } from '../platform/db/client.ts';
import { customerIdentities, customers } from '../customers/customers.schema.ts';
import { campaignRecipients, campaigns } from './campaigns.schema.ts';
import type { RecipientStatus } from './campaigns.ts';

export type CampaignRow = typeof campaigns.$inferSelect;
export type RecipientRow = typeof campaignRecipients.$inferSelect;
export type NewCampaign = Omit<typeof campaigns.$inferInsert, 'id' | 'workspaceId' | 'createdAt' | 'updatedAt'>;

export async function insertCampaign(tx: Tx, workspaceId: string, input: NewCampaign, now: Date): Promise<CampaignRow> {
  const [row] = await tx.insert(campaigns).values({ id: randomUUID(), workspaceId, ...input, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function getCampaign(db: DbOrTx, workspaceId: string, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(campaigns).where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id)));
  return row;
}

export async function lockCampaign(tx: Tx, workspaceId: string, id: string): Promise<CampaignRow | undefined> {
  const [row] = await tx.select().from(campaigns).where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id))).for('update');
  return row;
}

export async function listCampaigns(db: DbOrTx, workspaceId: string): Promise<CampaignRow[]> {
  return db.select().from(campaigns).where(eq(campaigns.workspaceId, workspaceId)).orderBy(desc(campaigns.createdAt), desc(campaigns.id));
}

export async function updateCampaign(tx: Tx, workspaceId: string, id: string, patch: Partial<CampaignRow>): Promise<CampaignRow> {
  const [row] = await tx.update(campaigns).set(patch).where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id))).returning();
  return row!;
}

export async function deleteCampaign(tx: Tx, workspaceId: string, id: string): Promise<void> {
  await tx.delete(campaigns).where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id)));
}

/**
 * The workspace's live customers (not merged away) with what a segment looks at: attributes,
 * erasure, and their first identity of the channel type (the one a send goes to).
 */
export async function segmentCandidates(db: DbOrTx, workspaceId: string, channelType: string) {
  const rows = await db
    .select({
      id: customers.id,
      name: customers.name,
      attributes: customers.attributes,
      phone: customers.phone,
      identityExternalId: customerIdentities.externalId,
      erasedAt: customers.erasedAt,
      identityId: customerIdentities.id,
      optedOutAt: customerIdentities.optedOutAt,
      identityCreatedAt: customerIdentities.createdAt,
    })
    .from(customers)
    .leftJoin(
      customerIdentities,
      and(eq(customerIdentities.workspaceId, customers.workspaceId), eq(customerIdentities.customerId, customers.id), eq(customerIdentities.channelType, channelType)),
    )
    .where(and(eq(customers.workspaceId, workspaceId), isNull(customers.mergedIntoId)))
    .orderBy(asc(customers.createdAt), asc(customers.id), asc(customerIdentities.createdAt));
  // One row per customer: the first identity, as recipientOf picks it.
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

export async function insertRecipients(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
  rows: Array<{ customerId: string; status: RecipientStatus; dueAt: Date | null }>,
  now: Date,
  firstPosition = 0,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r, j) => ({ id: randomUUID(), workspaceId, campaignId, position: firstPosition + i + j, ...r, updatedAt: now }));
    if (chunk.length) await tx.insert(campaignRecipients).values(chunk);
  }
}

/** Who a campaign already has (a dynamic campaign adds only the others), and the next position. */
export async function recipientCustomerIds(db: DbOrTx, workspaceId: string, campaignId: string): Promise<{ customerIds: Set<string>; nextPosition: number }> {
  const rows = await db
    .select({ customerId: campaignRecipients.customerId, position: campaignRecipients.position })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.workspaceId, workspaceId), eq(campaignRecipients.campaignId, campaignId)));
  return { customerIds: new Set(rows.map((r) => r.customerId)), nextPosition: rows.reduce((max, r) => Math.max(max, r.position + 1), 0) };
}

export async function listRecipients(db: DbOrTx, workspaceId: string, campaignId: string, opts: { status?: RecipientStatus; limit: number; afterPosition?: number }) {
  return db
    .select({
      recipient: campaignRecipients,
      name: customers.name,
      // Converted: a wrap-up with an amount on the campaign's conversation after the send (as campaignTotals counts revenue).
      converted: sql<boolean>`exists (select 1 from wrap_ups w where w.workspace_id = ${campaignRecipients.workspaceId}
        and w.conversation_id = ${campaignRecipients.conversationId} and ${campaignRecipients.sentAt} is not null
        and w.recorded_at >= ${campaignRecipients.sentAt} and w.amount_cents is not null)`,
    })
    .from(campaignRecipients)
    .innerJoin(customers, eq(customers.id, campaignRecipients.customerId))
    .where(
      and(
        eq(campaignRecipients.workspaceId, workspaceId),
        eq(campaignRecipients.campaignId, campaignId),
        opts.status ? eq(campaignRecipients.status, opts.status) : undefined,
        opts.afterPosition !== undefined ? gt(campaignRecipients.position, opts.afterPosition) : undefined,
      ),
    )
    .orderBy(asc(campaignRecipients.position))
    .limit(opts.limit);
}

/** Campaigns that are sending and have a recipient due (any workspace): the job's work list. */
export async function campaignsWithDueRecipients(db: DbOrTx, now: Date): Promise<Array<{ workspaceId: string; id: string }>> {
  return db
    .selectDistinct({ workspaceId: campaigns.workspaceId, id: campaigns.id })
    .from(campaigns)
    .innerJoin(campaignRecipients, eq(campaignRecipients.campaignId, campaigns.id))
    .where(and(eq(campaigns.status, 'sending'), eq(campaignRecipients.status, 'pending'), lte(campaignRecipients.dueAt, now)));
}

/** Scheduled campaigns whose time came, or sending ones with nobody pending (to be marked done). */
export async function campaignsInStatus(db: DbOrTx, status: 'scheduled' | 'sending'): Promise<CampaignRow[]> {
  return db.select().from(campaigns).where(eq(campaigns.status, status));
}

export async function dueRecipients(db: DbOrTx, workspaceId: string, campaignId: string, now: Date, limit: number): Promise<RecipientRow[]> {
  return db
    .select()
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.workspaceId, workspaceId), eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.status, 'pending'), lte(campaignRecipients.dueAt, now)))
    .orderBy(asc(campaignRecipients.position))
    .limit(limit);
}

export async function lockRecipient(tx: Tx, workspaceId: string, id: string): Promise<RecipientRow | undefined> {
  const [row] = await tx.select().from(campaignRecipients).where(and(eq(campaignRecipients.workspaceId, workspaceId), eq(campaignRecipients.id, id))).for('update');
  return row;
}

export async function updateRecipient(tx: Tx, workspaceId: string, id: string, patch: Partial<RecipientRow>): Promise<void> {
  await tx.update(campaignRecipients).set(patch).where(and(eq(campaignRecipients.workspaceId, workspaceId), eq(campaignRecipients.id, id)));
}

export async function pendingCount(db: DbOrTx, workspaceId: string, campaignId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.workspaceId, workspaceId), eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.status, 'pending')));
  return Number(row?.n ?? 0);
}

/** Campaign sends on a channel since an instant (any campaign): the per-channel rate limit counts these. */
export async function sentOnChannelSince(db: DbOrTx, workspaceId: string, channelId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(campaignRecipients)
    .innerJoin(campaigns, eq(campaigns.id, campaignRecipients.campaignId))
    .where(and(eq(campaignRecipients.workspaceId, workspaceId), eq(campaigns.channelId, channelId), gt(campaignRecipients.sentAt, since)));
  return Number(row?.n ?? 0);
}

/** This campaign's sends since an instant: its own (optional) rate cap counts these. */
export async function sentByCampaignSince(db: DbOrTx, workspaceId: string, campaignId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.workspaceId, workspaceId), eq(campaignRecipients.campaignId, campaignId), gt(campaignRecipients.sentAt, since)));
  return Number(row?.n ?? 0);
}

export async function cancelPending(tx: Tx, workspaceId: string, campaignId: string, now: Date): Promise<void> {
  await tx
    .update(campaignRecipients)
    .set({ status: 'canceled', updatedAt: now })
    .where(and(eq(campaignRecipients.workspaceId, workspaceId), eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.status, 'pending')));
}

/** A customer's message in a campaign's conversation after its send: the recipient replied. */
export async function markReplied(tx: Tx, workspaceId: string, conversationIds: string[], at: Date): Promise<void> {
  if (!conversationIds.length) return;
  await tx
    .update(campaignRecipients)
    .set({ repliedAt: at, updatedAt: at })
    .where(
      and(
        eq(campaignRecipients.workspaceId, workspaceId),
        inArray(campaignRecipients.conversationId, conversationIds),
        eq(campaignRecipients.status, 'sent'),
        isNull(campaignRecipients.repliedAt),
        lte(campaignRecipients.sentAt, at),
      ),
    );
}

export interface CampaignTotals {
  byStatus: Record<string, number>;
  replied: number;
  /** Of the sent ones, by the status of their message. */
  messages: Record<string, number>;
  revenueCents: number;
}

/**
 * The figures of a campaign's results. Revenue is the wrap-ups (the rows behind `outcome.recorded`,
 * where recording again replaces) on the campaign's conversations recorded after the send, in the
 * workspace's currency.
 */
export async function campaignTotals(db: DbOrTx, workspaceId: string, campaignId: string, currency: string): Promise<CampaignTotals> {
  const statusRows = await queryRows<{ status: string; n: number | string; replied: number | string }>(
    db,
    sql`select status, count(*) as n, count(replied_at) as replied from campaign_recipients
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId} group by status`,
  );
  const messageRows = await queryRows<{ status: string; n: number | string }>(
    db,
    sql`select m.status, count(*) as n from campaign_recipients r
         join messages m on m.workspace_id = r.workspace_id and m.id = r.message_id
         where r.workspace_id = ${workspaceId} and r.campaign_id = ${campaignId} group by m.status`,
  );
  const [revenue] = await queryRows<{ cents: number | string | null }>(
    db,
    sql`select sum(w.amount_cents) as cents from campaign_recipients r
         join wrap_ups w on w.workspace_id = r.workspace_id and w.conversation_id = r.conversation_id
         where r.workspace_id = ${workspaceId} and r.campaign_id = ${campaignId} and r.sent_at is not null
           and w.recorded_at >= r.sent_at and w.amount_cents is not null and w.currency = ${currency}`,
  );
  const byStatus: Record<string, number> = {};
  let replied = 0;
  for (const r of statusRows) {
    byStatus[r.status] = Number(r.n);
    replied += Number(r.replied);
  }
  return { byStatus, replied, messages: Object.fromEntries(messageRows.map((r) => [r.status, Number(r.n)])), revenueCents: Number(revenue?.cents ?? 0) };
}
