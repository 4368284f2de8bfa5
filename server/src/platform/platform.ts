import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import type { EventBus } from './events/bus.ts';
import type { TransactionDeps } from './events/events.ts';
import type { JobScheduler } from './jobs.ts';
import type { Metrics } from './metrics.ts';
import type { OutboxWorker } from './outbox/worker.ts';
import type { RealtimeHub } from './realtime/hub.ts';
import type { SecretBox } from './secrets.ts';

/**
 * What every module gets from the platform: the database, the clock, the event bus, the outbox,
 * logs and metrics. Built once in `createPlatform` (or by the test helper) and passed in explicitly.
 */
export interface Platform extends TransactionDeps {
  config: Config;
  database: Database;
  db: Db;
  bus: EventBus;
  clock: Clock;
  log: Logger;
  /** Identifies this process among Hoorn nodes sharing one PostgreSQL. */
  nodeId: string;
  outbox: OutboxWorker;
  metrics: Metrics;
  secrets: SecretBox;
  /** Ephemeral messages (typing, presence, pushes to chat visitors) that are not events. */
  hub: RealtimeHub;
  jobs: JobScheduler;
}
