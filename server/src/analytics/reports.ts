import { sql } from 'drizzle-orm';
import { queryRows } from '../platform/db/client.ts';
import { badRequest } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import * as routingStore from '../routing/routing.store.ts';
import { CONTACT_COLUMNS, getAnalyticsSettings, localDay } from './facts.store.ts';
import { addContacts, addTime, kpisFrom, ZERO_CONTACTS, ZERO_TIME, type ContactSums, type TimeSums } from './kpi.ts';

export const intervals = ['15m', 'hour', 'day', 'week', 'month', 'total'] as const;
export type Interval = (typeof intervals)[number];
export const groupings = ['none', 'channel', 'queue', 'agent', 'team'] as const;
export type Grouping = (typeof groupings)[number];

export interface KpiQuery {
  from: Date;
  to: Date;
  interval: Interval;
  groupBy: Grouping;
  channel?: string;
  queueId?: string;
  agentId?: string;
  team?: string;
}

/** The figures of one row; null where the denominator is zero. See docs/analytics.md. */
export interface Kpis {
  offered: number;
  answered: number;
  abandoned: number;
  abandonRate: number | null;
  answeredInServiceLevel: number;
  serviceLevel: number | null;
  averageSpeedOfAnswerSeconds: number | null;
  handled: number;
  averageHandleTimeSeconds: number | null;
  averageAfterContactWorkSeconds: number | null;
  transfers: number;
  transferRate: number | null;
  resolved: number;
  firstContactResolution: number | null;
  averageFirstResponseSeconds: number | null;
  averageResolutionSeconds: number | null;
  selfServiceRuns: number;
  selfServiceContained: number;
  containmentRate: number | null;
  csatResponses: number;
  csat: number | null;
  csatPercent: number | null;
  npsResponses: number;
  nps: number | null;
  outcomes: number;
  sales: number;
  revenue: number;
  revenuePerContact: number | null;
  staffedHours: number;
  busyHours: number;
  occupancy: number | null;
  cost: number;
  costPerContact: number | null;
  margin: number;
  slaBreaches: number;
  /** Conversations opened in the period (self-service included). */
  conversations: number;
}

export interface KpiRow {
  bucket: string | null;
  key: string | null;
  label: string | null;
  kpis: Kpis;
}

export interface KpiReport {
  from: string;
  to: string;
  interval: Interval;
  groupBy: Grouping;
  timeZone: string;
  currency: string;
  rows: KpiRow[];
  totals: Kpis;
}


const HOUR_MS = 3_600_000;
/** How many rows a report may have; beyond it the caller must choose a coarser interval. */
export const MAX_BUCKETS = 3000;
const BUCKET_MS: Partial<Record<Interval, number>> = { '15m': 15 * 60_000, hour: HOUR_MS, day: 24 * HOUR_MS, week: 7 * 24 * HOUR_MS, month: 28 * 24 * HOUR_MS };

/** The local wall-clock expression of a 15-minute bucket or a day. */
function localStart(interval: Interval, dayTable: boolean): string {
  const local = dayTable ? 'r.day::timestamp' : 'r.bucket at time zone $tz$';
  switch (interval) {
    case '15m':
      return local;
    case 'hour':
      return `date_trunc('hour', ${local})`;
    case 'day':
      return dayTable ? local : `date_trunc('day', ${local})`;
    case 'week':
      return `date_trunc('week', ${local})`;
    case 'month':
      return `date_trunc('month', ${local})`;
    case 'total':
      return 'null::timestamp';
  }
}

const KEY_COLUMN: Record<Grouping, string | null> = { none: null, channel: 'r.channel', queue: 'r.queue_id', agent: 'r.agent_id', team: 'r.team' };

interface SumRow {
  bucket: Date | string | null;
  key: string | null;
  [column: string]: unknown;
}

function toContacts(row: SumRow): ContactSums {
  const out = { ...ZERO_CONTACTS };
  CONTACT_COLUMNS.forEach((column, i) => {
    (out as Record<string, number>)[CONTACT_KEYS[i]!] = Number(row[column] ?? 0);
  });
  return out;
}
const CONTACT_KEYS = Object.keys(ZERO_CONTACTS) as Array<keyof ContactSums>;

