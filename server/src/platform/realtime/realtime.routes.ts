import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden } from '../errors.ts';
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
