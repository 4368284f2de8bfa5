import type { FastifyInstance } from 'fastify';
import { onConversationChange } from '../conversations/conversations.service.ts';
import { onInboundClaim } from '../conversations/receive.ts';
import type { Platform } from '../platform/platform.ts';
import { outcomeRoutes } from './outcomes.routes.ts';
import { surveyAnswerClaimer, surveyOnResolve } from './surveys.service.ts';
import { endOverdueWrapUps } from './wrapup.service.ts';

/** How often after-contact work past its `maxSeconds` is ended. */
const WRAP_UP_TIMEOUT_EVERY_MS = 5_000;

/** Wrap-up, disposition codes, outcomes with revenue, CSAT and NPS surveys (docs/analytics.md). */
export const outcomesModule = {
  init(p: Platform): void {
    onConversationChange(p, (tx, change) => surveyOnResolve(p, tx, change));
    onInboundClaim(p, surveyAnswerClaimer(p));
    p.jobs.every('end overdue wrap-ups', WRAP_UP_TIMEOUT_EVERY_MS, () => endOverdueWrapUps(p));
  },
  routes(app: FastifyInstance, p: Platform): void {
    outcomeRoutes(app, p);
  },
};
