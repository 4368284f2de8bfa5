import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { listChannels } from './channels.store.ts';

export function channelRoutes(app: FastifyInstance, p: Platform): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/channels', {
    config: { access: 'agent' },
    schema: {
      tags: ['channels'],
      summary: "The workspace's channels with their public settings (never their secrets)",
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), type: z.string(), name: z.string(), enabled: z.boolean(), config: z.record(z.string(), z.unknown()) })) }), ...errorResponses },
    },
  }, async (request) => ({
    items: (await listChannels(p.db, principalOf(request).workspaceId)).map((c) => ({ id: c.id, type: c.type, name: c.name, enabled: c.enabled, config: c.config })),
  }));
}
