import { z } from 'zod';
import type { InboundEvent, InboundStatusEvent, MediaRef } from '../contract.ts';
import { metaEnvelope, unixSeconds, validate, type MetaJson } from './meta.parse.ts';

/**
 * The WhatsApp Cloud API's `messages` webhook value (the fields Hoorn reads; Meta adds fields
 * over time, so unknown ones are allowed).
 */
const mediaObject = z.object({ id: z.string().min(1), mime_type: z.string().optional(), caption: z.string().optional(), filename: z.string().optional(), sha256: z.string().optional() });
const message = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: unixSeconds,
  type: z.string(),
  context: z.object({ from: z.string().optional(), id: z.string().optional() }).optional(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  image: mediaObject.optional(),
  audio: mediaObject.optional(),
  document: mediaObject.optional(),
  video: mediaObject.optional(),
  sticker: mediaObject.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).optional(),
});
const status = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: unixSeconds,
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: z.string().optional() }).optional() })).optional(),
});
export const whatsappValue = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string() }),
  contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(message).optional(),
  statuses: z.array(status).optional(),
});
type WhatsAppMessage = z.infer<typeof message>;

const MEDIA_TYPES = ['image', 'audio', 'document', 'video', 'sticker'] as const;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'video/mp4': 'mp4', 'application/pdf': 'pdf' };

/** A file name for a media message that has none (only documents carry one). */
export const mediaName = (type: string, id: string, mime: string | undefined) => `${type}-${id.slice(-12).replace(/[^A-Za-z0-9_-]/g, '')}.${EXTENSIONS[(mime ?? '').split(';')[0]!.trim()] ?? 'bin'}`;

/** What the agent reads for one WhatsApp message; null: not a customer message worth storing. */
function content(m: WhatsAppMessage): { body: string; media?: MediaRef[]; meta?: Record<string, unknown> } | null {
  switch (m.type) {
    case 'text':
      return { body: m.text?.body ?? '' };
    case 'interactive': {
      const choice = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return choice ? { body: choice.title, meta: { interactive: { type: m.interactive!.type, id: choice.id } } } : null;
    }
    case 'button':
      return m.button ? { body: m.button.text, meta: { button: { payload: m.button.payload ?? null } } } : null;
    case 'location': {
      const l = m.location;
      if (!l) return null;
      const label = [l.name, l.address].filter(Boolean).join(', ');
      return { body: `📍 ${l.latitude},${l.longitude}${label ? ` ${label}` : ''}`, meta: { location: l } };
    }
    case 'reaction':
      // Stored as a small message so the agent sees it; removing a reaction (no emoji) adds nothing.
      return m.reaction?.emoji ? { body: m.reaction.emoji, meta: { reaction: { to: m.reaction.message_id, emoji: m.reaction.emoji } } } : null;
    case 'system':
      return null;
    default: {
      const type = MEDIA_TYPES.find((t) => t === m.type);
      const file = type && m[type];
      if (type && file) {
        return {
          body: file.caption ?? '',
          media: [{ ref: file.id, contentType: file.mime_type?.split(';')[0]?.trim(), name: file.filename ?? mediaName(type, file.id, file.mime_type) }],
        };
      }
      // Types Hoorn does not read (contacts, order, unsupported): the agent still sees that something came.
      return { body: `[${m.type}]`, meta: { unsupported: true } };
    }
  }
}

const STATUSES: Record<string, InboundStatusEvent['status']> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

/**
 * A verified WhatsApp Cloud delivery as Hoorn events: every message and status of every change,
 * in order. Changes for another phone number of the same business account are not this
 * channel's and are skipped, as are fields other than `messages`.
 */
export function parseWhatsAppWebhook(raw: Buffer | MetaJson, phoneNumberId: string): InboundEvent[] {
  const body = metaEnvelope(raw, 'whatsapp_business_account');
  const events: InboundEvent[] = [];
  body.entry.forEach((entry, e) =>
    (entry.changes ?? []).forEach((change, c) => {
      if (change.field !== 'messages') return;
      const value = validate(whatsappValue, change.value, `WhatsApp messages value (entry.${e}.changes.${c}.value)`);
      if (value.metadata.phone_number_id !== phoneNumberId) return;
      const names = new Map((value.contacts ?? []).map((contact) => [contact.wa_id, contact.profile?.name]));
      for (const m of value.messages ?? []) {
        const read = content(m);
        if (!read) continue;
        const name = names.get(m.from);
        events.push({
          kind: 'message',
          providerMessageId: m.id,
          // Meta checked the number: the wa_id is the customer's phone number.
          from: { externalId: m.from, verified: true, profile: { ...(name ? { name } : {}), phone: `+${m.from}` } },
          body: read.body,
          media: read.media,
          receivedAt: m.timestamp,
          meta: { type: m.type, ...(m.context?.id ? { contextId: m.context.id } : {}), ...read.meta },
        });
      }
      for (const s of value.statuses ?? []) {
        const mapped = STATUSES[s.status];
        if (!mapped) continue;
        const error = s.errors?.[0];
        events.push({
          kind: 'status',
          providerMessageId: s.id,
          status: mapped,
          at: s.timestamp,
          ...(mapped === 'failed' ? { error: [error?.title, error?.message ?? error?.error_data?.details].filter(Boolean).join(': ') || 'WhatsApp reported a failure' } : {}),
        });
      }
    }),
  );
  return events;
}

/** Which WhatsApp message type carries a file of this type (anything else goes as a document). */
export function whatsappMediaKind(contentType: string): 'image' | 'audio' | 'video' | 'document' {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'image/jpeg' || type === 'image/png') return 'image';
  if (['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'].includes(type)) return 'audio';
  if (type === 'video/mp4' || type === 'video/3gpp') return 'video';
  return 'document';
}

/** A media message for a file uploaded to /{phone-number-id}/media. */
export function whatsappMediaOutbound(to: string, kind: ReturnType<typeof whatsappMediaKind>, mediaId: string, name: string) {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: kind, [kind]: { id: mediaId, ...(kind === 'document' ? { filename: name } : {}) } };
}

/** The body of an outbound message: a template when one was chosen (the window may be closed), text otherwise. */
export function whatsappOutbound(to: string, body: string, template: { name: string; language: string; parameters: string[] } | undefined) {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if (template) {
    return {
      ...base,
      type: 'template',
      template: {
        name: template.name,
        language: { code: template.language },
        ...(template.parameters.length ? { components: [{ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) }] } : {}),
      },
    };
  }
  return { ...base, type: 'text', text: { preview_url: false, body } };
}
