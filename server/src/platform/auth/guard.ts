import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../platform.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { hasRole, type Access, type Principal } from './auth.ts';
import { principalFromApiKey, principalFromSession } from './auth.service.ts';

export const SESSION_COOKIE = 'hoorn_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; required on every `/api` route (checked when routes are registered). */
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every `/api` route with its declared access, for introspection (and the tenancy tests). */
    apiRoutes: Array<{ method: string; url: string; access: Access }>;
  }
}

/** The caller of a route whose access is not public; the guard has already checked it. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

function apiKeyFrom(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const explicit = request.headers['x-api-key'];
  return typeof explicit === 'string' ? explicit.trim() : undefined;
}

/**
 * Authentication and role checks for every API route. A route without a declared `access`
 * fails at start-up, so no route can be left open by forgetting it.
 */
export function installGuard(app: FastifyInstance, platform: Platform): void {
  app.decorateRequest('principal', null);
  app.decorate('apiRoutes', []);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} does not declare config.access`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') app.apiRoutes.push({ method, url: route.url, access });
  });

  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return;
    const key = apiKeyFrom(request);
    if (key) {
      request.principal = (await principalFromApiKey(platform, key)) ?? null;
      if (!request.principal) throw unauthenticated('The API key is not valid or was revoked');
    } else {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await principalFromSession(platform, token) : undefined;
      if (!session) throw unauthenticated();
      request.principal = session.principal;
    }
    if (!hasRole(request.principal, access)) throw forbidden(`This needs the ${access} role`);
  });
}
