import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { workforceRoutes } from './workforce.routes.ts';
import { simulationRunner } from './workforce.service.ts';

/** How often a node looks for queued simulations and for ones whose node died (lease ran out). */
const SIMULATIONS_EVERY_MS = 5_000;

/** Workforce planning: forecasts, staffing, simulations (docs/workforce.md). */
export const workforceModule = {
  init(p: Platform): void {
    const runner = simulationRunner(p);
    p.jobs.onStart('workforce simulations', () => runner.start());
    p.jobs.every('workforce simulations', SIMULATIONS_EVERY_MS, () => runner.run());
    p.jobs.onStop(() => runner.stop());
  },
  routes(app: FastifyInstance, p: Platform): void {
    workforceRoutes(app, p);
  },
};
