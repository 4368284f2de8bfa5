import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Platform } from '../../platform/platform.ts';
import { enabledChannelsOf, insertWebhookReject, type ChannelRow } from '../channels.store.ts';
import type { ChannelAdapter, InboundEvent, WebhookContext } from '../contract.ts';
import { WebhookError } from '../contract.ts';
import { contextOf, storeInboundEvents } from '../inbound.ts';
import type { MetaSecrets } from './meta.config.ts';
import { ACCOUNT_SETTING, appWebhookPath, splitByAccount, type MetaProduct } from './meta.app.parse.ts';
import type { MetaJson } from './meta.parse.ts';
import { META_SIGNATURE_HEADER, metaHandshake, verifyMetaSignature } from './meta.signature.ts';

/** What the app-level webhook needs of a product's adapter. */
export interface MetaAppProduct<C> {
  product: MetaProduct;
  adapter: ChannelAdapter<C, MetaSecrets>;
  /** The channel's events from its account's part of the delivery (the same parse as its own webhook). */
  parse: (config: C, part: MetaJson) => InboundEvent[];
}

type Ctx<C> = WebhookContext<C, MetaSecrets>;

/**
 * Meta lets an app have one callback URL per product, so every WhatsApp number, Page or Instagram
 * account of the app (in any workspace of this instance) is delivered to
 * `/channels/meta/<product>/webhook`. Each entry goes to the enabled channel(s) whose settings
 * name its account and whose app secret signed the body (401, nothing stored, when none did),
 * and each channel's part is parsed and stored as its own webhook would. The answer comes only after everything is stored.
 */
export function metaAppWebhookRoutes<C>(app: FastifyInstance, p: Platform, product: MetaAppProduct<C>): void {
  const { adapter } = product;
  const path = appWebhookPath(product.product);

  /** The enabled channels of the product with their settings and secrets; one that cannot be read is skipped, not fatal. */
  const channels = async (): Promise<Array<Ctx<C>>> => {
    const found: Array<Ctx<C>> = [];
    for (const channel of await enabledChannelsOf(p.db, adapter.type, adapter.provider)) {
      try {
        found.push(contextOf(p, adapter, channel));
      } catch (error) {
        p.log.warn({ channelId: channel.id, err: error }, 'meta app webhook: channel settings unreadable, skipped');
      }
    }
    return found;
  };
  const accountOf = (ctx: Ctx<C>) => String((ctx.config as Record<string, unknown>)[ACCOUNT_SETTING[product.product]] ?? '');

  const fail = (reply: FastifyReply, error: WebhookError) => reply.code(error.statusCode).send({ error: { code: `webhook_${error.statusCode}`, message: error.message } });

  void app.register(async (scope) => {
    // The signature covers the exact bytes: take the body raw, as the per-channel webhook does.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) => done(null, body));

    scope.get(path, async (request, reply) => {
      const query: Record<string, string> = {};
      for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) query[name] = String(Array.isArray(value) ? value[0] : value);
      // Any channel of the product may have been the one whose verify token the admin entered at Meta.
      for (const ctx of await channels()) {
        try {
          const answer = metaHandshake(query, ctx.secrets.verifyToken);
          return reply.code(answer.status).type(answer.contentType!).send(answer.body);
        } catch (error) {
          if (!(error instanceof WebhookError)) throw error;
        }
      }
      return fail(reply, new WebhookError(403, `Verification failed: hub.mode must be subscribe and hub.verify_token must equal the verify token of an enabled ${adapter.label} channel`));
    });

    scope.post(path, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = typeof request.headers[META_SIGNATURE_HEADER] === 'string' ? request.headers[META_SIGNATURE_HEADER] : undefined;
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        json = undefined;
      }
      // Until a channel is found there is no secret to check the body with: an unreadable or foreign body is refused unverified.
      const parts = splitByAccount(product.product, json);
      const known = await channels();
      const matched: Array<{ ctx: Ctx<C>; part: MetaJson }> = [];
      for (const [account, part] of parts) for (const ctx of known) if (accountOf(ctx) === account) matched.push({ ctx, part });
      if (matched.length === 0) {
        p.log.warn({ product: product.product, accounts: [...parts.keys()].slice(0, 10) }, 'meta app webhook refused: no enabled channel for any account in the delivery');
        return fail(reply, new WebhookError(401, `No enabled ${adapter.label} channel for the account(s) in this delivery`));
      }
      // Only the channels whose app secret signed this body get their part. Another workspace
      // naming the same account with a different secret must not be able to block the delivery,
      // nor receive it.
      const verified = matched.filter(({ ctx }) => {
        try {
          verifyMetaSignature(signature, raw, ctx.secrets.appSecret);
          return true;
        } catch (error) {
          if (!(error instanceof WebhookError)) throw error;
          p.log.warn({ channelId: ctx.channel.id, reason: error.message }, 'meta app webhook: signature does not match this channel');
          return false;
        }
      });
      if (verified.length === 0) return fail(reply, new WebhookError(401, 'Missing or wrong X-Hub-Signature-256 for every channel of the accounts in this delivery'));
      matched.splice(0, matched.length, ...verified);
      const skipped = [...parts.keys()].filter((account) => !matched.some(({ ctx }) => accountOf(ctx) === account));
      if (skipped.length) p.log.info({ product: product.product, accounts: skipped.slice(0, 10) }, 'meta app webhook: entries for accounts without a channel skipped');

      // Everything is parsed before anything is stored: a 400 stores nothing.
      const parsed: Array<{ channel: ChannelRow; events: InboundEvent[] }> = [];
      for (const { ctx, part } of matched) {
        try {
          parsed.push({ channel: ctx.channel, events: product.parse(ctx.config, part) });
        } catch (error) {
          const message = error instanceof WebhookError ? error.message : `unreadable payload: ${error instanceof Error ? error.message : String(error)}`;
          const first = matched[0]!.ctx.channel;
          await insertWebhookReject(
            p.db,
            {
              workspaceId: first.workspaceId,
              channelId: first.id,
              bodySha256: createHash('sha256').update(raw).digest('hex'),
              contentType: String(request.headers['content-type'] ?? '') || null,
              body: raw.toString('utf8').slice(0, 100_000),
              error: message,
            },
            p.clock.now(),
          );
          p.log.warn({ channelId: ctx.channel.id, reason: message }, 'meta app webhook payload rejected');
          return reply.code(400).send({ error: { code: 'webhook_payload', message } });
        }
      }
      for (const { channel, events } of parsed) await storeInboundEvents(p, channel, events, { lookupProfiles: Boolean(adapter.lookupProfile) });
      return reply.code(200).type('text/plain').send('EVENT_RECEIVED');
    });
  });
}
