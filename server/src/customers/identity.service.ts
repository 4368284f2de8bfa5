/**
 * Identity resolution and merges in the database: keeps each customer's match keys, turns shared
 * keys into automatic merges or suggestions (decided in identity.ts), and merges and unmerges with
 * an audit trail that records exactly what moved.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { conversations } from '../conversations/conversations.schema.ts';
import { webchatSessions } from '../channels/webchat/webchat.schema.ts';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { appendEvent } from '../platform/events/events.ts';
import {
  customerIdentities,
  customerMatchKeys,
  customerMerges,
  customerMergeSuggestions,
  customers,
  customerSettings,
  type MergeMoved,
} from './customers.schema.ts';
import { DEFAULT_IDENTITY_SETTINGS, decideMatch, identitySettingsSchema, matchKeys, profileFill, type IdentitySettings, type MatchKey } from './identity.ts';
import { customerOrders } from './value.schema.ts';

type CustomerRow = typeof customers.$inferSelect;
export type MergeRow = typeof customerMerges.$inferSelect;
export type SuggestionRow = typeof customerMergeSuggestions.$inferSelect;

export async function getIdentitySettings(db: DbOrTx, workspaceId: string): Promise<IdentitySettings> {
  const [row] = await db.select().from(customerSettings).where(eq(customerSettings.workspaceId, workspaceId));
  if (!row) return DEFAULT_IDENTITY_SETTINGS;
  const parsed = identitySettingsSchema.safeParse(row.settings);
  return parsed.success ? parsed.data : DEFAULT_IDENTITY_SETTINGS;
}

export async function putIdentitySettings(tx: Tx, workspaceId: string, settings: IdentitySettings, actorId: string, now: Date): Promise<void> {
  await tx
    .insert(customerSettings)
    .values({ workspaceId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: customerSettings.workspaceId, set: { settings, updatedAt: now } });
  await appendEvent(tx, { workspaceId, type: 'customers.settings_updated', subjectType: 'workspace', subjectId: workspaceId, payload: { rules: settings.rules.length }, actorId });
}

/** Recomputes and stores a customer's keys; returns them. */
export async function refreshMatchKeys(tx: DbOrTx, customer: CustomerRow, settings: IdentitySettings): Promise<MatchKey[]> {
  const identities = await tx
    .select({ channelType: customerIdentities.channelType, externalId: customerIdentities.externalId, verified: customerIdentities.verified })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, customer.workspaceId), eq(customerIdentities.customerId, customer.id)));
  const keys = customer.mergedIntoId || customer.erasedAt ? [] : matchKeys({ email: customer.email, phone: customer.phone, attributes: customer.attributes, identities }, settings);
  await tx.delete(customerMatchKeys).where(and(eq(customerMatchKeys.workspaceId, customer.workspaceId), eq(customerMatchKeys.customerId, customer.id)));
  if (keys.length > 0) await tx.insert(customerMatchKeys).values(keys.map((k) => ({ workspaceId: customer.workspaceId, customerId: customer.id, ...k })));
  return keys;
}

async function keysOf(db: DbOrTx, workspaceId: string, customerId: string): Promise<MatchKey[]> {
  return db
    .select({ rule: customerMatchKeys.rule, value: customerMatchKeys.value, strong: customerMatchKeys.strong })
    .from(customerMatchKeys)
    .where(and(eq(customerMatchKeys.workspaceId, workspaceId), eq(customerMatchKeys.customerId, customerId)));
}

const pair = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

async function pairBlocked(db: DbOrTx, workspaceId: string, a: string, b: string): Promise<boolean> {
  const [low, high] = pair(a, b);
  const [row] = await db
    .select({ status: customerMergeSuggestions.status })
    .from(customerMergeSuggestions)
    .where(and(eq(customerMergeSuggestions.workspaceId, workspaceId), eq(customerMergeSuggestions.customerId, low), eq(customerMergeSuggestions.otherCustomerId, high)));
  return row?.status === 'dismissed';
}

/**
 * Looks for other customers that share one of this customer's keys and acts: merges where the
 * rules allow (the older customer survives), records a suggestion otherwise. Returns the customer
 * that now stands for this one (itself, or the survivor it was merged into).
 */
