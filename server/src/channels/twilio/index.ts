import { z } from 'zod';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import type { ChannelAdapter, ChannelLimits, SettingsField } from '../contract.ts';
import { WebhookError } from '../contract.ts';
import { joinUrl, providerFetch, type ProviderResponse } from '../http.ts';
import { fileLink, fileLinkRoute } from '../api/signed-files.ts';
import { setIdentityOptOut } from '../../customers/customers.service.ts';
import { bareAddress, parseTwilioWebhook, readTwilioForm, TWILIO_OPTED_OUT, WHATSAPP_PREFIX } from './twilio.parse.ts';
import { verifyTwilioRequest } from './twilio.signature.ts';

const E164_OR_WHATSAPP = /^(whatsapp:)?\+[1-9]\d{5,14}$/;

/** A WhatsApp template approved in Twilio's Content API: a ContentSid whose variables are {{1}}, {{2}}… */
const template = z.object({
  name: z.string().min(1),
  language: z.string().min(2),
  body: z.string(),
  parameters: z.number().int().min(0).max(100),
  contentSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'a Content SID looks like HX followed by 32 hex digits'),
});

const config = z
  .object({
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID looks like AC followed by 32 hex digits'),
    /** The Twilio number messages come from (E.164; for WhatsApp optionally written whatsapp:+…). */
    from: z.string().regex(E164_OR_WHATSAPP, 'a number in E.164 form, such as +31201234567').optional(),
    /** A Messaging Service picks the sender instead of `from`. */
    messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'a Messaging Service SID looks like MG followed by 32 hex digits').optional(),
    /** Twilio's REST API; tests point it at a fake. */
    apiBaseUrl: z.url().default('https://api.twilio.com'),
    /** WhatsApp only: the approved templates offered when the 24-hour window is closed. */
    templates: z.array(template).default([]),
  })
  .refine((c) => c.from || c.messagingServiceSid, { message: 'Give the sending number (from) or a Messaging Service SID', path: ['from'] });
const secrets = z.object({
  /** Signs Twilio's webhooks and, with the Account SID, authenticates the API calls. */
  authToken: z.string().min(16, 'the auth token is 32 characters'),
});
type Config = z.infer<typeof config>;
type Secrets = z.infer<typeof secrets>;

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const basicAuth = (c: Config, s: Secrets) => `Basic ${Buffer.from(`${c.accountSid}:${s.authToken}`).toString('base64')}`;
const accountUrl = (c: Config, path: string) => joinUrl(c.apiBaseUrl, `2010-04-01/Accounts/${c.accountSid}${path}`);

/** Twilio's error answer: {code, message, more_info, status}. */
type TwilioError = { code?: number; message?: string; more_info?: string; status?: number };

/** Twilio error codes that say more than the HTTP status (https://www.twilio.com/docs/api/errors). */
function classifyTwilio(response: ProviderResponse): DeliveryError | undefined {
  const body = response.json as TwilioError | null;
  const description = `Twilio error ${body?.code ?? response.status}: ${body?.message ?? response.text.slice(0, 200)}`;
  switch (body?.code) {
    case 20003: // authentication failed
      return new DeliveryError('auth', description);
    case 20429: // too many requests
      return new DeliveryError('retryable', description);
    case 21211: // invalid To
    case 21610: // the recipient replied STOP
    case 21614: // To is not a mobile number
    case 63016: // WhatsApp: free text outside the 24-hour window
      return new DeliveryError('permanent', description);
  }
  return response.status === 429 || response.status >= 500 ? new DeliveryError('retryable', description) : undefined;
}

/** A Content API body with {{1}}, {{2}}… filled in. Pure. */
export const renderTemplate = (body: string, parameters: string[]) => body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => parameters[Number(n) - 1] ?? whole);

