import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../platform.ts';
import { errorBody, errorResponses, idParam, iso, role } from '../http/schemas.ts';
import { notFound } from '../errors.ts';
import * as auth from './auth.service.ts';
import * as store from './auth.store.ts';
import { principalOf, SESSION_COOKIE } from './guard.ts';

const userBody = z.object({ id: z.string(), email: z.string(), name: z.string(), role, createdAt: z.string(), disabled: z.boolean() });
const workspaceBody = z.object({ id: z.string(), slug: z.string(), name: z.string() });
const sessionBody = z.object({ user: userBody, workspace: workspaceBody });
const apiKeyBody = z.object({ id: z.string(), name: z.string(), role, prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });

const presentUser = (u: store.UserRow) => ({ id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.createdAt.toISOString(), disabled: u.disabledAt !== null });
const presentWorkspace = (w: store.WorkspaceRow) => ({ id: w.id, slug: w.slug, name: w.name });
const presentApiKey = (k: store.ApiKeyRow) => ({ id: k.id, name: k.name, role: k.role, prefix: k.prefix, createdAt: k.createdAt.toISOString(), lastUsedAt: iso(k.lastUsedAt) });

const password = z.string().min(10, 'must be at least 10 characters').max(200);

const loginRateKey = (request: FastifyRequest) => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return `${request.ip}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
};

export function authRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const secureCookie = p.config.publicUrl.startsWith('https://');

  r.post('/api/auth/login', {
    config: {
      access: 'public',
      // Per address and account: slows password guessing on one account without locking out a
      // whole team that logs in from one office address at nine o'clock.
      rateLimit: { max: p.config.loginMaxPerMinute, timeWindow: 60_000, keyGenerator: loginRateKey },
    },
    schema: {
      tags: ['auth'],
      summary: 'Log in with email and password; sets the session cookie',
      body: z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(200), workspace: z.string().trim().min(1).optional() }),
      response: { 200: sessionBody, 400: errorBody, 401: errorBody, 429: errorBody },
    },
  }, async (request, reply) => {
    const result = await auth.login(p, request.body);
    reply.setCookie(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie, expires: result.expiresAt });
    return { user: presentUser(result.user), workspace: presentWorkspace(result.workspace) };
  });

  r.post('/api/auth/logout', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'End the session', response: { 204: z.null() } },
  }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await auth.logout(p, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  r.get('/api/auth/me', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'The logged-in user and workspace', response: { 200: sessionBody, 401: errorBody } },
  }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await auth.principalFromSession(p, token) : undefined;
    if (!session) return reply.status(401).send({ error: { code: 'unauthenticated', message: 'Not logged in' } });
    return { user: presentUser(session.user), workspace: presentWorkspace(session.workspace) };
  });

  r.get('/api/users', {
    config: { access: 'supervisor' },
    schema: { tags: ['users'], summary: 'Users of the workspace', response: { 200: z.object({ items: z.array(userBody) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listUsers(p.db, principalOf(request).workspaceId)).map(presentUser) }));

  r.get('/api/teammates', {
    config: { access: 'agent' },
    schema: {
      tags: ['users'],
      summary: 'Active colleagues (id, name, role) for assigning and transferring conversations',
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), role })) }), ...errorResponses },
    },
  }, async (request) => ({
    items: (await store.listUsers(p.db, principalOf(request).workspaceId)).filter((u) => !u.disabledAt).map((u) => ({ id: u.id, name: u.name, role: u.role })),
  }));

  r.get('/api/users/:id', {
    config: { access: 'supervisor' },
    schema: { tags: ['users'], params: idParam, response: { 200: userBody, ...errorResponses } },
  }, async (request) => {
    const user = await store.getUser(p.db, principalOf(request).workspaceId, request.params.id);
    if (!user) throw notFound('User');
    return presentUser(user);
  });

  r.post('/api/users', {
    config: { access: 'admin' },
    schema: {
      tags: ['users'],
      summary: 'Create a user',
      body: z.object({ email: z.email(), name: z.string().trim().min(1).max(200), role, password }),
      response: { 201: userBody, 409: errorBody, ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const user = await auth.createUser(p, principal.workspaceId, request.body, principal.actorId);
    return reply.status(201).send(presentUser(user));
  });

  r.patch('/api/users/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['users'],
      summary: 'Change a user: name, role, password, or disable',
      params: idParam,
      body: z.object({ name: z.string().trim().min(1).max(200).optional(), role: role.optional(), disabled: z.boolean().optional(), password: password.optional() }),
      response: { 200: userBody, ...errorResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return presentUser(await auth.updateUser(p, principal.workspaceId, request.params.id, request.body, principal.actorId));
  });

  r.get('/api/api-keys', {
    config: { access: 'admin' },
    schema: { tags: ['api keys'], response: { 200: z.object({ items: z.array(apiKeyBody) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listApiKeys(p.db, principalOf(request).workspaceId)).map(presentApiKey) }));

  r.post('/api/api-keys', {
    config: { access: 'admin' },
    schema: {
      tags: ['api keys'],
      summary: 'Create an API key; the secret is returned once',
      body: z.object({ name: z.string().trim().min(1).max(200), role }),
      response: { 201: z.object({ apiKey: apiKeyBody, secret: z.string() }), ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const created = await auth.createApiKey(p, principal.workspaceId, request.body, principal);
    return reply.status(201).send({ apiKey: presentApiKey(created.apiKey), secret: created.secret });
  });

  r.delete('/api/api-keys/:id', {
    config: { access: 'admin' },
    schema: { tags: ['api keys'], summary: 'Revoke an API key', params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await auth.revokeApiKey(p, principal.workspaceId, request.params.id, principal.actorId);
    return reply.status(204).send(null);
  });
}
