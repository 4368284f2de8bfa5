import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { badRequest, conflict, notFound } from '../platform/errors.ts';
import { errorBody, errorResponses, idParam } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { getCustomer } from './customers.store.ts';
import { currencyExponent, parseAmountMinor, parseCurrency, parseOrderDate } from './orders.parse.ts';
import { addOrder, importOrdersCsv, listOrders, type OrderRow } from './orders.service.ts';
import { latestModel, refitWorkspace, scoresOf, type ClvModelRow } from './value.service.ts';
import { atRiskCustomers, clvHistogram, tierCounts } from './value.store.ts';

const orderBody = z.object({
  id: z.string(),
  customerId: z.string(),
  orderId: z.string(),
  orderedAt: z.string(),
  /** Decimal string in the currency's major unit ("12.50"). */
  amount: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
});
const orderInput = z.object({
  orderId: z.string().min(1).max(200),
  /** YYYY-MM-DD or an ISO date-time with a zone. */
  orderedAt: z.string(),
  /** Decimal in the major unit, as a string ("12.50") or a number. */
  amount: z.union([z.string(), z.number().nonnegative()]),
  currency: z.string(),
});
const importReport = z.object({ imported: z.number().int(), skipped: z.number().int(), errors: z.array(z.object({ line: z.number().int(), message: z.string() })) });
const modelBody = z.object({ id: z.string(), version: z.number().int(), fittedAt: z.string(), customers: z.number().int(), logLikelihood: z.number(), parameters: z.record(z.string(), z.unknown()) });
const tier = z.enum(['platinum', 'gold', 'silver', 'bronze', 'none']);
const valueBody = z.object({
  customerId: z.string(),
  scored: z.boolean(),
  valueTier: tier.nullable(),
  churnRisk: z.number().nullable(),
  pAlive: z.number().nullable(),
  expectedPurchases52w: z.number().nullable(),
  clv: z.number().nullable(),
  modelVersion: z.number().nullable(),
  scoredAt: z.string().nullable(),
  orders: z.number().int(),
  /** ISO 4217 code the CLV is in (the latest model's currency); null before a fit or without spend. */
  currency: z.string().nullable(),
});
const overviewBody = z.object({
  model: modelBody.nullable(),
  tiers: z.object({ platinum: z.number().int(), gold: z.number().int(), silver: z.number().int(), bronze: z.number().int(), none: z.number().int() }),
  clvHistogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
  atRisk: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      valueTier: tier,
      clv: z.number(),
      churnRisk: z.number(),
      pAlive: z.number().nullable(),
      /** churnRisk · clv */
      valueAtRisk: z.number(),
    }),
  ),
});

export function presentOrder(o: OrderRow) {
  const exponent = currencyExponent(o.currency);
  const amount = exponent === 0 ? String(o.amountMinor) : `${Math.floor(o.amountMinor / 10 ** exponent)}.${String(o.amountMinor % 10 ** exponent).padStart(exponent, '0')}`;
  return { id: o.id, customerId: o.customerId, orderId: o.externalId, orderedAt: o.orderedAt.toISOString(), amount, amountMinor: o.amountMinor, currency: o.currency, createdAt: o.createdAt.toISOString() };
}
const presentModel = (m: ClvModelRow) => ({ id: m.id, version: m.version, fittedAt: m.fittedAt.toISOString(), customers: m.customers, logLikelihood: m.logLikelihood, parameters: m.parameters });

