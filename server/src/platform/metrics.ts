import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one Hoorn instance, in its own registry so several apps can live in one process (tests). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hoorn_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'hoorn_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    eventsPublished: new Counter({
      name: 'hoorn_events_published_total',
      help: 'Committed events published on the in-process bus, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    outboxDeliveries: new Counter({
      name: 'hoorn_outbox_deliveries_total',
      help: 'Outbox delivery attempts by sender kind and outcome',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    realtimeConnections: new Counter({
      name: 'hoorn_realtime_connections_total',
      help: 'WebSocket connections accepted',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
