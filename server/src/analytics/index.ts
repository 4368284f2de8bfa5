import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';

/** KPIs from the event log: facts, rollups, reports (placeholder while being built). */
export const analyticsModule = {
  init(_p: Platform): void {},
  routes(_app: FastifyInstance, _p: Platform): void {},
};
