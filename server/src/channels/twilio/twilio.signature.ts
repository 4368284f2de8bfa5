import { createHash } from 'node:crypto';
import { hmacBase64, safeEqual } from '../http.ts';

/**
 * Twilio's request signature (X-Twilio-Signature), https://www.twilio.com/docs/usage/security:
 * base64 HMAC-SHA1 keyed with the auth token over the URL Twilio called, followed, for form
 * posts, by every POST parameter as name+value, sorted by name. Pure: no I/O.
 */
export function twilioSignature(authToken: string, url: string, params: Array<[string, string]> = []): string {
  // Code-unit order, not locale order: Twilio sorts the names byte-wise. A repeated name keeps its values sorted too.
  const sorted = [...params].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return hmacBase64('sha1', authToken, url + sorted.map(([name, value]) => name + value).join(''));
}

/**
 * The URL as Twilio may have signed it: exactly as called, and with the scheme's default port
 * added or removed (Twilio's own validators accept both, since proxies differ in what they keep).
 */
export function urlVariants(url: string): string[] {
  const variants = [url];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return variants;
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '';
  const authority = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!defaultPort || !authority) return variants;
  const [, scheme, host, rest] = authority;
  if (host!.endsWith(`:${defaultPort}`)) variants.push(scheme + host!.slice(0, -(defaultPort.length + 1)) + rest);
  else if (!/:\d+$/.test(host!)) variants.push(`${scheme}${host}:${defaultPort}${rest}`);
  return variants;
}

export type TwilioVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks a webhook request. Form posts: the signature covers the URL and the decoded
 * parameters. JSON posts: the URL carries bodySHA256 (hex SHA-256 of the raw body), the
 * signature covers the URL alone, and both must match.
 */
export function verifyTwilioRequest(input: { authToken: string; url: string; contentType: string; rawBody: Buffer; signature: string | undefined }): TwilioVerdict {
  const { authToken, url, contentType, rawBody, signature } = input;
  if (!signature) return { ok: false, reason: 'Missing X-Twilio-Signature' };
  const isForm = contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
  let params: Array<[string, string]> = [];
  if (isForm) {
    params = [...new URLSearchParams(rawBody.toString('utf8')).entries()];
  } else {
    let claimed: string | null = null;
    try {
      claimed = new URL(url).searchParams.get('bodySHA256');
    } catch {
      claimed = null;
    }
    const actual = createHash('sha256').update(rawBody).digest('hex');
    if (!claimed || !safeEqual(claimed.toLowerCase(), actual)) return { ok: false, reason: 'bodySHA256 is missing or does not match the body' };
  }
  const matches = urlVariants(url).some((candidate) => safeEqual(twilioSignature(authToken, candidate, params), signature));
  return matches ? { ok: true } : { ok: false, reason: 'Wrong X-Twilio-Signature' };
}
