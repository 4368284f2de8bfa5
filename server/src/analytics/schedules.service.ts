import type { Tx } from '../platform/db/client.ts';
import { notFound } from '../platform/errors.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import { kpiReportCsv, runKpiReport, type Grouping, type Interval, type KpiReport } from './reports.ts';
import { composeReportMail, csvFileName, nextRunAfter, reportPeriod, type Frequency, type ReportLanguage, type ReportRange } from './schedules.ts';
import { sendSystemMail, type OutgoingMail } from './schedules.mail.ts';
import * as store from './schedules.store.ts';

/** How long a claimed run is this node's before another node may take it (a run takes seconds). */
export const RUN_LEASE_MS = 10 * 60_000;
const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

export interface ScheduleInput {
  name: string;
  recipients: string[];
  frequency: Frequency;
  hour: number;
  weekday?: number | null;
  dayOfMonth?: number | null;
  /** Defaults to the workspace's reporting zone. */
  timeZone?: string;
  range: ReportRange;
  interval: Interval;
  groupBy: Grouping;
  language: ReportLanguage;
  enabled: boolean;
}

/**
 * What a run needs besides the platform. Production uses the real KPI report and CSV and the
 * system mail server; tests may pass their own report while the KPI module is being built.
 */
export interface RunDeps {
  runReport: (p: Platform, workspaceId: string, query: Parameters<typeof runKpiReport>[2]) => Promise<KpiReport>;
  csv: (report: KpiReport, language: ReportLanguage) => string;
  send: (p: Platform, mail: OutgoingMail) => Promise<void>;
}
export const productionRunDeps: RunDeps = {
  runReport: runKpiReport,
  csv: kpiReportCsv,
  send: (p, mail) => sendSystemMail(p.config.mail, mail),
};

async function fieldsOf(p: Platform, workspaceId: string, input: ScheduleInput): Promise<store.ScheduleFields & { nextRunAt: Date | null }> {
  const timeZone = input.timeZone ?? (await store.workspaceTimeZone(p.db, workspaceId)) ?? DEFAULT_TIME_ZONE;
  const fields: store.ScheduleFields = {
    name: input.name,
    // One address once, whatever its case; the order the supervisor typed is kept.
    recipients: [...new Map(input.recipients.map((r) => [r.toLowerCase(), r])).values()],
    frequency: input.frequency,
    hour: input.hour,
    weekday: input.frequency === 'weekly' ? (input.weekday ?? null) : null,
    dayOfMonth: input.frequency === 'monthly' ? (input.dayOfMonth ?? null) : null,
    timeZone,
    range: input.range,
    interval: input.interval,
    groupBy: input.groupBy,
    language: input.language,
    enabled: input.enabled,
  };
  return { ...fields, nextRunAt: fields.enabled ? nextRunAfter(timingOf(fields), p.clock.now()) : null };
}

const timingOf = (row: Pick<store.ScheduleFields, 'frequency' | 'hour' | 'weekday' | 'dayOfMonth' | 'timeZone'>) => ({
  frequency: row.frequency as Frequency,
  hour: row.hour,
  weekday: row.weekday,
  dayOfMonth: row.dayOfMonth,
  timeZone: row.timeZone,
});

export async function createSchedule(p: Platform, workspaceId: string, input: ScheduleInput, actorId: string): Promise<store.ReportScheduleRow> {
  const fields = await fieldsOf(p, workspaceId, input);
  return inTransaction(p, async (tx) => {
    const row = await store.insertSchedule(tx, workspaceId, { ...fields, createdBy: actorId }, p.clock.now());
    await appendEvent(tx, { workspaceId, type: 'report_schedule.created', subjectType: 'report_schedule', subjectId: row.id, payload: { frequency: row.frequency, enabled: row.enabled }, actorId });
    return row;
  });
}

/** Replaces a schedule's settings; the next run is computed again from now. */
export async function replaceSchedule(p: Platform, workspaceId: string, id: string, input: ScheduleInput, actorId: string): Promise<store.ReportScheduleRow> {
  const fields = await fieldsOf(p, workspaceId, input);
  return inTransaction(p, async (tx) => {
    const row = await store.updateSchedule(tx, workspaceId, id, fields, p.clock.now());
    if (!row) throw notFound('Report schedule');
    await appendEvent(tx, { workspaceId, type: 'report_schedule.updated', subjectType: 'report_schedule', subjectId: row.id, payload: { frequency: row.frequency, enabled: row.enabled }, actorId });
    return row;
  });
}

