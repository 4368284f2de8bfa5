import { createHmac, timingSafeEqual } from 'node:crypto';
import { FakeServer, type RecordedRequest } from './server.ts';

/**
 * An integrator's callback endpoint for the API channel. It checks X-Hoorn-Signature on every
 * request the way docs/api-channel.md tells integrators to (its own code, not Hoorn's), refuses
 * what does not verify with 401, and answers a message with its own id. `failures` queue error answers.
 */
export class FakeApiReceiver extends FakeServer {
  readonly received: Array<{ document: any; request: RecordedRequest }> = [];
  readonly rejected: Array<{ reason: string; request: RecordedRequest }> = [];
  readonly failures: Array<{ status: number; body: unknown }> = [];
  private nextId = 1;

  constructor(private readonly secret: string, private readonly now: () => number, readonly path = '/hooks/hoorn') {
    super();
    this.on('POST', new RegExp(`^${path}$`), (request) => {
      const reason = this.check(request);
      if (reason) {
        this.rejected.push({ reason, request });
        return { status: 401, body: { error: reason } };
      }
      const failure = this.failures.shift();
      if (failure) return failure;
      const document = JSON.parse(request.body.toString('utf8'));
      this.received.push({ document, request });
      return document.type === 'message' ? { status: 200, body: { id: `rcv-${this.nextId++}` } } : { status: 204 };
    });
  }

  get url(): string {
    return `${this.baseUrl}${this.path}`;
  }

  private check(request: RecordedRequest): string | null {
    const header = String(request.headers['x-hoorn-signature'] ?? '');
    const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
    const v1 = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)?.[1];
    if (!t || !v1) return 'no signature';
    if (Math.abs(this.now() / 1000 - Number(t)) > 300) return 'stale timestamp';
    const expected = createHmac('sha256', this.secret).update(`${t}.`).update(request.body).digest();
    return timingSafeEqual(expected, Buffer.from(v1, 'hex')) ? null : 'bad signature';
  }
}

/** A request to Hoorn's API channel webhook, signed as docs/api-channel.md says. */
export function signedApiPost(secret: string, document: unknown, timestampSeconds: number): { headers: Record<string, string>; payload: string } {
  const payload = typeof document === 'string' ? document : JSON.stringify(document);
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`).digest('hex');
  return { headers: { 'content-type': 'application/json', 'x-hoorn-signature': `t=${timestampSeconds},v1=${v1}` }, payload };
}
