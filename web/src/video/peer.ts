import { CallRecorder, recordingType } from './recorder';
import type { CallSignal } from './socket';

declare global {
  interface Window {
    /** Test hook: the desk's live RTCPeerConnection (end-to-end tests read its state and statistics). */
    __hoornCall?: RTCPeerConnection | null;
  }
}

/**
 * The agent's side of a call's WebRTC connection. The agent always makes the first offer (after
 * the customer accepted); either side may offer again to renegotiate (a screen added to an
 * audio-only call). Signals are handled one at a time, in order.
 */
export class AgentPeer {
  readonly pc: RTCPeerConnection;
  readonly remote = new MediaStream();
  local: MediaStream | null = null;
  screen: MediaStreamTrack | null = null;
  /** The call's recording, from the moment the media flow; only for a call recorded with consent. */
  recorder: CallRecorder | null = null;
  /** Recording was wanted but this browser cannot record. */
  cannotRecord = false;
  /** `recordUpTo`: the call is recorded with consent, in at most this many bytes. */
  private recordUpTo: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  private pendingIce: RTCIceCandidateInit[] = [];

  constructor(iceServers: RTCIceServer[], private readonly send: (signal: CallSignal) => void, private readonly changed: () => void) {
    this.pc = new RTCPeerConnection({ iceServers });
    window.__hoornCall = this.pc;
    this.pc.onicecandidate = (e) => e.candidate && send({ kind: 'ice', candidate: e.candidate.toJSON() });
    this.pc.ontrack = (e) => {
      this.remote.addTrack(e.track);
      changed();
    };
    this.pc.onconnectionstatechange = () => {
      if (this.pc.connectionState === 'connected') this.startRecording();
      changed();
    };
  }

  /** Records the call once it connects (or now, if it has); only call this for a call recorded with consent. */
  record(maxBytes: number): void {
    this.recordUpTo = maxBytes;
    if (this.pc.connectionState === 'connected') this.startRecording();
  }

  private startRecording(): void {
    if (this.recordUpTo === null || this.recorder || this.cannotRecord) return;
    const type = recordingType(this.remote.getVideoTracks().length > 0);
    if (!type) {
      this.cannotRecord = true;
      return;
    }
    try {
      this.recorder = new CallRecorder(this.remote, this.local, type, this.recordUpTo, () => {
        this.send({ kind: 'recording', active: false });
        this.changed();
      });
    } catch (error) {
      console.warn('recording did not start', error);
      this.cannotRecord = true;
      return;
    }
    // The customer sees that it records, for as long as it does.
    this.send({ kind: 'recording', active: true });
  }

  /** Ends the recording (if any) and hands it over; call before `close()`. */
  async finishRecording(): Promise<Blob | null> {
    return this.recorder ? this.recorder.finish() : null;
  }

  /** Camera and microphone (or the microphone only), then the first offer. */
  async start(audioOnly: boolean): Promise<void> {
    this.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: !audioOnly });
    for (const track of this.local.getTracks()) this.pc.addTrack(track, this.local);
    if (audioOnly) this.pc.addTransceiver('video', { direction: 'recvonly' });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.send({ kind: 'offer', sdp: this.pc.localDescription!.sdp });
    this.changed();
  }

  handle(signal: CallSignal): void {
    this.chain = this.chain
      .then(async () => {
        const pc = this.pc;
        if (signal.kind === 'recording') return;
        if (signal.kind === 'ice') {
          if (!signal.candidate) return;
          if (pc.remoteDescription) await pc.addIceCandidate(signal.candidate);
          else this.pendingIce.push(signal.candidate);
          return;
        }
        if (!signal.sdp) return;
        if (signal.kind === 'answer') {
          await pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
        } else {
          await pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
          await pc.setLocalDescription(await pc.createAnswer());
          this.send({ kind: 'answer', sdp: pc.localDescription!.sdp });
        }
        for (const c of this.pendingIce.splice(0)) await pc.addIceCandidate(c);
      })
      .catch((error) => console.warn('call signalling failed', error));
  }

  toggle(kind: 'audio' | 'video'): void {
    for (const track of this.local?.getTracks() ?? []) if (track.kind === kind) track.enabled = !track.enabled;
    this.changed();
  }

  enabled(kind: 'audio' | 'video'): boolean {
    return this.local?.getTracks().some((t) => t.kind === kind && t.enabled) ?? false;
  }

  /** Shares the screen in place of the camera (replaceTrack: no renegotiation), or stops sharing. */
  async share(): Promise<void> {
    const camera = this.local?.getVideoTracks()[0] ?? null;
    const sender = this.pc.getSenders().find((s) => s.track?.kind === 'video' || (this.screen && s.track === this.screen));
    if (this.screen) {
      this.screen.stop();
      this.screen = null;
      if (sender) await sender.replaceTrack(camera);
      this.changed();
      return;
    }
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true });
    const track = stream.getVideoTracks()[0];
    if (!track) return;
    this.screen = track;
    track.onended = () => {
      if (this.screen === track) void this.share();
    };
    if (sender) await sender.replaceTrack(track);
    else {
      this.pc.addTrack(track, stream);
      await this.pc.setLocalDescription(await this.pc.createOffer());
      this.send({ kind: 'renegotiate', sdp: this.pc.localDescription!.sdp });
    }
    this.changed();
  }

  close(): void {
    this.screen?.stop();
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.pc.close();
  }
}
