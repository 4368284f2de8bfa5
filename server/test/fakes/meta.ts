import { createHmac } from 'node:crypto';
import { FakeServer, type RecordedRequest } from './server.ts';

/**
 * Meta's Graph API as the WhatsApp, Messenger and Instagram adapters use it, with its exact
 * answer shapes: /{phone-number-id}/messages, /me/messages, /{comment}/comments and /replies,
 * the media look-up and download, the account look-ups, and Graph's error JSON. Every call must
 * carry `Authorization: Bearer <token>`; another token gets Graph's code-190 answer.
 * Push onto `failures` to make the next send fail as Meta would.
 */
export class FakeMetaGraph extends FakeServer {
  private next = 1000;
  /** Every id the fake answered a send with, in order (what Hoorn stores as providerMessageId). */
  readonly issued: string[] = [];
  readonly failures: Array<{ status: number; body: unknown; headers?: Record<string, string> }> = [];
  /** The bytes of every media id the fake holds (WhatsApp media). */
  readonly media = new Map<string, { data: Buffer; mimeType: string }>();
  /** People a profile look-up (GET /{PSID or IGSID}?fields=...) finds; Graph answers only the fields asked for, and the id. */
  readonly profiles = new Map<string, Record<string, string>>();

  constructor(
    readonly token: string,
    readonly ids: { phoneNumberId?: string; pageId?: string; instagramAccountId?: string; version?: string } = {},
  ) {
    super();
    const v = ids.version ?? 'v21.0';
    const authorized = (r: RecordedRequest) => r.headers.authorization === `Bearer ${token}`;
    const guard = (r: RecordedRequest, answer: () => { status?: number; body?: unknown; headers?: Record<string, string> }) =>
      authorized(r) ? answer() : { status: 401, body: FakeMetaGraph.error(190, 'Invalid OAuth access token - Cannot parse access token', 'OAuthException') };
    const send = (r: RecordedRequest, ok: () => unknown) => guard(r, () => this.failures.shift() ?? { body: ok() });
    const issue = (id: string) => (this.issued.push(id), id);

    // WhatsApp's media upload (multipart: messaging_product, type, file) answers the new media id.
    this.on('POST', new RegExp(`^/${v}/[^/]+/media$`), (r) => guard(r, () => ({ body: { id: `${++this.next}${++this.next}` } })));
    // Messenger's Attachment Upload API (multipart: message JSON, filedata) answers the attachment id.
    this.on('POST', new RegExp(`^/${v}/me/message_attachments$`), (r) => guard(r, () => ({ body: { attachment_id: `${++this.next}0${++this.next}` } })));
    this.on('POST', new RegExp(`^/${v}/me/messages$`), (r) => send(r, () => ({ recipient_id: r.json?.recipient?.id, message_id: issue(`m_${++this.next}`) })));
    this.on('POST', new RegExp(`^/${v}/[^/]+/messages$`), (r) =>
      send(r, () => ({
        messaging_product: 'whatsapp',
        contacts: [{ input: r.json?.to, wa_id: r.json?.to }],
        messages: [{ id: issue(`wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI${++this.next}`), ...(r.json?.type === 'template' ? { message_status: 'accepted' } : {}) }],
      })),
    );
    this.on('POST', new RegExp(`^/${v}/([^/]+)/comments$`), (r) => send(r, () => ({ id: issue(`${r.url.split('/')[2]!.split('_')[0]}_${++this.next}`) })));
    this.on('POST', new RegExp(`^/${v}/([^/]+)/replies$`), (r) => send(r, () => ({ id: issue(`1790${++this.next}`) })));
    // Messenger's and Instagram's attachment URLs: public CDN links, no token.
    this.on('GET', /^\/cdn\/[^/]+$/, (r) => {
      const file = this.media.get(r.url.split('/')[2]!.split('?')[0]!);
      return file ? { headers: { 'content-type': file.mimeType }, body: file.data } : { status: 404, body: 'not found' };
    });
    this.on('GET', /^\/download\/[^/]+$/, (r) =>
      guard(r, () => {
        const file = this.media.get(r.url.split('/')[2]!.split('?')[0]!);
        return file ? { headers: { 'content-type': file.mimeType }, body: file.data } : { status: 404, body: 'not found' };
      }),
    );
    this.on('GET', new RegExp(`^/${v}/[^/]+$`), (r) =>
      guard(r, () => {
        const id = decodeURIComponent(r.url.split('?')[0]!.split('/')[2]!);
        if (id === ids.phoneNumberId) return { body: { verified_name: 'Hoorn Webwinkel', display_phone_number: '+31 20 123 4567', quality_rating: 'GREEN', id } };
        if (id === ids.pageId) return { body: { name: 'Hoorn Webwinkel', id } };
        if (id === ids.instagramAccountId) return { body: { username: 'hoorn.webwinkel', id } };
        const person = this.profiles.get(id);
        if (person) {
          const fields = (new URL(r.url, 'http://x').searchParams.get('fields') ?? '').split(',');
          return { body: { ...Object.fromEntries(Object.entries(person).filter(([k]) => fields.includes(k))), id } };
        }
        const file = this.media.get(id);
        if (file) return { body: { messaging_product: 'whatsapp', url: `${this.baseUrl}/download/${id}?ext=1&hash=abc`, mime_type: file.mimeType, sha256: 'x', file_size: file.data.length, id } };
        return { status: 400, body: FakeMetaGraph.error(100, `Unsupported get request. Object with ID '${id}' does not exist`, 'GraphMethodException', 33) };
      }),
    );
  }

