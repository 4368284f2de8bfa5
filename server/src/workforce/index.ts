import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';

/** Workforce planning: forecasts, staffing, simulations (docs/workforce.md). Placeholder. */
export const workforceModule = {
  init(_p: Platform): void {},
  routes(_app: FastifyInstance, _p: Platform): void {},
};
