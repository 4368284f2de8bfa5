// Video calls in the widget: the incoming-call prompt, the call view and the customer's own
// "video call" button. WebRTC runs between the customer's and the agent's browsers; Hoorn only
// relays the signalling (offer, answer, ICE) over the widget's authenticated socket. The agent's
// browser always makes the first offer; this side answers, and offers only to renegotiate (a
// screen shared in an audio-only call).
//
// Written against a transport ({ send }) and a `handle(frame)` entry, so it does not care how the
// socket is built. Test hook: the live RTCPeerConnection is `window.__hoornCall` (end-to-end tests
// read its connectionState and getStats()).

import { h } from './dom';
import type { Key, Translate } from './i18n';

export interface CallTransport {
  send(frame: unknown): void;
}

interface Call {
  id: string;
  state: 'offered' | 'ringing' | 'accepted' | 'connected' | 'ended' | 'declined' | 'missed';
  agent: { name: string } | null;
  audioOnly: boolean;
  recordingAllowed: boolean;
  recording: boolean;
  iceServers: RTCIceServer[];
}

interface Signal {
  /** `recording`: the agent's desk started (`active`) or stopped recording this call. */
  kind: 'offer' | 'answer' | 'ice' | 'renegotiate' | 'recording';
  active?: boolean;
  sdp?: string;
  candidate?: RTCIceCandidateInit | null;
}

export interface VideoOptions {
  /** The channel's visitor API, e.g. https://hoorn.example.nl/channels/webchat/<id>. */
  base: string;
  token: () => string | null;
  transport: CallTransport;
  t: Translate;
  /** Where the call view goes (inside the widget's shadow root). */
  mount: HTMLElement;
}

const LIVE = ['offered', 'ringing', 'accepted', 'connected'];
const BTN = 'border:0;border-radius:18px;padding:8px 12px;margin:3px;cursor:pointer;font:inherit;';
const VIDEO = 'background:#000;border-radius:8px;object-fit:cover;';

declare global {
  interface Window {
    __hoornCall?: RTCPeerConnection | null;
  }
}

export class VideoCalls {
  /** Shown in the chat's header where the workspace lets customers start a call. */
  readonly button: HTMLButtonElement;
  private readonly el: HTMLDivElement;
  private call: Call | null = null;
  private pc: RTCPeerConnection | null = null;
  private local: MediaStream | null = null;
  private screen: MediaStreamTrack | null = null;
  private remote = new MediaStream();
  private setup: Promise<void> = Promise.resolve();
  private chain: Promise<void> = Promise.resolve();
  private pendingIce: RTCIceCandidateInit[] = [];
  private consent = false;
  private mayStart = false;
  /** The workspace records calls where the customer agrees: asking for a call asks for consent first. */
  private recordingEnabled = false;
  /** The customer pressed the call button and answers the consent question before the request goes out. */
  private asking = false;
  /** The desk said it records right now (it says so when it starts and stops). */
  private recordingNow = false;
  private error: Key | null = null;

  constructor(private readonly o: VideoOptions) {
    this.el = h('div', { 'data-testid': 'hoorn-call', hidden: true });
    this.el.style.cssText = 'position:fixed;z-index:2147483647;right:16px;bottom:16px;width:min(360px,calc(100vw - 32px));background:#1b1e24;color:#fff;border-radius:14px;padding:12px;box-shadow:0 8px 30px #0006;font:14px system-ui,sans-serif;';
    this.button = h('button', { type: 'button', class: 'iconbtn', 'data-testid': 'hoorn-call-start', hidden: true, title: o.t('callStart'), onclick: () => void this.request() }, '🎥');
    o.mount.append(this.el);
  }

  /** Reads the visitor's live call and whether they may ask for one (on start and after a reconnect). */
  async refresh(): Promise<void> {
    if (!this.o.token()) return;
    try {
      const r = (await this.post('/calls/current', undefined, 'GET')) as { call: Call | null; customerMayStart: boolean; recordingEnabled: boolean };
      this.mayStart = r.customerMayStart;
      this.recordingEnabled = r.recordingEnabled;
      if (r.call) this.onCall(r.call);
      else if (this.call && LIVE.includes(this.call.state)) this.onCall({ ...this.call, state: 'ended' });
    } catch {
      // No call information: the button stays hidden, an incoming call still arrives over the socket.
    }
    this.render();
  }

  /** Takes the frames that belong to calls; says whether it did. */
  handle(frame: { type?: string; [k: string]: unknown }): boolean {
    if (frame.type === 'call' && frame.call) this.onCall(frame.call as Call);
    else if (frame.type === 'call_signal' && frame.signal) {
      const signal = frame.signal as Signal;
      if (!this.call || frame.callId !== this.call.id) return true;
      if (signal.kind === 'recording') {
        this.recordingNow = signal.active === true;
        this.render();
      } else this.onSignal(signal);
    } else if (frame.type === 'call_error') console.warn('[hoorn] call signal refused', frame.code);
    else return false;
    return true;
  }

