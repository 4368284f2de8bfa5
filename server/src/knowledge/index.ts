import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { helpRoutes } from './help.routes.ts';
import { knowledgeRoutes } from './knowledge.routes.ts';

export { answerFromKnowledge, type KnowledgeAnswer, type KnowledgeQuestion } from './answer.ts';

/** The knowledge base: articles and categories (admin API), search, suggestions and the public help centre. */
export const knowledgeModule = {
  routes(app: FastifyInstance, p: Platform): void {
    knowledgeRoutes(app, p);
    helpRoutes(app, p);
  },
};
