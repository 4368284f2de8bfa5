import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { and, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import { principalOf } from '../platform/auth/guard.ts';
import { badRequest, notFound } from '../platform/errors.ts';
import { inTransaction } from '../platform/events/events.ts';
import { appendEvent } from '../platform/events/events.ts';
import { errorBody, errorResponses, idParam, iso } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { listConversations } from '../conversations/conversations.store.ts';
import { presentConversation } from '../conversations/present.ts';
import { conversationBody } from '../conversations/conversations.routes.ts';
import { getCustomer, listIdentities, type CustomerRow } from './customers.store.ts';
import { customers } from './customers.schema.ts';
import { eraseCustomer, exportCustomer } from './gdpr.service.ts';
import { identitySettingsSchema } from './identity.ts';
import { decideSuggestion, getIdentitySettings, mergeCustomers, mergeHistory, openSuggestions, putIdentitySettings, resolveCustomer, unmergeCustomers, type MergeRow } from './identity.service.ts';

const customerBody = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  identities: z.array(z.object({ channelType: z.string(), externalId: z.string(), verified: z.boolean(), optedOut: z.boolean() })),
  /** Set when this customer was merged into another; the desk follows it. */
  mergedIntoId: z.string().nullable(),
  erasedAt: z.string().nullable(),
  createdAt: z.string(),
});

const customerSummary = z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() });
const mergeBody = z.object({
  id: z.string(),
  survivorId: z.string(),
  mergedId: z.string(),
  rule: z.string().nullable(),
  actorId: z.string(),
  identities: z.number(),
  conversations: z.number(),
  orders: z.number(),
  createdAt: z.string(),
  undoneAt: z.string().nullable(),
  undoneBy: z.string().nullable(),
});
const suggestionBody = z.object({ id: z.string(), rule: z.string(), value: z.string(), createdAt: z.string(), other: customerSummary });
const conflictResponses = { 409: errorBody, ...errorResponses };

const profilePatch = z
  .object({
    name: z.string().trim().max(200).nullable(),
    email: z.string().trim().max(320).nullable(),
    phone: z.string().trim().max(40).nullable(),
    language: z.string().trim().max(20).nullable(),
    /** Merged into the stored attributes; a null value removes the key. */
    attributes: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,59}$/), z.unknown()),
  })
  .partial()
  .strict();

function presentMerge(m: MergeRow) {
  return {
    id: m.id,
    survivorId: m.survivorId,
    mergedId: m.mergedId,
    rule: m.rule,
    actorId: m.actorId,
    identities: m.moved.identityIds.length,
    conversations: m.moved.conversationIds.length,
    orders: m.moved.orderIds.length,
    createdAt: m.createdAt.toISOString(),
    undoneAt: iso(m.undoneAt),
    undoneBy: m.undoneBy,
  };
}

/** Scores written by the lifetime-value refit; not editable through the profile. */
const SCORE_ATTRIBUTES = new Set(['valueTier', 'churnRisk', 'pAlive', 'expectedPurchases52w', 'clv', 'clvModelVersion', 'scoredAt']);

