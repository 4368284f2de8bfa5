import { z } from 'zod';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import { getAttachment } from '../../conversations/conversations.store.ts';
import { providerFetch } from '../http.ts';
import { classifyGraphError } from './meta.errors.ts';
import type { ChannelAdapter } from '../contract.ts';
import { graphFields, graphSettings, idSetting, metaSecrets, secretFields, templateSetting, type MetaSecrets } from './meta.config.ts';
import { answerField, download, graphGet, graphPost, graphUrl } from './meta.graph.ts';
import { META_SIGNATURE_HEADER, metaHandshake, verifyMetaSignature } from './meta.signature.ts';
import { metaAppWebhookRoutes } from './meta.app.ts';
import { appWebhookHelp } from './meta.app.parse.ts';
import { parseWhatsAppWebhook, whatsappMediaKind, whatsappMediaOutbound, whatsappOutbound } from './whatsapp.parse.ts';

const config = z.object({
  ...graphSettings,
  /** The business phone number's id (WhatsApp Manager > API setup), not the number itself. */
  phoneNumberId: idSetting('phone number id'),
  /** The approved templates, as the admin mirrors them: what the desk offers once the 24-hour window closed. */
  templates: z.array(templateSetting).default([]),
});
type Config = z.infer<typeof config>;

const outboundTemplate = z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()).default([]) });

/** WhatsApp Business through Meta's Cloud API. */
export const whatsappCloudAdapter: ChannelAdapter<Config, MetaSecrets> = {
  type: 'whatsapp',
  provider: 'meta',
  label: 'WhatsApp (Meta Cloud API)',
  config,
  secrets: metaSecrets,
  fields: [
    {
      key: 'phoneNumberId',
      kind: 'text',
      required: true,
      label: { nl: 'Telefoonnummer-ID', en: 'Phone number ID' },
      help: appWebhookHelp('whatsapp', { nl: 'WhatsApp Manager > API-instellingen; het ID, niet het nummer.', en: 'WhatsApp Manager > API setup; the id, not the number.' }),
    },
    ...secretFields({ nl: 'Toegangstoken (systeemgebruiker)', en: 'Access token (system user)' }),
    {
      key: 'templates',
      kind: 'json',
      label: { nl: 'Goedgekeurde sjablonen', en: 'Approved templates' },
      help: {
        nl: 'Lijst van {name, language, body, parameters} zoals goedgekeurd in WhatsApp Manager; na 24 uur kan alleen een sjabloon worden verstuurd.',
        en: 'List of {name, language, body, parameters} as approved in WhatsApp Manager; after 24 hours only a template can be sent.',
      },
      placeholder: '[{"name":"order_update","language":"nl","body":"Hallo {{1}}, ...","parameters":1}]',
    },
    ...graphFields,
  ],
  limits: (_channel, c) => ({
    maxTextLength: 4096,
    // The Cloud API's media limits: images 5 MB, audio and video 16 MB, documents 100 MB; one bound keeps the desk simple.
    attachments: { maxBytes: 16 * 1024 * 1024, types: ['image/jpeg', 'image/png', 'audio/*', 'video/mp4', 'video/3gpp', 'application/*', 'text/plain'] },
    replyWindowHours: 24,
    templates: c.templates,
  }),
  webhook: {
    handshake: ({ secrets: s }, request) => metaHandshake(request.query, s.verifyToken),
    verify: ({ secrets: s }, request) => verifyMetaSignature(request.headers[META_SIGNATURE_HEADER], request.rawBody, s.appSecret),
    parse: ({ config: c }, request) => parseWhatsAppWebhook(request.rawBody, c.phoneNumberId),
  },
  routes: (app, p) => metaAppWebhookRoutes(app, p, { product: 'whatsapp', adapter: whatsappCloudAdapter, parse: (c, part) => parseWhatsAppWebhook(part, c.phoneNumberId) }),
  async send({ p, config: c, secrets: s, recipient }, message) {
    const chosen = message.meta?.template === undefined ? undefined : outboundTemplate.safeParse(message.meta.template);
    if (chosen && !chosen.success) throw new DeliveryError('permanent', 'the message names a template Hoorn cannot read');
    if (!chosen && !message.body.trim() && !message.attachments.length) throw new DeliveryError('permanent', 'nothing to send: WhatsApp replies need text, a file or a template');
    const messageId = (res: Awaited<ReturnType<typeof graphPost>>) => answerField(res, (j) => j.messages?.[0]?.id, 'messages[0].id');
    let last: string | null = null;
    // Files first (each uploaded, then sent by its media id), then the text: the customer reads the text last.
    for (const ref of message.attachments) {
      const file = await getAttachment(p.db, message.workspaceId, ref.id);
      if (!file) continue;
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', file.contentType);
      form.set('file', new Blob([file.data], { type: file.contentType }), file.name);
      const uploaded = await providerFetch(graphUrl(c, `${c.phoneNumberId}/media`), { headers: { authorization: `Bearer ${s.accessToken}` }, body: form, classify: classifyGraphError });
      const mediaId = answerField(uploaded, (j) => j.id, 'the uploaded media id');
      last = messageId(await graphPost(c, s.accessToken, `${c.phoneNumberId}/messages`, whatsappMediaOutbound(recipient.externalId, whatsappMediaKind(file.contentType), mediaId, file.name)));
    }
    if (chosen || message.body.trim()) last = messageId(await graphPost(c, s.accessToken, `${c.phoneNumberId}/messages`, whatsappOutbound(recipient.externalId, message.body, chosen?.data)));
    return { providerMessageId: last };
  },
  async fetchMedia({ config: c, secrets: s }, media) {
    // The media id names a short-lived URL, which itself needs the token.
    const info = await graphGet(c, s.accessToken, encodeURIComponent(media.ref));
    const url = answerField(info, (j) => j.url, 'the media url');
    const mime = (info.json as { mime_type?: string }).mime_type;
    const file = await download(url, s.accessToken);
    return { data: file.data, contentType: media.contentType ?? mime ?? file.contentType ?? 'application/octet-stream', name: media.name ?? `media-${media.ref}` };
  },
  async testConnection({ config: c, secrets: s }) {
    const res = await graphGet(c, s.accessToken, `${c.phoneNumberId}?fields=display_phone_number,verified_name,quality_rating`);
    const number = res.json as { display_phone_number?: string; verified_name?: string; quality_rating?: string };
    return { ok: true, detail: `Connected to ${number.display_phone_number ?? c.phoneNumberId} (${number.verified_name ?? 'no verified name'}${number.quality_rating ? `, quality ${number.quality_rating}` : ''})` };
  },
};
