import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { analyticsRoutes } from './analytics.routes.ts';
import { checkpointAgentTime, projectAnalytics } from './projector.ts';

export { runKpiReport, kpiReportCsv, type Kpis, type KpiQuery, type KpiReport } from './reports.ts';
export { projectAnalytics } from './projector.ts';

/** How often the projector follows the event log; the wallboard's live figures do not wait on it. */
const PROJECT_EVERY_MS = 2_000;
const CHECKPOINT_EVERY_MS = 60_000;

/** KPIs from the event log: facts and rollups kept by the projector, reports over them (docs/analytics.md). */
export const analyticsModule = {
  init(p: Platform): void {
    p.jobs.every('analytics projector', PROJECT_EVERY_MS, () => projectAnalytics(p));
    p.jobs.every('analytics agent time', CHECKPOINT_EVERY_MS, async () => {
      await projectAnalytics(p);
      await checkpointAgentTime(p);
    });
  },
  routes(app: FastifyInstance, p: Platform): void {
    analyticsRoutes(app, p);
  },
};
