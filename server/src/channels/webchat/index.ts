import type { ChannelAdapter } from '../contract.ts';
import { visitorTopic } from '../../platform/realtime/hub.ts';
import * as conversationStore from '../../conversations/conversations.store.ts';
import { webchatConfig, webchatSecrets, type WebchatConfig, type WebchatSecrets } from './webchat.config.ts';
import { initPush, pushIfAway } from './push.ts';
import { agentReadRelay } from './receipts.ts';
import { visitorMessages, webchatRoutes } from './webchat.routes.ts';
import { WEBCHAT } from './webchat.service.ts';

/**
 * Web chat: Hoorn is its own provider. The visitor reads history from Hoorn, so "sending" an
 * agent's reply means pushing it to the visitor's open widgets; a widget that is closed gets it
 * from the history when it opens again, and an app that is closed gets a signed push notice
 * (push.ts) when the channel has a push endpoint.
 */
export const webchatAdapter: ChannelAdapter<WebchatConfig, WebchatSecrets> = {
  type: WEBCHAT,
  provider: 'hoorn',
  label: 'Web chat',
  config: webchatConfig,
  secrets: webchatSecrets,
  fields: [
    { key: 'color', kind: 'text', label: { nl: 'Kleur', en: 'Colour' }, placeholder: '#0b7285' },
    { key: 'requireEmail', kind: 'boolean', label: { nl: 'E-mailadres vragen', en: 'Ask for an email address' } },
    { key: 'allowedOrigins', kind: 'json', label: { nl: 'Toegestane sites (origins)', en: 'Allowed sites (origins)' }, placeholder: '["https://www.example.nl"]' },
    {
      key: 'identitySecret',
      kind: 'secret',
      required: true,
      label: { nl: 'Geheim voor geverifieerde bezoekers', en: 'Secret for verified visitors' },
      help: { nl: 'Uw site ondertekent de klant-id hiermee (HMAC-SHA256).', en: "Your site signs the customer's id with it (HMAC-SHA256)." },
    },
    {
      key: 'pushUrl',
      kind: 'url',
      label: { nl: 'Push-endpoint van uw app (optioneel)', en: "Your app's push endpoint (optional)" },
      help: { nl: 'Krijgt een ondertekend bericht als een klant met gesloten app antwoord krijgt.', en: 'Receives a signed notice when a customer whose app is closed gets a reply.' },
      placeholder: 'https://app.example.nl/hoorn/push',
    },
    {
      key: 'pushSecret',
      kind: 'secret',
      label: { nl: 'Geheim voor push-berichten', en: 'Secret for push notices' },
      help: { nl: 'Hoorn ondertekent push-berichten hiermee (HMAC-SHA256).', en: 'Hoorn signs push notices with it (HMAC-SHA256).' },
    },
  ],
  limits: (_channel, config) => ({ maxTextLength: 10_000, attachments: config.attachments, replyWindowHours: null }),
  async send({ p, channel }, message) {
    const row = await conversationStore.getMessage(p.db, message.workspaceId, message.messageId);
    if (!row) return { providerMessageId: null };
    const [presented] = await visitorMessages(p, message.workspaceId, [{ ...row, status: 'sent' }]);
    p.hub.publish(visitorTopic(channel.id, message.customerId), { type: 'message', message: presented });
    await pushIfAway(p, channel, message);
    return { providerMessageId: null };
  },
  async testConnection() {
    return { ok: true, detail: 'Web chat is served by Hoorn itself.' };
  },
  routes(app, p) {
    initPush(p);
    initReceipts(p);
    webchatRoutes(app, p);
  },
};

const receiptsStarted = new WeakSet<object>();
function initReceipts(p: Parameters<typeof agentReadRelay>[0]): void {
  if (receiptsStarted.has(p)) return;
  receiptsStarted.add(p);
  p.hub.presenceRelays.push(agentReadRelay(p));
}
