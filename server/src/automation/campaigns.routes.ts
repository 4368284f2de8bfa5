// Proactive campaigns' API (docs/automation.md, "Campaigns"): supervisors keep and launch them; the
// unsubscribe page is public and trusts only its sealed token.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { escapeHtml } from '../platform/http/html.ts';
import { decodeCursor, errorBody, errorResponses, idParam, iso, keysetPage, pageLimit } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { campaignStatuses, quietHoursSchema, recipientStatuses, segmentSchema, skipReasons } from './campaigns.ts';
import * as service from './campaigns.service.ts';
import * as store from './campaigns.store.ts';

const tags = ['campaigns'];

const messageSchema = z.object({
  /** Text with placeholders such as {{customer.first_name}}; for WhatsApp what the template stands for. */
  text: z.string().max(10_000).default(''),
  subject: z.string().trim().max(300).nullable().optional(),
  template: z.object({ name: z.string().min(1), language: z.string().min(1), parameters: z.array(z.string().max(1000)).max(20).default([]) }).nullable().optional(),
});

const campaignInput = z.object({
  name: z.string().trim().min(1).max(200),
  channelId: z.uuid(),
  message: messageSchema,
  segment: segmentSchema.default({ hasIdentity: true }),
  quietHours: quietHoursSchema.nullable().default(null),
  /** A lower cap under the channel's campaign rate (channels.campaignRatePerMinute); null: the channel's alone. */
  ratePerMinute: z.number().int().min(1).max(6000).nullable().default(null),
  scheduledAt: z.iso.datetime({ offset: true }).nullable().default(null),
  /** Customers who enter the segment after launch are added while it runs (until endsAt). */
  dynamic: z.boolean().default(false),
  endsAt: z.iso.datetime({ offset: true }).nullable().default(null),
});

