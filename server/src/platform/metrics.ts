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
    routingEngineSeconds: new Histogram({
      name: 'hoorn_routing_engine_seconds',
      help: 'Time the pure routing engine took to apply one command or tick (the decision itself, no I/O)',
      buckets: [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers: [registry],
    }),
    routingCommandSeconds: new Histogram({
      name: 'hoorn_routing_command_seconds',
      help: 'From a routing command being written to its decisions being committed, by command type; for task.create with an agent free, this is the assignment (offer) latency',
      labelNames: ['type'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    routingDecisions: new Counter({
      name: 'hoorn_routing_decisions_total',
      help: 'Decisions of the routing engine, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    routingWaitSeconds: new Histogram({
      name: 'hoorn_routing_wait_seconds',
      help: "A customer's wait from the task's creation to an agent accepting it, by queue",
      labelNames: ['queue'] as const,
      buckets: [5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 14_400],
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
