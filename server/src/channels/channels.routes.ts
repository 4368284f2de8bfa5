import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { badRequest, notFound } from '../platform/errors.ts';
import { errorResponses, idParam } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { getConversation } from '../conversations/conversations.store.ts';
import { getChannel, insertChannel, listChannels, listWebhookRejects, updateChannelRow, type ChannelRow } from './channels.store.ts';
import type { ChannelAdapter } from './contract.ts';
import { contextOf } from './inbound.ts';
import { adapterFor, channelAdapters } from './registry.ts';
import { replyOptions } from './reply.ts';

const localized = z.object({ nl: z.string(), en: z.string() });
const channelBody = z.object({
  id: z.string(),
  type: z.string(),
  provider: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()),
  /** Which secrets are set; their values never leave the server. */
  secretsSet: z.array(z.string()),
  /** Where the provider must deliver: paste it into the provider's console. */
  webhookUrl: z.string().nullable(),
  /** Where customers reach a channel that has no webhook (its email address), when the adapter says. */
  inboundAddress: z.string().nullable(),
  /** Outbound campaign messages a minute, shared by all campaigns on the channel; null: the default (60). */
  campaignRatePerMinute: z.number().nullable(),
  createdAt: z.string(),
});
const campaignRate = z.number().int().min(1).max(6000).nullable();

/** Checks settings and secrets against the adapter, with the field path in the error. */
function validated<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? `${what}.${issue.path.join('.')}` : what;
  throw badRequest('invalid_channel_settings', `${where}: ${issue.message}`, parsed.error.issues);
}

const adapterOrFail = (type: string, provider: string) => {
  const adapter = adapterFor(type, provider);
  if (!adapter) throw badRequest('unknown_channel_type', `There is no ${type} channel through ${provider}; see GET /api/channels/types`);
  return adapter;
};

