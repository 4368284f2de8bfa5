// Customer lifetime value for a workspace: fit BG/NBD + Gamma-Gamma on its orders (the pure math
// in src/clv), score every customer, store the model and the scores. See docs/customers-api.md.
import { randomUUID } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { probabilityAlive, expectedPurchases } from '../clv/bgnbd.ts';
import { fitClvModels } from '../clv/fit.ts';
import { summarize, type CustomerSummary } from '../clv/summary.ts';
import { expectedClv, MONTH_IN_WEEKS } from '../clv/value.ts';
import { conflict } from '../platform/errors.ts';
import { queryRows, type DbOrTx, type Tx } from '../platform/db/client.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import { workspaces } from '../platform/db/schema.ts';
import { currencyExponent } from './orders.parse.ts';
import { clvModels, customerOrders } from './value.schema.ts';

export type ClvModelRow = typeof clvModels.$inferSelect;
export type ValueTier = 'platinum' | 'gold' | 'silver' | 'bronze' | 'none';

/** Below this many customers with a repeat purchase the fit is refused (409) and old scores stay. */
export const MIN_REPEAT_CUSTOMERS = 50;
/** Cumulative shares of the CLV ranking: top 5 % platinum, next 15 % gold, next 30 % silver, rest bronze. */
export const TIER_CUTS: Array<[ValueTier, number]> = [['platinum', 0.05], ['gold', 0.2], ['silver', 0.5], ['bronze', 1]];
export const HORIZON_WEEKS = 52;
/** CLV over 12 months, discounted at 1 % a month, margin 1 (revenue). */
export const CLV_OPTIONS = { periods: 12, periodLength: MONTH_IN_WEEKS, discountRate: 0.01 };
const REFIT_AFTER_MS = 24 * 3_600_000;

export interface CustomerScore {
  customerId: string;
  valueTier: ValueTier;
  /** 1 − P(alive); null for a customer without a repeat purchase (the model cannot tell). */
  churnRisk: number | null;
  pAlive: number;
  expectedPurchases52w: number;
  /** Expected CLV in the currency's major unit. */
  clv: number;
}

/** Tiers from a CLV ranking (highest first; ties broken by customer id so the result is stable). Pure. */
export function assignTiers(scores: Array<{ customerId: string; clv: number }>): Map<string, ValueTier> {
  const sorted = [...scores].sort((a, b) => b.clv - a.clv || (a.customerId < b.customerId ? -1 : 1));
  const out = new Map<string, ValueTier>();
  const n = sorted.length;
  sorted.forEach((s, i) => out.set(s.customerId, TIER_CUTS.find(([, cut]) => i < Math.ceil(cut * n))![0]));
  return out;
}

/** Fits and scores a summary. Pure; throws the 409 when there is too little data. */
export function scoreSummary(summary: CustomerSummary[]): { fit: ReturnType<typeof fitClvModels>; scores: CustomerScore[] } {
  const repeaters = summary.filter((c) => c.frequency > 0).length;
  if (repeaters < MIN_REPEAT_CUSTOMERS) {
    throw conflict('clv_insufficient_data', `Lifetime value needs at least ${MIN_REPEAT_CUSTOMERS} customers with a repeat purchase; this workspace has ${repeaters}. The previous scores are kept.`);
  }
  const fit = fitClvModels(summary);
  const gg = fit.gammaGamma;
  if (!gg || !(gg.q > 1)) throw conflict('clv_insufficient_data', 'The spend model could not be fitted (q <= 1: spend varies too much for the data). The previous scores are kept.');
  const raw = summary.map((c) => {
    const pAlive = probabilityAlive(fit.bgnbd, c);
    return {
      customerId: c.customerId,
      churnRisk: c.frequency > 0 ? 1 - pAlive : null,
      pAlive,
      expectedPurchases52w: expectedPurchases(fit.bgnbd, c, HORIZON_WEEKS),
      clv: expectedClv(fit.bgnbd, gg, c, CLV_OPTIONS),
    };
  });
  const tiers = assignTiers(raw);
  return { fit, scores: raw.map((s) => ({ ...s, valueTier: tiers.get(s.customerId)! })) };
}

