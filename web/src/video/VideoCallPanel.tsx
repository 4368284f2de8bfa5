import { Alert, Badge, Box, Button, Group, Text } from '@mantine/core';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import type { Conversation } from '../types';
import { refreshLatestMessages } from '../pages/inbox/queries';
import { AgentPeer } from './peer';
import { saveRecording, useRecordingSave, videoCallsKey, videoCallsQuery } from './recordings';
import { callSocket, LIVE_STATES, type VideoCall } from './socket';

export { videoCallsKey } from './recordings';

/**
 * Peers live outside the component: switching to another conversation mid-call keeps the call,
 * and signals that arrive meanwhile still reach it.
 */
const peers = new Map<string, AgentPeer>();
let routingSignals = false;
function routeSignals(): void {
  if (routingSignals) return;
  routingSignals = true;
  callSocket.subscribe((frame) => {
    if (frame.type === 'call_signal') peers.get(frame.callId)?.handle(frame.signal);
    else if (frame.type === 'call_error') console.warn('call signal refused', frame.code);
  });
}

const isLive = (call: VideoCall | null | undefined): boolean => Boolean(call && LIVE_STATES.includes(call.state));

/** The call is over: its recording (if any) is finished first, then the media stop, then the recording is saved. */
async function endPeer(queryClient: QueryClient, peer: AgentPeer, call: VideoCall): Promise<void> {
  const recording = await peer.finishRecording().catch((error: unknown) => {
    console.warn('the recording did not finish', error);
    return null;
  });
  const limitReached = peer.recorder?.limitReached ?? false;
  peer.close();
  if (recording) await saveRecording(queryClient, call, recording, limitReached);
}

