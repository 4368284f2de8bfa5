import type { FastifyInstance } from 'fastify';
import { onConversationChange, onInboundMessage } from '../conversations/conversations.service.ts';
import type { Platform } from '../platform/platform.ts';
import { slaRoutes } from './sla.routes.ts';
import { followEvents, runSlaJob, slaSettled, syncConversation } from './sla.service.ts';

/** How often the job looks for due warnings and breaches. */
const SLA_JOB_EVERY_MS = 15_000;

/** SLA policies, business calendars and clocks (docs/analytics.md, "SLA"). */
export const slaModule = {
  init(p: Platform): void {
    // In the transaction of the change: a customer's message (which also opens and reopens) and
    // an agent's resolve, reopen or reassignment.
    onInboundMessage(p, (tx, change) => syncConversation(tx, change.workspaceId, change.conversation.id, p.clock.now()).then(() => {}));
    onConversationChange(p, async (tx, change) => {
      if (change.byCustomer) return; // the inbound hook recomputes it, after the message is stored
      await syncConversation(tx, change.workspaceId, change.conversation.id, p.clock.now());
    });
    // After the commit: changes that run no hook (an agent's reply, pending, snooze, priority, queue).
    followEvents(p);
    p.jobs.every('sla clocks', SLA_JOB_EVERY_MS, () => runSlaJob(p));
    p.jobs.onStop(() => slaSettled(p));
  },
  routes(app: FastifyInstance, p: Platform): void {
    slaRoutes(app, p);
  },
};
