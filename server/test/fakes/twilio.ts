import { randomBytes } from 'node:crypto';
import { twilioSignature } from '../../src/channels/twilio/twilio.signature.ts';
import { FakeServer, type RecordedRequest } from './server.ts';

const hex = (n: number) => randomBytes(n).toString('hex');
export const twilioSid = (prefix: string) => `${prefix}${hex(16)}`;

/**
 * Twilio's REST API as the adapter uses it: Messages.json create (201 with Twilio's message
 * resource), the account fetch, and media downloads, all behind HTTP basic auth
 * (AccountSid:AuthToken). `failNext` makes the next create answer Twilio's error JSON.
 */
export class FakeTwilio extends FakeServer {
  readonly failures: Array<{ status: number; code: number; message: string }> = [];
  readonly media = new Map<string, { contentType: string; data: Buffer }>();
  /** Runs with the new message's sid before the create is answered: a status callback that overtakes the answer, as Twilio's can. */
  beforeAnswer: ((sid: string) => Promise<void>) | undefined;

  constructor(readonly accountSid: string, readonly authToken: string) {
    super();
    const account = `/2010-04-01/Accounts/${accountSid}`;
    const authorized = (r: RecordedRequest) => r.headers.authorization === `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    const unauthorized = { status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };

    this.on('POST', new RegExp(`^${account}/Messages\\.json$`), async (r) => {
      if (!authorized(r)) return unauthorized;
      const failure = this.failures.shift();
      if (failure) return { status: failure.status, body: { code: failure.code, message: failure.message, more_info: `https://www.twilio.com/docs/errors/${failure.code}`, status: failure.status } };
      const f = r.form ?? {};
      if (!f.To || (!f.From && !f.MessagingServiceSid) || (!f.Body && !f.ContentSid && !f.MediaUrl)) {
        return { status: 400, body: { code: 21602, message: 'Message body is required.', more_info: 'https://www.twilio.com/docs/errors/21602', status: 400 } };
      }
      const sid = twilioSid(f.MediaUrl ? 'MM' : 'SM');
      await this.beforeAnswer?.(sid);
      const now = 'Thu, 24 Aug 2023 05:01:45 +0000';
      return {
        status: 201,
        body: {
          account_sid: accountSid,
          api_version: '2010-04-01',
          body: f.Body ?? '',
          date_created: now,
          date_sent: null,
          date_updated: now,
          direction: 'outbound-api',
          error_code: null,
          error_message: null,
          from: f.From ?? null,
          messaging_service_sid: f.MessagingServiceSid ?? null,
          num_media: f.MediaUrl ? '1' : '0',
          num_segments: '1',
          price: null,
          price_unit: 'USD',
          sid,
          status: f.MessagingServiceSid ? 'accepted' : 'queued',
          subresource_uris: { media: `${account}/Messages/${sid}/Media.json` },
          to: f.To,
          uri: `${account}/Messages/${sid}.json`,
        },
      };
    });
    this.on('GET', new RegExp(`^${account}\\.json$`), (r) =>
      authorized(r)
        ? {
            body: {
              auth_token: authToken,
              date_created: 'Thu, 01 Jun 2023 10:00:00 +0000',
              date_updated: 'Thu, 01 Jun 2023 10:00:00 +0000',
              friendly_name: 'Hoorn test account',
              owner_account_sid: accountSid,
              sid: accountSid,
              status: 'active',
              subresource_uris: {},
              type: 'Full',
              uri: `${account}.json`,
            },
          }
        : unauthorized,
    );
    this.on('GET', /^\/2010-04-01\/Accounts\/[^/]+\.json$/, () => unauthorized);
    this.on('GET', new RegExp(`^${account}/Messages/[^/]+/Media/[^/]+$`), (r) => {
      if (!authorized(r)) return unauthorized;
      const file = this.media.get(r.url.split('?')[0]!);
      return file ? { headers: { 'content-type': file.contentType }, body: file.data } : { status: 404, body: { code: 20404, message: 'not found', status: 404 } };
    });
  }

  /** The next Messages.json create answers this Twilio error. */
  failNext(status: number, code: number, message: string): void {
    this.failures.push({ status, code, message });
  }

  /** Puts a file where Twilio's MediaUrl would point; returns the URL. */
  addMedia(messageSid: string, contentType: string, data: Buffer): string {
    const path = `/2010-04-01/Accounts/${this.accountSid}/Messages/${messageSid}/Media/${twilioSid('ME')}`;
    this.media.set(path, { contentType, data });
    return `${this.baseUrl}${path}`;
  }

  /** A message in a form post as Twilio sends it to the number's webhook. */
  inbound(opts: { from: string; to: string; body: string; sid?: string; profileName?: string; media?: Array<{ url: string; contentType: string }>; extra?: Record<string, string> }): Record<string, string> {
    const sid = opts.sid ?? twilioSid(opts.media?.length ? 'MM' : 'SM');
    const params: Record<string, string> = {
      ToCountry: 'NL',
      SmsMessageSid: sid,
      NumMedia: String(opts.media?.length ?? 0),
      SmsSid: sid,
      SmsStatus: 'received',
      Body: opts.body,
      To: opts.to,
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: this.accountSid,
      From: opts.from,
      ApiVersion: '2010-04-01',
    };
    if (opts.profileName) Object.assign(params, { ProfileName: opts.profileName, WaId: opts.from.replace(/^whatsapp:\+/, '') });
    opts.media?.forEach((m, i) => Object.assign(params, { [`MediaUrl${i}`]: m.url, [`MediaContentType${i}`]: m.contentType }));
    return { ...params, ...opts.extra };
  }

  /** A status callback as Twilio posts it to the message's StatusCallback. */
  status(messageSid: string, status: string, opts: { from: string; to: string; errorCode?: string }): Record<string, string> {
    return {
      SmsSid: messageSid,
      SmsStatus: status,
      MessageStatus: status,
      To: opts.to,
      MessageSid: messageSid,
      AccountSid: this.accountSid,
      From: opts.from,
      ApiVersion: '2010-04-01',
      ...(opts.errorCode ? { ErrorCode: opts.errorCode } : {}),
    };
  }
}

/** A webhook post signed exactly as Twilio signs it: the URL it calls plus the sorted, decoded parameters. */
export function signedTwilioPost(authToken: string, url: string, params: Record<string, string>): { headers: Record<string, string>; payload: string } {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, url, Object.entries(params)), 'i-twilio-idempotency-token': hex(8) },
    payload: new URLSearchParams(params).toString(),
  };
}
