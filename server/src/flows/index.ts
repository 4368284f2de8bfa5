import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { flowRoutes } from './flows.routes.ts';
import { answerFromKnowledge } from '../knowledge/answer.ts';
import { provideKnowledgeAnswers } from './effects.ts';
import { installFlowRuntime } from './runtime.ts';

/**
 * Self-service flows. Registered before routing: its conversation hook claims a new conversation
 * for a flow before routing would make it a task.
 */
export const flowsModule = {
  init(p: Platform): void {
    installFlowRuntime(p);
    // The answer node asks the knowledge base (published articles, in the run's language).
    provideKnowledgeAnswers(p, (workspaceId, effect) =>
      answerFromKnowledge(p.db, workspaceId, { query: effect.query, language: effect.language, tags: effect.tags, minConfidence: effect.minConfidence }),
    );
  },
  routes(app: FastifyInstance, p: Platform): void {
    flowRoutes(app, p);
  },
};