export async function resolveCustomer(tx: Tx, customerId: string, workspaceId: string, now: Date, actorId = 'system:identity'): Promise<string> {
  const settings = await getIdentitySettings(tx, workspaceId);
  const [customer] = await tx.select().from(customers).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));
  if (!customer || customer.mergedIntoId || customer.erasedAt) return customer?.mergedIntoId ?? customerId;
  const keys = await refreshMatchKeys(tx, customer, settings);
  if (keys.length === 0) return customerId;
  const others = await tx
    .selectDistinct({ customerId: customerMatchKeys.customerId })
    .from(customerMatchKeys)
    .where(
      and(
        eq(customerMatchKeys.workspaceId, workspaceId),
        ne(customerMatchKeys.customerId, customerId),
        or(...keys.map((k) => and(eq(customerMatchKeys.rule, k.rule), eq(customerMatchKeys.value, k.value)))),
      ),
    )
    .limit(20);
  let current = customerId;
  for (const { customerId: otherId } of others) {
    const decision = decideMatch(keys, await keysOf(tx, workspaceId, otherId), settings, await pairBlocked(tx, workspaceId, current, otherId));
    if (decision.action === 'none') continue;
    if (decision.action === 'merge') {
      const [other] = await tx.select().from(customers).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, otherId)));
      if (!other || other.mergedIntoId || other.erasedAt) continue;
      const self = current === customerId ? customer : undefined;
      const olderIsOther = !self || other.createdAt <= self.createdAt;
      const [survivor, merged] = olderIsOther ? [otherId, current] : [current, otherId];
      await mergeCustomers(tx, workspaceId, survivor, merged, { actorId, rule: decision.rule, value: decision.value }, now);
      current = survivor;
      continue;
    }
    const [low, high] = pair(current, otherId);
    const inserted = await tx
      .insert(customerMergeSuggestions)
      .values({ id: randomUUID(), workspaceId, customerId: low, otherCustomerId: high, rule: decision.rule, value: decision.value, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: customerMergeSuggestions.id });
    if (inserted.length > 0) {
      await appendEvent(tx, { workspaceId, type: 'customer.merge_suggested', subjectType: 'customer', subjectId: current, payload: { otherCustomerId: otherId, rule: decision.rule }, actorId });
    }
  }
  return current;
}

async function lockPair(tx: Tx, workspaceId: string, a: string, b: string): Promise<Map<string, CustomerRow>> {
  // Always in id order, so two merges of the same pair cannot deadlock.
  const rows = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), inArray(customers.id, pair(a, b))))
    .orderBy(customers.id)
    .for('update');
  return new Map(rows.map((r) => [r.id, r]));
}

export interface MergeInput {
  actorId: string;
  /** The rule that merged automatically; absent for a merge by hand. */
  rule?: string;
  value?: string;
}

/**
 * Folds `mergedId` into `survivorId`: identities, conversations, orders and web chat sessions move
 * to the survivor; profile fields and attributes the survivor lacks are taken over. The merged row
 * stays (hidden, `merged_into_id` set) with a record of what moved, so `unmergeCustomers` can undo it.
 */