export async function removeSchedule(p: Platform, workspaceId: string, id: string, actorId: string): Promise<void> {
  await inTransaction(p, async (tx) => {
    if (!(await store.deleteSchedule(tx, workspaceId, id))) throw notFound('Report schedule');
    await appendEvent(tx, { workspaceId, type: 'report_schedule.deleted', subjectType: 'report_schedule', subjectId: id, actorId });
  });
}

/** Makes the report of one run and mails it; answers the error text, or null when it was sent. */
async function deliver(p: Platform, schedule: store.ReportScheduleRow, runAt: Date, deps: RunDeps): Promise<{ error: string | null; period: { from: Date; to: Date } }> {
  const period = reportPeriod(schedule.range as ReportRange, runAt, schedule.timeZone);
  const language = schedule.language as ReportLanguage;
  try {
    let report: KpiReport;
    try {
      report = await deps.runReport(p, schedule.workspaceId, { ...period, interval: schedule.interval as Interval, groupBy: schedule.groupBy as Grouping });
    } catch (error) {
      throw new Error(`The KPI report could not be made: ${error instanceof Error ? error.message : String(error)}`);
    }
    const mail = composeReportMail({ name: schedule.name, language, timeZone: schedule.timeZone, period, report });
    await deps.send(p, {
      to: schedule.recipients,
      ...mail,
      attachments: [{ filename: csvFileName(schedule.name, period, schedule.timeZone), content: deps.csv(report, language), contentType: 'text/csv; charset=utf-8' }],
    });
    return { error: null, period };
  } catch (error) {
    p.log.warn({ err: error, scheduleId: schedule.id, workspaceId: schedule.workspaceId }, 'scheduled report not sent');
    return { error: error instanceof Error ? error.message : String(error), period };
  }
}

async function recordRun(p: Platform, schedule: store.ReportScheduleRow, outcome: { error: string | null; period: { from: Date; to: Date } }, write: (tx: Tx) => Promise<unknown>, actorId: string) {
  await inTransaction(p, async (tx) => {
    await write(tx);
    await appendEvent(tx, {
      workspaceId: schedule.workspaceId,
      type: outcome.error ? 'report_schedule.failed' : 'report_schedule.sent',
      subjectType: 'report_schedule',
      subjectId: schedule.id,
      // Counts and the period only: no addresses in the append-only log.
      payload: { recipients: schedule.recipients.length, from: outcome.period.from.toISOString(), to: outcome.period.to.toISOString(), ...(outcome.error ? { error: outcome.error } : {}) },
      actorId,
    });
  });
}

/**
 * The job: claims the due schedules (one conditional UPDATE, so two nodes never send the same
 * run), sends each and records the outcome with the next run. A failed run is not retried: its
 * error shows on the schedule until the next run, and "send now" repeats it by hand. A node that
 * was down sends a missed run once, for the period of its planned time, and then goes on from now.
 */
export async function runDueSchedules(p: Platform, deps: RunDeps = productionRunDeps): Promise<number> {
  const now = p.clock.now();
  const claimed = await store.claimDueSchedules(p.db, now, RUN_LEASE_MS);
  for (const schedule of claimed) {
    const runAt = schedule.nextRunAt ?? now;
    const outcome = await deliver(p, schedule, runAt, deps);
    const finishedAt = p.clock.now();
    const next = nextRunAfter(timingOf(schedule), finishedAt.getTime() > runAt.getTime() ? finishedAt : runAt);
    await recordRun(p, schedule, outcome, (tx) => store.finishRun(tx, schedule, { at: finishedAt, error: outcome.error, nextRunAt: next }), 'system:report-schedules');
  }
  return claimed.length;
}

/** Sends a schedule's report now, for the period a run at this moment would cover. */
export async function sendScheduleNow(p: Platform, workspaceId: string, id: string, actorId: string, deps: RunDeps = productionRunDeps): Promise<store.ReportScheduleRow> {
  const schedule = await store.getSchedule(p.db, workspaceId, id);
  if (!schedule) throw notFound('Report schedule');
  const outcome = await deliver(p, schedule, p.clock.now(), deps);
  let updated: store.ReportScheduleRow | undefined;
  await recordRun(p, schedule, outcome, async (tx) => (updated = await store.recordManualRun(tx, workspaceId, id, p.clock.now(), outcome.error)), actorId);
  if (!updated) throw notFound('Report schedule');
  return updated;
}
