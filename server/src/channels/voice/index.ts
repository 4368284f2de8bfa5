/**
 * Voice through Twilio: calls come in on the number's Voice webhook, self-service speaks the
 * channel's flow as TwiML (Say, Gather with keys and speech), a handoff puts the caller in a
 * Twilio queue whose hold loop announces the place in line and offers a callback, and the agent
 * who accepts the call's routing task in the desk is put through with Twilio's call update API.
 *
 * Endpoints, all form posts signed with X-Twilio-Signature (Twilio's "Voice URL" is the first):
 *   /channels/voice/:channelId/call      incoming call
 *   /channels/voice/:channelId/gather    a flow question's answer (keys, speech, or silence)
 *   /channels/voice/:channelId/wait      the hold loop (Enqueue waitUrl)
 *   /channels/voice/:channelId/callback  a key pressed in the hold loop
 *   /channels/voice/:channelId/status    call status callback (ringing … completed)
 */
import { z } from 'zod';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import type { ChannelAdapter } from '../contract.ts';
import { joinUrl, providerFetch } from '../http.ts';
import { voiceRoutes } from './voice.routes.ts';

export const voiceConfig = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID looks like AC followed by 32 hex digits'),
  /** The Twilio number callers dial (E.164). */
  number: z.string().regex(/^\+[1-9]\d{5,14}$/, 'a number in E.164 form, such as +31201234567'),
  /** Twilio's REST API; tests point it at a fake. */
  apiBaseUrl: z.url().default('https://api.twilio.com'),
  /** How agents take calls: a Twilio Client identity per agent (`<prefix><user id>`). */
  agentClientPrefix: z.string().max(60).default('hoorn-agent-'),
  /** The key a waiting caller presses for a callback (empty: no callbacks offered). */
  callbackDigit: z.string().regex(/^[0-9*#]?$/).default('1'),
  /** Seconds of hold silence between announcements. */
  holdSeconds: z.number().int().min(5).max(300).default(20),
});
export const voiceSecrets = z.object({ authToken: z.string().min(16, 'the auth token is 32 characters') });
export type VoiceConfig = z.infer<typeof voiceConfig>;
export type VoiceSecrets = z.infer<typeof voiceSecrets>;

export const basicAuth = (c: VoiceConfig, s: VoiceSecrets) => `Basic ${Buffer.from(`${c.accountSid}:${s.authToken}`).toString('base64')}`;
export const callUrl = (c: VoiceConfig, callSid: string) => joinUrl(c.apiBaseUrl, `2010-04-01/Accounts/${c.accountSid}/Calls/${encodeURIComponent(callSid)}.json`);

export const voiceAdapter: ChannelAdapter<VoiceConfig, VoiceSecrets> = {
  type: 'voice',
  provider: 'twilio',
  label: 'Telefoon (Twilio)',
  config: voiceConfig,
  secrets: voiceSecrets,
  fields: [
    { key: 'accountSid', kind: 'text', required: true, label: { nl: 'Account SID', en: 'Account SID' }, placeholder: 'AC…' },
    { key: 'authToken', kind: 'secret', required: true, label: { nl: 'Auth token', en: 'Auth token' } },
    { key: 'number', kind: 'text', required: true, label: { nl: 'Telefoonnummer', en: 'Phone number' }, placeholder: '+31201234567' },
    { key: 'callbackDigit', kind: 'text', label: { nl: 'Toets voor terugbellen', en: 'Key for a callback' }, help: { nl: 'Leeg: geen terugbelverzoek in de wachtrij.', en: 'Empty: no callback offered while waiting.' } },
    { key: 'holdSeconds', kind: 'number', label: { nl: 'Seconden tussen wachtrij-meldingen', en: 'Seconds between hold announcements' } },
    { key: 'agentClientPrefix', kind: 'text', label: { nl: 'Twilio Client-voorvoegsel van medewerkers', en: 'Twilio Client prefix of agents' } },
    { key: 'apiBaseUrl', kind: 'url', label: { nl: 'API-adres', en: 'API address' } },
  ],
  // A call carries no written replies; notes and the customer's other channels do.
  limits: () => ({ maxTextLength: 0, attachments: null, replyWindowHours: null }),
  async send() {
    throw new DeliveryError('permanent', 'A phone call carries no written replies');
  },
  inboundAddress: (p, channel) => `${p.config.publicUrl}/channels/voice/${channel.id}/call`,
  async testConnection({ config: c, secrets: s }) {
    const res = await providerFetch(joinUrl(c.apiBaseUrl, `2010-04-01/Accounts/${c.accountSid}.json`), { method: 'GET', headers: { authorization: basicAuth(c, s) } });
    const account = res.json as { friendly_name?: string; status?: string } | null;
    return { ok: account?.status === 'active', detail: `Twilio account “${account?.friendly_name ?? c.accountSid}” is ${account?.status ?? 'of unknown status'}` };
  },
  routes: (app, p) => voiceRoutes(app, p),
};
