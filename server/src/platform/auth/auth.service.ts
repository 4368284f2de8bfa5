import { AppError, badRequest, conflict, notFound } from '../errors.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Platform } from '../platform.ts';
import type { Role } from '../db/schema.ts';
import { appendEvent, inTransaction } from '../events/events.ts';
import type { Principal } from './auth.ts';
import * as store from './auth.store.ts';
import { hashPassword, unmatchableHash, verifyPassword } from './password.ts';
import { hashMatches, newApiKey, newSessionToken, parseApiKey, sha256 } from './tokens.ts';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: store.UserRow;
  workspace: store.WorkspaceRow;
}

/**
 * Checks an email and password and opens a session. When the same email has accounts in several
 * workspaces, the caller must name the workspace (code `workspace_required`).
 */
export async function login(p: Platform, input: { email: string; password: string; workspace?: string }): Promise<LoginResult> {
  let candidates = await store.findLoginCandidates(p.db, input.email);
  if (input.workspace) candidates = candidates.filter((c) => c.workspace.slug === input.workspace);
  // The password is checked before anything is said about workspaces, so a caller without it
  // learns nothing (not even whether the email exists: a missing user costs the same hash).
  const matching = [];
  for (const c of candidates.length > 0 ? candidates : [undefined]) {
    if ((await verifyPassword(input.password, c?.user.passwordHash ?? unmatchableHash)) && c) matching.push(c);
  }
  if (matching.length > 1) {
    throw badRequest('workspace_required', 'This email has accounts in several workspaces; name the workspace');
  }
  const candidate = matching[0];
  if (!candidate) throw new AppError(401, 'invalid_credentials', 'Email or password is not correct');

  const { token, hash } = newSessionToken();
  const now = p.clock.now();
  const expiresAt = new Date(now.getTime() + p.config.sessionTtlMs);
  await inTransaction(p, async (tx) => {
    await store.insertSession(tx, { tokenHash: hash, workspaceId: candidate.workspace.id, userId: candidate.user.id, expiresAt }, now);
    await appendEvent(tx, {
      workspaceId: candidate.workspace.id,
      type: 'user.logged_in',
      subjectType: 'user',
      subjectId: candidate.user.id,
      actorId: candidate.user.id,
    });
  });
  return { token, expiresAt, user: candidate.user, workspace: candidate.workspace };
}

export async function logout(p: Platform, token: string): Promise<void> {
  await store.deleteSession(p.db, sha256(token));
}

export async function principalFromSession(p: Platform, token: string) {
  const found = await store.findSession(p.db, sha256(token), p.clock.now());
  if (!found) return undefined;
  const principal: Principal = {
    kind: 'user',
    workspaceId: found.workspace.id,
    role: found.user.role,
    id: found.user.id,
    actorId: found.user.id,
  };
  return { principal, user: found.user, workspace: found.workspace };
}

const API_KEY_TOUCH_INTERVAL_MS = 60_000;

export async function principalFromApiKey(p: Platform, key: string): Promise<Principal | undefined> {
  const parsed = parseApiKey(key);
  if (!parsed) return undefined;
  const row = await store.findApiKeyByPrefix(p.db, parsed.prefix);
  if (!row || !hashMatches(key, row.secretHash)) return undefined;
  const now = p.clock.now();
  // Last-used is for people deciding which keys to revoke; minute precision spares a write per request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > API_KEY_TOUCH_INTERVAL_MS) {
    await store.touchApiKey(p.db, row.id, now);
  }
  return { kind: 'api_key', workspaceId: row.workspaceId, role: row.role, id: row.id, actorId: `apikey:${row.id}` };
}


export async function createWorkspace(p: Platform, input: { slug: string; name: string }, actorId: string | null = null) {
  try {
    return await inTransaction(p, async (tx) => {
      const workspace = await store.insertWorkspace(tx, input, p.clock.now());
      await appendEvent(tx, {
        workspaceId: workspace.id,
        type: 'workspace.created',
        subjectType: 'workspace',
        subjectId: workspace.id,
        payload: { slug: workspace.slug, name: workspace.name },
        actorId,
      });
      return workspace;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('workspace_exists', `A workspace with slug "${input.slug}" already exists`);
    throw error;
  }
}

export async function createUser(
  p: Platform,
  workspaceId: string,
  input: { email: string; name: string; role: Role; password: string },
  actorId: string | null,
) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await inTransaction(p, async (tx) => {
      const user = await store.insertUser(tx, workspaceId, { ...input, passwordHash }, p.clock.now());
      await appendEvent(tx, {
        workspaceId,
        type: 'user.created',
        subjectType: 'user',
        subjectId: user.id,
        payload: { email: user.email, name: user.name, role: user.role },
        actorId,
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('email_taken', `A user with email ${input.email} already exists in this workspace`);
    throw error;
  }
}

export async function updateUser(
  p: Platform,
  workspaceId: string,
  id: string,
  patch: { name?: string; role?: Role; disabled?: boolean; password?: string },
  actorId: string,
) {
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  return inTransaction(p, async (tx) => {
    const user = await store.updateUser(tx, workspaceId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.disabled !== undefined ? { disabledAt: patch.disabled ? p.clock.now() : null } : {}),
      ...(passwordHash ? { passwordHash } : {}),
    });
    if (!user) throw notFound('User');
    // A disabled user or a new password ends the open sessions.
    if (patch.disabled || passwordHash) await store.deleteUserSessions(tx, workspaceId, id);
    const { password: _password, ...visible } = patch;
    await appendEvent(tx, {
      workspaceId,
      type: 'user.updated',
      subjectType: 'user',
      subjectId: id,
      payload: { ...visible, passwordChanged: Boolean(passwordHash) },
      actorId,
    });
    return user;
  });
}

export async function createApiKey(p: Platform, workspaceId: string, input: { name: string; role: Role }, actor: Principal) {
  const { key, prefix, hash } = newApiKey();
  const apiKey = await inTransaction(p, async (tx) => {
    const row = await store.insertApiKey(
      tx,
      workspaceId,
      { name: input.name, role: input.role, prefix, secretHash: hash, createdBy: actor.kind === 'user' ? actor.id : null },
      p.clock.now(),
    );
    await appendEvent(tx, {
      workspaceId,
      type: 'api_key.created',
      subjectType: 'api_key',
      subjectId: row.id,
      payload: { name: row.name, role: row.role, prefix },
      actorId: actor.actorId,
    });
    return row;
  });
  return { apiKey, secret: key };
}

export async function revokeApiKey(p: Platform, workspaceId: string, id: string, actorId: string) {
  await inTransaction(p, async (tx) => {
    const row = await store.revokeApiKey(tx, workspaceId, id, p.clock.now());
    if (!row) throw notFound('API key');
    await appendEvent(tx, { workspaceId, type: 'api_key.revoked', subjectType: 'api_key', subjectId: id, actorId });
  });
}
