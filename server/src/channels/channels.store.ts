import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { channels, channelState, webhookRejects } from './channels.schema.ts';

export type ChannelRow = typeof channels.$inferSelect;

export async function getChannel(db: DbOrTx, workspaceId: string, id: string): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(and(eq(channels.workspaceId, workspaceId), eq(channels.id, id)));
  return row;
}

/** A channel by id alone: for public endpoints (webhooks, the widget) whose URL names the channel. */
export async function getChannelById(db: DbOrTx, id: string): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(eq(channels.id, id));
  return row;
}

export async function listChannels(db: DbOrTx, workspaceId: string): Promise<ChannelRow[]> {
  return db.select().from(channels).where(eq(channels.workspaceId, workspaceId)).orderBy(asc(channels.createdAt));
}

export async function insertChannel(
  tx: Tx,
  workspaceId: string,
  input: { type: string; provider?: string; name: string; config: Record<string, unknown>; secrets: string | null; id?: string; enabled?: boolean; campaignRatePerMinute?: number | null },
  now: Date,
): Promise<ChannelRow> {
  const [row] = await tx
    .insert(channels)
    .values({
      id: input.id ?? randomUUID(),
      workspaceId,
      type: input.type,
      provider: input.provider ?? 'hoorn',
      name: input.name,
      config: input.config,
      secrets: input.secrets,
      enabled: input.enabled ?? true,
      campaignRatePerMinute: input.campaignRatePerMinute ?? null,
      createdAt: now,
    })
    .returning();
  return row!;
}

export async function updateChannelRow(
  tx: Tx,
  workspaceId: string,
  id: string,
  changes: Partial<Pick<ChannelRow, 'name' | 'config' | 'secrets' | 'enabled' | 'campaignRatePerMinute'>>,
): Promise<ChannelRow | undefined> {
  const [row] = await tx.update(channels).set(changes).where(and(eq(channels.workspaceId, workspaceId), eq(channels.id, id))).returning();
  return row;
}

/** Enabled channels of one adapter across all workspaces: for pollers and listeners. */
export async function enabledChannelsOf(db: DbOrTx, type: string, provider: string): Promise<ChannelRow[]> {
  return db.select().from(channels).where(and(eq(channels.type, type), eq(channels.provider, provider), eq(channels.enabled, true)));
}

// Values are stored wrapped ({ v: value }): a bare JSON string such as "7" would come back
// from the jsonb driver as the number 7.
export async function getChannelState<T>(db: DbOrTx, channelId: string, key: string): Promise<T | undefined> {
  const [row] = await db.select({ value: channelState.value }).from(channelState).where(and(eq(channelState.channelId, channelId), eq(channelState.key, key)));
  return (row?.value as { v: T } | undefined)?.v;
}

/** Saves a value; `undefined` or `null` removes the key. */
export async function setChannelState(db: DbOrTx, channelId: string, key: string, value: unknown, now: Date): Promise<void> {
  if (value === undefined || value === null) {
    await db.delete(channelState).where(and(eq(channelState.channelId, channelId), eq(channelState.key, key)));
    return;
  }
  await db
    .insert(channelState)
    .values({ channelId, key, value: { v: value }, updatedAt: now })
    .onConflictDoUpdate({ target: [channelState.channelId, channelState.key], set: { value: sql`excluded.value`, updatedAt: now } });
}

/** Removes state entries whose key starts with `prefix` and that were last written before `before`. */
export async function purgeChannelState(db: DbOrTx, prefix: string, before: Date): Promise<void> {
  await db.delete(channelState).where(and(sql`starts_with(${channelState.key}, ${prefix})`, sql`${channelState.updatedAt} < ${before.toISOString()}::timestamptz`));
}

/**
 * Claims a channel's next polling pass for this node when the last pass (by any node) started
 * at least `intervalMs` ago: one conditional upsert, so among several nodes sharing the database
 * one polls per interval and the provider's quota is spent once.
 */
export async function claimPollTurn(db: DbOrTx, channelId: string, nodeId: string, now: Date, intervalMs: number): Promise<boolean> {
  const dueIfBefore = new Date(now.getTime() - intervalMs);
  const rows = await db
    .insert(channelState)
    .values({ channelId, key: 'poll.turn', value: { v: { node: nodeId, at: now.toISOString() } }, updatedAt: now })
    .onConflictDoUpdate({
      target: [channelState.channelId, channelState.key],
      set: { value: sql`excluded.value`, updatedAt: now },
      setWhere: sql`${channelState.updatedAt} <= ${dueIfBefore.toISOString()}::timestamptz`,
    })
    .returning({ channelId: channelState.channelId });
  return rows.length > 0;
}

/** Keeps a verified delivery that could not be parsed, once per distinct body. */
export async function insertWebhookReject(
  db: DbOrTx,
  input: { workspaceId: string; channelId: string; bodySha256: string; contentType: string | null; body: string; error: string },
  now: Date,
): Promise<void> {
  await db.insert(webhookRejects).values({ id: randomUUID(), ...input, receivedAt: now }).onConflictDoNothing();
}

export async function listWebhookRejects(db: DbOrTx, workspaceId: string, channelId: string, limit = 50) {
  return db
    .select()
    .from(webhookRejects)
    .where(and(eq(webhookRejects.workspaceId, workspaceId), eq(webhookRejects.channelId, channelId)))
    .orderBy(sql`${webhookRejects.receivedAt} desc`)
    .limit(limit);
}
