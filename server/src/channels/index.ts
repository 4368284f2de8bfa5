import type { FastifyInstance } from 'fastify';
import { DeliveryError } from '../platform/outbox/outbox.ts';
import type { Platform } from '../platform/platform.ts';
import * as conversationStore from '../conversations/conversations.store.ts';
import { channelOutboxKind, deliveryHooks, onBeforeReply } from '../conversations/conversations.service.ts';
import { replyGuard } from './reply.ts';
import { MEDIA_OUTBOX_KIND, PROFILE_OUTBOX_KIND } from '../conversations/receive.ts';
import { getChannel, purgeChannelState } from './channels.store.ts';
import { channelRoutes } from './channels.routes.ts';
import { channelAdapters, adapterFor } from './registry.ts';
import { applyEarlyStatuses, contextOf, mediaSender, profileSender } from './inbound.ts';
import { recipientOf } from './recipients.ts';
import { webhookRoutes } from './webhooks.routes.ts';
import { startPollers } from './pollers.ts';

/**
 * Wires every adapter: the webhook endpoint, an outbox sender per channel type that loads the
 * message and hands it to the channel's adapter (the message's status follows the outbox), the
 * media downloads, the pollers and the adapters' own listeners.
 */
export const channelsModule = {
  init(p: Platform): void {
    const hooks = deliveryHooks(p);
    for (const type of new Set(channelAdapters.map((a) => a.type))) {
      p.outbox.register(channelOutboxKind(type), {
        async send(item) {
          const { messageId, conversationId } = item.payload as { messageId: string; conversationId: string };
          const [message, conversation] = await Promise.all([
            conversationStore.getMessage(p.db, item.workspaceId, messageId),
            conversationStore.getConversation(p.db, item.workspaceId, conversationId),
          ]);
          if (!message || !conversation) throw new DeliveryError('permanent', 'the message or its conversation no longer exists');
          const channel = await getChannel(p.db, item.workspaceId, conversation.channelId);
          if (!channel) throw new DeliveryError('permanent', 'the channel no longer exists');
          const adapter = adapterFor(channel.type, channel.provider);
          if (!adapter) throw new DeliveryError('permanent', `no adapter for ${channel.type} through ${channel.provider}`);
          if (!channel.enabled) throw new DeliveryError('retryable', 'the channel is switched off');
          const recipient = await recipientOf(p, channel, conversation.customerId);
          if (recipient.optedOut) throw new DeliveryError('permanent', 'the customer opted out of messages on this channel');
          const lastInbound = await conversationStore.lastInboundMessage(p.db, item.workspaceId, conversationId);
          const ctx = contextOf(p, adapter, channel);
          return adapter.send(
            // One object, so secrets the adapter saves (a rotated token) are what it reads next.
            Object.assign(ctx, { conversation, recipient, lastInbound }),
            {
              workspaceId: item.workspaceId,
              messageId,
              conversationId,
              customerId: conversation.customerId,
              body: message.body,
              attachments: message.attachments,
              authorName: message.authorId ? ((await conversationStore.authorNames(p.db, item.workspaceId, [message.authorId])).get(message.authorId) ?? null) : null,
              authorType: message.authorType,
              createdAt: message.createdAt,
              meta: message.meta,
            },
          );
        },
        ...hooks,
        async onDelivered(tx, item, result) {
          await hooks.onDelivered(tx, item, result);
          // Reports the provider sent before this commit (kept by applyDeliveryStatus) apply now.
          const providerMessageId = (result as { providerMessageId?: string | null } | undefined)?.providerMessageId;
          if (!providerMessageId) return;
          const { messageId, conversationId } = item.payload as { messageId: string; conversationId: string };
          const conversation = await conversationStore.getConversation(tx, item.workspaceId, conversationId);
          const channel = conversation && (await getChannel(tx, item.workspaceId, conversation.channelId));
          if (channel) await applyEarlyStatuses(tx, p, channel, messageId, providerMessageId);
        },
      });
    }
    // Early reports for messages that never became ours (another system sharing the number) go.
    p.jobs.every('channels.early-statuses', 10 * 60_000, () => purgeChannelState(p.db, 'early:', new Date(p.clock.now().getTime() - 3_600_000)));
    p.outbox.register(MEDIA_OUTBOX_KIND, mediaSender(p, (channel) => adapterFor(channel.type, channel.provider)));
    p.outbox.register(PROFILE_OUTBOX_KIND, profileSender(p, (channel) => adapterFor(channel.type, channel.provider)));
    startPollers(p, channelAdapters);
    onBeforeReply(p, replyGuard(p));
    for (const adapter of channelAdapters) if (adapter.start) p.jobs.onStart(`channels.${adapter.type}.${adapter.provider}`, () => adapter.start!(p));
  },
  routes(app: FastifyInstance, p: Platform): void {
    channelRoutes(app, p);
    webhookRoutes(app, p, adapterFor);
    for (const adapter of channelAdapters) adapter.routes?.(app, p);
  },
};
