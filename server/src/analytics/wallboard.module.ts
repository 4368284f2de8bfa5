import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';

/** The live wallboard (placeholder while being built). */
export const wallboardModule = {
  init(_p: Platform): void {},
  routes(_app: FastifyInstance, _p: Platform): void {},
};
