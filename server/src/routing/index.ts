import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { onConversationChange } from '../conversations/conversations.service.ts';
import { routingRoutes } from './routing.routes.ts';
import { routingOf } from './routing.service.ts';
import * as store from './routing.store.ts';
import { followConversation } from './tasks.ts';

export const routingModule = {
  init(p: Platform): void {
    const routing = routingOf(p);
    routing.register();
    onConversationChange(p, (tx, change) => followConversation(p, tx, change));
    p.jobs.every('prune routing commands', 3_600_000, () => store.pruneCommands(p.db, new Date(p.clock.now().getTime() - 86_400_000)));
  },
  routes(app: FastifyInstance, p: Platform): void {
    routingRoutes(app, p);
  },
};
