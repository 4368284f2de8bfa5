/**
 * The KPI formulas: from summed counters to the figures people read. Pure; every definition in
 * docs/analytics.md ("KPI definitions") is written here once.
 */
import type { Kpis } from './reports.ts';

/** Summed contact counters of a rollup row or group (camelCase of CONTACT_COLUMNS). */
export interface ContactSums {
  offered: number;
  answered: number;
  abandoned: number;
  answeredInSl: number;
  waitMs: number;
  handled: number;
  handleMs: number;
  acwMs: number;
  transfers: number;
  conversations: number;
  resolved: number;
  fcr: number;
  firstResponses: number;
  firstResponseMs: number;
  resolutionMs: number;
  ssRuns: number;
  ssContained: number;
  csatN: number;
  csatSum: number;
  csatSatisfied: number;
  npsN: number;
  npsPromoters: number;
  npsDetractors: number;
  outcomes: number;
  sales: number;
  revenue: number;
  slaBreaches: number;
}

export interface TimeSums {
  loggedInMs: number;
  availableMs: number;
  busyMs: number;
  occupiableMs: number;
}

export const ZERO_CONTACTS: ContactSums = {
  offered: 0, answered: 0, abandoned: 0, answeredInSl: 0, waitMs: 0, handled: 0, handleMs: 0, acwMs: 0, transfers: 0,
  conversations: 0, resolved: 0, fcr: 0, firstResponses: 0, firstResponseMs: 0, resolutionMs: 0, ssRuns: 0, ssContained: 0,
  csatN: 0, csatSum: 0, csatSatisfied: 0, npsN: 0, npsPromoters: 0, npsDetractors: 0, outcomes: 0, sales: 0, revenue: 0, slaBreaches: 0,
};
export const ZERO_TIME: TimeSums = { loggedInMs: 0, availableMs: 0, busyMs: 0, occupiableMs: 0 };

const ratio = (part: number, whole: number, digits = 4): number | null => (whole > 0 ? round(part / whole, digits) : null);
const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const HOUR_MS = 3_600_000;

/**
 * The figures of one row. `cost` is the agent cost of the row: staffed hours times the hourly cost,
 * or, for a row of one channel or queue (agents are blended, so their hours do not belong to one
 * channel), the share of the period's cost that its handle time takes.
 */
export function kpisFrom(c: ContactSums, time: TimeSums | null, cost: number): Kpis {
  const staffedHours = time ? time.loggedInMs / HOUR_MS : 0;
  return {
    offered: c.offered,
    answered: c.answered,
    abandoned: c.abandoned,
    abandonRate: ratio(c.abandoned, c.offered),
    answeredInServiceLevel: c.answeredInSl,
    // Of the contacts that ended waiting (answered or abandoned), the share answered in time.
    serviceLevel: ratio(c.answeredInSl, c.answered + c.abandoned),
    averageSpeedOfAnswerSeconds: ratio(c.waitMs / 1000, c.answered, 1),
    handled: c.handled,
    // Handle time includes after-contact work, as in the Erlang models' service time.
    averageHandleTimeSeconds: ratio((c.handleMs + c.acwMs) / 1000, c.handled, 1),
    averageAfterContactWorkSeconds: ratio(c.acwMs / 1000, c.handled, 1),
    transfers: c.transfers,
    transferRate: ratio(c.transfers, c.handled),
    resolved: c.resolved,
    firstContactResolution: ratio(c.fcr, c.resolved),
    averageFirstResponseSeconds: ratio(c.firstResponseMs / 1000, c.firstResponses, 1),
    averageResolutionSeconds: ratio(c.resolutionMs / 1000, c.resolved, 1),
    selfServiceRuns: c.ssRuns,
    selfServiceContained: c.ssContained,
    containmentRate: ratio(c.ssContained, c.ssRuns),
    csatResponses: c.csatN,
    csat: ratio(c.csatSum, c.csatN, 2),
    csatPercent: ratio(c.csatSatisfied, c.csatN),
    npsResponses: c.npsN,
    nps: c.npsN > 0 ? round(((c.npsPromoters - c.npsDetractors) / c.npsN) * 100, 1) : null,
    outcomes: c.outcomes,
    sales: c.sales,
    revenue: round(c.revenue, 2),
    revenuePerContact: ratio(c.revenue, c.handled, 2),
    staffedHours: round(staffedHours, 2),
    busyHours: round(time ? time.busyMs / HOUR_MS : 0, 2),
    occupancy: time ? ratio(time.busyMs, time.occupiableMs) : null,
    cost: round(cost, 2),
    costPerContact: ratio(cost, c.handled, 2),
    margin: round(c.revenue - cost, 2),
    slaBreaches: c.slaBreaches,
    conversations: c.conversations,
  };
}

export function addContacts(a: ContactSums, b: ContactSums): ContactSums {
  const out = { ...a };
  for (const key of Object.keys(out) as Array<keyof ContactSums>) out[key] += b[key];
  return out;
}

export function addTime(a: TimeSums, b: TimeSums): TimeSums {
  return { loggedInMs: a.loggedInMs + b.loggedInMs, availableMs: a.availableMs + b.availableMs, busyMs: a.busyMs + b.busyMs, occupiableMs: a.occupiableMs + b.occupiableMs };
}