async function loadTransactions(db: DbOrTx, workspaceId: string) {
  const rows = await db
    .select({ customerId: customerOrders.customerId, orderedAt: customerOrders.orderedAt, amountMinor: customerOrders.amountMinor, currency: customerOrders.currency })
    .from(customerOrders)
    .where(eq(customerOrders.workspaceId, workspaceId));
  return rows;
}

const round = (v: number, digits = 6) => Number(v.toPrecision(digits));

/**
 * Fits the workspace's models now and stores the new version with every customer's scores, in one
 * transaction. Time unit week; calibration end = today (UTC). Amounts are taken in the major unit of
 * the workspace's most used currency; orders in other currencies count as purchases but not spend
 * (no exchange rates yet).
 */
export async function refitWorkspace(p: Platform, workspaceId: string): Promise<ClvModelRow> {
  const now = p.clock.now();
  const orders = await loadTransactions(p.db, workspaceId);
  const counts = new Map<string, number>();
  for (const o of orders) counts.set(o.currency, (counts.get(o.currency) ?? 0) + 1);
  const currency = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const scale = currency ? 10 ** currencyExponent(currency) : 1;
  const calibrationEnd = now.toISOString().slice(0, 10);
  const summary = summarize(
    orders.map((o) => ({ customerId: o.customerId, date: o.orderedAt.toISOString(), amount: o.currency === currency ? o.amountMinor / scale : 0 })),
    calibrationEnd,
    'week',
  );
  const { fit, scores } = scoreSummary(summary);
  const parameters = {
    bgnbd: { r: fit.bgnbd.r, alpha: fit.bgnbd.alpha, a: fit.bgnbd.a, b: fit.bgnbd.b, logLikelihood: fit.bgnbd.logLikelihood },
    gammaGamma: { p: fit.gammaGamma!.p, q: fit.gammaGamma!.q, v: fit.gammaGamma!.v, logLikelihood: fit.gammaGamma!.logLikelihood, customers: fit.gammaGamma!.customers },
    timeUnit: 'week',
    calibrationEnd,
    horizonWeeks: HORIZON_WEEKS,
    clv: { ...CLV_OPTIONS, margin: 1, currency },
    tiers: Object.fromEntries(TIER_CUTS),
    orders: orders.length,
  };
  return inTransaction(p, async (tx) => {
    // One refit per workspace at a time: the row lock serialises concurrent refits (job and admin).
    await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)).for('update');
    const [last] = await tx.select({ version: clvModels.version }).from(clvModels).where(eq(clvModels.workspaceId, workspaceId)).orderBy(desc(clvModels.version)).limit(1);
    const [model] = await tx
      .insert(clvModels)
      .values({ id: randomUUID(), workspaceId, version: (last?.version ?? 0) + 1, fittedAt: now, parameters, customers: fit.customers, logLikelihood: fit.bgnbd.logLikelihood })
      .returning();
    const tiersBefore = await storedTiers(tx, workspaceId);
    const scoredAt = now.toISOString();
    for (let i = 0; i < scores.length; i += 1000) {
      const chunk = scores.slice(i, i + 1000).map((s) => ({
        id: s.customerId,
        scores: { valueTier: s.valueTier, churnRisk: s.churnRisk === null ? null : round(s.churnRisk), pAlive: round(s.pAlive), expectedPurchases52w: round(s.expectedPurchases52w), clv: round(s.clv), clvModelVersion: model!.version, scoredAt },
      }));
      await tx.execute(sql`
        update customers c set attributes = c.attributes || v.scores, updated_at = ${now}
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as v(id uuid, scores jsonb)
        where c.workspace_id = ${workspaceId} and c.id = v.id`);
    }
    // Customers without orders: tier none, no scores.
    await tx.execute(sql`
      update customers c set attributes = (c.attributes - 'churnRisk' - 'pAlive' - 'expectedPurchases52w' - 'clv')
        || ${JSON.stringify({ valueTier: 'none', clvModelVersion: model!.version, scoredAt })}::jsonb
      where c.workspace_id = ${workspaceId}
        and not exists (select 1 from customer_orders o where o.workspace_id = c.workspace_id and o.customer_id = c.id and o.ordered_at < ${new Date(Date.parse(calibrationEnd) + 86_400_000)})`);
    // A tier that changed is news for automation rules (`customer.tier_changed`); a customer's first
    // score is not a change.
    for (const [customerId, to] of await storedTiers(tx, workspaceId)) {
      const from = tiersBefore.get(customerId);
      if (from !== undefined && from !== to) {
        await appendEvent(tx, { workspaceId, type: 'customer.tier_changed', subjectType: 'customer', subjectId: customerId, payload: { from, to, clvModelVersion: model!.version }, actorId: 'clv' });
      }
    }
    await appendEvent(tx, {
      workspaceId,
      type: 'clv.refitted',
      subjectType: 'clv_model',
      subjectId: model!.id,
      payload: { version: model!.version, customers: model!.customers, logLikelihood: model!.logLikelihood },
      actorId: 'clv',
    });
    return model!;
  });
}