function toTime(row: SumRow): TimeSums {
  return { loggedInMs: Number(row.logged_in_ms ?? 0), availableMs: Number(row.available_ms ?? 0), busyMs: Number(row.busy_ms ?? 0), occupiableMs: Number(row.occupiable_ms ?? 0) };
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** The report's time range as local days, when it starts and ends at local midnight. */
function dayRange(query: KpiQuery, timeZone: string): { from: string; to: string } | null {
  if (query.interval === '15m' || query.interval === 'hour') return null;
  const from = localDay(query.from, timeZone);
  const to = localDay(query.to, timeZone);
  const midnight = (at: Date, day: string) => localDay(new Date(at.getTime() - 1), timeZone) !== day;
  return midnight(query.from, from) && midnight(query.to, to) ? { from, to } : null;
}

/**
 * The smallest day rollup that keeps every column the query groups or filters by: without the agent
 * unless the query asks about agents, by agent alone unless it also asks about channels or queues.
 */
function dayRollupFor(query: KpiQuery): string {
  const byAgent = query.groupBy === 'agent' || Boolean(query.agentId);
  const byContact = query.groupBy === 'channel' || query.groupBy === 'queue' || Boolean(query.channel || query.queueId);
  if (!byAgent) return 'analytics_rollup_day_team';
  return byContact ? 'analytics_rollup_day' : 'analytics_rollup_day_agent';
}

/**
 * Runs a KPI report over the rollups: contact figures from the 15-minute or the day rows (the day
 * rows when the range is whole local days and the interval a day or longer; see `dayRollupFor`), agent
 * time from the agent-time rows, the formulas in kpi.ts.
 */
export async function runKpiReport(p: Platform, workspaceId: string, query: KpiQuery): Promise<KpiReport> {
  if (!(query.from.getTime() < query.to.getTime())) throw badRequest('invalid_range', '`from` must be before `to`');
  const span = BUCKET_MS[query.interval];
  if (span && (query.to.getTime() - query.from.getTime()) / span > MAX_BUCKETS) {
    throw badRequest('too_many_intervals', `A ${query.interval} report over this range has more than ${MAX_BUCKETS} intervals; choose a longer interval`);
  }
  const settings = await getAnalyticsSettings(p.db, workspaceId);
  const tz = settings.timeZone;
  const days = dayRange(query, tz);
  const contactTable = days ? dayRollupFor(query) : 'analytics_rollup_15m';
  const timeTable = days ? 'analytics_agent_time_day' : 'analytics_agent_time_15m';
  const bucketSql = (interval: Interval) => {
    const local = localStart(interval, days !== null).replaceAll('$tz$', `'${tz.replaceAll("'", "''")}'`);
    return interval === 'total' ? 'null::timestamptz' : `(${local}) at time zone '${tz.replaceAll("'", "''")}'`;
  };
  const range = days ? sql`r.day >= ${days.from}::date and r.day < ${days.to}::date` : sql`r.bucket >= ${query.from} and r.bucket < ${query.to}`;
  const agentFilters = [query.agentId ? sql` and r.agent_id = ${query.agentId}` : sql``, query.team ? sql` and r.team = ${query.team}` : sql``];
  const contactFilters = [query.channel ? sql` and r.channel = ${query.channel}` : sql``, query.queueId ? sql` and r.queue_id = ${query.queueId}` : sql``];
  const sums = CONTACT_COLUMNS.map((c) => `sum(r.${c}) as ${c}`).join(', ');
  const contactSums = (interval: Interval, key: string | null, withContactFilters: boolean) =>
    queryRows<SumRow>(
      p.db,
      sql`select ${sql.raw(bucketSql(interval))} as bucket, ${sql.raw(key ?? 'null::text')} as key, ${sql.raw(sums)}
            from ${sql.raw(contactTable)} r
           where r.workspace_id = ${workspaceId} and ${range}${sql.join(agentFilters)}${withContactFilters ? sql.join(contactFilters) : sql``}
           group by 1, 2 order by 1, 2`,
    );
  const timeSums = (interval: Interval, key: string | null) =>
    queryRows<SumRow>(
      p.db,
      sql`select ${sql.raw(bucketSql(interval))} as bucket, ${sql.raw(key ?? 'null::text')} as key,
                 sum(r.logged_in_ms) as logged_in_ms, sum(r.available_ms) as available_ms, sum(r.busy_ms) as busy_ms, sum(r.occupiable_ms) as occupiable_ms
            from ${sql.raw(timeTable)} r
           where r.workspace_id = ${workspaceId} and ${range}${sql.join(agentFilters)}
           group by 1, 2`,
    );

  // Agent hours belong to agents and teams, not to channels or queues (agents are blended):
  // a channel's or queue's cost is its share of the handle time of the period.
  const byContact = query.groupBy === 'channel' || query.groupBy === 'queue';
  const filteredByContact = Boolean(query.channel || query.queueId);
  const keyColumn = KEY_COLUMN[query.groupBy];
  const allocating = byContact || filteredByContact;
  // One scan of the contact rollups (the big table); totals and the allocation base are summed from
  // its rows here, unless a channel or queue filter hides contacts the base must include.
  const [rows, time, allTime, base] = await Promise.all([
    contactSums(query.interval, keyColumn, true),
    allocating ? Promise.resolve([]) : timeSums(query.interval, keyColumn),
    allocating ? timeSums(query.interval, null) : Promise.resolve([]),
    filteredByContact ? contactSums(query.interval, null, false) : Promise.resolve([]),
  ]);
  const slot = (row: { bucket: Date | string | null; key: string | null }) => `${iso(row.bucket)}|${row.key ?? ''}`;
  const timeBySlot = new Map(time.map((t) => [slot(t), toTime(t)]));
  const allTimeByBucket = new Map(allTime.map((t) => [iso(t.bucket), toTime(t)]));
  const baseByBucket = new Map<string | null, ContactSums>();
  for (const b of filteredByContact ? base : rows) {
    const bucket = iso(b.bucket);
    baseByBucket.set(bucket, addContacts(baseByBucket.get(bucket) ?? ZERO_CONTACTS, toContacts(b)));
  }
  const hourly = settings.costPerAgentHour / HOUR_MS;
  const allocated = (handle: ContactSums, whole: ContactSums | undefined, timeOfWhole: TimeSums | undefined) => {
    const share = whole && whole.handleMs + whole.acwMs > 0 ? (handle.handleMs + handle.acwMs) / (whole.handleMs + whole.acwMs) : 0;
    return share * (timeOfWhole?.loggedInMs ?? 0) * hourly;
  };
  const labels = await labelsFor(p, workspaceId, query.groupBy);
  const kpiRows: KpiRow[] = rows.map((row) => {
    const contacts = toContacts(row);
    if (allocating) {
      const bucket = iso(row.bucket);
      return { bucket, key: row.key, label: labels(row.key), kpis: kpisFrom(contacts, null, allocated(contacts, baseByBucket.get(bucket), allTimeByBucket.get(bucket))) };
    }
    const t = timeBySlot.get(slot(row)) ?? ZERO_TIME;
    return { bucket: iso(row.bucket), key: row.key, label: labels(row.key), kpis: kpisFrom(contacts, t, t.loggedInMs * hourly) };
  });
  // Agents who were staffed but handled nothing still belong in an agent or team report.
  if (!allocating) {
    const seen = new Set(rows.map(slot));
    for (const t of time) {
      if (seen.has(slot(t))) continue;
      const sums = toTime(t);
      kpiRows.push({ bucket: iso(t.bucket), key: t.key, label: labels(t.key), kpis: kpisFrom(ZERO_CONTACTS, sums, sums.loggedInMs * hourly) });
    }
    kpiRows.sort((a, b) => (a.bucket ?? '').localeCompare(b.bucket ?? '') || (a.key ?? '').localeCompare(b.key ?? ''));
  }
  const totalContacts = rows.reduce((sum, r) => addContacts(sum, toContacts(r)), ZERO_CONTACTS);
  const wholeTime = (allocating ? allTime : time).reduce((sum, t) => addTime(sum, toTime(t)), ZERO_TIME);
  const wholeBase = [...baseByBucket.values()].reduce(addContacts, ZERO_CONTACTS);
  const totals = filteredByContact ? kpisFrom(totalContacts, null, allocated(totalContacts, wholeBase, wholeTime)) : kpisFrom(totalContacts, wholeTime, wholeTime.loggedInMs * hourly);
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    interval: query.interval,
    groupBy: query.groupBy,
    timeZone: tz,
    currency: settings.currency,
    rows: kpiRows,
    totals,
  };
}

