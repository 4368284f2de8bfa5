import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Platform } from '../platform.ts';
import { principalOf } from '../auth/guard.ts';
import { getUser } from '../auth/auth.store.ts';
import { forbidden } from '../errors.ts';
import { presentEvent } from '../events/events.routes.ts';
import { workspaceTopic, type HubMessage } from './hub.ts';

/** A client that cannot keep up is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const PING_INTERVAL_MS = 25_000;

/** What a desk may say over the socket: who is looking at or typing in which conversation. */
const presenceMessage = z.object({
  type: z.literal('presence'),
  conversationId: z.uuid(),
  state: z.enum(['viewing', 'typing', 'left']),
});

function send(socket: WebSocket, message: HubMessage | Record<string, unknown>): void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.close(1013, 'too slow');
    return;
  }
  socket.send(JSON.stringify(message));
}

/**
 * `GET /api/realtime`: a WebSocket that streams the caller's workspace events as they commit,
 * plus ephemeral presence and typing. Authenticated like any API route (session cookie or API
 * key) before the upgrade.
 */
export function realtimeRoutes(app: FastifyInstance, p: Platform): void {
  const publicOrigin = new URL(p.config.publicUrl).origin;
  // Browsers send cookies with WebSocket upgrades from any page; only Hoorn's own pages may open one.
  const refuseForeignOrigin = async (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (!origin) return;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw forbidden('Bad Origin header');
    }
    if (parsed.host !== request.headers.host && parsed.origin !== publicOrigin) throw forbidden('Cross-site WebSocket connections are refused');
  };

  app.get('/api/realtime', { websocket: true, config: { access: 'agent' }, schema: { hide: true }, onRequest: refuseForeignOrigin }, (socket, request) => {
    const principal = principalOf(request);
    const { workspaceId } = principal;
    p.metrics.realtimeConnections.inc();
    const cleanups: Array<() => unknown> = [];
    cleanups.push(p.bus.subscribe({ types: '*', workspaceId }, (event) => send(socket, { type: 'event', event: presentEvent(event) })));
    // A message meant for one agent (a video call's signalling) carries `forUserId`; nobody else gets it.
    cleanups.push(
      p.hub.subscribe(workspaceTopic(workspaceId), (message) => {
        if (typeof message.forUserId === 'string' && message.forUserId !== principal.id) return;
        send(socket, message);
      }),
    );
    if (principal.kind === 'user') cleanups.push(p.hub.agentConnected(workspaceId));
    const ping = setInterval(() => socket.ping(), PING_INTERVAL_MS);
    cleanups.push(() => clearInterval(ping));
    socket.on('close', () => cleanups.forEach((cleanup) => cleanup()));
    send(socket, { type: 'hello', workspaceId });

    if (principal.kind !== 'user') return;
    // Listen at once: a message that arrives while the user is still being looked up is kept, not lost.
    const user = getUser(p.db, workspaceId, principal.id);
    const viewing = new Set<string>();
    const relay = async (conversationId: string, state: 'viewing' | 'typing' | 'left') => {
      const found = await user;
      if (!found) return;
      if (state === 'left') viewing.delete(conversationId);
      else viewing.add(conversationId);
      for (const r of p.hub.presenceRelays) await r({ workspaceId, conversationId, user: { id: found.id, name: found.name }, state });
    };
    const relaySafely = (conversationId: string, state: 'viewing' | 'typing' | 'left') =>
      relay(conversationId, state).catch((error) => p.log.warn({ err: error }, 'presence relay failed'));
    socket.on('message', (raw) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(raw));
      } catch {
        return;
      }
      if ((parsed as { type?: unknown } | null)?.type === 'call_signal') {
        const from = { kind: 'agent' as const, workspaceId, userId: principal.id };
        void Promise.all(p.hub.callSignalRelays.map((r) => r({ from, frame: parsed })))
          .then((answers) => answers.forEach((answer) => answer && send(socket, answer)))
          .catch((error) => p.log.warn({ err: error }, 'call signal relay failed'));
        return;
      }
      const message = presenceMessage.safeParse(parsed);
      if (message.success) void relaySafely(message.data.conversationId, message.data.state);
    });
    // Closing the desk is leaving every conversation it had open.
    socket.on('close', () => [...viewing].forEach((conversationId) => void relaySafely(conversationId, 'left')));
  });
}
