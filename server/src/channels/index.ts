import type { FastifyInstance } from 'fastify';
import { DeliveryError } from '../platform/outbox/outbox.ts';
import type { Platform } from '../platform/platform.ts';
import { getConversation, getMessage } from '../conversations/conversations.store.ts';
import { channelOutboxKind, deliveryHooks } from '../conversations/conversations.service.ts';
import { getChannel } from './channels.store.ts';
import { channelRoutes } from './channels.routes.ts';
import { channelAdapters } from './registry.ts';

/**
 * Wires every adapter: its provider-facing routes, and an outbox sender that loads the message
 * and hands it to the adapter. The message's status follows the outbox (sent / failed).
 */
export const channelsModule = {
  init(p: Platform): void {
    for (const adapter of channelAdapters) {
      p.outbox.register(channelOutboxKind(adapter.type), {
        async send(item) {
          const { messageId, conversationId } = item.payload as { messageId: string; conversationId: string };
          const [message, conversation] = await Promise.all([
            getMessage(p.db, item.workspaceId, messageId),
            getConversation(p.db, item.workspaceId, conversationId),
          ]);
          if (!message || !conversation) throw new DeliveryError('permanent', 'the message or its conversation no longer exists');
          const channel = await getChannel(p.db, item.workspaceId, conversation.channelId);
          if (!channel) throw new DeliveryError('permanent', 'the channel no longer exists');
          return adapter.send(p, channel, {
            workspaceId: item.workspaceId,
            messageId,
            conversationId,
            customerId: conversation.customerId,
            body: message.body,
            attachments: message.attachments,
            authorName: null,
            createdAt: message.createdAt,
          });
        },
        ...deliveryHooks(p),
      });
    }
  },
  routes(app: FastifyInstance, p: Platform): void {
    channelRoutes(app, p);
    for (const adapter of channelAdapters) adapter.routes?.(app, p);
  },
};
