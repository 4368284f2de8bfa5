import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Platform } from './platform/platform.ts';
import { authRoutes } from './platform/auth/auth.routes.ts';
import { installGuard } from './platform/auth/guard.ts';
import { eventRoutes } from './platform/events/events.routes.ts';
import { installErrorHandler, routeNotFound } from './platform/http/errors.ts';
import { healthRoutes } from './platform/http/health.routes.ts';
import { outboxRoutes } from './platform/outbox/outbox.routes.ts';
import { realtimeRoutes } from './platform/realtime/realtime.routes.ts';
import { conversationsModule } from './conversations/index.ts';
import { channelsModule } from './channels/index.ts';
import { flowsModule } from './flows/index.ts';
import { routingModule } from './routing/index.ts';
import { automationModule } from './automation/index.ts';
import { customersModule } from './customers/index.ts';
import { knowledgeModule } from './knowledge/index.ts';
import { demoRoutes } from './seed/demo.routes.ts';
import { outcomesModule } from './outcomes/index.ts';
import { analyticsModule } from './analytics/index.ts';
import { slaModule } from './analytics/sla.module.ts';
import { wallboardModule } from './analytics/wallboard.module.ts';
import { benchmarkModule } from './analytics/benchmark.module.ts';
import { workforceModule } from './workforce/index.ts';
import { videoModule } from './channels/video/index.ts';

interface Module {
  /** Registers outbox senders, jobs, subscribers; runs once per platform. */
  init?: (p: Platform) => void;
  routes: (app: FastifyInstance, p: Platform) => void;
}

/** The capability modules, in order. */
const modules: Module[] = [
  { routes: healthRoutes },
  { routes: authRoutes },
  { routes: eventRoutes },
  { routes: outboxRoutes },
  { routes: realtimeRoutes },
  conversationsModule,
  channelsModule,
  // Automation before flows and routing: its hook analyses an opening message's language first.
  automationModule,
  flowsModule,
  routingModule,
  customersModule,
  knowledgeModule,
  outcomesModule,
  analyticsModule,
  slaModule,
  wallboardModule,
  benchmarkModule,
  workforceModule,
  videoModule,
  { routes: demoRoutes },
];

/**
 * Builds the HTTP application over a ready platform. Used by `hoorn start` and by tests
 * (through `inject`), so both exercise the same wiring.
 */
export async function buildApp(p: Platform): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: p.log as FastifyBaseLogger, trustProxy: true, bodyLimit: 10 * 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  // Limits are per route (login); checked after the body is parsed so they can key on its fields.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Hoorn API', version: '0.1.0', description: 'Omnichannel Customer Management Center' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hoorn_session' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: hk_<prefix>_<secret>' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  installErrorHandler(app);
  installGuard(app, p);
  app.addHook('onResponse', async (request, reply) => {
    p.metrics.httpDuration
      .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  for (const module of modules) {
    module.init?.(p);
    module.routes(app, p);
  }
  await serveWebApp(app, p.config.webDist);
  return app;
}

/**
 * Serves the built web app at `/` when it exists; client-side routes (a browser asking for HTML at
 * a path no route has) get index.html. Everything else unknown is a JSON 404.
 */
async function serveWebApp(app: FastifyInstance, webDist: string | undefined): Promise<void> {
  const hasWebApp = Boolean(webDist && fs.existsSync(path.join(webDist, 'index.html')));
  if (hasWebApp) await app.register(fastifyStatic, { root: webDist!, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    const isApi = /^\/(api|docs|metrics|healthz|readyz|channels)(\/|$)/.test(request.url);
    if (hasWebApp && request.method === 'GET' && !isApi && request.headers.accept?.includes('text/html')) return reply.sendFile('index.html');
    return routeNotFound(request, reply);
  });
}