function makeTwilioAdapter(type: 'sms' | 'whatsapp'): ChannelAdapter<Config, Secrets> {
  const whatsapp = type === 'whatsapp';
  /** Twilio addresses WhatsApp users and senders as whatsapp:+…; identities and settings keep the bare number. */
  const address = (number: string) => (whatsapp ? `${WHATSAPP_PREFIX}${bareAddress(number)}` : bareAddress(number));
  const fields: SettingsField[] = [
    { key: 'accountSid', kind: 'text', required: true, label: { nl: 'Account SID', en: 'Account SID' }, placeholder: 'AC…' },
    { key: 'authToken', kind: 'secret', required: true, label: { nl: 'Auth token', en: 'Auth token' }, help: { nl: 'Controleert Twilio’s handtekeningen en logt in op de API.', en: 'Checks Twilio’s signatures and logs in to the API.' } },
    {
      key: 'from',
      kind: 'text',
      label: { nl: whatsapp ? 'WhatsApp-nummer (afzender)' : 'Telefoonnummer (afzender)', en: whatsapp ? 'WhatsApp number (sender)' : 'Phone number (sender)' },
      help: { nl: 'In E.164-vorm, zoals +31201234567. Niet nodig met een Messaging Service.', en: 'In E.164 form, such as +31201234567. Not needed with a Messaging Service.' },
      placeholder: '+31201234567',
    },
    { key: 'messagingServiceSid', kind: 'text', label: { nl: 'Messaging Service SID (optioneel)', en: 'Messaging Service SID (optional)' }, placeholder: 'MG…' },
    { key: 'apiBaseUrl', kind: 'url', label: { nl: 'API-adres', en: 'API address' }, placeholder: 'https://api.twilio.com' },
  ];
  if (whatsapp) {
    fields.push({
      key: 'templates',
      kind: 'json',
      label: { nl: 'Goedgekeurde templates', en: 'Approved templates' },
      help: {
        nl: 'Lijst van {name, language, body, parameters, contentSid} uit Twilio’s Content API; te gebruiken buiten het 24-uursvenster.',
        en: 'List of {name, language, body, parameters, contentSid} from Twilio’s Content API; used outside the 24-hour window.',
      },
    });
  }

  const adapter: ChannelAdapter<Config, Secrets> = {
    type,
    provider: 'twilio',
    label: whatsapp ? 'WhatsApp (Twilio)' : 'SMS (Twilio)',
    config,
    secrets,
    fields,
    limits: (_channel, c): ChannelLimits => ({
      // Twilio splits and rejoins up to 10 segments; WhatsApp bodies have the same cap.
      maxTextLength: 1600,
      attachments: { maxBytes: 5 * 1024 * 1024, types: ['image/jpeg', 'image/png', 'image/gif', 'application/pdf', 'audio/mpeg', 'audio/ogg', 'video/mp4'] },
      replyWindowHours: whatsapp ? 24 : null,
      ...(whatsapp ? { templates: c.templates.map(({ name, language, body, parameters }) => ({ name, language, body, parameters })) } : {}),
    }),
    webhook: {
      verify({ config: c, secrets: s }, request) {
        const verdict = verifyTwilioRequest({ authToken: s.authToken, url: request.publicUrl, contentType: request.contentType, rawBody: request.rawBody, signature: request.headers['x-twilio-signature'] });
        if (!verdict.ok) throw new WebhookError(401, verdict.reason);
        // Signed with this token but for another (sub)account: not this channel's traffic.
        // (A JSON body, signed through bodySHA256, carries no form fields: parse refuses it with a 400.)
        if (request.contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
          const accountSid = new URLSearchParams(request.rawBody.toString('utf8')).get('AccountSid');
          if (accountSid !== c.accountSid) throw new WebhookError(403, 'AccountSid is not this channel’s account');
        }
      },
      parse: (_ctx, request) => parseTwilioWebhook(readTwilioForm(request.rawBody, request.contentType)),
      // The reply goes through the outbox and the REST API, never inline as TwiML.
      reply: () => ({ status: 200, contentType: 'text/xml', body: TWIML_EMPTY }),
    },
    async send({ p, channel, config: c, secrets: s, recipient }, message) {
      const base = new URLSearchParams();
      base.set('To', address(recipient.externalId));
      if (c.messagingServiceSid) base.set('MessagingServiceSid', c.messagingServiceSid);
      else base.set('From', address(c.from!));
      const form = new URLSearchParams(base);
      // Twilio fetches media itself: expiring public links to the files.
      const links = message.attachments.map((file) => fileLink(p.config.publicUrl, channel, file.id, s.authToken, p.clock.now().getTime()));
      // An MMS carries up to 10 files; a WhatsApp message one, so further files go as messages of their own.
      const [withBody, separately] = whatsapp ? [links.slice(0, 1), links.slice(1)] : [links, []];
      const chosen = message.meta?.template as { name: string; language: string; parameters: string[] } | undefined;
      if (chosen) {
        const known = c.templates.find((t) => t.name === chosen.name && t.language === chosen.language);
        if (!known) throw new DeliveryError('permanent', `the channel has no template ${chosen.name} (${chosen.language}) any more`);
        form.set('ContentSid', known.contentSid);
        form.set('ContentVariables', JSON.stringify(Object.fromEntries(chosen.parameters.map((value, i) => [String(i + 1), value]))));
      } else {
        form.set('Body', message.body);
        for (const link of withBody) form.append('MediaUrl', link);
      }
      form.set('StatusCallback', `${p.config.publicUrl}/channels/${type}/${channel.id}/webhook`);

      let code: number | undefined;
      const create = async (fields: URLSearchParams) => {
        const res = await providerFetch(accountUrl(c, '/Messages.json'), {
          headers: { authorization: basicAuth(c, s), 'content-type': 'application/x-www-form-urlencoded' },
          body: fields,
          classify: (response) => {
            code = (response.json as TwilioError | null)?.code;
            return classifyTwilio(response);
          },
        });
        const sent = res.json as { sid?: string; status?: string; num_segments?: string } | null;
        if (!sent?.sid) throw new DeliveryError('retryable', 'Twilio accepted the message but returned no sid');
        return sent;
      };
      try {
        const sent = await create(form);
        for (const link of chosen ? [] : separately) {
          const extra = new URLSearchParams(base);
          extra.set('MediaUrl', link);
          await create(extra);
        }
        const meta: Record<string, unknown> = { twilioStatus: sent.status ?? null, numSegments: sent.num_segments ?? null };
        // What the customer read, for the desk: the template's text with its variables filled in.
        if (chosen) meta.templateText = renderTemplate(c.templates.find((t) => t.name === chosen.name && t.language === chosen.language)!.body, chosen.parameters);
        return { providerMessageId: sent.sid!, meta };
      } catch (error) {
        if (String(code) === TWILIO_OPTED_OUT) await setIdentityOptOut(p.db, channel.workspaceId, channel.type, recipient.externalId, p.clock.now());
        throw error;
      }
    },
    async fetchMedia({ config: c, secrets: s }, media) {
      const url = new URL(media.ref);
      // Twilio's media URLs want the account's credentials; never hand them to another host.
      const ours = url.origin === new URL(c.apiBaseUrl).origin || url.hostname === 'api.twilio.com' || url.hostname.endsWith('.twilio.com');
      let res: Response;
      try {
        res = await fetch(url, { headers: ours ? { authorization: basicAuth(c, s) } : {}, signal: AbortSignal.timeout(60_000) });
      } catch (error) {
        throw new DeliveryError('retryable', `media download: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!res.ok) throw new DeliveryError(res.status === 429 || res.status >= 500 ? 'retryable' : res.status === 401 || res.status === 403 ? 'auth' : 'permanent', `media download: HTTP ${res.status}`);
      return { data: Buffer.from(await res.arrayBuffer()), contentType: media.contentType ?? res.headers.get('content-type') ?? 'application/octet-stream', name: media.name ?? 'media' };
    },
    async testConnection({ config: c, secrets: s }) {
      const res = await providerFetch(accountUrl(c, '.json'), { method: 'GET', headers: { authorization: basicAuth(c, s) }, classify: classifyTwilio });
      const account = res.json as { friendly_name?: string; status?: string } | null;
      const ok = account?.status === 'active';
      return { ok, detail: `Twilio account “${account?.friendly_name ?? c.accountSid}” is ${account?.status ?? 'of unknown status'}` };
    },
    routes(app, p) {
      fileLinkRoute(app, p, adapter, (s) => s.authToken);
    },
  };
  return adapter;
}

/** SMS and MMS through a Twilio number or Messaging Service. */
export const twilioSmsAdapter = makeTwilioAdapter('sms');
/** WhatsApp through Twilio: the same API with whatsapp: addresses, a 24-hour window and Content API templates. */
export const twilioWhatsAppAdapter = makeTwilioAdapter('whatsapp');
