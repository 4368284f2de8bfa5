import type { ChannelAdapter } from '../contract.ts';
import { visitorTopic } from '../../platform/realtime/hub.ts';
import * as conversationStore from '../../conversations/conversations.store.ts';
import { parseWebchatConfig } from './webchat.config.ts';
import { visitorMessages, webchatRoutes } from './webchat.routes.ts';
import { WEBCHAT } from './webchat.service.ts';

/**
 * Web chat: Hoorn is its own provider. The visitor reads history from Hoorn, so "sending" an
 * agent's reply means pushing it to the visitor's open widgets; a widget that is closed gets it
 * from the history when it opens again.
 */
export const webchatAdapter: ChannelAdapter = {
  type: WEBCHAT,
  limits: (channel) => ({ maxTextLength: 10_000, attachments: parseWebchatConfig(channel.config).attachments, replyWindowHours: null }),
  async send(p, channel, message) {
    const row = await conversationStore.getMessage(p.db, message.workspaceId, message.messageId);
    if (!row) return { providerMessageId: null };
    const [presented] = await visitorMessages(p, message.workspaceId, [{ ...row, status: 'sent' }]);
    p.hub.publish(visitorTopic(channel.id, message.customerId), { type: 'message', message: presented });
    return { providerMessageId: null };
  },
  routes: webchatRoutes,
};
