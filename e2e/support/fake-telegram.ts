import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake Bot API received: method name, the token in the path, and the parsed JSON body. */
export interface TelegramCall {
  method: string;
  token: string;
  httpMethod: string;
  body: Record<string, unknown> | null;
}

export interface FakeTelegram {
  /** The API address to give the channel (config.apiBaseUrl). */
  url: string;
  calls: TelegramCall[];
  /** The calls of one Bot API method, e.g. 'sendMessage'. */
  callsTo(method: string): TelegramCall[];
  close(): Promise<void>;
}

export const FAKE_BOT = { id: 42, is_bot: true, first_name: 'Hoorn', username: 'hoorn_e2e_bot' } as const;

/**
 * A tiny stand-in for Telegram's Bot API on 127.0.0.1 (a free port), started inside the test
 * process: answers getMe and sendMessage the way Telegram does, and records every request.
 */
export async function startFakeTelegram(): Promise<FakeTelegram> {
  const calls: TelegramCall[] = [];
  let nextMessageId = 101;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (!match) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token, method] = match as unknown as [string, string, string];
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | null = null;
      if (raw && (req.headers['content-type'] ?? '').includes('application/json')) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          body = null;
        }
      }
      if (!body && url.search) body = Object.fromEntries(url.searchParams);
      calls.push({ method, token, httpMethod: req.method ?? 'GET', body });

      if (method === 'getMe') return send(200, { ok: true, result: FAKE_BOT });
      if (method === 'sendMessage') {
        if (!body || body.chat_id === undefined || typeof body.text !== 'string') {
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: chat_id and text are required' });
        }
        return send(200, {
          ok: true,
          result: { message_id: nextMessageId++, date: 1_800_000_000, chat: { id: body.chat_id, type: 'private' }, text: body.text },
        });
      }
      return send(404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
