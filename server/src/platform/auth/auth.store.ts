import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import { apiKeys, sessions, users, workspaces, type Role } from '../db/schema.ts';

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

// Workspaces: the tenants.

export async function insertWorkspace(tx: Tx, input: { slug: string; name: string }, now: Date): Promise<WorkspaceRow> {
  const [row] = await tx.insert(workspaces).values({ id: randomUUID(), slug: input.slug, name: input.name, createdAt: now }).returning();
  return row!;
}

export async function findWorkspaceBySlug(db: DbOrTx, slug: string): Promise<WorkspaceRow | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.slug, slug));
  return row;
}

export async function getWorkspace(db: DbOrTx, id: string): Promise<WorkspaceRow | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, id));
  return row;
}

export async function countWorkspaces(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(workspaces);
  return Number(row?.n ?? 0);
}

// Users.

export async function insertUser(
  tx: Tx,
  workspaceId: string,
  input: { email: string; name: string; role: Role; passwordHash: string },
  now: Date,
): Promise<UserRow> {
  const [row] = await tx
    .insert(users)
    .values({ id: randomUUID(), workspaceId, email: input.email.trim(), name: input.name, role: input.role, passwordHash: input.passwordHash, createdAt: now })
    .returning();
  return row!;
}

export async function getUser(db: DbOrTx, workspaceId: string, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)));
  return row;
}

export async function findUserByEmail(db: DbOrTx, workspaceId: string, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), sql`lower(${users.email}) = lower(${email})`));
  return row;
}

/**
 * Login is the one lookup that crosses workspaces: a person types an email, not a tenant.
 * It returns only what is needed to tell the candidates apart.
 */
export async function findLoginCandidates(db: Db, email: string): Promise<Array<{ user: UserRow; workspace: WorkspaceRow }>> {
  return db
    .select({ user: users, workspace: workspaces })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(and(sql`lower(${users.email}) = lower(${email})`, isNull(users.disabledAt)));
}

export async function listUsers(db: Db, workspaceId: string): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.workspaceId, workspaceId)).orderBy(asc(users.name));
}

export async function updateUser(
  tx: Tx,
  workspaceId: string,
  id: string,
  patch: Partial<{ name: string; role: Role; disabledAt: Date | null; passwordHash: string }>,
): Promise<UserRow | undefined> {
  const [row] = await tx.update(users).set(patch).where(and(eq(users.workspaceId, workspaceId), eq(users.id, id))).returning();
  return row;
}

// Sessions.

export async function insertSession(tx: Tx, input: { tokenHash: string; workspaceId: string; userId: string; expiresAt: Date }, now: Date) {
  await tx.insert(sessions).values({ ...input, createdAt: now });
}

export async function findSession(db: Db, tokenHash: string, now: Date): Promise<{ user: UserRow; workspace: WorkspaceRow } | undefined> {
  const [row] = await db
    .select({ user: users, workspace: workspaces })
    .from(sessions)
    .innerJoin(users, and(eq(users.id, sessions.userId), eq(users.workspaceId, sessions.workspaceId)))
    .innerJoin(workspaces, eq(workspaces.id, sessions.workspaceId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), isNull(users.disabledAt)));
  return row;
}

export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteUserSessions(tx: Tx, workspaceId: string, userId: string): Promise<void> {
  await tx.delete(sessions).where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.userId, userId)));
}

// API keys.

export async function insertApiKey(
  tx: Tx,
  workspaceId: string,
  input: { name: string; role: Role; prefix: string; secretHash: string; createdBy: string | null },
  now: Date,
): Promise<ApiKeyRow> {
  const [row] = await tx.insert(apiKeys).values({ id: randomUUID(), workspaceId, ...input, createdAt: now }).returning();
  return row!;
}

export async function findApiKeyByPrefix(db: Db, prefix: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt)));
  return row;
}

export async function touchApiKey(db: Db, id: string, now: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
}

export async function listApiKeys(db: Db, workspaceId: string): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.workspaceId, workspaceId), isNull(apiKeys.revokedAt)))
    .orderBy(asc(apiKeys.createdAt));
}

export async function revokeApiKey(tx: Tx, workspaceId: string, id: string, now: Date): Promise<ApiKeyRow | undefined> {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return row;
}
