import { z } from 'zod';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import type { ChannelAdapter, SendContext, OutboundMessage, WebhookContext } from '../contract.ts';
import { graphFields, graphSettings, idSetting, metaSecrets, secretFields, type GraphSettings, type MetaSecrets } from './meta.config.ts';
import { answerField, download, graphGet, graphPost, graphUrl } from './meta.graph.ts';
import { getAttachment } from '../../conversations/conversations.store.ts';
import { providerFetch } from '../http.ts';
import { classifyGraphError } from './meta.errors.ts';
import { META_SIGNATURE_HEADER, metaHandshake, verifyMetaSignature } from './meta.signature.ts';
import { messagingTypeFor, parseMessagingWebhook, profileFields, profileFromAnswer } from './messaging.parse.ts';
import { metaAppWebhookRoutes } from './meta.app.ts';
import { appWebhookHelp } from './meta.app.parse.ts';
import type { MetaJson } from './meta.parse.ts';
import type { InboundEvent } from '../contract.ts';
import type { CustomerProfile } from '../../customers/customers.store.ts';

const messengerConfig = z.object({ ...graphSettings, pageId: idSetting('Page id') });
const instagramConfig = z.object({ ...graphSettings, instagramAccountId: idSetting('Instagram account id') });
type MessengerConfig = z.infer<typeof messengerConfig>;
type InstagramConfig = z.infer<typeof instagramConfig>;

/**
 * A reply: into a comment thread as a public reply to the customer's latest comment (Messenger:
 * /{comment}/comments, Instagram: /{comment}/replies); otherwise a direct message through the Send
 * API, whose messaging_type depends on how long ago the customer last wrote.
 */
async function sendMessaging(ctx: SendContext<GraphSettings, MetaSecrets>, message: OutboundMessage, commentReplyEdge: 'comments' | 'replies', product: 'messenger' | 'instagram') {
  const { p, config: c, secrets: s, conversation, lastInbound, recipient } = ctx;
  // Messenger DMs carry files (uploaded first); Instagram and public comment replies only text.
  const files = product === 'messenger' && conversation.channelContext?.kind !== 'comment' ? message.attachments : [];
  if (!message.body.trim() && !files.length) throw new DeliveryError('permanent', 'nothing to send: this reply has no text this channel can carry');
  if (conversation.channelContext?.kind === 'comment') {
    const commentId = (lastInbound?.meta?.commentId as string | undefined) ?? (conversation.channelContext.commentId as string | undefined);
    if (!commentId) throw new DeliveryError('permanent', 'no comment to reply to in this conversation');
    const res = await graphPost(c, s.accessToken, `${encodeURIComponent(commentId)}/${commentReplyEdge}`, { message: message.body });
    return { providerMessageId: answerField(res, (j) => j.id, 'the reply comment id') };
  }
  const type = messagingTypeFor(lastInbound?.createdAt, p.clock.now());
  if (!type) throw new DeliveryError('permanent', 'More than 7 days passed since the customer’s last message: Meta allows no reply any more');
  const sendOne = async (content: unknown) =>
    answerField(await graphPost(c, s.accessToken, 'me/messages', { recipient: { id: recipient.externalId }, ...type, message: content }), (j) => j.message_id, 'message_id');
  let last: string | null = null;
  // One file per message, through the Attachment Upload API (no public URL of Hoorn needed); the text last.
  for (const ref of files) {
    const file = await getAttachment(p.db, message.workspaceId, ref.id);
    if (!file) continue;
    const kind = messengerAttachmentType(file.contentType);
    const form = new FormData();
    form.set('message', JSON.stringify({ attachment: { type: kind, payload: { is_reusable: false } } }));
    form.set('filedata', new Blob([file.data], { type: file.contentType }), file.name);
    const uploaded = await providerFetch(graphUrl(c, 'me/message_attachments'), { headers: { authorization: `Bearer ${s.accessToken}` }, body: form, classify: classifyGraphError });
    const attachmentId = answerField(uploaded, (j) => j.attachment_id, 'the uploaded attachment id');
    last = await sendOne({ attachment: { type: kind, payload: { attachment_id: attachmentId } } });
  }
  if (message.body.trim()) last = await sendOne({ text: message.body });
  return { providerMessageId: last };
}

/** Messenger's attachment types by MIME type: image, video, audio, or file. Pure. */
export function messengerAttachmentType(contentType: string): 'image' | 'video' | 'audio' | 'file' {
  const major = contentType.split('/')[0];
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'file';
}

/** Messenger's and Instagram's attachment URLs are public CDN links; no token needed. */
async function fetchAttachment(media: { ref: string; contentType?: string; name?: string }) {
  const file = await download(media.ref, null);
  return { data: file.data, contentType: media.contentType ?? file.contentType ?? 'application/octet-stream', name: media.name ?? 'attachment' };
}

/** A delivery's messaging events, watermarks included, for one Page or Instagram account. */
const messagingEventsOf = (raw: Buffer | MetaJson, product: 'messenger' | 'instagram', accountId: string): InboundEvent[] => {
  const parsed = parseMessagingWebhook(raw, product, accountId);
  return [...parsed.events, ...parsed.watermarks.map((w) => ({ kind: 'watermark' as const, ...w }))];
};

/**
 * The customer's name, which Messenger and Instagram deliveries leave out (they carry only the
 * page- or Instagram-scoped id). A profile Meta will not show (the person restricted it, or no
 * longer exists) is no name rather than an error to retry.
 */
