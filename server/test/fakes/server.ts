import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON or as a form, when it is one. */
  json: any;
  form: Record<string, string> | null;
}

export type FakeHandler = (request: RecordedRequest) => { status?: number; headers?: Record<string, string>; body?: unknown } | Promise<{ status?: number; headers?: Record<string, string>; body?: unknown }>;

/**
 * A fake provider API on loopback: real HTTP, so the adapters' clients (fetch, auth headers,
 * bodies) are exercised as in production. Each fake in this folder installs the provider's
 * routes with their exact answer formats; every request is recorded for the assertions.
 */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Array<{ method: string; path: RegExp; handler: FakeHandler }> = [];
  private server: http.Server | undefined;
  baseUrl = '';

  /** Adds a route; the first registered route that matches answers. */
  on(method: string, path: RegExp, handler: FakeHandler): this {
    this.routes.push({ method, path, handler });
    return this;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        const type = String(req.headers['content-type'] ?? '');
        let json: unknown = null;
        if (type.includes('json')) try { json = JSON.parse(text); } catch { json = null; }
        const form = type.includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(text)) : null;
        const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, json, form };
        this.requests.push(recorded);
        const path = (req.url ?? '/').split('?')[0]!;
        const route = this.routes.find((r) => r.method === recorded.method && r.path.test(path));
        try {
          const answer = route ? await route.handler(recorded) : { status: 404, body: { error: `no fake route for ${recorded.method} ${path}` } };
          const payload = answer.body === undefined ? '' : Buffer.isBuffer(answer.body) ? answer.body : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
          res.writeHead(answer.status ?? 200, { 'content-type': typeof answer.body === 'object' && !Buffer.isBuffer(answer.body) ? 'application/json' : 'text/plain', ...answer.headers });
          res.end(payload);
        } catch (error) {
          res.writeHead(500).end(String(error));
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Requests to a path, in order. */
  to(path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => path.test(r.url.split('?')[0]!));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
