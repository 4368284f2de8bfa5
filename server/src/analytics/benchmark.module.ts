import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { benchmarkFigures } from './benchmark.data.ts';
import { benchmarkRoutes } from './benchmark.routes.ts';
import { scheduleRoutes } from './schedules.routes.ts';
import { runDueSchedules } from './schedules.service.ts';

/** How often the job looks for due scheduled reports; runs are on the hour, so a minute is plenty. */
const SCHEDULES_EVERY_MS = 60_000;

/** Industry benchmarks, the maturity self-assessment and scheduled e-mailed reports (docs/analytics.md). */
export const benchmarkModule = {
  init(p: Platform): void {
    // Read and check the reference figures at start-up, so a broken data file stops the start.
    benchmarkFigures();
    p.jobs.every('analytics.report-schedules', SCHEDULES_EVERY_MS, () => runDueSchedules(p));
  },
  routes(app: FastifyInstance, p: Platform): void {
    benchmarkRoutes(app, p);
    scheduleRoutes(app, p);
  },
};