  private async post(path: string, body?: unknown, method = 'POST'): Promise<unknown> {
    const res = await fetch(this.o.base + path, {
      method,
      headers: { authorization: `Bearer ${this.o.token() ?? ''}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!res.ok) throw new Error(`${res.status}`);
    return res.json();
  }

  private async act(path: string, body?: unknown): Promise<void> {
    try {
      this.onCall((await this.post(path, body ?? {})) as Call);
    } catch {
      this.error = 'generic';
      this.render();
    }
  }

  private request(): Promise<void> {
    // Recording needs the customer's yes before the call, so a request asks for it first.
    if (this.recordingEnabled && !this.asking) {
      this.asking = true;
      this.consent = false;
      this.render();
      return Promise.resolve();
    }
    this.asking = false;
    return this.act('/calls', { recordingConsent: this.consent });
  }

  private onCall(call: Call): void {
    if (this.call && this.call.id !== call.id && LIVE.includes(this.call.state) && !LIVE.includes(call.state)) return; // an old call's news
    this.call = call;
    if (!LIVE.includes(call.state)) this.teardown();
    else if ((call.state === 'accepted' || call.state === 'connected') && !this.pc) this.setup = this.startMedia(call.audioOnly).catch(() => this.failMedia());
    this.render();
  }

  private async accept(audioOnly: boolean): Promise<void> {
    const call = this.call;
    if (!call) return;
    // Camera and microphone first: a customer who refuses the browser's question has not answered.
    this.setup = this.startMedia(audioOnly || call.audioOnly);
    try {
      await this.setup;
    } catch {
      this.failMedia();
      return;
    }
    await this.act(`/calls/${call.id}/accept`, { audioOnly, recordingConsent: this.consent });
  }

  private failMedia(): void {
    this.error = 'callNoMedia';
    this.render();
  }

  private async startMedia(audioOnly: boolean): Promise<void> {
    const call = this.call!;
    this.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: !audioOnly });
    const pc = new RTCPeerConnection({ iceServers: call.iceServers });
    this.pc = pc;
    window.__hoornCall = pc;
    for (const track of this.local.getTracks()) pc.addTrack(track, this.local);
    pc.onicecandidate = (e) => e.candidate && this.signal({ kind: 'ice', candidate: e.candidate.toJSON() });
    pc.ontrack = (e) => {
      this.remote.addTrack(e.track);
      this.render();
    };
    pc.onconnectionstatechange = () => this.render();
  }

  private signal(signal: Signal): void {
    if (this.call) this.o.transport.send({ type: 'call_signal', callId: this.call.id, signal });
  }

  private onSignal(s: Signal): void {
    // One at a time, after the media are set up: an offer may arrive while the camera still starts.
    this.chain = this.chain
      .then(() => this.setup)
      .then(async () => {
        const pc = this.pc;
        if (!pc) return;
        if (s.kind === 'ice') {
          if (!s.candidate) return;
          if (pc.remoteDescription) await pc.addIceCandidate(s.candidate);
          else this.pendingIce.push(s.candidate);
        } else if (s.kind === 'answer' && s.sdp) {
          await pc.setRemoteDescription({ type: 'answer', sdp: s.sdp });
        } else if (s.sdp) {
          await pc.setRemoteDescription({ type: 'offer', sdp: s.sdp });
          for (const c of this.pendingIce.splice(0)) await pc.addIceCandidate(c);
          await pc.setLocalDescription(await pc.createAnswer());
          this.signal({ kind: 'answer', sdp: pc.localDescription!.sdp });
        }
      })
      .catch((e) => console.warn('[hoorn] call signalling failed', e));
  }

  private toggle(kind: 'audio' | 'video'): void {
    for (const track of this.local?.getTracks() ?? []) if (track.kind === kind) track.enabled = !track.enabled;
    this.render();
  }

  private async share(): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    const camera = this.local?.getVideoTracks()[0] ?? null;
    const sender = pc.getSenders().find((s) => s.track?.kind === 'video' || s.track === this.screen);
    if (this.screen) {
      this.screen.stop();
      this.screen = null;
      if (sender) await sender.replaceTrack(camera);
      this.render();
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true });
      const track = stream.getVideoTracks()[0]!;
      this.screen = track;
      track.onended = () => this.screen === track && void this.share();
      if (sender) await sender.replaceTrack(track);
      else {
        // Audio-only so far: the screen is a new track, so the two sides negotiate again.
        pc.addTrack(track, stream);
        await pc.setLocalDescription(await pc.createOffer());
        this.signal({ kind: 'renegotiate', sdp: pc.localDescription!.sdp });
      }
    } catch {
      // The customer cancelled the browser's picker.
    }
    this.render();
  }

  private teardown(): void {
    this.screen?.stop();
    this.screen = null;
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.local = null;
    this.pc?.close();
    this.pc = null;
    this.remote = new MediaStream();
    this.pendingIce = [];
    this.consent = false;
    this.recordingNow = false;
  }

  private render(): void {
    const { t } = this.o;
    const call = this.call;
    const live = call && LIVE.includes(call.state);
    this.button.hidden = !this.mayStart || Boolean(live) || this.asking;
    const btn = (key: Key, onclick: () => unknown, color = '#3b4252', testid: string = key) =>
      h('button', { type: 'button', style: `${BTN}background:${color};color:#fff`, 'data-testid': `hoorn-${testid}`, onclick }, t(key));
    const body: Array<Node | string> = [];
    const consentBox = () => {
      const box = h('input', { type: 'checkbox', 'data-testid': 'hoorn-call-consent', onchange: (e) => (this.consent = (e.target as HTMLInputElement).checked) });
      box.checked = this.consent;
      return h('label', { style: 'display:block;margin-bottom:8px' }, box, ' ', t('callRecordConsent'));
    };
    if (this.error) body.push(h('div', { role: 'alert', style: 'color:#ffb4b4;margin-bottom:6px' }, t(this.error)));
    if (this.asking && !live) {
      body.push(
        h('div', { 'data-testid': 'hoorn-call-ask', style: 'margin-bottom:8px' }, t('callRequestPrompt')),
        consentBox(),
        btn('callRequest', () => this.request(), '#2f9e44', 'call-request'),
        btn('callCancel', () => {
          this.asking = false;
          this.render();
        }, undefined, 'call-request-cancel'),
      );
    } else if (call?.state === 'offered') {
      const name = call.agent?.name ?? t('agent');
      body.push(h('div', { 'data-testid': 'hoorn-call-incoming', style: 'margin-bottom:8px' }, t(call.audioOnly ? 'callIncomingAudio' : 'callIncoming', { name })));
      if (call.recordingAllowed) body.push(consentBox());
      if (!call.audioOnly) body.push(btn('callAccept', () => this.accept(false), '#2f9e44', 'call-accept'));
      body.push(btn('callAudioOnly', () => this.accept(true), '#2f9e44', 'call-accept-audio'), btn('callDecline', () => this.act(`/calls/${call.id}/decline`), '#e03131', 'call-decline'));
    } else if (call?.state === 'ringing') {
      body.push(h('div', { style: 'margin-bottom:8px' }, t('callWaiting')), btn('callCancel', () => this.act(`/calls/${call.id}/hangup`), '#e03131', 'call-hangup'));
    } else if (call && live) {
      const remote = h('video', { autoplay: true, playsinline: true, 'data-testid': 'hoorn-call-remote', style: `${VIDEO}width:100%;height:200px;display:block` });
      remote.srcObject = this.remote;
      const mine = h('video', { autoplay: true, playsinline: true, muted: true, style: `${VIDEO}width:96px;height:72px;position:absolute;right:20px;top:20px;border:2px solid #fff` });
      mine.muted = true;
      mine.srcObject = this.local;
      const audioOn = this.local?.getAudioTracks().some((tr) => tr.enabled) ?? false;
      const videoOn = this.local?.getVideoTracks().some((tr) => tr.enabled) ?? false;
      if (this.pc?.connectionState !== 'connected') body.push(h('div', null, t('callConnecting')));
      if (this.recordingNow) body.push(h('div', { 'data-testid': 'hoorn-call-recording', role: 'status', title: t('callRecording'), style: 'color:#fff;background:#c92a2a;border-radius:6px;padding:2px 8px;margin-bottom:6px;display:inline-block;font-weight:600' }, t('callRecordingNow')));
      body.push(
        remote,
        mine,
        h(
          'div',
          { style: 'margin-top:6px;text-align:center' },
          btn(audioOn ? 'callMute' : 'callUnmute', () => this.toggle('audio'), undefined, 'call-mute'),
          this.local?.getVideoTracks().length ? btn(videoOn ? 'callCamOff' : 'callCamOn', () => this.toggle('video'), undefined, 'call-camera') : null,
          navigator.mediaDevices && 'getDisplayMedia' in navigator.mediaDevices ? btn(this.screen ? 'callStopShare' : 'callShare', () => this.share(), undefined, 'call-share') : null,
          btn('callHangup', () => this.act(`/calls/${call.id}/hangup`), '#e03131', 'call-hangup'),
        ),
      );
    }
    this.el.hidden = body.length === 0;
    this.el.dataset.state = call?.state ?? '';
    this.el.replaceChildren(...body);
    if (!live) this.error = null;
  }
}