export function customerRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/customers/:id', {
    config: { access: 'agent' },
    schema: { tags: ['customers'], summary: 'A customer with their identities on every channel', params: idParam, response: { 200: customerBody, ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const customer = await getCustomer(p.db, workspaceId, request.params.id);
    if (!customer) throw notFound('Customer');
    return present(customer);
  });

  async function present(customer: CustomerRow) {
    const identities = await listIdentities(p.db, customer.workspaceId, customer.id);
    return {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      phone: customer.phone,
      language: customer.language,
      attributes: customer.attributes,
      identities: identities.map((i) => ({ channelType: i.channelType, externalId: i.externalId, verified: i.verified, optedOut: i.optedOutAt !== null })),
      mergedIntoId: customer.mergedIntoId,
      erasedAt: iso(customer.erasedAt),
      createdAt: customer.createdAt.toISOString(),
    };
  }

  r.get('/api/customers', {
    config: { access: 'agent' },
    schema: {
      tags: ['customers'],
      summary: 'Find customers by name, e-mail address or phone number (for a manual merge, say)',
      querystring: z.object({ q: z.string().trim().min(2).max(200), limit: z.coerce.number().int().min(1).max(50).default(20) }),
      response: { 200: z.object({ items: z.array(customerSummary) }), ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const like = `%${request.query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await p.db
      .select({ id: customers.id, name: customers.name, email: customers.email, phone: customers.phone })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), isNull(customers.mergedIntoId), isNull(customers.erasedAt), or(ilike(customers.name, like), ilike(customers.email, like), ilike(customers.phone, like))))
      .orderBy(sql`${customers.updatedAt} desc`)
      .limit(request.query.limit);
    return { items: rows };
  });

  r.patch('/api/customers/:id', {
    config: { access: 'agent' },
    schema: { tags: ['customers'], summary: "Edit a customer's profile and attributes; a new address, number or key may match another customer", params: idParam, body: profilePatch, response: { 200: customerBody, ...conflictResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const body = request.body;
    const customer = await inTransaction(p, async (tx) => {
      const [current] = await tx.select().from(customers).where(and(eq(customers.workspaceId, principal.workspaceId), eq(customers.id, request.params.id))).for('update');
      if (!current) throw notFound('Customer');
      if (current.mergedIntoId || current.erasedAt) throw badRequest('customer_inactive', current.erasedAt ? 'This customer was erased' : `This customer was merged into ${current.mergedIntoId}`);
      const scores = Object.keys(body.attributes ?? {}).filter((k) => SCORE_ATTRIBUTES.has(k));
      if (scores.length > 0) throw badRequest('validation', `attributes.${scores[0]}: set by the lifetime-value model, not by hand`);
      const attributes = { ...current.attributes };
      for (const [key, value] of Object.entries(body.attributes ?? {})) {
        if (value === null) delete attributes[key];
        else attributes[key] = value;
      }
      const patch = { ...body, attributes, updatedAt: p.clock.now() };
      for (const key of ['name', 'email', 'phone', 'language'] as const) if (patch[key] === '') patch[key] = null;
      await tx.update(customers).set(patch).where(eq(customers.id, current.id));
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'customer.updated', subjectType: 'customer', subjectId: current.id, payload: { fields: Object.keys(body), attributes: Object.keys(body.attributes ?? {}) }, actorId: principal.actorId });
      const survivorId = await resolveCustomer(tx, current.id, principal.workspaceId, p.clock.now(), principal.actorId);
      return (await getCustomer(tx, principal.workspaceId, survivorId))!;
    });
    return present(customer);
  });

  r.get('/api/customers/:id/identity', {
    config: { access: 'agent' },
    schema: { tags: ['customers'], summary: 'Open merge suggestions and the merge history of a customer', params: idParam, response: { 200: z.object({ suggestions: z.array(suggestionBody), merges: z.array(mergeBody) }), ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    if (!(await getCustomer(p.db, workspaceId, request.params.id))) throw notFound('Customer');
    const suggestions = await openSuggestions(p.db, workspaceId, request.params.id);
    const merges = await mergeHistory(p.db, workspaceId, request.params.id);
    return { suggestions: suggestions.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })), merges: merges.map(presentMerge) };
  });

  r.post('/api/customers/:id/merge', {
    config: { access: 'agent' },
    schema: {
      tags: ['customers'],
      summary: 'Merge another customer into this one (this one survives); recorded and undoable',
      params: idParam,
      body: z.object({ otherCustomerId: z.uuid() }),
      response: { 201: mergeBody, ...conflictResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const merge = await inTransaction(p, (tx) => mergeCustomers(tx, principal.workspaceId, request.params.id, request.body.otherCustomerId, { actorId: principal.actorId }, p.clock.now()));
    return reply.status(201).send(presentMerge(merge));
  });

  r.post('/api/customer-merges/:id/undo', {
    config: { access: 'supervisor' },
    schema: { tags: ['customers'], summary: 'Undo a merge: what moved goes back, and the two are not merged automatically again', params: idParam, response: { 200: mergeBody, ...conflictResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return presentMerge(await inTransaction(p, (tx) => unmergeCustomers(tx, principal.workspaceId, request.params.id, principal.actorId, p.clock.now())));
  });

  r.post('/api/merge-suggestions/:id', {
    config: { access: 'agent' },
    schema: {
      tags: ['customers'],
      summary: 'Decide a merge suggestion: merge (optionally naming the survivor) or dismiss for good',
      params: idParam,
      body: z.object({ decision: z.enum(['merge', 'dismiss']), survivorId: z.uuid().optional() }),
      response: { 200: z.object({ merge: mergeBody.nullable() }), ...conflictResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const { merge } = await inTransaction(p, (tx) => decideSuggestion(tx, principal.workspaceId, request.params.id, request.body.decision, request.body.survivorId, principal.actorId, p.clock.now()));
    return { merge: merge ? presentMerge(merge) : null };
  });

  r.get('/api/customer-settings/identity', {
    config: { access: 'supervisor' },
    schema: { tags: ['customers'], summary: 'Identity-resolution rules: which keys match customers across channels, and which may merge without asking', response: { 200: identitySettingsSchema, ...errorResponses } },
  }, async (request) => getIdentitySettings(p.db, principalOf(request).workspaceId));

  r.put('/api/customer-settings/identity', {
    config: { access: 'admin' },
    schema: { tags: ['customers'], summary: 'Replace the identity-resolution rules (applies to customers as they next change)', body: identitySettingsSchema, response: { 200: identitySettingsSchema, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    await inTransaction(p, (tx) => putIdentitySettings(tx, principal.workspaceId, request.body, principal.actorId, p.clock.now()));
    return request.body;
  });

  r.get('/api/customers/:id/export', {
    config: { access: 'supervisor' },
    schema: { tags: ['customers'], summary: 'Everything Hoorn holds about a customer as JSON (GDPR right of access); the export is logged', params: idParam, response: { 200: z.record(z.string(), z.unknown()), ...conflictResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const data = await exportCustomer(p.db, principal.workspaceId, request.params.id, p.clock.now());
    await inTransaction(p, (tx) => appendEvent(tx, { workspaceId: principal.workspaceId, type: 'customer.exported', subjectType: 'customer', subjectId: request.params.id, payload: {}, actorId: principal.actorId }));
    reply.header('content-disposition', `attachment; filename="customer-${request.params.id}.json"`);
    return data;
  });

  r.post('/api/customers/:id/erase', {
    config: { access: 'admin' },
    schema: {
      tags: ['customers'],
      summary: "Erase a customer's personal data (GDPR right to erasure): messages redacted, identities removed, figures kept",
      params: idParam,
      body: z.object({ confirm: z.literal(true, { message: 'send confirm: true to erase' }) }),
      response: {
        200: z.object({ customerId: z.string(), erasedAt: z.string(), conversations: z.number(), messages: z.number(), attachments: z.number(), identities: z.number(), orders: z.number(), canceledSends: z.number() }),
        ...conflictResponses,
      },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return inTransaction(p, (tx) => eraseCustomer(tx, principal.workspaceId, request.params.id, principal.actorId, p.clock.now()));
  });

  r.get('/api/customers/:id/conversations', {
    config: { access: 'agent' },
    schema: { tags: ['customers'], summary: "The customer's conversations on every channel, newest first", params: idParam, response: { 200: z.object({ items: z.array(conversationBody) }), ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    if (!(await getCustomer(p.db, workspaceId, request.params.id))) throw notFound('Customer');
    const rows = await listConversations(p.db, workspaceId, { customerId: request.params.id, limit: 200 });
    return { items: rows.map(presentConversation) };
  });
}