/** Every scored customer's value tier. */
async function storedTiers(tx: Tx, workspaceId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; tier: string }>(
    tx,
    sql`select id, attributes->>'valueTier' as tier from customers
        where workspace_id = ${workspaceId} and merged_into_id is null and jsonb_typeof(attributes->'valueTier') = 'string'`,
  );
  return new Map(rows.map((r) => [r.id, r.tier]));
}

export async function latestModel(db: DbOrTx, workspaceId: string): Promise<ClvModelRow | undefined> {
  const [row] = await db.select().from(clvModels).where(eq(clvModels.workspaceId, workspaceId)).orderBy(desc(clvModels.version)).limit(1);
  return row;
}

/** The nightly job: refits every workspace with orders whose last fit is older than 24 h (or absent). */
export async function refitStale(p: Platform): Promise<{ refitted: string[]; refused: string[] }> {
  const now = p.clock.now().getTime();
  const rows = await p.db
    .select({ workspaceId: customerOrders.workspaceId, fittedAt: sql<string | null>`(select max(m.fitted_at) from clv_models m where m.workspace_id = ${customerOrders.workspaceId})` })
    .from(customerOrders)
    .groupBy(customerOrders.workspaceId);
  const refitted: string[] = [];
  const refused: string[] = [];
  for (const row of rows) {
    if (row.fittedAt && now - new Date(row.fittedAt).getTime() < REFIT_AFTER_MS) continue;
    try {
      await refitWorkspace(p, row.workspaceId);
      refitted.push(row.workspaceId);
    } catch (error) {
      if ((error as { code?: string }).code !== 'clv_insufficient_data') throw error;
      refused.push(row.workspaceId);
    }
  }
  return { refitted, refused };
}

/** The customer's stored scores (from customers.attributes), or null when never scored. */
export function scoresOf(attributes: Record<string, unknown>) {
  if (typeof attributes.valueTier !== 'string' || typeof attributes.scoredAt !== 'string') return null;
  const num = (k: string) => (typeof attributes[k] === 'number' ? (attributes[k] as number) : null);
  return {
    valueTier: attributes.valueTier as ValueTier,
    churnRisk: num('churnRisk'),
    pAlive: num('pAlive'),
    expectedPurchases52w: num('expectedPurchases52w'),
    clv: num('clv'),
    modelVersion: num('clvModelVersion'),
    scoredAt: attributes.scoredAt,
  };
}