export function valueRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/customers/:id/orders', {
    config: { access: 'supervisor' },
    schema: { tags: ['customers'], summary: "Adds an order to a customer; the same orderId again is answered 200 with the stored order", params: idParam, body: orderInput, response: { 200: orderBody, 201: orderBody, 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const { workspaceId } = principalOf(request);
    if (!(await getCustomer(p.db, workspaceId, request.params.id))) throw notFound('Customer');
    let order;
    try {
      const currency = parseCurrency(request.body.currency);
      order = { orderId: request.body.orderId, orderedAt: parseOrderDate(request.body.orderedAt), amountMinor: parseAmountMinor(request.body.amount, currency), currency };
    } catch (error) {
      throw badRequest('invalid_order', (error as Error).message);
    }
    const result = await addOrder(p, workspaceId, request.params.id, order);
    if ('conflict' in result) throw conflict('order_exists', `Order ${order.orderId} belongs to another customer`);
    return reply.code(result.created ? 201 : 200).send(presentOrder(result.order));
  });

  r.get('/api/customers/:id/orders', {
    config: { access: 'agent' },
    schema: { tags: ['customers'], summary: "The customer's orders, newest first (at most 200)", params: idParam, response: { 200: z.object({ items: z.array(orderBody) }), ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    if (!(await getCustomer(p.db, workspaceId, request.params.id))) throw notFound('Customer');
    return { items: (await listOrders(p.db, workspaceId, request.params.id)).map(presentOrder) };
  });

  r.post('/api/orders/import', {
    config: { access: 'supervisor' },
    schema: {
      tags: ['customers'],
      summary: 'Imports orders from CSV text (customer_id|customer_email|customer_key, order_id, date, amount, currency); idempotent on order_id',
      body: z.object({ csv: z.string().min(1) }),
      response: { 200: importReport, ...errorResponses },
    },
  }, async (request) => importOrdersCsv(p, principalOf(request).workspaceId, request.body.csv));

  r.post('/api/clv/refit', {
    config: { access: 'admin' },
    schema: { tags: ['clv'], summary: "Fits the workspace's lifetime-value models now and rescores every customer", response: { 200: modelBody, 409: errorBody, ...errorResponses } },
  }, async (request) => presentModel(await refitWorkspace(p, principalOf(request).workspaceId)));

  r.get('/api/clv/model', {
    config: { access: 'supervisor' },
    schema: { tags: ['clv'], summary: 'The latest lifetime-value model', response: { 200: modelBody, ...errorResponses } },
  }, async (request) => {
    const model = await latestModel(p.db, principalOf(request).workspaceId);
    if (!model) throw notFound('Lifetime-value model');
    return presentModel(model);
  });

  r.get('/api/clv/overview', {
    config: { access: 'supervisor' },
    schema: {
      tags: ['clv'],
      summary: 'Lifetime value at a glance: the latest model (or null), customers per tier, a CLV histogram and the 20 customers with the most value at risk (churnRisk · clv)',
      response: { 200: overviewBody, ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const [model, tiers, histogram, atRisk] = await Promise.all([
      latestModel(p.db, workspaceId),
      tierCounts(p.db, workspaceId),
      clvHistogram(p.db, workspaceId),
      atRiskCustomers(p.db, workspaceId),
    ]);
    return { model: model ? presentModel(model) : null, tiers, clvHistogram: histogram, atRisk };
  });

  r.get('/api/customers/:id/value', {
    config: { access: 'agent' },
    schema: { tags: ['customers'], summary: "The customer's lifetime-value scores (null fields until the first fit)", params: idParam, response: { 200: valueBody, ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const customer = await getCustomer(p.db, workspaceId, request.params.id);
    if (!customer) throw notFound('Customer');
    const s = scoresOf(customer.attributes);
    const orders = (await listOrders(p.db, workspaceId, customer.id, 10_000)).length;
    const model = s ? await latestModel(p.db, workspaceId) : undefined;
    const currency = (model?.parameters.clv as { currency?: unknown } | undefined)?.currency;
    return {
      customerId: customer.id,
      scored: s !== null,
      valueTier: s?.valueTier ?? null,
      churnRisk: s?.churnRisk ?? null,
      pAlive: s?.pAlive ?? null,
      expectedPurchases52w: s?.expectedPurchases52w ?? null,
      clv: s?.clv ?? null,
      modelVersion: s?.modelVersion ?? null,
      scoredAt: s?.scoredAt ?? null,
      orders,
      currency: typeof currency === 'string' ? currency : null,
    };
  });
}
