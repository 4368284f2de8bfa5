import type { FastifyInstance } from 'fastify';
import { onConversationChange, onInboundMessage } from '../conversations/conversations.service.ts';
import type { Platform } from '../platform/platform.ts';
import { automationRoutes } from './automation.routes.ts';
import { macrosRoutes } from './macros.routes.ts';
import { analyzeOpening, onInbound, runRulesOnEvents, runScheduledRules } from './automation.service.ts';
import { initWebhooks } from './webhooks.service.ts';
import { webhooksRoutes } from './webhooks.routes.ts';
import { campaignsRoutes } from './campaigns.routes.ts';
import { runCampaigns } from './campaigns.service.ts';

/** How often rules on later events (resolved, changed, SLA, CSAT) catch up with the event log. */
const RULES_EVERY_MS = 2_000;
/** How often due scheduled rules are looked for (their own rhythm is at least 5 minutes). */
const SCHEDULED_EVERY_MS = 30_000;

/** Process automation: rules, macros, outbound webhooks (docs/automation.md). */
export const automationModule = {
  init(p: Platform): void {
    // Before flows' and routing's hooks (the module comes before theirs): they read the language.
    onConversationChange(p, (tx, change) => analyzeOpening(tx, change));
    // Inbound hooks run after every conversation hook: the opening message's task exists when rules run on it.
    onInboundMessage(p, (tx, change) => onInbound(p, tx, change));
    p.jobs.every('automation rules', RULES_EVERY_MS, () => runRulesOnEvents(p));
    p.jobs.every('automation scheduled rules', SCHEDULED_EVERY_MS, () => runScheduledRules(p));
    initWebhooks(p);
    p.jobs.every('automation campaigns', 15_000, () => runCampaigns(p));
  },
  routes(app: FastifyInstance, p: Platform): void {
    automationRoutes(app, p);
    macrosRoutes(app, p);
    webhooksRoutes(app, p);
    campaignsRoutes(app, p);
  },
};
