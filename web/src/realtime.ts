import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { DomainEvent, RealtimeMessage } from './types';

export type RealtimeState = 'connecting' | 'open' | 'reconnecting';

export interface RealtimeHandlers {
  onEvent: (event: DomainEvent) => void;
  /** Called on every successful (re)connect; `reconnected` is true after a drop. */
  onOpen?: (reconnected: boolean) => void;
  onClose?: (event: CloseEvent) => void;
}

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

function parseMessage(data: unknown): RealtimeMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const msg = JSON.parse(data) as Partial<RealtimeMessage> | null;
    if (msg?.type === 'event' && msg.event && typeof msg.event.id === 'string') return msg as RealtimeMessage;
    if (msg?.type === 'hello') return msg as RealtimeMessage;
  } catch {
    // Ignore malformed frames.
  }
  return null;
}

/**
 * Keeps a WebSocket to `/api/realtime` open while mounted, reconnecting with
 * backoff whenever it closes. Returns the connection state.
 */
export function useRealtime(handlers: RealtimeHandlers): RealtimeState {
  const [state, setState] = useState<RealtimeState>('connecting');
  const handlersRef = useRef(handlers);
  useLayoutEffect(() => {
    handlersRef.current = handlers;
  });

  useEffect(() => {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let hasConnected = false;
    let disposed = false;

    const connect = () => {
      if (disposed) return;
      const ws = new WebSocket(realtimeUrl());
      socket = ws;

      ws.onopen = () => {
        attempt = 0;
        setState('open');
        handlersRef.current.onOpen?.(hasConnected);
        hasConnected = true;
      };
      ws.onmessage = (message) => {
        const parsed = parseMessage(message.data);
        if (parsed?.type === 'event') handlersRef.current.onEvent(parsed.event);
      };
      ws.onclose = (event) => {
        if (disposed || socket !== ws) return;
        socket = null;
        setState('reconnecting');
        handlersRef.current.onClose?.(event);
        timer = setTimeout(connect, backoffDelay(attempt++));
      };
      // Errors are always followed by a close event, which schedules the reconnect.
    };

    // Reconnect right away when the browser comes back online.
    const onOnline = () => {
      if (socket || disposed) return;
      clearTimeout(timer);
      connect();
    };

    connect();
    window.addEventListener('online', onOnline);
    return () => {
      disposed = true;
      clearTimeout(timer);
      window.removeEventListener('online', onOnline);
      socket?.close(1000);
      socket = null;
    };
  }, []);

  return state;
}