export async function mergeCustomers(tx: Tx, workspaceId: string, survivorId: string, mergedId: string, input: MergeInput, now: Date): Promise<MergeRow> {
  if (survivorId === mergedId) throw conflict('same_customer', 'A customer cannot be merged with itself');
  const locked = await lockPair(tx, workspaceId, survivorId, mergedId);
  const survivor = locked.get(survivorId);
  const merged = locked.get(mergedId);
  if (!survivor || !merged) throw notFound('Customer');
  for (const c of [survivor, merged]) {
    if (c.mergedIntoId) throw conflict('customer_merged', `Customer ${c.id} was already merged into ${c.mergedIntoId}`);
    if (c.erasedAt) throw conflict('customer_erased', `Customer ${c.id} was erased`);
  }
  const owned = <T extends { workspaceId: AnyPgColumn; customerId: AnyPgColumn }>(t: T) =>
    and(eq(t.workspaceId, workspaceId), eq(t.customerId, mergedId));
  const identityIds = (await tx.update(customerIdentities).set({ customerId: survivorId }).where(owned(customerIdentities)).returning({ id: customerIdentities.id })).map((r) => r.id);
  const conversationIds = (await tx.update(conversations).set({ customerId: survivorId }).where(owned(conversations)).returning({ id: conversations.id })).map((r) => r.id);
  const orderIds = (await tx.update(customerOrders).set({ customerId: survivorId }).where(owned(customerOrders)).returning({ id: customerOrders.id })).map((r) => r.id);
  const sessionHashes = (await tx.update(webchatSessions).set({ customerId: survivorId }).where(owned(webchatSessions)).returning({ hash: webchatSessions.tokenHash })).map((r) => r.hash);

  const filledFields = profileFill(survivor, merged);
  const filledAttributes = Object.fromEntries(Object.entries(merged.attributes).filter(([key]) => !(key in survivor.attributes)));
  await tx
    .update(customers)
    .set({ ...filledFields, attributes: { ...survivor.attributes, ...filledAttributes }, updatedAt: now })
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, survivorId)));
  await tx.update(customers).set({ mergedIntoId: survivorId, updatedAt: now }).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, mergedId)));
  await tx.delete(customerMatchKeys).where(and(eq(customerMatchKeys.workspaceId, workspaceId), eq(customerMatchKeys.customerId, mergedId)));

  const [low, high] = pair(survivorId, mergedId);
  await tx
    .insert(customerMergeSuggestions)
    .values({ id: randomUUID(), workspaceId, customerId: low, otherCustomerId: high, rule: input.rule ?? 'manual', value: input.value ?? '', status: 'merged', createdAt: now, decidedAt: now, decidedBy: input.actorId })
    .onConflictDoUpdate({
      target: [customerMergeSuggestions.workspaceId, customerMergeSuggestions.customerId, customerMergeSuggestions.otherCustomerId],
      set: { status: 'merged', decidedAt: now, decidedBy: input.actorId },
    });
  // Suggestions that named the merged customer are moot now; the survivor's keys raise them anew.
  await tx
    .update(customerMergeSuggestions)
    .set({ status: 'dismissed', decidedAt: now, decidedBy: 'system:merge' })
    .where(
      and(
        eq(customerMergeSuggestions.workspaceId, workspaceId),
        eq(customerMergeSuggestions.status, 'open'),
        or(eq(customerMergeSuggestions.customerId, mergedId), eq(customerMergeSuggestions.otherCustomerId, mergedId)),
      ),
    );

  const moved: MergeMoved = { identityIds, conversationIds, orderIds, sessionHashes, filledFields, filledAttributes };
  const [row] = await tx
    .insert(customerMerges)
    .values({ id: randomUUID(), workspaceId, survivorId, mergedId, rule: input.rule ?? null, value: input.value ?? null, actorId: input.actorId, moved, createdAt: now })
    .returning();
  const payload = { mergeId: row!.id, survivorId, mergedId, rule: input.rule ?? null, identities: identityIds.length, conversations: conversationIds.length, orders: orderIds.length };
  await appendEvent(tx, { workspaceId, type: 'customer.merged', subjectType: 'customer', subjectId: survivorId, payload, actorId: input.actorId });
  const [updated] = await tx.select().from(customers).where(eq(customers.id, survivorId));
  await refreshMatchKeys(tx, updated!, await getIdentitySettings(tx, workspaceId));
  return row!;
}

/**
 * Undoes a merge: what moved goes back (conversations opened after the merge stay with the
 * survivor, since nobody can tell whose they are), profile fields and attributes that were taken
 * over are cleared where still unchanged, and the pair is blocked from being merged again
 * automatically: a person said these are two people.
 */
export async function unmergeCustomers(tx: Tx, workspaceId: string, mergeId: string, actorId: string, now: Date): Promise<MergeRow> {
  const [merge] = await tx.select().from(customerMerges).where(and(eq(customerMerges.workspaceId, workspaceId), eq(customerMerges.id, mergeId))).for('update');
  if (!merge) throw notFound('Merge');
  if (merge.undoneAt) throw conflict('merge_undone', 'This merge was already undone');
  const locked = await lockPair(tx, workspaceId, merge.survivorId, merge.mergedId);
  const survivor = locked.get(merge.survivorId)!;
  if (survivor.mergedIntoId) throw conflict('survivor_merged', `The surviving customer was itself merged into ${survivor.mergedIntoId}; undo that merge first`);
  if (survivor.erasedAt) throw conflict('customer_erased', 'The surviving customer was erased');
  const { moved } = merge;
  const onSurvivor = <T extends { workspaceId: AnyPgColumn; customerId: AnyPgColumn }>(t: T) =>
    and(eq(t.workspaceId, workspaceId), eq(t.customerId, merge.survivorId));
  const toMerged = { customerId: merge.mergedId };
  if (moved.identityIds.length > 0) await tx.update(customerIdentities).set(toMerged).where(and(onSurvivor(customerIdentities), inArray(customerIdentities.id, moved.identityIds)));
  if (moved.conversationIds.length > 0) await tx.update(conversations).set(toMerged).where(and(onSurvivor(conversations), inArray(conversations.id, moved.conversationIds)));
  if (moved.orderIds.length > 0) await tx.update(customerOrders).set(toMerged).where(and(onSurvivor(customerOrders), inArray(customerOrders.id, moved.orderIds)));
  if (moved.sessionHashes.length > 0) await tx.update(webchatSessions).set(toMerged).where(and(onSurvivor(webchatSessions), inArray(webchatSessions.tokenHash, moved.sessionHashes)));

  const restore: Partial<CustomerRow> = { updatedAt: now };
  for (const [field, value] of Object.entries(moved.filledFields) as Array<['name' | 'email' | 'phone' | 'language', string]>) {
    if (survivor[field] === value) restore[field] = null;
  }
  const attributes = { ...survivor.attributes };
  for (const [key, value] of Object.entries(moved.filledAttributes)) {
    if (JSON.stringify(attributes[key]) === JSON.stringify(value)) delete attributes[key];
  }
  restore.attributes = attributes;
  await tx.update(customers).set(restore).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, merge.survivorId)));
  await tx.update(customers).set({ mergedIntoId: null, updatedAt: now }).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, merge.mergedId)));
  const [updated] = await tx
    .update(customerMerges)
    .set({ undoneAt: now, undoneBy: actorId })
    .where(eq(customerMerges.id, mergeId))
    .returning();
  const [low, high] = pair(merge.survivorId, merge.mergedId);
  await tx
    .update(customerMergeSuggestions)
    .set({ status: 'dismissed', decidedAt: now, decidedBy: actorId })
    .where(and(eq(customerMergeSuggestions.workspaceId, workspaceId), eq(customerMergeSuggestions.customerId, low), eq(customerMergeSuggestions.otherCustomerId, high)));
  const settings = await getIdentitySettings(tx, workspaceId);
  for (const id of [merge.survivorId, merge.mergedId]) {
    const [row] = await tx.select().from(customers).where(eq(customers.id, id));
    await refreshMatchKeys(tx, row!, settings);
  }
  await appendEvent(tx, { workspaceId, type: 'customer.unmerged', subjectType: 'customer', subjectId: merge.survivorId, payload: { mergeId, mergedId: merge.mergedId }, actorId });
  return updated!;
}

