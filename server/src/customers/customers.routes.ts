import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { notFound } from '../platform/errors.ts';
import { errorResponses, idParam } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { listConversations } from '../conversations/conversations.store.ts';
import { presentConversation } from '../conversations/present.ts';
import { conversationBody } from '../conversations/conversations.routes.ts';
import { getCustomer, listIdentities } from './customers.store.ts';

const customerBody = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  identities: z.array(z.object({ channelType: z.string(), externalId: z.string(), verified: z.boolean() })),
  createdAt: z.string(),
});

export function customerRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/customers/:id', {
    config: { access: 'agent' },
    schema: { tags: ['customers'], summary: 'A customer with their identities on every channel', params: idParam, response: { 200: customerBody, ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const customer = await getCustomer(p.db, workspaceId, request.params.id);
    if (!customer) throw notFound('Customer');
    const identities = await listIdentities(p.db, workspaceId, customer.id);
    return {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      phone: customer.phone,
      language: customer.language,
      attributes: customer.attributes,
      identities: identities.map((i) => ({ channelType: i.channelType, externalId: i.externalId, verified: i.verified })),
      createdAt: customer.createdAt.toISOString(),
    };
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