/** Video calls on a web chat: start one, take a customer's request, the call itself. */
export function VideoCallPanel({ conversation, meId }: { conversation: Conversation; meId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isWebchat = conversation.channelType === 'webchat';
  const calls = useQuery({ ...videoCallsQuery(conversation.id), enabled: isWebchat });
  const saved = useRecordingSave(conversation.id);
  const [call, setCall] = useState<VideoCall | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const remoteRef = useRef<HTMLVideoElement>(null);
  const localRef = useRef<HTMLVideoElement>(null);

  const follow = useCallback(
    (next: VideoCall) => {
      setCall(next);
      const peer = peers.get(next.id);
      if (!isLive(next)) {
        peers.delete(next.id);
        if (peer) void endPeer(queryClient, peer, next);
        if (window.__hoornCall === peer?.pc) window.__hoornCall = null;
        void queryClient.invalidateQueries({ queryKey: videoCallsKey(next.conversationId) });
        void refreshLatestMessages(queryClient, next.conversationId);
        return;
      }
      // Both said yes: this side makes the offer.
      if (next.state === 'accepted' && next.agent?.id === meId && !peer) {
        const created = new AgentPeer(next.iceServers, (signal) => callSocket.send({ type: 'call_signal', callId: next.id, signal }), redraw);
        peers.set(next.id, created);
        // Recorded only where the workspace allows it and the customer agreed (the server says so in `recording`).
        if (next.recording) created.record(next.recordingMaxBytes);
        created.start(next.audioOnly).catch((e: unknown) => {
          console.warn('camera or microphone refused', e);
          setError(new Error(t('video.noMedia')));
        });
      }
    },
    [meId, queryClient, t],
  );

  useEffect(() => {
    if (!isWebchat) return;
    routeSignals();
    return callSocket.subscribe((frame) => {
      if (frame.type === 'call' && frame.call.conversationId === conversation.id) follow(frame.call);
    });
  }, [conversation.id, isWebchat, follow]);

  useEffect(() => {
    const live = calls.data?.items.find((c) => isLive(c));
    // A call taken elsewhere (routing's offer panel) or before a reload: pick it up from here.
    if (live) follow(live);
    else setCall((current) => (current && current.conversationId === conversation.id ? current : null));
  }, [calls.data, conversation.id, follow]);

  const peer = call ? peers.get(call.id) : undefined;
  useEffect(() => {
    if (remoteRef.current && peer && remoteRef.current.srcObject !== peer.remote) remoteRef.current.srcObject = peer.remote;
    if (localRef.current && peer?.local && localRef.current.srcObject !== peer.local) localRef.current.srcObject = peer.local;
  });

  if (!isWebchat) return null;
  const run = async (work: () => Promise<VideoCall>) => {
    setBusy(true);
    setError(null);
    try {
      follow(await work());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const start = (audioOnly: boolean) => run(() => api.post<VideoCall>(`/api/conversations/${encodeURIComponent(conversation.id)}/calls`, { audioOnly }));
  const hangUp = (id: string) => run(() => api.post<VideoCall>(`/api/video-calls/${encodeURIComponent(id)}/hangup`));
  const accept = (id: string) => run(() => api.post<VideoCall>(`/api/video-calls/${encodeURIComponent(id)}/accept`));

  const live = call && isLive(call) && call.conversationId === conversation.id ? call : null;
  const mine = conversation.assignee?.id === meId;

  const saveNote = saved ? (
    <Text size="xs" c={saved.state === 'failed' ? 'red' : 'dimmed'} data-testid="video-recording-save" data-state={saved.state}>
      {t(`video.recordingSave.${saved.state}`)}
      {saved.limitReached ? ` ${t('video.recordingLimit', { size: formatMegabytes(calls.data?.items[0]?.recordingMaxBytes) })}` : ''}
    </Text>
  ) : null;

  if (!live) {
    if (!mine || conversation.status === 'resolved') return error || saveNote ? <>{saveNote}{error ? <ErrorAlert error={error} /> : null}</> : null;
    return (
      <Group gap={6} data-testid="video-start-bar">
        {saveNote}
        <Button size="compact-xs" variant="light" loading={busy} onClick={() => void start(false)} data-testid="video-start">
          {t('video.start')}
        </Button>
        <Button size="compact-xs" variant="subtle" loading={busy} onClick={() => void start(true)} data-testid="video-start-audio">
          {t('video.startAudio')}
        </Button>
        {error ? <ErrorAlert error={error} /> : null}
      </Group>
    );
  }

  const connected = peer?.pc.connectionState === 'connected';
  return (
    <Alert color={live.state === 'connected' ? 'green' : 'blue'} variant="light" p="xs" data-testid="video-call" data-state={live.state}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap">
          <Badge variant="filled" size="sm">
            {t('video.connected')}
          </Badge>
          <Text size="sm">
            {live.state === 'offered'
              ? t('video.calling', { name: conversation.customer.name ?? '' })
              : live.state === 'ringing'
                ? t('video.requested')
                : connected
                  ? t('video.connected')
                  : t('video.connecting')}
          </Text>
          {peer?.recorder?.active ? (
            <Badge color="red" size="sm" variant="filled" data-testid="video-recording-live">
              ● {t('video.recordingNow')}
            </Badge>
          ) : live.recording ? (
            <Badge color="red" size="sm" variant="dot" data-testid="video-recording-consented">
              {t('video.recording')}
            </Badge>
          ) : null}
        </Group>
        <Group gap={6} wrap="nowrap">
          {live.state === 'ringing' && !live.agent && (
            <Button size="compact-xs" color="green" loading={busy} onClick={() => void accept(live.id)} data-testid="video-accept">
              {t('video.accept')}
            </Button>
          )}
          {peer && (
            <>
              <Button size="compact-xs" variant="default" onClick={() => peer.toggle('audio')} data-testid="video-mute">
                {peer.enabled('audio') ? t('video.mute') : t('video.unmute')}
              </Button>
              {peer.local?.getVideoTracks().length ? (
                <Button size="compact-xs" variant="default" onClick={() => peer.toggle('video')} data-testid="video-camera">
                  {peer.enabled('video') ? t('video.cameraOff') : t('video.cameraOn')}
                </Button>
              ) : null}
              <Button size="compact-xs" variant="default" onClick={() => void peer.share().catch(() => {})} data-testid="video-share">
                {peer.screen ? t('video.stopShare') : t('video.share')}
              </Button>
            </>
          )}
          {(live.agent?.id === meId || live.state !== 'ringing') && (
            <Button size="compact-xs" color="red" loading={busy} onClick={() => void hangUp(live.id)} data-testid="video-hangup">
              {live.state === 'offered' ? t('video.cancel') : t('video.hangup')}
            </Button>
          )}
        </Group>
      </Group>
      {peer?.recorder?.limitReached && (
        <Text size="xs" c="orange.8" mt={4} data-testid="video-recording-limit">
          {t('video.recordingLimit', { size: formatMegabytes(live.recordingMaxBytes) })}
        </Text>
      )}
      {live.recording && peer?.cannotRecord && (
        <Text size="xs" c="orange.8" mt={4}>
          {t('video.cannotRecord')}
        </Text>
      )}
      {peer && (
        <Box pos="relative" mt="xs">
          <video ref={remoteRef} autoPlay playsInline data-testid="video-remote" style={{ width: '100%', maxHeight: 320, background: '#000', borderRadius: 8 }} />
          <video
            ref={localRef}
            autoPlay
            playsInline
            muted
            data-testid="video-local"
            style={{ position: 'absolute', right: 8, top: 8, width: 120, background: '#000', borderRadius: 6, border: '2px solid white' }}
          />
        </Box>
      )}
      {error ? <ErrorAlert error={error} /> : null}
    </Alert>
  );
}

const formatMegabytes = (bytes: number | undefined) => `${Math.round((bytes ?? 0) / (1024 * 1024))} MB`;