/** Open suggestions that involve a customer, with the other customer's name for the panel. */
export async function openSuggestions(db: DbOrTx, workspaceId: string, customerId: string) {
  const rows = await db
    .select()
    .from(customerMergeSuggestions)
    .where(
      and(
        eq(customerMergeSuggestions.workspaceId, workspaceId),
        eq(customerMergeSuggestions.status, 'open'),
        or(eq(customerMergeSuggestions.customerId, customerId), eq(customerMergeSuggestions.otherCustomerId, customerId)),
      ),
    );
  const otherIds = rows.map((r) => (r.customerId === customerId ? r.otherCustomerId : r.customerId));
  const others = otherIds.length === 0 ? [] : await db.select().from(customers).where(and(eq(customers.workspaceId, workspaceId), inArray(customers.id, otherIds), isNull(customers.mergedIntoId)));
  const byId = new Map(others.map((c) => [c.id, c]));
  return rows.flatMap((r) => {
    const other = byId.get(r.customerId === customerId ? r.otherCustomerId : r.customerId);
    return other ? [{ id: r.id, rule: r.rule, value: r.value, createdAt: r.createdAt, other: { id: other.id, name: other.name, email: other.email, phone: other.phone } }] : [];
  });
}

export async function decideSuggestion(tx: Tx, workspaceId: string, suggestionId: string, decision: 'merge' | 'dismiss', survivorId: string | undefined, actorId: string, now: Date) {
  const [row] = await tx.select().from(customerMergeSuggestions).where(and(eq(customerMergeSuggestions.workspaceId, workspaceId), eq(customerMergeSuggestions.id, suggestionId))).for('update');
  if (!row) throw notFound('Suggestion');
  if (row.status !== 'open') throw conflict('suggestion_decided', `This suggestion was already ${row.status}`);
  if (decision === 'dismiss') {
    await tx.update(customerMergeSuggestions).set({ status: 'dismissed', decidedAt: now, decidedBy: actorId }).where(eq(customerMergeSuggestions.id, row.id));
    await appendEvent(tx, { workspaceId, type: 'customer.merge_dismissed', subjectType: 'customer', subjectId: row.customerId, payload: { otherCustomerId: row.otherCustomerId, rule: row.rule }, actorId });
    return { merge: null };
  }
  const survivor = survivorId ?? row.customerId;
  if (survivor !== row.customerId && survivor !== row.otherCustomerId) throw conflict('not_in_suggestion', 'The surviving customer must be one of the two');
  const mergedId = survivor === row.customerId ? row.otherCustomerId : row.customerId;
  return { merge: await mergeCustomers(tx, workspaceId, survivor, mergedId, { actorId, rule: row.rule, value: row.value }, now) };
}

/** The merges a customer took part in, newest first (survivor or merged). */
export async function mergeHistory(db: DbOrTx, workspaceId: string, customerId: string): Promise<MergeRow[]> {
  return db
    .select()
    .from(customerMerges)
    .where(and(eq(customerMerges.workspaceId, workspaceId), or(eq(customerMerges.survivorId, customerId), eq(customerMerges.mergedId, customerId))))
    .orderBy(sql`${customerMerges.createdAt} desc`);
}
