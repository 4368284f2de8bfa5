import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../src/automation/signing.ts';
import {
  configureWebhooks,
  dispatchWebhooks,
  enqueueWebhookDelivery,
  guardedLookup,
  isNonPublicAddress,
  sendTestEvent,
  subscribes,
  targetProblem,
} from '../../src/automation/webhooks.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { appendEvent, inTransaction, listEvents } from '../../src/platform/events/events.ts';
import { eq, sql } from 'drizzle-orm';
import { outbox } from '../../src/platform/db/schema.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The organisation's system: answers each path from a script of statuses (then 200) and keeps what it got. */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Array<{ status: number; headers?: Record<string, string> }>>();
  private server!: http.Server;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const next = this.scripts.get(path)?.shift() ?? { status: 200 };
        res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
        res.end(next.status >= 400 ? `refused with ${next.status}` : 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  script(path: string, ...answers: Array<number | { status: number; headers?: Record<string, string> }>): void {
    this.scripts.set(path, answers.map((a) => (typeof a === 'number' ? { status: a } : a)));
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('outbound webhooks', () => {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const receiver = new Receiver();
  let t: TestContext;
  let paths = 0;

  beforeAll(async () => {
    t = await makeTestApp({ clock, random: () => 0.5 });
    configureWebhooks(t.platform, { allowPrivateTargets: true });
    await receiver.start();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  /** A workspace of its own per test, so one test's endpoints never see another's events. */
  async function workspace() {
    const ws = await makeWorkspace(t.platform);
    const admin = await makeUser(t.platform, ws.id, 'admin');
    const cookie = await loginCookie(t.app, admin.email);
    const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, payload });
    const endpoint = async (eventTypes: string[] = ['*'], extra: Record<string, unknown> = {}) => {
      const path = `/hook/${++paths}`;
      const res = await api('POST', '/api/webhooks', { name: `Ontvanger ${paths}`, url: receiver.url(path), eventTypes, ...extra });
      expect(res.statusCode, res.body).toBe(201);
      return { ...(res.json() as { id: string; secret: string }), path };
    };
    const event = (type: string, payload: Record<string, unknown> = {}, subjectId = 'c-1') =>
      inTransaction(t.platform, (tx) => appendEvent(tx, { workspaceId: ws.id, type, subjectType: 'conversation', subjectId, payload }));
    const deliveries = async (endpointId: string) => (await api('GET', `/api/webhooks/${endpointId}/deliveries`)).json().items as Array<Record<string, any>>;
    return { id: ws.id, cookie, api, endpoint, event, deliveries };
  }

  const drain = () => t.platform.outbox.drainOnce();
  const verified = (r: Received, secret: string) => verifySignature(String(r.headers['hoorn-signature']), secret, r.body, clock.now().getTime());

  it('delivers a subscribed event as a signed POST the receiver can verify', async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['*']);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const event = await ws.event('conversation.created', { channel: 'webchat', priority: 'normal' }, 'conv-42');

    expect(await dispatchWebhooks(t.platform)).toBe(1);
    expect(await drain()).toEqual([expect.objectContaining({ outcome: 'delivered' })]);

    const [got] = receiver.at(hook.path);
    expect(got).toBeDefined();
    expect(verified(got!, hook.secret)).toEqual({ ok: true, timestamp: clock.now().getTime() / 1000 });
    expect(verified(got!, 'whsec_someone-else').ok).toBe(false);
    const body = JSON.parse(got!.body);
    expect(body).toEqual({
      id: expect.any(String),
      type: 'conversation.created',
      occurredAt: '2026-03-02T10:00:00.000Z',
      workspaceId: ws.id,
      data: { subjectType: 'conversation', subjectId: 'conv-42', channel: 'webchat', priority: 'normal' },
    });
    expect(got!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Hoorn-Webhooks/1',
      'hoorn-event-id': String(event.id),
      'hoorn-event-type': 'conversation.created',
      'hoorn-delivery-id': body.id,
    });

    const [delivery] = await ws.deliveries(hook.id);
    expect(delivery).toMatchObject({ id: body.id, eventId: String(event.id), status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null, source: 'subscription' });
    expect(delivery!.body).toBe(got!.body);
    // The cursor moved on and deliveries are made once per event: nothing more to send.
    expect(await dispatchWebhooks(t.platform)).toBe(0);
    expect(await drain()).toEqual([]);
    expect(receiver.at(hook.path)).toHaveLength(1);
  });

  it('retries a receiver that fails twice and delivers on the third attempt, the same body each time', async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['conversation.resolved']);
    receiver.script(hook.path, 500, 503);
    await ws.event('conversation.resolved');
    await dispatchWebhooks(t.platform);

    expect(await drain()).toEqual([expect.objectContaining({ outcome: 'retry' })]);
    let [delivery] = await ws.deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500: refused with 500' });
    // The first retry waits 1.5 s (the outbox's backoff at random 0.5).
    expect(delivery!.nextAttemptAt).toBe(new Date(clock.now().getTime() + 1_500).toISOString());
    clock.advance(1_000);
    expect(await drain()).toEqual([]);
    clock.advance(500);
    expect(await drain()).toEqual([expect.objectContaining({ outcome: 'retry' })]);
    clock.advance(3_000);
    expect(await drain()).toEqual([expect.objectContaining({ outcome: 'delivered' })]);

    const got = receiver.at(hook.path);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    expect(new Set(got.map((r) => r.headers['hoorn-delivery-id'])).size).toBe(1);
    expect(verified(got[2]!, hook.secret).ok).toBe(true);
    [delivery] = await ws.deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });

    // The attempt log keeps all three, not just the last.
    const detail = await ws.api('GET', `/api/webhooks/${hook.id}/deliveries/${delivery!.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const log = detail.json().attemptLog as Array<Record<string, any>>;
    expect(log.map((a) => [a.attempt, a.statusCode, a.error, a.responseExcerpt])).toEqual([
      [1, 500, 'HTTP 500: refused with 500', 'refused with 500'],
      [2, 503, 'HTTP 503: refused with 503', 'refused with 503'],
      [3, 200, null, 'ok'],
    ]);
    const start = new Date('2026-03-02T10:00:00Z').getTime();
    expect(log.map((a) => new Date(a.at).getTime() - start)).toEqual([0, 1_500, 4_500]);
    for (const a of log) expect(a.durationMs).toBeGreaterThanOrEqual(0);
    // Another endpoint's id with this delivery, or an unknown delivery: 404.
    const other = await ws.endpoint(['conversation.resolved']);
    expect((await ws.api('GET', `/api/webhooks/${other.id}/deliveries/${delivery!.id}`)).statusCode).toBe(404);
    expect((await ws.api('GET', `/api/webhooks/${hook.id}/deliveries/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
  });

  it('keeps at most 1 KB of an answer in the attempt log, and an attempt without an answer with its error', async () => {
    const ws = await workspace();
    const big = http.createServer((_req, res) => res.end('x'.repeat(5000)));
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    const port = (big.address() as AddressInfo).port;
    try {
      const res = await ws.api('POST', '/api/webhooks', { name: 'Groot', url: `http://127.0.0.1:${port}/big`, eventTypes: ['*'] });
      const id = res.json().id as string;
      const test = await sendTestEvent(t.platform, ws.id, id);
      await drain();
      const detail = (await ws.api('GET', `/api/webhooks/${id}/deliveries/${test.id}`)).json();
      expect(detail.attemptLog).toHaveLength(1);
      expect(detail.attemptLog[0].responseExcerpt).toBe('x'.repeat(1024));
    } finally {
      await new Promise<void>((resolve) => big.close(() => resolve()));
    }
    // Nothing listens there any more: refused, no status, the error kept.
    const gone = await ws.api('POST', '/api/webhooks', { name: 'Weg', url: `http://127.0.0.1:${port}/big`, eventTypes: ['*'] });
    const test = await sendTestEvent(t.platform, ws.id, gone.json().id);
    await drain();
    const [attempt] = (await ws.api('GET', `/api/webhooks/${gone.json().id}/deliveries/${test.id}`)).json().attemptLog;
    expect(attempt).toMatchObject({ attempt: 1, statusCode: null, responseExcerpt: null });
    expect(attempt.error).toMatch(/ECONNREFUSED/);
    // Its retry would otherwise come up in the next test's drain.
    await t.platform.db.delete(outbox).where(eq(outbox.workspaceId, ws.id));
  });

  it("an admin changes an endpoint's URL, event types and active flag", async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['conversation.created']);
    const changed = await ws.api('PATCH', `/api/webhooks/${hook.id}`, { url: receiver.url('/hook/moved'), eventTypes: ['note.added', 'customer.*'], enabled: false });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ url: receiver.url('/hook/moved'), eventTypes: ['note.added', 'customer.*'], enabled: false });
    expect((await ws.api('PATCH', `/api/webhooks/${hook.id}`, { eventTypes: ['not valid!'] })).statusCode).toBe(400);
  });

  it("waits as long as a 429's Retry-After asks", async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['*']);
    receiver.script(hook.path, { status: 429, headers: { 'retry-after': '120' } });
    await ws.event('message.received');
    await dispatchWebhooks(t.platform);
    expect(await drain()).toEqual([expect.objectContaining({ outcome: 'retry' })]);
    clock.advance(60_000);
    expect(await drain()).toEqual([]);
    clock.advance(60_000);
    expect(await drain()).toEqual([expect.objectContaining({ outcome: 'delivered' })]);
  });

  it('gives up at once on a 400, and sends it again when asked (a dead delivery, then a delivered one)', async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['*']);
    receiver.script(hook.path, 400);
    await ws.event('conversation.created');
    await dispatchWebhooks(t.platform);
    expect(await drain()).toEqual([expect.objectContaining({ outcome: 'dead' })]);
    clock.advance(3_600_000);
    expect(await drain()).toEqual([]);
    expect(receiver.at(hook.path)).toHaveLength(1);
    const [dead] = await ws.deliveries(hook.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: 400, lastError: 'HTTP 400: refused with 400', nextAttemptAt: null });
    expect((await ws.api('GET', `/api/webhooks/${hook.id}/deliveries?status=dead`)).json().items).toHaveLength(1);

    const again = await ws.api('POST', `/api/webhooks/${hook.id}/deliveries/${dead!.id}/redeliver`);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ id: dead!.id, status: 'pending' });
    expect(await drain()).toEqual([expect.objectContaining({ outcome: 'delivered' })]);
    const [delivered] = await ws.deliveries(hook.id);
    expect(delivered).toMatchObject({ id: dead!.id, status: 'delivered', attempts: 2, lastStatusCode: 200 });

    // A delivered one can be sent again too; the receiver sees the same delivery id and body.
    expect((await ws.api('POST', `/api/webhooks/${hook.id}/deliveries/${dead!.id}/redeliver`)).statusCode).toBe(202);
    await drain();
    const got = receiver.at(hook.path);
    expect(got).toHaveLength(3);
    expect(got.map((r) => r.headers['hoorn-delivery-id'])).toEqual([dead!.id, dead!.id, dead!.id]);
    expect(verified(got[2]!, hook.secret).ok).toBe(true);
    const types = (await listEvents(t.platform.db, ws.id, { limit: 20 })).map((e) => e.type);
    expect(types).toContain('webhook.redelivery_requested');
  });

  it('redelivery replaces a delivery still waiting for a retry (one request, not two)', async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['*']);
    receiver.script(hook.path, 500);
    await ws.event('conversation.created');
    await dispatchWebhooks(t.platform);
    await drain();
    const [waiting] = await ws.deliveries(hook.id);
    expect(waiting!.status).toBe('failed');
    expect((await ws.api('POST', `/api/webhooks/${hook.id}/deliveries/${waiting!.id}/redeliver`)).statusCode).toBe(202);
    clock.advance(60_000);
    const results = await drain();
    expect(results.map((r) => r.outcome).sort()).toEqual(['delivered', 'delivered']);
    expect(receiver.at(hook.path)).toHaveLength(2);
  });

  it('sends each endpoint only the types it subscribes to, of its own workspace, from its creation on', async () => {
    const ws = await workspace();
    const other = await workspace();
    const early = await ws.event('conversation.created', {}, 'before-any-endpoint');
    const conversations = await ws.endpoint(['conversation.*']);
    const everything = await ws.endpoint(['*']);
    const routing = await ws.endpoint(['routing.assigned']);
    const off = await ws.endpoint(['*'], { enabled: false });
    const foreign = await other.endpoint(['*']);
    await ws.event('conversation.created');
    await ws.event('message.received');
    await ws.event('routing.assigned');
    await ws.event('routing.task_queued');
    await ws.event('outbox.delivered', { kind: 'webhook.delivery' });
    await ws.event('user.logged_in');
    await dispatchWebhooks(t.platform);
    await drain();

    const typesOf = async (id: string) => (await ws.deliveries(id)).map((d) => d.eventType).sort();
    expect(await typesOf(conversations.id)).toEqual(['conversation.created']);
    expect(await typesOf(everything.id)).toEqual(['conversation.created', 'message.received']);
    expect(await typesOf(routing.id)).toEqual(['routing.assigned']);
    expect(await typesOf(off.id)).toEqual([]);
    expect((await other.deliveries(foreign.id)).map((d) => d.eventType)).toEqual([]);
    expect(receiver.at(everything.path).map((r) => JSON.parse(r.body).workspaceId)).toEqual([ws.id, ws.id]);
    expect(receiver.received.some((r) => r.headers['hoorn-event-id'] === String(early.id))).toBe(false);
  });

  it('signs as the worked example in docs/automation.md says', () => {
    const body = '{"id":"5f0c7d2e-8a41-4c1b-9e3a-2b7d9c1f4a60","type":"conversation.created","occurredAt":"2026-03-02T10:00:00.000Z","workspaceId":"0b9e4c7a-3d2f-4e18-a6b5-c1d2e3f4a5b6","data":{"subjectType":"conversation","subjectId":"7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","channel":"webchat"}}';
    // Computed with openssl dgst -sha256 -hmac and Python's hmac module.
    expect(signatureHeader(['whsec_test'], 1772445600_000, body)).toBe('t=1772445600,v1=01bd21cd9bccec13a083477b8e3fc855e1aa705c0a861bc3d3cb944b51fb3601');
  });

  it('matches event types exactly, by prefix, or all but internal ones', () => {
    expect(subscribes(['conversation.created'], 'conversation.created')).toBe(true);
    expect(subscribes(['conversation.created'], 'conversation.updated')).toBe(false);
    expect(subscribes(['conversation.*'], 'conversation.updated')).toBe(true);
    expect(subscribes(['conversation.*'], 'conversations.updated')).toBe(false);
    expect(subscribes(['*'], 'csat.received')).toBe(true);
    expect(subscribes(['*'], 'routing.assigned')).toBe(false);
    expect(subscribes(['*', 'routing.*'], 'routing.assigned')).toBe(true);
  });

  it('sends a webhook.test event on request', async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['conversation.created']);
    const res = await ws.api('POST', `/api/webhooks/${hook.id}/test`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ eventType: 'webhook.test', source: 'test', status: 'pending' });
    await drain();
    const [got] = receiver.at(hook.path);
    expect(JSON.parse(got!.body)).toMatchObject({ type: 'webhook.test', workspaceId: ws.id, data: { endpointId: hook.id } });
    expect(verified(got!, hook.secret).ok).toBe(true);
  });

  it('signs with the old and the new secret for 24 hours after a rotation, then with the new one only', async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['*']);
    const rotated = await ws.api('POST', `/api/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    const { secret, previousSecretExpiresAt } = rotated.json();
    expect(secret).not.toBe(hook.secret);
    expect(previousSecretExpiresAt).toBe(new Date(clock.now().getTime() + 86_400_000).toISOString());

    await ws.api('POST', `/api/webhooks/${hook.id}/test`);
    await drain();
    let got = receiver.at(hook.path).at(-1)!;
    expect(verified(got, secret).ok).toBe(true);
    expect(verified(got, hook.secret).ok).toBe(true);

    // (A day later the admin's session has expired: the service is called directly.)
    clock.advance(86_400_000 + 1_000);
    await sendTestEvent(t.platform, ws.id, hook.id);
    await drain();
    expect(receiver.at(hook.path)).toHaveLength(2);
    got = receiver.at(hook.path).at(-1)!;
    expect(verified(got, secret).ok).toBe(true);
    expect(verified(got, hook.secret)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('never answers a secret after creation and rotation, and keeps it encrypted at rest', async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['*']);
    await ws.event('conversation.created');
    await dispatchWebhooks(t.platform);
    await drain();
    const bodies = [
      (await ws.api('GET', '/api/webhooks')).body,
      (await ws.api('GET', `/api/webhooks/${hook.id}`)).body,
      (await ws.api('PATCH', `/api/webhooks/${hook.id}`, { name: 'Nieuwe naam' })).body,
      (await ws.api('GET', `/api/webhooks/${hook.id}/deliveries`)).body,
      (await ws.api('GET', `/api/events?limit=200`)).body,
    ];
    for (const body of bodies) {
      expect(body).not.toContain(hook.secret);
      expect(body).not.toContain('whsec_');
      expect(body).not.toContain('"secret"');
    }
    const [row] = await queryRows<{ secrets: string }>(t.platform.db, sql`select secrets from webhook_endpoints where id = ${hook.id}`);
    expect(row!.secrets).toMatch(/^v1\./);
    expect(row!.secrets).not.toContain('whsec_');
  });

  it('switches the endpoint off when the receiver answers 410 Gone', async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['*']);
    receiver.script(hook.path, 410);
    await ws.event('conversation.created');
    await dispatchWebhooks(t.platform);
    clock.advance(1);
    await ws.event('conversation.updated');
    await dispatchWebhooks(t.platform);
    expect((await drain()).map((r) => r.outcome)).toEqual(['dead', 'dead']);
    expect(receiver.at(hook.path)).toHaveLength(1);
    expect((await ws.api('GET', `/api/webhooks/${hook.id}`)).json()).toMatchObject({ enabled: false, disabledReason: 'The receiver answered 410 Gone' });
    const log = await ws.deliveries(hook.id);
    const first = log.find((d) => d.eventType === 'conversation.created');
    const second = log.find((d) => d.eventType === 'conversation.updated');
    expect(first).toMatchObject({ status: 'dead', lastStatusCode: 410 });
    expect(second).toMatchObject({ status: 'dead', attempts: 0, lastError: 'the endpoint is switched off' });
    expect((await ws.api('POST', `/api/webhooks/${hook.id}/deliveries/${second!.id}/redeliver`)).statusCode).toBe(409);
    // Renaming leaves it off.
    expect((await ws.api('PATCH', `/api/webhooks/${hook.id}`, { name: 'Oud systeem' })).json()).toMatchObject({ name: 'Oud systeem', enabled: false });
    // Switched on again, it takes the redelivery.
    expect((await ws.api('PATCH', `/api/webhooks/${hook.id}`, { enabled: true })).json()).toMatchObject({ enabled: true, disabledReason: null });
    expect((await ws.api('POST', `/api/webhooks/${hook.id}/deliveries/${second!.id}/redeliver`)).statusCode).toBe(202);
    expect(await drain()).toEqual([expect.objectContaining({ outcome: 'delivered' })]);
  });

  it("queues a rule's delivery once per event, and none for a missing or switched-off endpoint", async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['conversation.created']);
    const off = await ws.endpoint(['*'], { enabled: false });
    const event = { id: '12345', type: 'conversation.resolved', occurredAt: clock.now().toISOString(), data: { conversationId: 'c-9' } };
    const queue = (endpointId: string) => inTransaction(t.platform, (tx) => enqueueWebhookDelivery(t.platform, tx, ws.id, endpointId, event));
    const first = await queue(hook.id);
    expect(first).toEqual(expect.any(String));
    expect(await queue(hook.id)).toBe(first);
    expect(await queue(off.id)).toBeNull();
    expect(await queue('not-a-uuid')).toBeNull();
    expect(await queue('00000000-0000-4000-8000-000000000000')).toBeNull();
    await drain();
    const [got] = receiver.at(hook.path);
    expect(JSON.parse(got!.body)).toMatchObject({ id: first, type: 'conversation.resolved', data: { conversationId: 'c-9' } });
    expect((await ws.deliveries(hook.id))[0]).toMatchObject({ source: 'rule', status: 'delivered' });
  });

  it("hides another workspace's endpoints and deliveries (404) and refuses non-admins", async () => {
    const a = await workspace();
    const b = await workspace();
    const hookA = await a.endpoint(['*']);
    const hookB = await b.endpoint(['*']);
    await b.event('conversation.created');
    await dispatchWebhooks(t.platform);
    await drain();
    const [deliveryB] = await b.deliveries(hookB.id);
    expect(deliveryB).toBeDefined();

    const urls: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, object?]> = [
      ['GET', `/api/webhooks/${hookB.id}`],
      ['PATCH', `/api/webhooks/${hookB.id}`, { name: 'overgenomen' }],
      ['DELETE', `/api/webhooks/${hookB.id}`],
      ['POST', `/api/webhooks/${hookB.id}/rotate-secret`],
      ['POST', `/api/webhooks/${hookB.id}/test`],
      ['GET', `/api/webhooks/${hookB.id}/deliveries`],
      ['POST', `/api/webhooks/${hookB.id}/deliveries/${deliveryB!.id}/redeliver`],
      // A's own endpoint with B's delivery.
      ['POST', `/api/webhooks/${hookA.id}/deliveries/${deliveryB!.id}/redeliver`],
    ];
    for (const [method, url, payload] of urls) expect({ url, status: (await a.api(method, url, payload)).statusCode }).toEqual({ url, status: 404 });
    const list = (await a.api('GET', '/api/webhooks')).body;
    expect(list).toContain(hookA.id);
    expect(list).not.toContain(hookB.id);
    expect((await b.api('GET', `/api/webhooks/${hookB.id}`)).json().name).not.toBe('overgenomen');

    const supervisor = await makeUser(t.platform, a.id, 'supervisor');
    const cookie = await loginCookie(t.app, supervisor.email);
    expect((await t.app.inject({ url: '/api/webhooks', headers: { cookie } })).statusCode).toBe(403);
  });

  it('deletes an endpoint with its log; what was still queued for it ends without a request', async () => {
    const ws = await workspace();
    const hook = await ws.endpoint(['*']);
    await ws.event('conversation.created');
    await dispatchWebhooks(t.platform);
    expect((await ws.api('DELETE', `/api/webhooks/${hook.id}`)).statusCode).toBe(204);
    expect((await ws.api('GET', `/api/webhooks/${hook.id}`)).statusCode).toBe(404);
    const before = receiver.received.length;
    const results = await drain();
    expect(results.map((r) => r.outcome)).toContain('delivered');
    expect(receiver.at(hook.path)).toHaveLength(0);
    // Other tests' endpoints may have had a delivery queued by this dispatch; none of them is ours.
    expect(receiver.received.length - before).toBe(results.length - 1);
    expect(await drain()).toEqual([]);
  });

  describe('targets', () => {
    it('takes only http(s) URLs, and no private or loopback address unless allowed', async () => {
      const ws = await workspace();
      const create = (url: string) => ws.api('POST', '/api/webhooks', { name: 'x', url, eventTypes: ['*'] });
      expect((await create('ftp://example.nl/hook')).json().error.code).toBe('invalid_webhook_url');
      expect((await create('https://user:pw@example.nl/hook')).statusCode).toBe(400);
      expect((await create('https://example.nl/hook')).statusCode).toBe(201);
      expect((await ws.api('POST', '/api/webhooks', { name: 'x', url: 'https://example.nl/', eventTypes: ['Not A Type'] })).statusCode).toBe(400);

      const allowed = await ws.endpoint(['*']);
      configureWebhooks(t.platform, { allowPrivateTargets: false });
      try {
        for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://10.1.2.3/', 'http://[::1]/', 'http://169.254.169.254/latest']) {
          expect({ url, status: (await create(url)).statusCode }).toEqual({ url, status: 400 });
        }
        // An endpoint saved while allowed is refused when sending, without a request.
        await ws.event('conversation.created');
        await dispatchWebhooks(t.platform);
        expect(await drain()).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'dead' })]));
        expect(receiver.at(allowed.path)).toHaveLength(0);
        expect((await ws.deliveries(allowed.id))[0]).toMatchObject({ status: 'dead', lastError: '127.0.0.1 is not a public address' });
      } finally {
        configureWebhooks(t.platform, { allowPrivateTargets: true });
      }
    });

    it('knows non-public addresses, and refuses a name that resolves to one when connecting', async () => {
      for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
        expect({ address, nonPublic: isNonPublicAddress(address) }).toEqual({ address, nonPublic: true });
      }
      for (const address of ['93.184.216.34', '2606:4700::1111', '172.32.0.1']) expect({ address, nonPublic: isNonPublicAddress(address) }).toEqual({ address, nonPublic: false });
      expect(targetProblem('http://127.0.0.1/', true)).toBeNull();
      const error = await new Promise<Error | null>((resolve) => guardedLookup('localhost', {}, (e) => resolve(e)));
      expect(error?.message).toMatch(/^localhost resolves to .+, which is not a public address$/);
    });
  });
});
