import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';

/** Wrap-up, dispositions, outcomes and surveys (placeholder while being built). */
export const outcomesModule = {
  init(_p: Platform): void {},
  routes(_app: FastifyInstance, _p: Platform): void {},
};