const campaignBody = z.object({
  id: z.string(),
  name: z.string(),
  channelId: z.string(),
  message: z.record(z.string(), z.unknown()),
  segment: z.record(z.string(), z.unknown()),
  quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  ratePerMinute: z.number().nullable(),
  dynamic: z.boolean(),
  endsAt: z.string().nullable(),
  status: z.enum(campaignStatuses),
  scheduledAt: z.string().nullable(),
  launchedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const present = (c: store.CampaignRow) => ({
  id: c.id,
  name: c.name,
  channelId: c.channelId,
  message: c.message as unknown as Record<string, unknown>,
  segment: c.segment as unknown as Record<string, unknown>,
  quietHours: c.quietHours ?? null,
  ratePerMinute: c.ratePerMinute,
  dynamic: c.dynamic,
  endsAt: iso(c.endsAt),
  status: c.status,
  scheduledAt: iso(c.scheduledAt),
  launchedAt: iso(c.launchedAt),
  finishedAt: iso(c.finishedAt),
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

const recipientBody = z.object({
  id: z.string(),
  customerId: z.string(),
  name: z.string().nullable(),
  position: z.number(),
  status: z.enum(recipientStatuses),
  dueAt: z.string().nullable(),
  conversationId: z.string().nullable(),
  messageId: z.string().nullable(),
  error: z.string().nullable(),
  sentAt: z.string().nullable(),
  repliedAt: z.string().nullable(),
  /** A wrap-up with an amount was recorded on its conversation after the send. */
  converted: z.boolean(),
});
type RecipientListRow = Awaited<ReturnType<typeof store.listRecipients>>[number];
const presentRecipient = ({ recipient: r, name, converted }: RecipientListRow) => ({
  id: r.id,
  customerId: r.customerId,
  name,
  position: r.position,
  status: r.status,
  dueAt: iso(r.dueAt),
  conversationId: r.conversationId,
  messageId: r.messageId,
  error: r.error,
  sentAt: iso(r.sentAt),
  repliedAt: iso(r.repliedAt),
  converted: Boolean(converted),
});

const skippedBody = z.object(Object.fromEntries(skipReasons.map((r) => [r, z.number()])) as Record<(typeof skipReasons)[number], z.ZodNumber>);

const resultsBody = z.object({
  recipients: z.number(),
  pending: z.number(),
  skipped: z.record(z.string(), z.number()),
  sent: z.number(),
  delivered: z.number(),
  confirmedDelivered: z.number(),
  queued: z.number(),
  failed: z.number(),
  replied: z.number(),
  convertedRevenue: z.object({ amount: z.number(), currency: z.string() }),
});

const previewBody = z.object({
  size: z.number(),
  sendable: z.number(),
  skipped: skippedBody,
  first: z.array(z.object({ customerId: z.string(), name: z.string().nullable(), status: z.string() })),
});

const UNSUBSCRIBE_TEXT = {
  ask: ['Wilt u geen berichten meer van ons ontvangen?', 'Do you no longer want to receive our messages?'],
  button: ['Afmelden', 'Unsubscribe'],
  done: ['U bent afgemeld. U ontvangt geen berichten meer via dit kanaal.', 'You are unsubscribed. You will receive no more messages on this channel.'],
  invalid: ['Deze afmeldlink is ongeldig.', 'This unsubscribe link is not valid.'],
};
function page(lines: string[], form?: string): string {
  const body = lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Afmelden / Unsubscribe</title></head><body>${body}${form ?? ''}</body></html>`;
}

export function campaignsRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const supervisor = { access: 'supervisor' as const };
  const write = { 409: errorBody, ...errorResponses };

  r.get('/api/campaigns', {
    config: supervisor,
    schema: { tags, summary: "The workspace's campaigns, newest first", response: { 200: z.object({ items: z.array(campaignBody) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listCampaigns(p.db, principalOf(request).workspaceId)).map(present) }));

  r.post('/api/campaigns', {
    config: supervisor,
    schema: { tags, summary: 'A new draft campaign', body: campaignInput, response: { 201: campaignBody, ...write } },
  }, async (request, reply) => reply.status(201).send(present(await service.createCampaign(p, principalOf(request), request.body))));

  r.get('/api/campaigns/:id', {
    config: supervisor,
    schema: { tags, params: idParam, response: { 200: campaignBody, ...errorResponses } },
  }, async (request) => present(await service.getCampaignOrThrow(p, principalOf(request).workspaceId, request.params.id)));

  r.put('/api/campaigns/:id', {
    config: supervisor,
    schema: { tags, summary: 'Change a draft campaign', params: idParam, body: campaignInput, response: { 200: campaignBody, ...write } },
  }, async (request) => present(await service.updateCampaign(p, principalOf(request), request.params.id, request.body)));

  r.delete('/api/campaigns/:id', {
    config: supervisor,
    schema: { tags, summary: 'Delete a draft campaign', params: idParam, response: { 204: z.null(), ...write } },
  }, async (request, reply) => {
    await service.deleteCampaign(p, principalOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  r.get('/api/campaigns/:id/preview', {
    config: supervisor,
    schema: { tags, summary: 'The segment now: its size, who would be skipped and why, the first 20 members', params: idParam, response: { 200: previewBody, ...errorResponses } },
  }, async (request) => service.previewCampaign(p, principalOf(request).workspaceId, request.params.id));

  r.post('/api/campaigns/:id/launch', {
    config: supervisor,
    schema: { tags, summary: 'Fix the recipients and start sending (at scheduledAt, paced, outside quiet hours)', params: idParam, response: { 200: campaignBody, ...write } },
  }, async (request) => present(await service.launchCampaign(p, principalOf(request), request.params.id)));

  r.post('/api/campaigns/:id/cancel', {
    config: supervisor,
    schema: { tags, summary: 'Stop a campaign: nothing more is sent', params: idParam, response: { 200: campaignBody, ...write } },
  }, async (request) => present(await service.cancelCampaign(p, principalOf(request), request.params.id)));

  r.get('/api/campaigns/:id/recipients', {
    config: supervisor,
    schema: {
      tags,
      summary: 'The recipients in sending order, with what became of each',
      params: idParam,
      querystring: z.object({ status: z.enum(recipientStatuses).optional(), cursor: z.string().optional(), limit: pageLimit }),
      response: { 200: z.object({ items: z.array(recipientBody), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    await service.getCampaignOrThrow(p, workspaceId, request.params.id);
    const after = decodeCursor(request.query.cursor, z.object({ position: z.number() }));
    const rows = await store.listRecipients(p.db, workspaceId, request.params.id, { status: request.query.status, limit: request.query.limit + 1, afterPosition: after?.position });
    return keysetPage(rows, request.query.limit, presentRecipient, (last) => ({ position: last.recipient.position }));
  });

  r.get('/api/campaigns/:id/results', {
    config: supervisor,
    schema: { tags, summary: 'Recipients, skipped by reason, sent, delivered, failed, replied and converted revenue', params: idParam, response: { 200: resultsBody, ...errorResponses } },
  }, async (request) => service.campaignResults(p, principalOf(request).workspaceId, request.params.id));

  // The unsubscribe link of campaign mail. GET only asks (mail scanners follow links); the form's
  // POST, or a mail client's one-click POST, opts the identity out.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));
    const s = scope.withTypeProvider<ZodTypeProvider>();
    // In the query, not the path: a sealed token is longer than Fastify's 100-character path parameters.
    const tokenQuery = { querystring: z.object({ token: z.string().max(2000).default('') }) };
    s.get('/campaigns/unsubscribe', { schema: { hide: true, ...tokenQuery } }, async (request, reply) => {
      const valid = service.isValidUnsubscribeToken(p, request.query.token);
      reply.type('text/html; charset=utf-8');
      if (!valid) return reply.status(404).send(page(UNSUBSCRIBE_TEXT.invalid));
      const form = `<form method="post"><button type="submit">${escapeHtml(UNSUBSCRIBE_TEXT.button.join(' / '))}</button></form>`;
      return page(UNSUBSCRIBE_TEXT.ask, form);
    });
    s.post('/campaigns/unsubscribe', { schema: { hide: true, ...tokenQuery } }, async (request, reply) => {
      const done = await service.unsubscribe(p, request.query.token);
      reply.type('text/html; charset=utf-8');
      return reply.status(done ? 200 : 404).send(page(done ? UNSUBSCRIBE_TEXT.done : UNSUBSCRIBE_TEXT.invalid));
    });
  });
}
