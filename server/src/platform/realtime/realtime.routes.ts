import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform.ts';
import { principalOf } from '../auth/guard.ts';
import { presentEvent } from '../events/events.routes.ts';

/** A client that cannot keep up is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const PING_INTERVAL_MS = 25_000;

/**
 * `GET /api/realtime`: a WebSocket that streams the caller's workspace events as they commit.
 * Authenticated like any API route (session cookie or API key) before the upgrade.
 */
export function realtimeRoutes(app: FastifyInstance, p: Platform): void {
  app.get('/api/realtime', { websocket: true, config: { access: 'agent' }, schema: { hide: true } }, (socket, request) => {
    const principal = principalOf(request);
    p.metrics.realtimeConnections.inc();
    socket.send(JSON.stringify({ type: 'hello', workspaceId: principal.workspaceId }));
    const unsubscribe = p.bus.subscribe({ types: '*', workspaceId: principal.workspaceId }, (event) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(1013, 'too slow');
        return;
      }
      socket.send(JSON.stringify({ type: 'event', event: presentEvent(event) }));
    });
    const ping = setInterval(() => socket.ping(), PING_INTERVAL_MS);
    socket.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
    // Clients only listen here; anything they send is ignored.
    socket.on('message', () => {});
  });
}