export function channelRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const present = (c: ChannelRow) => {
    const adapter = adapterFor(c.type, c.provider);
    const secrets = c.secrets ? Object.keys(p.secrets.open(c.secrets)) : [];
    return {
      id: c.id,
      type: c.type,
      provider: c.provider,
      name: c.name,
      enabled: c.enabled,
      config: c.config,
      secretsSet: secrets,
      webhookUrl: adapter?.webhook ? `${p.config.publicUrl}/channels/${c.type}/${c.id}/webhook` : null,
      inboundAddress: adapter?.inboundAddress ? adapter.inboundAddress(p, c, adapter.config.parse(c.config ?? {})) : null,
      campaignRatePerMinute: c.campaignRatePerMinute ?? null,
      createdAt: c.createdAt.toISOString(),
    };
  };

  r.get('/api/channels', {
    config: { access: 'agent' },
    schema: { tags: ['channels'], summary: "The workspace's channels with their public settings (never their secrets)", response: { 200: z.object({ items: z.array(channelBody) }), ...errorResponses } },
  }, async (request) => ({ items: (await listChannels(p.db, principalOf(request).workspaceId)).map(present) }));

  r.get('/api/channels/types', {
    config: { access: 'admin' },
    schema: {
      tags: ['channels'],
      summary: 'The channel types Hoorn can connect, with the settings each needs',
      response: {
        200: z.object({
          items: z.array(
            z.object({
              type: z.string(),
              provider: z.string(),
              label: z.string(),
              inbound: z.enum(['webhook', 'poll', 'listener', 'hoorn']),
              testable: z.boolean(),
              fields: z.array(
                z.object({
                  key: z.string(),
                  kind: z.string(),
                  label: localized,
                  help: localized.optional(),
                  required: z.boolean().optional(),
                  placeholder: z.string().optional(),
                  options: z.array(z.object({ value: z.string(), label: localized })).optional(),
                }),
              ),
            }),
          ),
        }),
        ...errorResponses,
      },
    },
  }, async () => ({
    items: channelAdapters.map((a: ChannelAdapter) => ({
      type: a.type,
      provider: a.provider,
      label: a.label,
      inbound: a.webhook ? ('webhook' as const) : a.start ? ('listener' as const) : a.poll ? ('poll' as const) : ('hoorn' as const),
      testable: Boolean(a.testConnection),
      fields: a.fields,
    })),
  }));

  const secretKeys = (adapter: ChannelAdapter) => new Set(adapter.fields.filter((f) => f.kind === 'secret').map((f) => f.key));

  r.post('/api/channels', {
    config: { access: 'admin' },
    schema: {
      tags: ['channels'],
      summary: 'Connect a channel',
      body: z.object({
        type: z.string().min(1).max(40),
        provider: z.string().min(1).max(40).default('hoorn'),
        name: z.string().trim().min(1).max(100),
        enabled: z.boolean().default(true),
        config: z.record(z.string(), z.unknown()).default({}),
        secrets: z.record(z.string(), z.unknown()).default({}),
        campaignRatePerMinute: campaignRate.default(null),
      }),
      response: { 201: channelBody, ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    const adapter = adapterOrFail(body.type, body.provider);
    const config = validated(adapter.config, body.config, 'config') as Record<string, unknown>;
    const secrets = validated(adapter.secrets, body.secrets, 'secrets') as Record<string, unknown>;
    const row = await inTransaction(p, async (tx) => {
      const channel = await insertChannel(
        tx,
        principal.workspaceId,
        { type: body.type, provider: body.provider, name: body.name, enabled: body.enabled, config, secrets: Object.keys(secrets).length ? p.secrets.seal(secrets) : null, campaignRatePerMinute: body.campaignRatePerMinute },
        p.clock.now(),
      );
      await appendEvent(tx, {
        workspaceId: principal.workspaceId,
        type: 'channel.created',
        subjectType: 'channel',
        subjectId: channel.id,
        payload: { type: channel.type, provider: channel.provider, name: channel.name },
        actorId: principal.actorId,
      });
      return channel;
    });
    return reply.status(201).send(present(row));
  });

  r.patch('/api/channels/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['channels'],
      summary: "Change a channel's name, settings or secrets, or switch it on or off. A setting sent as null returns to its default; secrets not sent (or sent empty) are kept.",
      params: idParam,
      body: z.object({
        name: z.string().trim().min(1).max(100).optional(),
        enabled: z.boolean().optional(),
        config: z.record(z.string(), z.unknown()).optional(),
        secrets: z.record(z.string(), z.unknown()).optional(),
        campaignRatePerMinute: campaignRate.optional(),
      }),
      response: { 200: channelBody, ...errorResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await inTransaction(p, async (tx) => {
      const current = await getChannel(tx, principal.workspaceId, request.params.id);
      if (!current) throw notFound('Channel');
      const adapter = adapterOrFail(current.type, current.provider);
      const changes: Parameters<typeof updateChannelRow>[3] = {};
      if (request.body.name !== undefined) changes.name = request.body.name;
      if (request.body.enabled !== undefined) changes.enabled = request.body.enabled;
      if (request.body.campaignRatePerMinute !== undefined) changes.campaignRatePerMinute = request.body.campaignRatePerMinute;
      if (request.body.config) {
        // A setting sent as null goes back to its default.
        const merged = Object.fromEntries(Object.entries({ ...current.config, ...request.body.config }).filter(([, v]) => v !== null));
        changes.config = validated(adapter.config, merged, 'config') as Record<string, unknown>;
      }
      if (request.body.secrets) {
        const kept = current.secrets ? p.secrets.open(current.secrets) : {};
        const sent = Object.fromEntries(Object.entries(request.body.secrets).filter(([, v]) => v !== '' && v !== null && v !== undefined));
        const merged = validated(adapter.secrets, { ...kept, ...sent }, 'secrets') as Record<string, unknown>;
        changes.secrets = p.secrets.seal(merged);
      }
      const updated = await updateChannelRow(tx, principal.workspaceId, current.id, changes);
      await appendEvent(tx, {
        workspaceId: principal.workspaceId,
        type: 'channel.updated',
        subjectType: 'channel',
        subjectId: current.id,
        // Which secrets changed is recorded, never their values.
        payload: { changed: Object.keys(changes), secretsChanged: request.body.secrets ? Object.keys(request.body.secrets).filter((k) => secretKeys(adapter).has(k)) : [] },
        actorId: principal.actorId,
      });
      return updated!;
    });
    return present(row);
  });

  r.post('/api/channels/:id/test', {
    config: { access: 'admin' },
    schema: {
      tags: ['channels'],
      summary: "Test the channel's connection with the provider (checks credentials, sends nothing to customers)",
      params: idParam,
      response: { 200: z.object({ ok: z.boolean(), detail: z.string() }), ...errorResponses },
    },
  }, async (request) => {
    const channel = await getChannel(p.db, principalOf(request).workspaceId, request.params.id);
    if (!channel) throw notFound('Channel');
    const adapter = adapterOrFail(channel.type, channel.provider);
    if (!adapter.testConnection) return { ok: true, detail: 'This channel has nothing to test.' };
    try {
      return await adapter.testConnection(contextOf(p, adapter, channel));
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  });

  r.get('/api/channels/:id/rejects', {
    config: { access: 'admin' },
    schema: {
      tags: ['channels'],
      summary: 'Provider deliveries that were signed correctly but could not be read (kept for inspection)',
      params: idParam,
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), error: z.string(), contentType: z.string().nullable(), body: z.string(), receivedAt: z.string() })) }), ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    if (!(await getChannel(p.db, workspaceId, request.params.id))) throw notFound('Channel');
    const rows = await listWebhookRejects(p.db, workspaceId, request.params.id);
    return { items: rows.map((r) => ({ id: r.id, error: r.error, contentType: r.contentType, body: r.body, receivedAt: r.receivedAt.toISOString() })) };
  });

  r.get('/api/conversations/:id/reply-options', {
    config: { access: 'agent' },
    schema: {
      tags: ['conversations'],
      summary: "What a reply may be on this conversation's channel: length, files, the reply window and templates",
      params: idParam,
      response: {
        200: z.object({
          maxTextLength: z.number(),
          attachments: z.object({ maxBytes: z.number(), types: z.array(z.string()) }).nullable(),
          window: z.object({ hours: z.number(), closesAt: z.string().nullable(), open: z.boolean() }).nullable(),
          templates: z.array(z.object({ name: z.string(), language: z.string(), body: z.string(), parameters: z.number() })),
          optedOut: z.boolean(),
        }),
        ...errorResponses,
      },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const conversation = await getConversation(p.db, workspaceId, request.params.id);
    if (!conversation) throw notFound('Conversation');
    const { textLength: _countedOnTheServer, ...options } = await replyOptions(p, p.db, conversation, p.clock.now());
    return options;
  });
}
