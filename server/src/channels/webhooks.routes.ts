import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { getChannelById, insertWebhookReject } from './channels.store.ts';
import type { ChannelAdapter, WebhookReply, WebhookRequest } from './contract.ts';
import { WebhookError } from './contract.ts';
import { contextOf, storeInboundEvents } from './inbound.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one webhook endpoint of every provider: `/channels/<type>/<channelId>/webhook`.
 * verify (401 and nothing stored) -> parse (400, the body kept in webhook_rejects) -> store every
 * event idempotently -> only then answer 2xx. A failure while storing answers 500, so the
 * provider delivers again; the replay then finds what was already stored and adds nothing.
 */
export function webhookRoutes(app: FastifyInstance, p: Platform, adapterOf: (type: string, provider: string) => ChannelAdapter | undefined): void {
  void app.register(async (scope) => {
    // Signatures cover the exact bytes: take every body raw, and parse in the adapter.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) => done(null, body));

    const load = async (request: FastifyRequest<{ Params: { type: string; channelId: string } }>) => {
      const { type, channelId } = request.params;
      const channel = UUID.test(channelId) ? await getChannelById(p.db, channelId) : undefined;
      const adapter = channel && channel.type === type ? adapterOf(channel.type, channel.provider) : undefined;
      if (!channel || !adapter?.webhook || !channel.enabled) throw new WebhookError(404, 'No such channel, or it takes no webhooks');
      return { channel, adapter, webhook: adapter.webhook, ctx: contextOf(p, adapter, channel) };
    };

    const asRequest = (request: FastifyRequest): WebhookRequest => {
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const query: Record<string, string> = {};
      for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) query[name] = String(Array.isArray(value) ? value[0] : value);
      return {
        method: request.method === 'GET' ? 'GET' : 'POST',
        publicUrl: `${p.config.publicUrl}${request.url}`,
        headers,
        query,
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        contentType: String(request.headers['content-type'] ?? ''),
      };
    };

    const send = (reply: FastifyReply, answer: WebhookReply) => {
      reply.code(answer.status);
      if (answer.contentType) reply.type(answer.contentType);
      return reply.send(answer.body ?? '');
    };

    const fail = (reply: FastifyReply, error: unknown) => {
      if (error instanceof WebhookError) return reply.code(error.statusCode).send({ error: { code: `webhook_${error.statusCode}`, message: error.message } });
      throw error;
    };

    scope.get<{ Params: { type: string; channelId: string } }>('/channels/:type/:channelId/webhook', async (request, reply) => {
      try {
        const { webhook, ctx } = await load(request);
        if (!webhook.handshake) throw new WebhookError(404, 'This channel has no webhook handshake');
        return send(reply, webhook.handshake(ctx, asRequest(request)));
      } catch (error) {
        return fail(reply, error);
      }
    });

    scope.post<{ Params: { type: string; channelId: string } }>('/channels/:type/:channelId/webhook', async (request, reply) => {
      let loaded;
      try {
        loaded = await load(request);
      } catch (error) {
        return fail(reply, error);
      }
      const { channel, adapter, webhook, ctx } = loaded;
      const incoming = asRequest(request);
      try {
        webhook.verify(ctx, incoming);
      } catch (error) {
        if (error instanceof WebhookError) p.log.warn({ channelId: channel.id, reason: error.message }, 'webhook refused');
        return fail(reply, error);
      }
      let events;
      try {
        events = webhook.parse(ctx, incoming);
      } catch (error) {
        const message = error instanceof WebhookError ? error.message : `unreadable payload: ${error instanceof Error ? error.message : String(error)}`;
        await insertWebhookReject(
          p.db,
          {
            workspaceId: channel.workspaceId,
            channelId: channel.id,
            bodySha256: createHash('sha256').update(incoming.rawBody).digest('hex'),
            contentType: incoming.contentType || null,
            body: incoming.rawBody.toString('utf8').slice(0, 100_000),
            error: message,
          },
          p.clock.now(),
        );
        p.log.warn({ channelId: channel.id, reason: message }, 'webhook payload rejected');
        return reply.code(400).send({ error: { code: 'webhook_payload', message } });
      }
      await storeInboundEvents(p, channel, events, { lookupProfiles: Boolean(adapter.lookupProfile) });
      return send(reply, webhook.reply?.(ctx) ?? { status: 200, contentType: 'application/json', body: '{"ok":true}' });
    });
  });
}
