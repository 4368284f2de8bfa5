import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform.ts';

export function healthRoutes(app: FastifyInstance, p: Platform): void {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['operations'], summary: 'The database answers and every migration is applied' } }, async (_request, reply) => {
    try {
      const { applied, known } = await p.database.migrationStatus();
      if (applied < known) return reply.status(503).send({ status: 'migrating', database: p.database.kind, migrations: { applied, known } });
      return { status: 'ready', database: p.database.kind, migrations: { applied, known } };
    } catch (error) {
      return reply.status(503).send({ status: 'unavailable', database: p.database.kind, error: (error as Error).message });
    }
  });

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics' } }, async (_request, reply) => {
    reply.header('content-type', p.metrics.registry.contentType);
    return p.metrics.registry.metrics();
  });
}