  /** Graph's error answer. */
  static error(code: number, message: string, type = 'OAuthException', subcode?: number) {
    return { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEfGhIjK' } };
  }
}

/** JSON as Meta writes it: non-ASCII as \uXXXX (UTF-16 units, so emoji become surrogate pairs) and "/" as "\/". */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

export const metaSign = (appSecret: string, body: string | Buffer) => `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;

/** A delivery exactly as Meta posts it: the serialized body and its headers (signature included unless `secret` is null). */
export function metaDelivery(body: unknown, appSecret: string | null) {
  const payload = typeof body === 'string' ? body : metaJson(body);
  return {
    payload,
    headers: { 'content-type': 'application/json', 'user-agent': 'facebookexternalua', ...(appSecret ? { 'x-hub-signature-256': metaSign(appSecret, payload) } : {}) },
  };
}

const seconds = (at: Date) => String(Math.floor(at.getTime() / 1000));

/** WhatsApp Cloud webhook bodies. */
export const wa = {
  envelope: (values: Array<Record<string, unknown>>, wabaId = '102290129340398') => ({
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, changes: values.map((value) => ({ value, field: 'messages' })) }],
  }),
  value: (phoneNumberId: string, extra: Record<string, unknown>) => ({
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '31201234567', phone_number_id: phoneNumberId },
    ...extra,
  }),
  /** One customer message; `content` is the type-specific part, e.g. {type:'text', text:{body}}. */
  message: (phoneNumberId: string, o: { id: string; from?: string; name?: string; at: Date; content?: Record<string, unknown> }) =>
    wa.value(phoneNumberId, {
      contacts: [{ profile: { name: o.name ?? 'Jürgen Bakker' }, wa_id: o.from ?? '31612345678' }],
      messages: [{ from: o.from ?? '31612345678', id: o.id, timestamp: seconds(o.at), ...(o.content ?? { type: 'text', text: { body: 'Hallo' } }) }],
    }),
  status: (phoneNumberId: string, o: { id: string; status: string; at: Date; to?: string; error?: { code: number; title: string; message: string } }) =>
    wa.value(phoneNumberId, {
      statuses: [
        {
          id: o.id,
          status: o.status,
          timestamp: seconds(o.at),
          recipient_id: o.to ?? '31612345678',
          ...(o.status === 'failed' && o.error ? { errors: [{ ...o.error, error_data: { details: o.error.message } }] } : {}),
          ...(o.status !== 'failed' ? { conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'CBP', category: 'service' } } : {}),
        },
      ],
    }),
};

/** Messenger and Instagram webhook bodies (entry[].messaging[] and entry[].changes[]). */
export const fb = {
  envelope: (object: 'page' | 'instagram', entries: Array<{ id: string; time?: number; messaging?: unknown[]; changes?: unknown[] }>) => ({
    object,
    entry: entries.map((e) => ({ time: e.time ?? 1_767_603_600_000, ...e })),
  }),
  message: (o: { from: string; to: string; mid: string; at: Date; text?: string; attachments?: unknown[]; echo?: boolean }) => ({
    sender: { id: o.echo ? o.to : o.from },
    recipient: { id: o.echo ? o.from : o.to },
    timestamp: o.at.getTime(),
    message: { mid: o.mid, ...(o.echo ? { is_echo: true, app_id: 1517776481860111 } : {}), ...(o.text !== undefined ? { text: o.text } : {}), ...(o.attachments ? { attachments: o.attachments } : {}) },
  }),
  postback: (o: { from: string; to: string; mid: string; at: Date; title: string; payload: string }) => ({
    sender: { id: o.from },
    recipient: { id: o.to },
    timestamp: o.at.getTime(),
    postback: { mid: o.mid, title: o.title, payload: o.payload },
  }),
  delivery: (o: { from: string; to: string; mids?: string[]; watermark: number }) => ({ sender: { id: o.from }, recipient: { id: o.to }, delivery: { ...(o.mids ? { mids: o.mids } : {}), watermark: o.watermark } }),
  read: (o: { from: string; to: string; watermark?: number; mid?: string; at: Date }) => ({
    sender: { id: o.from },
    recipient: { id: o.to },
    timestamp: o.at.getTime(),
    read: { ...(o.watermark !== undefined ? { watermark: o.watermark } : {}), ...(o.mid ? { mid: o.mid } : {}) },
  }),
  /** A comment on a Page post (field "feed"). */
  feedComment: (o: { pageId: string; postId: string; commentId: string; from: { id: string; name: string }; message: string; at: Date; parentId?: string }) => ({
    field: 'feed',
    value: {
      from: o.from,
      post: { status_type: 'added_photos', is_published: true, updated_time: o.at.toISOString().replace('.000Z', '+0000'), permalink_url: `https://www.facebook.com/${o.postId}`, promotion_status: 'inactive', id: `${o.pageId}_${o.postId}` },
      message: o.message,
      post_id: `${o.pageId}_${o.postId}`,
      comment_id: `${o.postId}_${o.commentId}`,
      created_time: Math.floor(o.at.getTime() / 1000),
      item: 'comment',
      parent_id: o.parentId ?? `${o.pageId}_${o.postId}`,
      verb: 'add',
    },
  }),
  /** A comment on an Instagram media (field "comments"). */
  igComment: (o: { commentId: string; mediaId: string; from: { id: string; username: string }; text: string; parentId?: string }) => ({
    field: 'comments',
    value: { from: { ...o.from, self_ig_scoped_id: '2105722729836161' }, media: { id: o.mediaId, media_product_type: 'FEED' }, id: o.commentId, text: o.text, ...(o.parentId ? { parent_id: o.parentId } : {}) },
  }),
};
