/**
 * Records a call on the agent's desk: the customer's video with both voices mixed into one audio
 * track. Only for calls the workspace allows to be recorded and the customer agreed to (the
 * server's `recording`); the server refuses to link a recording of any other call.
 *
 * The recording becomes an ordinary attachment, so it must stay under the attachment limit: the
 * bitrates keep 360p-ish video to about 56 KB a second (some seven minutes in 25 MB), and the
 * recorder stops itself before the limit and says so (`limitReached`).
 */

/** Kept free below the limit: the recorder hands over its last second after it is told to stop. */
const HEADROOM_BYTES = 512 * 1024;
const VIDEO_BITS_PER_SECOND = 400_000;
const AUDIO_BITS_PER_SECOND = 48_000;

/** What this browser can record: VP8 and Opus in WebM where it can (Chromium), else its plainer WebM. */
export function recordingType(withVideo: boolean): string | null {
  if (typeof MediaRecorder === 'undefined') return null;
  const candidates = withVideo ? ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'] : ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus'];
  return candidates.find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

export class CallRecorder {
  /** The file's type without codec parameters (what the attachment is stored as). */
  readonly contentType: string;
  /** Recording stopped because the next second would not have fitted in the attachment limit. */
  limitReached = false;
  private readonly chunks: Blob[] = [];
  private bytes = 0;
  private readonly audio: AudioContext;
  private readonly recorder: MediaRecorder;
  private readonly finished: Promise<Blob>;
  private ending = false;

  /** Starts at once. `onStop`: recording ended before the call did (the limit, or the browser). */
  constructor(remote: MediaStream, local: MediaStream | null, mimeType: string, private readonly maxBytes: number, private readonly onStop: () => void) {
    this.contentType = mimeType.split(';')[0]!;
    // Both voices into one track: a recorder takes one audio track, and a call without the agent's voice is half a call.
    this.audio = new AudioContext();
    const mix = this.audio.createMediaStreamDestination();
    for (const stream of [remote, local]) {
      const tracks = stream?.getAudioTracks() ?? [];
      if (tracks.length) this.audio.createMediaStreamSource(new MediaStream(tracks)).connect(mix);
    }
    void this.audio.resume().catch(() => {});
    const video = this.contentType.startsWith('video/') ? remote.getVideoTracks().slice(0, 1) : [];
    this.recorder = new MediaRecorder(new MediaStream([...video, ...mix.stream.getAudioTracks()]), {
      mimeType,
      videoBitsPerSecond: VIDEO_BITS_PER_SECOND,
      audioBitsPerSecond: AUDIO_BITS_PER_SECOND,
    });
    this.finished = new Promise((resolve) => {
      this.recorder.onstop = () => {
        void this.audio.close().catch(() => {});
        resolve(new Blob(this.chunks, { type: this.contentType }));
      };
    });
    this.recorder.ondataavailable = (e) => {
      if (e.data.size === 0) return;
      if (this.bytes + e.data.size > this.maxBytes) {
        this.stopAtLimit();
        return;
      }
      this.chunks.push(e.data);
      this.bytes += e.data.size;
      if (this.bytes > this.maxBytes - HEADROOM_BYTES) this.stopAtLimit();
    };
    this.recorder.onerror = () => this.stop();
    // Chunks of a second: the size is known as it grows, not only at the end.
    this.recorder.start(1000);
  }

  get active(): boolean {
    return this.recorder.state !== 'inactive';
  }

  /** Stops (if it still runs) and hands over the recording; null when nothing was recorded. */
  async finish(): Promise<Blob | null> {
    this.ending = true;
    this.stop();
    const blob = await this.finished;
    return blob.size > 0 ? blob : null;
  }

  private stopAtLimit(): void {
    this.limitReached = true;
    this.stop();
  }

  private stop(): void {
    if (this.recorder.state === 'inactive') return;
    this.recorder.stop();
    if (!this.ending) this.onStop();
  }
}
