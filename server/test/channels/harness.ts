import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Clock } from '../../src/platform/clock.ts';
import { routingOf } from '../../src/routing/routing.service.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

/**
 * A workspace with routing switched on (one queue, one workflow) and one available agent, for
 * the channel round trips: a fake provider delivers a message, routing offers it to the agent,
 * the agent accepts and replies through the API, and the outbox sends it to the fake provider.
 */
export interface ChannelHarness {
  t: TestContext;
  app: FastifyInstance;
  workspaceId: string;
  admin: { id: string; cookie: string };
  agent: { id: string; cookie: string };
  /** Connects a channel through the admin API (as an administrator would); returns its API view. */
  connect(input: { type: string; provider: string; name?: string; config?: Record<string, unknown>; secrets?: Record<string, unknown> }): Promise<{ id: string; webhookUrl: string | null; [k: string]: unknown }>;
  /** Runs the router, and the agent accepts the offer for this conversation. */
  routeToAgent(conversationId: string): Promise<void>;
  /** The agent's reply through the API (201), then one outbox pass: it reaches the provider. */
  reply(conversationId: string, body: string, extra?: Record<string, unknown>): Promise<{ id: string; status: string; [k: string]: unknown }>;
  /** The conversation's messages as the desk sees them, oldest first. */
  messages(conversationId: string): Promise<Array<{ id: string; body: string; direction: string; status: string; error: string | null; attachments: unknown[] }>>;
  /** The conversations of the workspace, newest first. */
  conversations(): Promise<Array<{ id: string; channelType: string; status: string; subject: string | null; customer: { name: string | null } }>>;
  api(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown): Promise<{ statusCode: number; body: string; json(): any }>;
  close(): Promise<void>;
}

export async function channelHarness(opts: { clock?: Clock } = {}): Promise<ChannelHarness> {
  const t = await makeTestApp({ clock: opts.clock });
  const workspaceId = (await makeWorkspace(t.platform)).id;
  const adminUser = await makeUser(t.platform, workspaceId, 'admin');
  const agentUser = await makeUser(t.platform, workspaceId, 'agent');
  const admin = { id: adminUser.id, cookie: await loginCookie(t.app, adminUser.email) };
  const agent = { id: agentUser.id, cookie: await loginCookie(t.app, agentUser.email) };
  const as = (who: { cookie: string }) => (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: who.cookie }, payload: payload as object });

  const queue = await as(admin)('POST', '/api/routing/queues', { name: 'Klantenservice', eligibility: '', order: 'fifo' });
  expect(queue.statusCode, queue.body).toBe(201);
  const workflow = await as(admin)('POST', '/api/routing/workflows', { name: 'Standaard', filters: [], defaultSteps: [{ queueId: queue.json().id }] });
  expect(workflow.statusCode, workflow.body).toBe(201);
  // Room for many conversations on every channel, so tests may leave some open.
  const cost = Object.fromEntries(['webchat', 'email', 'sms', 'whatsapp', 'messenger', 'instagram', 'x', 'youtube', 'telegram', 'api'].map((c) => [c, 1]));
  const profile = await as(admin)('PUT', `/api/routing/agents/${agent.id}`, { skills: {}, languages: ['nl', 'en'], attributes: {}, capacity: { total: 100, cost } });
  expect(profile.statusCode, profile.body).toBe(200);
  expect((await as(agent)('PUT', '/api/routing/me/presence', { presence: 'available' })).statusCode).toBe(200);

  return {
    t,
    app: t.app,
    workspaceId,
    admin,
    agent,
    async connect(input) {
      const res = await as(admin)('POST', '/api/channels', { name: input.name ?? input.type, config: {}, secrets: {}, ...input });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    async routeToAgent(conversationId) {
      await routingOf(t.platform).runPending(workspaceId);
      const desk = (await as(agent)('GET', '/api/routing/me')).json();
      const offer = desk.offers.find((o: { conversationId: string }) => o.conversationId === conversationId);
      expect(offer, `an offer for ${conversationId}: ${JSON.stringify(desk.offers)}`).toBeTruthy();
      const accepted = await as(agent)('POST', `/api/routing/tasks/${offer.taskId}/accept`);
      expect(accepted.statusCode, accepted.body).toBe(200);
      const view = (await as(agent)('GET', `/api/conversations/${conversationId}`)).json();
      expect(view.assignee?.id).toBe(agent.id);
    },
    async reply(conversationId, body, extra = {}) {
      const res = await as(agent)('POST', `/api/conversations/${conversationId}/messages`, { body, ...extra });
      expect(res.statusCode, res.body).toBe(201);
      await t.platform.outbox.drainOnce();
      return res.json();
    },
    async messages(conversationId) {
      const res = await as(agent)('GET', `/api/conversations/${conversationId}/messages?limit=100`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items;
    },
    async conversations() {
      const res = await as(agent)('GET', '/api/conversations?limit=100');
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items;
    },
    api: as(admin),
    close: () => t.close(),
  };
}
