import { createContext, useContext, useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type {
  CustomerTypingMessage,
  DomainEvent,
  PresenceMessage,
  PresenceState,
  RealtimeMessage,
  RoutingStatsMessage,
} from './types';

export type RealtimeState = 'connecting' | 'open' | 'reconnecting';

export interface RealtimeHandlers {
  onEvent?: (event: DomainEvent) => void;
  onPresence?: (message: PresenceMessage) => void;
  onCustomerTyping?: (message: CustomerTypingMessage) => void;
  /** Live routing statistics (supervisors only, every two seconds). */
  onRoutingStats?: (message: RoutingStatsMessage) => void;
  /** Called on every successful (re)connect; `reconnected` is true after a drop. */
  onOpen?: (reconnected: boolean) => void;
  onClose?: (event: CloseEvent) => void;
}

/** What the desk may send to the server over the socket. */
export type OutgoingRealtimeMessage = { type: 'presence'; conversationId: string; state: PresenceState };

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/** Same-origin WebSocket URL for the realtime endpoint (ws:// or wss://). */
export function realtimeUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}/api/realtime`;
}

/** Exponential backoff (1s, 2s, 4s … 30s) with ±20% jitter so clients do not reconnect in lockstep. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempt, 10));
  return Math.round(exp * (0.8 + random() * 0.4));
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function parseRealtimeMessage(data: unknown): RealtimeMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const msg = JSON.parse(data) as Record<string, unknown> | null;
    if (!msg || typeof msg !== 'object') return null;
    switch (msg.type) {
      case 'hello':
        return msg as unknown as RealtimeMessage;
      case 'event': {
        const event = msg.event as Partial<DomainEvent> | undefined;
        return event && isString(event.id) ? (msg as unknown as RealtimeMessage) : null;
      }
      case 'presence': {
        const user = msg.user as { id?: unknown; name?: unknown } | undefined;
        const okState = msg.state === 'viewing' || msg.state === 'typing' || msg.state === 'left';
        return isString(msg.conversationId) && user && isString(user.id) && okState ? (msg as unknown as PresenceMessage) : null;
      }
      case 'customer_typing':
        return isString(msg.conversationId) ? ({ ...msg, typing: msg.typing === true } as CustomerTypingMessage) : null;
      case 'routing_stats': {
        const live = msg.live as { queues?: unknown; agents?: unknown } | undefined;
        return live && Array.isArray(live.queues) && Array.isArray(live.agents) ? (msg as unknown as RoutingStatsMessage) : null;
      }
      default:
        return null;
    }
  } catch {
    // Ignore malformed frames.
    return null;
  }
}

/**
 * The app's single WebSocket to `/api/realtime`: reconnects with backoff whenever it closes
 * and fans every frame out to the subscribed handlers.
 */
export class RealtimeConnection {
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private hasConnected = false;
  private disposed = true;
  private state: RealtimeState = 'connecting';
  private readonly handlers = new Set<{ current: RealtimeHandlers }>();
  private readonly stateListeners = new Set<() => void>();

  private readonly onOnline = () => {
    // Reconnect right away when the browser comes back online.
    if (this.socket || this.disposed) return;
    clearTimeout(this.timer);
    this.connect();
  };

  start(): void {
    if (!this.disposed) return;
    this.disposed = false;
    this.connect();
    window.addEventListener('online', this.onOnline);
  }

  stop(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
    const socket = this.socket;
    this.socket = null;
    if (socket?.readyState === WebSocket.CONNECTING) {
      // Closing a socket that is still connecting makes browsers log a warning; close it once open.
      socket.onopen = () => socket.close(1000);
    } else {
      socket?.close(1000);
    }
  }

  getState = (): RealtimeState => this.state;

  subscribeState = (listener: () => void): (() => void) => {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  };

  /** `handlers` is a ref so callers can pass fresh closures on every render. */
  subscribe(handlers: { current: RealtimeHandlers }): () => void {
    this.handlers.add(handlers);
    return () => this.handlers.delete(handlers);
  }

  /** Sends when connected; returns false (and drops the message) otherwise. */
  send(message: OutgoingRealtimeMessage): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  private setState(state: RealtimeState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener();
  }

  private each(fn: (h: RealtimeHandlers) => void): void {
    for (const ref of [...this.handlers]) {
      try {
        fn(ref.current);
      } catch (error) {
        // One broken subscriber must not starve the others.
        console.error(error);
      }
    }
  }

  private connect(): void {
    if (this.disposed) return;
    const ws = new WebSocket(realtimeUrl());
    this.socket = ws;

    ws.onopen = () => {
      if (this.socket !== ws) return;
      this.attempt = 0;
      const reconnected = this.hasConnected;
      this.hasConnected = true;
      this.setState('open');
      this.each((h) => h.onOpen?.(reconnected));
    };
    ws.onmessage = (frame) => {
      if (this.socket !== ws) return;
      const msg = parseRealtimeMessage(frame.data);
      if (!msg) return;
      if (msg.type === 'event') this.each((h) => h.onEvent?.(msg.event));
      else if (msg.type === 'presence') this.each((h) => h.onPresence?.(msg));
      else if (msg.type === 'customer_typing') this.each((h) => h.onCustomerTyping?.(msg));
      else if (msg.type === 'routing_stats') this.each((h) => h.onRoutingStats?.(msg));
    };
    ws.onclose = (event) => {
      if (this.disposed || this.socket !== ws) return;
      this.socket = null;
      this.setState('reconnecting');
      this.each((h) => h.onClose?.(event));
      this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
    };
    // Errors are always followed by a close event, which schedules the reconnect.
  }
}

export const RealtimeContext = createContext<RealtimeConnection | null>(null);

export function useRealtimeConnection(): RealtimeConnection {
  const connection = useContext(RealtimeContext);
  if (!connection) throw new Error('useRealtime() used outside of <RealtimeProvider>');
  return connection;
}

/**
 * Subscribes to the app's realtime socket while mounted (the socket itself is owned by
 * <RealtimeProvider>). Returns the connection state.
 */
export function useRealtime(handlers: RealtimeHandlers = {}): RealtimeState {
  const connection = useRealtimeConnection();
  const handlersRef = useRef(handlers);
  useLayoutEffect(() => {
    handlersRef.current = handlers;
  });
  useEffect(() => connection.subscribe(handlersRef), [connection]);
  return useSyncExternalStore(connection.subscribeState, connection.getState);
}
