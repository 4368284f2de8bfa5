import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { customerRoutes } from '../customers/customers.routes.ts';
import { attachmentRoutes } from './attachments.routes.ts';
import { cannedRoutes } from './canned.routes.ts';
import { conversationRoutes } from './conversations.routes.ts';
import { wakeSnoozed } from './conversations.service.ts';
import { relayPresence } from './presence.ts';

export const conversationsModule = {
  init(p: Platform): void {
    p.jobs.every('wake snoozed conversations', 30_000, () => wakeSnoozed(p));
    p.hub.presenceRelays.push((input) => relayPresence(p, input));
  },
  routes(app: FastifyInstance, p: Platform): void {
    conversationRoutes(app, p);
    attachmentRoutes(app, p);
    cannedRoutes(app, p);
    customerRoutes(app, p);
  },
};
