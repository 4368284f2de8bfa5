import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/platform/auth/password.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, TEST_PASSWORD, type TestContext } from '../../helpers.ts';

describe('passwords', () => {
  it('verifies the right password and rejects others', async () => {
    const hash = await hashPassword('geheim wachtwoord 1');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('geheim wachtwoord 1', hash)).toBe(true);
    expect(await verifyPassword('geheim wachtwoord 2', hash)).toBe(false);
    expect(await hashPassword('geheim wachtwoord 1')).not.toBe(hash);
  });
});

describe('authentication and roles', () => {
  let t: TestContext;
  let workspaceId: string;
  let admin: { email: string; id: string };
  let agent: { email: string; id: string };
  beforeAll(async () => {
    t = await makeTestApp({ config: { loginMaxPerMinute: 5 } });
    workspaceId = (await makeWorkspace(t.platform)).id;
    admin = await makeUser(t.platform, workspaceId, 'admin');
    agent = await makeUser(t.platform, workspaceId, 'agent');
  });
  afterAll(() => t.close());

  it('logs in with a session cookie, answers /me, and logs out', async () => {
    const cookie = await loginCookie(t.app, admin.email.toUpperCase());
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { email: admin.email, role: 'admin' }, workspace: { id: workspaceId } });
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/users', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses a wrong password with the same answer as an unknown email', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin.email, password: 'nope nope nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@example.nl', password: 'nope nope nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  it('asks for the workspace when one email has accounts in two', async () => {
    const other = await makeWorkspace(t.platform);
    const email = 'twice@example.nl';
    await makeUser(t.platform, workspaceId, 'agent', email);
    await makeUser(t.platform, other.id, 'agent', email);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('workspace_required');
    // Without the password nothing is said about the workspaces.
    const guess = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'not the password' } });
    expect(guess.json().error.code).toBe('invalid_credentials');
    const cookie = await loginCookie(t.app, email, TEST_PASSWORD, other.slug);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).json().workspace.id).toBe(other.id);
  });

  it('gives an agent 403 on supervisor and admin routes', async () => {
    const cookie = await loginCookie(t.app, agent.email);
    expect((await t.app.inject({ url: '/api/users', headers: { cookie } })).statusCode).toBe(403);
    const create = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie }, payload: { name: 'x', role: 'admin' } });
    expect(create.statusCode).toBe(403);
    expect(create.json().error.code).toBe('forbidden');
  });

  it('authenticates API keys by role, and refuses revoked or malformed ones', async () => {
    const cookie = await loginCookie(t.app, admin.email);
    const created = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie }, payload: { name: 'CRM sync', role: 'agent' } });
    expect(created.statusCode).toBe(201);
    const { secret, apiKey } = created.json();
    expect(secret).toMatch(/^hk_[0-9a-f]{12}_/);
    expect(JSON.stringify(await t.app.inject({ url: '/api/api-keys', headers: { cookie } }).then((r) => r.json()))).not.toContain(secret);

    const bearer = { authorization: `Bearer ${secret}` };
    expect((await t.app.inject({ url: '/api/users', headers: bearer })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/outbox', headers: { 'x-api-key': secret } })).statusCode).toBe(403);

    const adminKey = (await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie }, payload: { name: 'ops', role: 'admin' } })).json().secret;
    expect((await t.app.inject({ url: '/api/users', headers: { authorization: `Bearer ${adminKey}` } })).statusCode).toBe(200);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/api-keys/${apiKey.id}`, headers: { cookie } })).statusCode).toBe(204);
    const revoked = await t.app.inject({ url: '/api/auth/me', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/events', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/events', headers: { authorization: 'Bearer hk_nonsense' } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/events', headers: { authorization: `Bearer ${secret.slice(0, -2)}xx` } })).statusCode).toBe(401);
  });

  it('ends the sessions of a user who is disabled', async () => {
    const adminCookie = await loginCookie(t.app, admin.email);
    const victim = await makeUser(t.platform, workspaceId, 'supervisor');
    const cookie = await loginCookie(t.app, victim.email);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/users/${victim.id}`, headers: { cookie: adminCookie }, payload: { disabled: true } });
    expect(patch.json()).toMatchObject({ disabled: true });
    expect((await t.app.inject({ url: '/api/users', headers: { cookie } })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: victim.email, password: TEST_PASSWORD } });
    expect(again.statusCode).toBe(401);
  });

  it('rate-limits login attempts', async () => {
    const attempt = () => t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.8.7', payload: { email: admin.email, password: 'wrong wrong wrong' } });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await attempt()).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await attempt();
    expect(limited.json().error.code).toBe('rate_limited');
    // The same address may still log in to another account.
    const other = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.8.7', payload: { email: agent.email, password: TEST_PASSWORD } });
    expect(other.statusCode).toBe(200);
  });

  it('explains bad input', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.nl' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed' });
    expect(res.json().error.message).toContain('password');
  });

  it('declares access on every API route', () => {
    expect(t.app.apiRoutes.length).toBeGreaterThan(10);
    for (const route of t.app.apiRoutes) expect(['public', 'agent', 'supervisor', 'admin']).toContain(route.access);
    const publicRoutes = t.app.apiRoutes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`);
    // The help centre's search is public by design: it reads published articles only.
    expect(publicRoutes.sort()).toEqual(['GET /api/auth/me', 'GET /api/public/help/:workspaceSlug/search', 'POST /api/auth/login', 'POST /api/auth/logout']);
  });
});

describe('teammates', () => {
  it('lets an agent see active colleagues to transfer to, and nothing more about them', async () => {
    const t = await makeTestApp();
    try {
      const ws = await makeWorkspace(t.platform);
      const agent = await makeUser(t.platform, ws.id, 'agent');
      const colleague = await makeUser(t.platform, ws.id, 'supervisor');
      const gone = await makeUser(t.platform, ws.id, 'agent');
      const { updateUser } = await import('../../../src/platform/auth/auth.service.ts');
      await updateUser(t.platform, ws.id, gone.id, { disabled: true }, 'test');
      const cookie = await loginCookie(t.app, agent.email);
      const items = (await t.app.inject({ url: '/api/teammates', headers: { cookie } })).json().items;
      expect(items.map((u: { id: string }) => u.id).sort()).toEqual([agent.id, colleague.id].sort());
      expect(Object.keys(items[0]).sort()).toEqual(['id', 'name', 'role']);
    } finally {
      await t.close();
    }
  });
});