/** Names for the grouping keys: queue and agent names, channel types and teams as they are. */
async function labelsFor(p: Platform, workspaceId: string, groupBy: Grouping): Promise<(key: string | null) => string | null> {
  if (groupBy === 'queue') {
    const names = new Map((await routingStore.listQueues(p.db, workspaceId)).map((q) => [q.id, q.name]));
    return (key) => (key ? (names.get(key) ?? key) : null);
  }
  if (groupBy === 'agent') {
    const names = new Map((await routingStore.listAgents(p.db, workspaceId)).map((a) => [a.userId, a.name]));
    return (key) => (key ? (names.get(key) ?? key) : null);
  }
  return (key) => key || null;
}

const CSV_HEADERS: Record<'nl' | 'en', Record<string, string>> = {
  nl: { bucket: 'interval', key: 'sleutel', label: 'naam' },
  en: { bucket: 'interval', key: 'key', label: 'name' },
};

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The report as CSV (RFC 4180): one line per row, then a totals line; KPI columns by their API names. */
export function kpiReportCsv(report: KpiReport, language: 'nl' | 'en'): string {
  const kpiNames = Object.keys(report.totals) as Array<keyof Kpis>;
  const h = CSV_HEADERS[language];
  const lines = [[h.bucket, h.key, h.label, ...kpiNames].join(',')];
  for (const row of report.rows) lines.push([row.bucket, row.key, row.label, ...kpiNames.map((k) => row.kpis[k])].map(csvCell).join(','));
  lines.push([language === 'nl' ? 'totaal' : 'total', '', '', ...kpiNames.map((k) => report.totals[k])].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