async function lookupMessagingProfile(ctx: WebhookContext<GraphSettings, MetaSecrets>, product: 'messenger' | 'instagram', externalId: string): Promise<CustomerProfile | null> {
  try {
    const res = await graphGet(ctx.config, ctx.secrets.accessToken, `${encodeURIComponent(externalId)}?fields=${profileFields(product)}`);
    return profileFromAnswer(product, res.json);
  } catch (error) {
    if (error instanceof DeliveryError && error.kind === 'permanent') return null;
    throw error;
  }
}

function messagingWebhook<C extends GraphSettings>(product: 'messenger' | 'instagram', accountOf: (c: C) => string) {
  return {
    handshake: ({ secrets: s }: WebhookContext<C, MetaSecrets>, request: { query: Record<string, string> }) => metaHandshake(request.query, s.verifyToken),
    verify: ({ secrets: s }: WebhookContext<C, MetaSecrets>, request: { headers: Record<string, string | undefined>; rawBody: Buffer }) =>
      verifyMetaSignature(request.headers[META_SIGNATURE_HEADER], request.rawBody, s.appSecret),
    parse: (ctx: WebhookContext<C, MetaSecrets>, request: { rawBody: Buffer }) => messagingEventsOf(request.rawBody, product, accountOf(ctx.config)),
    reply: () => ({ status: 200, contentType: 'text/plain', body: 'EVENT_RECEIVED' }),
  };
}

/** Facebook Messenger: the Page's conversations and the comments on its posts. */
export const messengerAdapter: ChannelAdapter<MessengerConfig, MetaSecrets> = {
  type: 'messenger',
  provider: 'meta',
  label: 'Facebook Messenger',
  config: messengerConfig,
  secrets: metaSecrets,
  fields: [
    { key: 'pageId', kind: 'text', required: true, label: { nl: 'Pagina-ID', en: 'Page ID' }, help: appWebhookHelp('messenger', { nl: 'Het nummer van de Facebook-pagina.', en: 'The Facebook Page’s numeric id.' }) },
    ...secretFields({ nl: 'Paginatoegangstoken', en: 'Page access token' }),
    ...graphFields,
  ],
  // A DM may be answered for 7 days (24 h, then with the HUMAN_AGENT tag); a public comment reply has no window.
  limits: (_channel, _config, conversation) => {
    const comment = conversation?.channelContext.kind === 'comment';
    // The Attachment Upload API takes files up to 25 MB; public comment replies carry text only.
    return { maxTextLength: 2000, attachments: comment ? null : { maxBytes: 25 * 1024 * 1024, types: ['*/*'] }, replyWindowHours: comment ? null : 168 };
  },
  webhook: messagingWebhook<MessengerConfig>('messenger', (c) => c.pageId),
  routes: (app, p) => metaAppWebhookRoutes(app, p, { product: 'messenger', adapter: messengerAdapter, parse: (c, part) => messagingEventsOf(part, 'messenger', c.pageId) }),
  lookupProfile: (ctx, externalId) => lookupMessagingProfile(ctx, 'messenger', externalId),
  send: (ctx, message) => sendMessaging(ctx, message, 'comments', 'messenger'),
  fetchMedia: (_ctx, media) => fetchAttachment(media),
  async testConnection({ config: c, secrets: s }) {
    const res = await graphGet(c, s.accessToken, `${c.pageId}?fields=id,name`);
    return { ok: true, detail: `Connected to the Page ${(res.json as { name?: string }).name ?? c.pageId}` };
  },
};

/** Instagram messaging: direct messages and comments on the account's posts. */
export const instagramAdapter: ChannelAdapter<InstagramConfig, MetaSecrets> = {
  type: 'instagram',
  provider: 'meta',
  label: 'Instagram',
  config: instagramConfig,
  secrets: metaSecrets,
  fields: [
    {
      key: 'instagramAccountId',
      kind: 'text',
      required: true,
      label: { nl: 'Instagram-account-ID', en: 'Instagram account ID' },
      help: appWebhookHelp('instagram', { nl: 'Het ID van het zakelijke Instagram-account (gekoppeld aan de pagina).', en: 'The id of the professional Instagram account (linked to the Page).' }),
    },
    ...secretFields({ nl: 'Paginatoegangstoken', en: 'Page access token' }),
    ...graphFields,
  ],
  // A DM may be answered for 7 days (24 h, then with the HUMAN_AGENT tag); a public comment reply has no window.
  limits: (_channel, _config, conversation) => ({ maxTextLength: 1000, attachments: null, replyWindowHours: conversation?.channelContext.kind === 'comment' ? null : 168 }),
  webhook: messagingWebhook<InstagramConfig>('instagram', (c) => c.instagramAccountId),
  routes: (app, p) => metaAppWebhookRoutes(app, p, { product: 'instagram', adapter: instagramAdapter, parse: (c, part) => messagingEventsOf(part, 'instagram', c.instagramAccountId) }),
  lookupProfile: (ctx, externalId) => lookupMessagingProfile(ctx, 'instagram', externalId),
  send: (ctx, message) => sendMessaging(ctx, message, 'replies', 'instagram'),
  fetchMedia: (_ctx, media) => fetchAttachment(media),
  async testConnection({ config: c, secrets: s }) {
    const res = await graphGet(c, s.accessToken, `${c.instagramAccountId}?fields=id,username`);
    return { ok: true, detail: `Connected to @${(res.json as { username?: string }).username ?? c.instagramAccountId}` };
  },
};
