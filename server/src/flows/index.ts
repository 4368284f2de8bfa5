import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { flowRoutes } from './flows.routes.ts';
import { installFlowRuntime } from './runtime.ts';

/**
 * Self-service flows. Registered before routing: its conversation hook claims a new conversation
 * for a flow before routing would make it a task.
 */
export const flowsModule = {
  init(p: Platform): void {
    installFlowRuntime(p);
  },
  routes(app: FastifyInstance, p: Platform): void {
    flowRoutes(app, p);
  },
};
