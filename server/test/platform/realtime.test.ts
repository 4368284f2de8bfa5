import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { appendEvent, inTransaction } from '../../src/platform/events/events.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

describe('realtime WebSocket', () => {
  let t: TestContext;
  let base: string;
  let a: { id: string };
  let b: { id: string };
  let cookieA: string;

  beforeAll(async () => {
    t = await makeTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    a = await makeWorkspace(t.platform);
    b = await makeWorkspace(t.platform);
    cookieA = await loginCookie(t.app, (await makeUser(t.platform, a.id, 'agent')).email);
  });
  afterAll(() => t.close());

  function connect(headers: Record<string, string>) {
    const ws = new WebSocket(`${base}/api/realtime`, { headers });
    const messages: Array<{ type: string; event?: { type: string; subjectId: string } }> = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    const waitFor = (predicate: (m: (typeof messages)[number]) => boolean) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching message; got ${JSON.stringify(messages)}`)), 5000);
        const check = () => {
          if (messages.some(predicate)) {
            clearTimeout(timer);
            resolve();
          } else setTimeout(check, 10);
        };
        check();
      });
    return { ws, messages, waitFor };
  }

  it("streams the workspace's committed events and nothing of another workspace", async () => {
    const client = connect({ cookie: cookieA });
    await client.waitFor((m) => m.type === 'hello');
    await inTransaction(t.platform, (tx) => appendEvent(tx, { workspaceId: b.id, type: 'test.other', subjectType: 'test', subjectId: 'b-secret' }));
    await inTransaction(t.platform, (tx) => appendEvent(tx, { workspaceId: a.id, type: 'test.mine', subjectType: 'test', subjectId: 'a-1' }));
    await client.waitFor((m) => m.event?.subjectId === 'a-1');
    expect(client.messages.some((m) => m.event?.subjectId === 'b-secret')).toBe(false);
    client.ws.close();
  });

  const upgradeStatus = (headers: Record<string, string> = {}) => {
    const ws = new WebSocket(`${base}/api/realtime`, { headers });
    return new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
    });
  };

  it('refuses an unauthenticated upgrade', async () => {
    expect(await upgradeStatus()).toBe(401);
  });

  it('refuses a page of another site that rides on the cookie', async () => {
    expect(await upgradeStatus({ cookie: cookieA, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus({ cookie: cookieA, origin: base.replace('ws:', 'http:') })).toBe(101);
  });
});
