import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';

/** Industry benchmarks, maturity self-assessment, scheduled reports (placeholder while being built). */
export const benchmarkModule = {
  init(_p: Platform): void {},
  routes(_app: FastifyInstance, _p: Platform): void {},
};
