import { z } from 'zod';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import type { ChannelAdapter } from '../contract.ts';
import { WebhookError } from '../contract.ts';
import { providerFetch } from '../http.ts';
import { outboundProviderId, parseApiInbound } from './api.parse.ts';
import { hoornSignatureHeader, verifyHoornSignature } from './api.signature.ts';
import { fileLink, fileLinkRoute } from './signed-files.ts';

const config = z.object({
  /** Where Hoorn posts the agents' replies (and the test connection's ping). */
  callbackUrl: z.url({ protocol: /^https?$/ }),
});
const secrets = z.object({
  /** Signs both directions (X-Hoorn-Signature); shared with the integrator. */
  signingSecret: z.string().min(24, 'at least 24 characters; use a long random string').max(512),
});
type Config = z.infer<typeof config>;
type Secrets = z.infer<typeof secrets>;

/** Posts one signed JSON document to the integrator's callback URL. */
async function postSigned(c: Config, s: Secrets, nowMs: number, document: Record<string, unknown>, extraHeaders: Record<string, string> = {}) {
  const body = JSON.stringify(document);
  return providerFetch(c.callbackUrl, {
    headers: { 'content-type': 'application/json', 'x-hoorn-signature': hoornSignatureHeader(s.signingSecret, Math.floor(nowMs / 1000), body), ...extraHeaders },
    body,
  });
}

/**
 * The API channel: an integrator's app or back end posts its users' messages to Hoorn and
 * receives the agents' replies on a callback URL, both signed with the channel's secret, so any
 * medium Hoorn has no adapter for can be plugged in. The format is docs/api-channel.md.
 */
export const apiChannelAdapter: ChannelAdapter<Config, Secrets> = {
  type: 'api',
  provider: 'hoorn',
  label: 'API (eigen app of koppeling)',
  config,
  secrets,
  fields: [
    {
      key: 'callbackUrl',
      kind: 'url',
      required: true,
      label: { nl: 'Callback-adres voor antwoorden', en: 'Callback URL for replies' },
      help: { nl: 'Hoorn post de antwoorden van medewerkers hierheen, ondertekend.', en: 'Hoorn posts the agents’ replies here, signed.' },
      placeholder: 'https://app.example.nl/hoorn/callback',
    },
    {
      key: 'signingSecret',
      kind: 'secret',
      required: true,
      label: { nl: 'Ondertekeningsgeheim', en: 'Signing secret' },
      help: { nl: 'Minstens 24 tekens; beide kanten ondertekenen hiermee (X-Hoorn-Signature).', en: 'At least 24 characters; both sides sign with it (X-Hoorn-Signature).' },
    },
  ],
  limits: () => ({ maxTextLength: 20_000, attachments: { maxBytes: 25 * 1024 * 1024, types: ['*/*'] }, replyWindowHours: null }),
  webhook: {
    verify({ p, secrets: s }, request) {
      const verdict = verifyHoornSignature(s.signingSecret, request.headers['x-hoorn-signature'], request.rawBody, p.clock.now().getTime());
      if (!verdict.ok) throw new WebhookError(401, verdict.reason);
    },
    parse: (_ctx, request) => parseApiInbound(request.rawBody),
  },
  async send({ p, channel, config: c, secrets: s, recipient }, message) {
    const now = p.clock.now().getTime();
    const res = await postSigned(
      c,
      s,
      now,
      {
        type: 'message',
        id: message.messageId,
        conversationId: message.conversationId,
        to: { id: recipient.externalId },
        text: message.body,
        attachments: message.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, url: fileLink(p.config.publicUrl, channel, a.id, s.signingSecret, now) })),
        sentAt: message.createdAt.toISOString(),
      },
      // Delivery is at least once: the receiver drops a repeat of an id it has seen.
      { 'idempotency-key': message.messageId },
    );
    const answered = (res.json as { id?: unknown } | null)?.id;
    const theirs = typeof answered === 'string' || typeof answered === 'number' ? String(answered) : null;
    if (theirs !== null && (theirs.length === 0 || theirs.length > 200)) throw new DeliveryError('permanent', 'the callback answered an id that is empty or longer than 200 characters');
    return { providerMessageId: outboundProviderId(theirs ?? message.messageId), meta: theirs ? { integratorId: theirs } : undefined };
  },
  async testConnection({ p, config: c, secrets: s }) {
    const res = await postSigned(c, s, p.clock.now().getTime(), { type: 'ping', sentAt: p.clock.now().toISOString() });
    return { ok: true, detail: `The callback URL answered the signed ping with HTTP ${res.status}` };
  },
  routes(app, p) {
    fileLinkRoute(app, p, apiChannelAdapter, (s) => s.signingSecret);
  },
};
