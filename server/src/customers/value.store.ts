// Read side of lifetime value for the supervisor's overview: tier counts, the CLV histogram and the
// customers with the most value at risk, all from the scores in customers.attributes.
import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../platform/db/client.ts';
import type { ValueTier } from './value.service.ts';

export const HISTOGRAM_BUCKETS = 10;
export const AT_RISK_LIMIT = 20;

export interface AtRiskCustomer {
  id: string;
  name: string | null;
  email: string | null;
  valueTier: ValueTier;
  clv: number;
  churnRisk: number;
  pAlive: number | null;
  valueAtRisk: number;
}

export type TierCounts = Record<ValueTier, number>;

/** Customers per stored tier (customers never scored are not counted). */
export async function tierCounts(db: DbOrTx, workspaceId: string): Promise<TierCounts> {
  const rows = await queryRows<{ tier: string; n: number }>(
    db,
    sql`select attributes->>'valueTier' as tier, count(*)::int as n from customers
        where workspace_id = ${workspaceId} and merged_into_id is null and jsonb_typeof(attributes->'valueTier') = 'string'
        group by 1`,
  );
  const out: TierCounts = { platinum: 0, gold: 0, silver: 0, bronze: 0, none: 0 };
  for (const r of rows) if (r.tier in out) out[r.tier as ValueTier] = Number(r.n);
  return out;
}

const roundEdge = (v: number) => Math.round(v * 100) / 100;

/**
 * Equal-width histogram of the scored customers' CLV in one SQL pass (width_bucket), from the lowest
 * to the highest value; the highest value falls in the last bucket. Empty when nobody is scored.
 */
export async function clvHistogram(db: DbOrTx, workspaceId: string, buckets = HISTOGRAM_BUCKETS): Promise<Array<{ from: number; to: number; count: number }>> {
  const rows = await queryRows<{ bucket: number; n: number; lo: number; hi: number }>(
    db,
    sql`with s as (
          select (attributes->>'clv')::float8 as clv from customers
          where workspace_id = ${workspaceId} and merged_into_id is null and jsonb_typeof(attributes->'clv') = 'number'
        ), b as (select min(clv) as lo, max(clv) as hi from s)
        select case when b.hi > b.lo then least(width_bucket(s.clv, b.lo, b.hi, ${buckets}::int), ${buckets}::int) else 1 end as bucket,
               count(*)::int as n, b.lo, b.hi
        from s, b group by 1, b.lo, b.hi order by 1`,
  );
  if (rows.length === 0) return [];
  const lo = Number(rows[0]!.lo);
  const hi = Number(rows[0]!.hi);
  if (!(hi > lo)) return [{ from: roundEdge(lo), to: roundEdge(hi), count: rows.reduce((sum, r) => sum + Number(r.n), 0) }];
  const width = (hi - lo) / buckets;
  const counts = new Map(rows.map((r) => [Number(r.bucket), Number(r.n)]));
  return Array.from({ length: buckets }, (_, i) => ({
    from: roundEdge(lo + i * width),
    to: roundEdge(i === buckets - 1 ? hi : lo + (i + 1) * width),
    count: counts.get(i + 1) ?? 0,
  }));
}

/** The scored customers with a churn risk, ordered by value at risk = churnRisk · clv (highest first, ties by id). */
export async function atRiskCustomers(db: DbOrTx, workspaceId: string, limit = AT_RISK_LIMIT): Promise<AtRiskCustomer[]> {
  const rows = await queryRows<{ id: string; name: string | null; email: string | null; tier: string; clv: number; churn: number; palive: number | null; var: number }>(
    db,
    sql`select id, name, email, attributes->>'valueTier' as tier,
               (attributes->>'clv')::float8 as clv, (attributes->>'churnRisk')::float8 as churn,
               case when jsonb_typeof(attributes->'pAlive') = 'number' then (attributes->>'pAlive')::float8 end as palive,
               (attributes->>'churnRisk')::float8 * (attributes->>'clv')::float8 as var
        from customers
        where workspace_id = ${workspaceId} and merged_into_id is null and erased_at is null
          and jsonb_typeof(attributes->'clv') = 'number' and jsonb_typeof(attributes->'churnRisk') = 'number'
          and jsonb_typeof(attributes->'valueTier') = 'string'
        order by var desc, id
        limit ${limit}`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    valueTier: r.tier as ValueTier,
    clv: Number(r.clv),
    churnRisk: Number(r.churn),
    pAlive: r.palive === null ? null : Number(r.palive),
    valueAtRisk: Number(r.var),
  }));
}
