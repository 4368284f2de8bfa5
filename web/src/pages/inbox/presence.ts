import { useCallback, useEffect, useRef, useState } from 'react';
import { useRealtime, useRealtimeConnection } from '../../realtime';
import type { PresenceMessage } from '../../types';

const HEARTBEAT_MS = 20_000;
/** Another agent's presence is forgotten when not repeated within this time. */
const PRESENCE_TTL_MS = 30_000;
/** "is typing" fades back to "viewing" when no new typing signal arrives. */
const TYPING_TTL_MS = 6_000;
const TYPING_THROTTLE_MS = 3_000;
const CUSTOMER_TYPING_TTL_MS = 15_000;
const TICK_MS = 2_000;
const ANNOUNCE_MIN_MS = 3_000;

export interface OtherAgent {
  id: string;
  name: string;
  typing: boolean;
}

interface Seen {
  name: string;
  seenAt: number;
  typingAt: number | null;
}

/**
 * Collision hints for one open conversation: tells the server we are viewing it (now, every
 * 20 s and after a reconnect), typing (throttled) and leaving; collects the other agents'
 * presence and whether the customer is typing.
 */
export function useConversationPresence(conversationId: string, meId: string) {
  const connection = useRealtimeConnection();
  const [others, setOthers] = useState<ReadonlyMap<string, Seen>>(new Map());
  const [customerTypingUntil, setCustomerTypingUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const lastTypingSent = useRef(0);
  const othersRef = useRef(others);
  othersRef.current = others;

  useEffect(() => {
    setOthers(new Map());
    setCustomerTypingUntil(0);
    lastTypingSent.current = 0;
    const viewing = () => connection.send({ type: 'presence', conversationId, state: 'viewing' });
    viewing();
    const heartbeat = setInterval(viewing, HEARTBEAT_MS);
    const leave = () => connection.send({ type: 'presence', conversationId, state: 'left' });
    window.addEventListener('pagehide', leave);
    return () => {
      clearInterval(heartbeat);
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [connection, conversationId]);

  // Expire stale entries.
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(tick);
  }, []);

  const lastAnnounce = useRef(0);
  const onPresence = (msg: PresenceMessage) => {
    if (msg.conversationId !== conversationId || msg.user.id === meId) return;
    // Someone new opened this conversation: answer with our own "viewing" so they see us at
    // once instead of after our next heartbeat (at most every few seconds, so this cannot echo).
    const known = othersRef.current.has(msg.user.id);
    if (msg.state !== 'left' && !known && Date.now() - lastAnnounce.current > ANNOUNCE_MIN_MS) {
      lastAnnounce.current = Date.now();
      connection.send({ type: 'presence', conversationId, state: 'viewing' });
    }
    setOthers((prev) => {
      const next = new Map(prev);
      if (msg.state === 'left') next.delete(msg.user.id);
      else {
        const t = Date.now();
        next.set(msg.user.id, {
          name: msg.user.name,
          seenAt: t,
          typingAt: msg.state === 'typing' ? t : null,
        });
      }
      return next;
    });
    setNow(Date.now());
  };

  useRealtime({
    onPresence,
    onCustomerTyping: (msg) => {
      if (msg.conversationId !== conversationId) return;
      setCustomerTypingUntil(msg.typing ? Date.now() + CUSTOMER_TYPING_TTL_MS : 0);
      setNow(Date.now());
    },
    onOpen: () => connection.send({ type: 'presence', conversationId, state: 'viewing' }),
  });

  const sendTyping = useCallback(() => {
    const t = Date.now();
    if (t - lastTypingSent.current < TYPING_THROTTLE_MS) return;
    if (connection.send({ type: 'presence', conversationId, state: 'typing' })) lastTypingSent.current = t;
  }, [connection, conversationId]);

  /** After sending: tell the others we stopped typing (a "viewing" replaces "typing"). */
  const stoppedTyping = useCallback(() => {
    if (lastTypingSent.current === 0) return;
    lastTypingSent.current = 0;
    connection.send({ type: 'presence', conversationId, state: 'viewing' });
  }, [connection, conversationId]);

  const visible: OtherAgent[] = [];
  for (const [id, seen] of others) {
    if (now - seen.seenAt > PRESENCE_TTL_MS) continue;
    visible.push({ id, name: seen.name, typing: seen.typingAt !== null && now - seen.typingAt < TYPING_TTL_MS });
  }
  visible.sort((a, b) => a.name.localeCompare(b.name));

  return { others: visible, customerTyping: customerTypingUntil > now, sendTyping, stoppedTyping };
}
