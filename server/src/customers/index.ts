import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { valueRoutes } from './value.routes.ts';
import { refitStale } from './value.service.ts';

/** Orders and lifetime value (the customer and identity routes are registered by conversations). */
export const customersModule = {
  init(p: Platform): void {
    // Hourly check; a workspace is refitted when its last fit is more than 24 h old.
    p.jobs.every('refit lifetime value', 3_600_000, () => refitStale(p));
  },
  routes(app: FastifyInstance, p: Platform): void {
    valueRoutes(app, p);
  },
};
