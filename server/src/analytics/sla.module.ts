import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';

/** SLA policies, business calendars and clocks (placeholder while being built). */
export const slaModule = {
  init(_p: Platform): void {},
  routes(_app: FastifyInstance, _p: Platform): void {},
};
