import type { InboundEvent, InboundStatusEvent, MediaRef } from '../contract.ts';
import { WebhookError } from '../contract.ts';

/** Twilio writes WhatsApp addresses as `whatsapp:+31…`; the customer's identity is the bare E.164 number. */
export const WHATSAPP_PREFIX = 'whatsapp:';
export const bareAddress = (address: string) => (address.toLowerCase().startsWith(WHATSAPP_PREFIX) ? address.slice(WHATSAPP_PREFIX.length) : address).trim();

/** A Twilio webhook body: form fields, first value of each name. */
export function readTwilioForm(raw: Buffer, contentType: string): Map<string, string> {
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new WebhookError(400, 'Expected a form post (application/x-www-form-urlencoded) from Twilio');
  }
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) if (!form.has(name)) form.set(name, value);
  return form;
}

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'AFMELDEN']);
const START_WORDS = new Set(['START', 'UNSTOP']);

/**
 * Whether an inbound SMS opts the sender out of (or back into) messages: the whole body is one
 * of the carrier keywords, or Twilio's Advanced Opt-Out already classified it (OptOutType).
 */
export function optOutChange(body: string, optOutType?: string): 'stop' | 'start' | null {
  const type = optOutType?.trim().toUpperCase();
  if (type === 'STOP') return 'stop';
  if (type === 'START') return 'start';
  const word = body.trim().toUpperCase();
  if (STOP_WORDS.has(word)) return 'stop';
  if (START_WORDS.has(word)) return 'start';
  return null;
}

/** Twilio's message statuses as Hoorn's delivery statuses; in-flight ones (queued, sending…) report nothing new. */
const STATUS: Record<string, InboundStatusEvent['status'] | null> = {
  accepted: null,
  scheduled: null,
  queued: null,
  sending: null,
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Twilio error 21610: the recipient replied STOP; Twilio refuses every further message to them. */
export const TWILIO_OPTED_OUT = '21610';

const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;

/**
 * One verified Twilio webhook (incoming message or status callback, which share the URL) as
 * Hoorn events. Unknown statuses and in-flight statuses are acknowledged and skipped.
 */
export function parseTwilioWebhook(form: Map<string, string>): InboundEvent[] {
  const sid = form.get('MessageSid') ?? form.get('SmsSid');
  if (!sid || !SID.test(sid)) throw new WebhookError(400, 'MessageSid is missing or not a Twilio SID');
  const messageStatus = form.get('MessageStatus');
  if (messageStatus !== undefined && messageStatus !== 'received' && messageStatus !== 'receiving') {
    const status = STATUS[messageStatus];
    if (!status) return [];
    const code = form.get('ErrorCode');
    const event: InboundStatusEvent = { kind: 'status', providerMessageId: sid, status };
    if (status === 'failed') {
      event.error = `Twilio: ${messageStatus}${code ? ` (error ${code})` : ''}${form.get('ErrorMessage') ? `: ${form.get('ErrorMessage')}` : ''}`;
      if (code === TWILIO_OPTED_OUT) event.optedOut = true;
    }
    return [event];
  }

  const from = form.get('From');
  if (!from || !bareAddress(from)) throw new WebhookError(400, 'From is missing');
  const number = bareAddress(from);
  const numMedia = Number(form.get('NumMedia') ?? '0');
  if (!Number.isInteger(numMedia) || numMedia < 0 || numMedia > 10) throw new WebhookError(400, 'NumMedia is not a number from 0 to 10');
  const media: MediaRef[] = [];
  for (let i = 0; i < numMedia; i++) {
    const url = form.get(`MediaUrl${i}`);
    if (!url || !/^https?:\/\//i.test(url)) throw new WebhookError(400, `MediaUrl${i} is missing or not a URL`);
    const contentType = form.get(`MediaContentType${i}`) || undefined;
    const extension = contentType?.split('/')[1]?.split(/[;+]/)[0]?.replace(/[^a-z0-9]/gi, '');
    media.push({ ref: url, contentType, name: `${sid}-${i}${extension ? `.${extension}` : ''}` });
  }
  const isWhatsApp = from.toLowerCase().startsWith(WHATSAPP_PREFIX);
  const profileName = form.get('ProfileName')?.trim() || null;
  const body = form.get('Body') ?? '';
  const optOut = isWhatsApp ? null : optOutChange(body, form.get('OptOutType'));
  const meta: Record<string, unknown> = { to: form.get('To') ?? null };
  for (const [name, key] of [['NumSegments', 'numSegments'], ['MessagingServiceSid', 'messagingServiceSid'], ['WaId', 'waId'], ['OptOutType', 'optOutType']] as const) {
    const value = form.get(name);
    if (value) meta[key] = value;
  }
  if (optOut) meta.optOut = optOut;
  return [
    {
      kind: 'message',
      providerMessageId: sid,
      // WhatsApp proves the number (the account is bound to it); an SMS sender id can be spoofed.
      from: { externalId: number, verified: isWhatsApp, profile: { name: profileName, phone: /^\+\d{6,15}$/.test(number) ? number : null } },
      body,
      media,
      meta,
      ...(optOut ? { optOut } : {}),
    },
  ];
}
