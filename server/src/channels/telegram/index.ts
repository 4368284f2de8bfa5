import { z } from 'zod';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import { getAttachment } from '../../conversations/conversations.store.ts';
import type { ChannelAdapter } from '../contract.ts';
import { WebhookError } from '../contract.ts';
import { describeProviderError, joinUrl, providerFetch, safeEqual, type ProviderResponse } from '../http.ts';
import { parseTelegramUpdate } from './telegram.parse.ts';

const config = z.object({
  /** Telegram's Bot API; tests point it at a fake. */
  apiBaseUrl: z.url().default('https://api.telegram.org'),
});
const secrets = z.object({
  botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'a bot token looks like 123456:ABC-DEF...'),
  /** The `secret_token` given to setWebhook; Telegram sends it in X-Telegram-Bot-Api-Secret-Token. */
  webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16-256 characters of A-Z, a-z, 0-9, _ and -'),
});
type Config = z.infer<typeof config>;
type Secrets = z.infer<typeof secrets>;

const api = (c: Config, s: Secrets, method: string) => joinUrl(c.apiBaseUrl, `bot${s.botToken}/${method}`);

/** Telegram answers errors as {ok:false, error_code, description, parameters.retry_after}. */
function classify(response: ProviderResponse): DeliveryError | undefined {
  const body = response.json as { error_code?: number; description?: string; parameters?: { retry_after?: number } } | null;
  const description = describeProviderError(response);
  if (body?.error_code === 429) return new DeliveryError('retryable', description, (body.parameters?.retry_after ?? 1) * 1000);
  // "Forbidden: bot was blocked by the user": trying again will not help.
  if (body?.error_code === 403) return new DeliveryError('permanent', description);
  return undefined;
}

/** Telegram: the Bot API's webhook with a secret-token header, sendMessage and sendDocument. */
export const telegramAdapter: ChannelAdapter<Config, Secrets> = {
  type: 'telegram',
  provider: 'telegram',
  label: 'Telegram',
  config,
  secrets,
  fields: [
    { key: 'botToken', kind: 'secret', required: true, label: { nl: 'Bot-token (van @BotFather)', en: 'Bot token (from @BotFather)' } },
    {
      key: 'webhookSecret',
      kind: 'secret',
      required: true,
      label: { nl: 'Webhook-geheim', en: 'Webhook secret' },
      help: { nl: 'Geef dit als secret_token aan setWebhook.', en: 'Pass it as secret_token to setWebhook.' },
    },
    { key: 'apiBaseUrl', kind: 'url', label: { nl: 'API-adres', en: 'API address' }, placeholder: 'https://api.telegram.org' },
  ],
  limits: () => ({ maxTextLength: 4096, attachments: { maxBytes: 50 * 1024 * 1024, types: ['*/*'] }, replyWindowHours: null }),
  webhook: {
    verify({ secrets: s }, request) {
      const sent = request.headers['x-telegram-bot-api-secret-token'];
      if (!sent || !safeEqual(sent, s.webhookSecret)) throw new WebhookError(401, 'Missing or wrong X-Telegram-Bot-Api-Secret-Token');
    },
    parse: (_ctx, request) => parseTelegramUpdate(request.rawBody),
  },
  async send({ p, config: c, secrets: s, recipient }, message) {
    const chatId = recipient.externalId;
    let lastId: string | null = null;
    for (const ref of message.attachments) {
      const file = await getAttachment(p.db, message.workspaceId, ref.id);
      if (!file) continue;
      const form = new FormData();
      form.set('chat_id', chatId);
      form.set('document', new Blob([file.data], { type: file.contentType }), file.name);
      const res = await providerFetch(api(c, s, 'sendDocument'), { body: form, classify });
      lastId = String((res.json as { result: { message_id: number } }).result.message_id);
    }
    if (message.body.trim()) {
      const res = await providerFetch(api(c, s, 'sendMessage'), {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: Number(chatId), text: message.body }),
        classify,
      });
      lastId = String((res.json as { result: { message_id: number } }).result.message_id);
    }
    return { providerMessageId: lastId === null ? null : `${chatId}:${lastId}` };
  },
  async fetchMedia({ config: c, secrets: s }, media) {
    const info = await providerFetch(`${api(c, s, 'getFile')}?file_id=${encodeURIComponent(media.ref)}`, { method: 'GET', classify });
    const path = (info.json as { result?: { file_path?: string } }).result?.file_path;
    if (!path) throw new DeliveryError('permanent', 'Telegram returned no file_path');
    const res = await fetch(joinUrl(c.apiBaseUrl, `file/bot${s.botToken}/${path}`), { signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new DeliveryError(res.status >= 500 ? 'retryable' : 'permanent', `file download: HTTP ${res.status}`);
    return { data: Buffer.from(await res.arrayBuffer()), contentType: media.contentType ?? res.headers.get('content-type') ?? 'application/octet-stream', name: media.name ?? path.split('/').pop()! };
  },
  async testConnection({ config: c, secrets: s }) {
    const res = await providerFetch(api(c, s, 'getMe'), { method: 'GET' });
    const bot = (res.json as { result?: { username?: string } }).result;
    return { ok: true, detail: `Connected as @${bot?.username ?? 'unknown'}` };
  },
};
