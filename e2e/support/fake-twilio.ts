import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake received: path and the parsed form. */
export interface FakeRequest {
  method: string;
  path: string;
  form: Record<string, string>;
  authorization: string | undefined;
}

export interface FakeHttp {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/**
 * A stand-in on 127.0.0.1 (a free port) that answers every request with `answer(path)` as JSON and
 * records it: Twilio's call update API, or the organisation's CRM.
 */
export async function startFakeHttp(answer: (path: string) => { status: number; body: unknown }): Promise<FakeHttp> {
  const requests: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? 'GET', path, form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))), authorization: req.headers.authorization });
      const { status, body } = answer(path);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** X-Twilio-Signature: base64 HMAC-SHA1 over the URL and the sorted form fields (name + value). */
export function twilioSignature(authToken: string, url: string, form: Record<string, string>): string {
  const data = url + Object.keys(form).sort().map((name) => name + form[name]).join('');
  return createHmac('sha1', authToken).update(data).digest('base64');
}
