import { listChannels } from '../channels/channels.store.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import { buildBenchmarkReport, type BenchmarkReport } from './benchmark.ts';
import { benchmarkFigures } from './benchmark.data.ts';
import { scoreMaturity, type MaturityAnswers, type MaturityLevel } from './benchmark.maturity.ts';
import * as store from './benchmark.store.ts';
import { runKpiReport, type KpiQuery, type KpiReport } from './reports.ts';

export type KpiReportRunner = (p: Platform, workspaceId: string, query: KpiQuery) => Promise<KpiReport>;

/**
 * The benchmark report for a period. A KPI report that cannot be made (not built yet, or failing)
 * leaves the KPI part out with the reason; the rest of the report still answers.
 */
export async function benchmarkReport(p: Platform, workspaceId: string, period: { from: Date; to: Date }, runReport: KpiReportRunner = runKpiReport): Promise<BenchmarkReport> {
  const [channels, latest] = await Promise.all([listChannels(p.db, workspaceId), store.latestAssessment(p.db, workspaceId)]);
  let kpiReport: KpiReport | { unavailable: string };
  try {
    kpiReport = await runReport(p, workspaceId, { ...period, interval: 'total', groupBy: 'channel' });
  } catch (error) {
    p.log.warn({ err: error, workspaceId }, 'benchmark: the KPI report failed');
    kpiReport = { unavailable: error instanceof Error ? error.message : String(error) };
  }
  return buildBenchmarkReport({
    ...period,
    channels,
    kpiReport,
    latestAssessment: latest ? { level: latest.level as MaturityLevel, score: latest.score, runAsProfitCentre: latest.runAsProfitCentre, assessedAt: latest.assessedAt } : null,
    figures: benchmarkFigures(),
  });
}

/** Saves a new self-assessment (the earlier ones stay as history) and its event. */
export async function saveAssessment(p: Platform, workspaceId: string, input: { answers: MaturityAnswers; runAsProfitCentre: boolean }, actorId: string): Promise<store.MaturityAssessmentRow> {
  const scored = scoreMaturity(input.answers);
  return inTransaction(p, async (tx) => {
    const row = await store.insertAssessment(tx, {
      workspaceId,
      answers: input.answers,
      runAsProfitCentre: input.runAsProfitCentre,
      score: scored.score,
      level: scored.level,
      assessedBy: actorId,
      assessedAt: p.clock.now(),
    });
    await appendEvent(tx, {
      workspaceId,
      type: 'maturity.assessed',
      subjectType: 'maturity_assessment',
      subjectId: row.id,
      payload: { score: scored.score, level: scored.level, runAsProfitCentre: input.runAsProfitCentre },
      actorId,
    });
    return row;
  });
}
