import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { startEventBridge } from './events/bridge.ts';
import { EventBus } from './events/bus.ts';
import { createMetrics } from './metrics.ts';
import { OutboxWorker } from './outbox/worker.ts';
import type { Platform } from './platform.ts';
import { JobScheduler } from './jobs.ts';
import { RealtimeHub } from './realtime/hub.ts';
import { resolveInstanceSecret, SecretBox } from './secrets.ts';

export interface PlatformOptions {
  database?: Database;
  clock?: Clock;
  log?: Logger;
  random?: () => number;
}

export interface RunningPlatform extends Platform {
  /** Starts background work: the outbox worker and the cross-node event bridge. */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Composition of the platform: database (migrated), clock, bus, metrics, outbox worker.
 * The HTTP app is built on top of it by `buildApp`.
 */
export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<RunningPlatform> {
  const log = options.log ?? pino({ level: config.logLevel });
  const database = options.database ?? (await openDatabase(config));
  await database.migrate();
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const nodeId = randomUUID();
  const bus = new EventBus((error, event) => log.error({ err: error, eventType: event.type }, 'event subscriber failed'));
  bus.subscribe({ types: '*' }, (event) => metrics.eventsPublished.labels(event.type).inc());

  const secrets = new SecretBox(resolveInstanceSecret(config, log));
  const hub = new RealtimeHub(database, nodeId, (error) => log.error({ err: error }, 'realtime hub failed'));
  const jobs = new JobScheduler((name, error) => log.error({ err: error, job: name }, 'background job failed'));
  const base = { config, database, db: database.db, bus, clock, log, nodeId, metrics, secrets, hub, jobs };
  const outbox = new OutboxWorker({
    deps: base,
    log: log.child({ module: 'outbox' }),
    pollMs: config.outboxPollMs,
    random: options.random,
    onResult: (kind, outcome) => metrics.outboxDeliveries.labels(kind, outcome).inc(),
  });
  let stopBridge: (() => Promise<void>) | undefined;

  return {
    ...base,
    outbox,
    async startWorkers() {
      stopBridge = await startEventBridge(database, bus, nodeId, (error) => log.error({ err: error }, 'event bridge failed'));
      await hub.start();
      outbox.start();
      jobs.start();
    },
    async close() {
      await jobs.stop();
      await outbox.stop();
      await stopBridge?.();
      await database.close();
    },
  };
}
