import { realtimeUrl } from '../realtime';

/** A call as the server presents it (docs/conversations-api.md, "Video calls"). */
export interface VideoCall {
  id: string;
  conversationId: string;
  state: 'offered' | 'ringing' | 'accepted' | 'connected' | 'ended' | 'declined' | 'missed';
  offeredBy: 'agent' | 'customer';
  agent: { id: string; name: string } | null;
  audioOnly: boolean;
  recordingAllowed: boolean;
  /** The workspace allows recording and the customer agreed: the desk records this call. */
  recording: boolean;
  /** The recording, once the desk uploaded it after the call. */
  recordingAttachment: { id: string; name: string; contentType: string; size: number } | null;
  /** The attachment limit: the desk stops recording before a recording outgrows it. */
  recordingMaxBytes: number;
  /** The call's line on the timeline, once it ended. */
  endMessageId: string | null;
  startedAt: string;
  connectedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  endReason: string | null;
  iceServers: RTCIceServer[];
}

export const LIVE_STATES: ReadonlyArray<VideoCall['state']> = ['offered', 'ringing', 'accepted', 'connected'];

export interface CallSignal {
  /** `recording`: the desk tells the customer it started (`active`) or stopped recording. */
  kind: 'offer' | 'answer' | 'ice' | 'renegotiate' | 'recording';
  active?: boolean;
  sdp?: string;
  candidate?: RTCIceCandidateInit | null;
}

export type CallFrame =
  | { type: 'call'; call: VideoCall }
  | { type: 'call_signal'; callId: string; signal: CallSignal }
  | { type: 'call_error'; callId: string | null; code: string };

type Listener = (frame: CallFrame) => void;

/**
 * The desk's signalling path: its own connection to /api/realtime (same cookie, same guard), kept
 * apart from the inbox's socket so calls need nothing from it. The server sends a call's frames
 * only to the agent in the call (`forUserId`). Reconnects with a short backoff.
 */
class CallSocket {
  private ws: WebSocket | null = null;
  private readonly listeners = new Set<Listener>();
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => {
      this.listeners.delete(listener);
    };
  }

  send(frame: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private connect(): void {
    if (this.ws) return;
    const ws = new WebSocket(realtimeUrl());
    this.ws = ws;
    ws.onopen = () => (this.retry = 0);
    ws.onmessage = (e) => {
      let frame: { type?: string } | null = null;
      try {
        frame = JSON.parse(String(e.data)) as { type?: string };
      } catch {
        return;
      }
      if (frame?.type === 'call' || frame?.type === 'call_signal' || frame?.type === 'call_error') for (const l of this.listeners) l(frame as CallFrame);
    };
    ws.onclose = () => {
      this.ws = null;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.connect(), Math.min(10_000, 500 * 2 ** this.retry++));
    };
  }
}

export const callSocket = new CallSocket();
