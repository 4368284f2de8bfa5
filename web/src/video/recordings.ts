import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { api } from '../api';
import type { Attachment } from '../types';
import type { VideoCall } from './socket';

export const videoCallsKey = (conversationId: string) => ['video-calls', conversationId] as const;

/** A conversation's calls; shared by the call panel and the timeline's call lines (one cache entry). */
export const videoCallsQuery = (conversationId: string) => ({
  queryKey: videoCallsKey(conversationId),
  queryFn: () => api.get<{ items: VideoCall[] }>(`/api/conversations/${encodeURIComponent(conversationId)}/calls`),
});

/** Where the upload of a call's recording stands, per conversation (the panel shows it after the call). */
export interface RecordingSave {
  callId: string;
  state: 'saving' | 'saved' | 'failed';
  /** The recording stopped early at the attachment limit; what was saved is the call's start. */
  limitReached: boolean;
  error?: unknown;
}

const saves = new Map<string, RecordingSave>();
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};
function set(conversationId: string, save: RecordingSave): void {
  saves.set(conversationId, save);
  for (const listener of listeners) listener();
}

export function useRecordingSave(conversationId: string): RecordingSave | undefined {
  return useSyncExternalStore(subscribe, () => saves.get(conversationId));
}

/** The file's name: what it is, the call's date and its id's start, so two calls of one day differ. */
function fileName(call: VideoCall, contentType: string): string {
  const date = (call.connectedAt ?? call.startedAt).slice(0, 10);
  const what = contentType.startsWith('audio/') ? 'audiogesprek' : 'videogesprek';
  return `${what}-${date}-${call.id.slice(0, 8)}.${contentType.endsWith('ogg') ? 'ogg' : 'webm'}`;
}

/**
 * After the call: uploads the recording through the desk's ordinary attachment upload and links
 * it to the call, which puts it on the call's line in the timeline.
 */
export async function saveRecording(queryClient: QueryClient, call: VideoCall, blob: Blob, limitReached: boolean): Promise<void> {
  set(call.conversationId, { callId: call.id, state: 'saving', limitReached });
  try {
    const file = new File([blob], fileName(call, blob.type), { type: blob.type });
    const attachment = await api.upload<Attachment>('/api/attachments', file);
    await api.post<VideoCall>(`/api/video-calls/${encodeURIComponent(call.id)}/recording`, { attachmentId: attachment.id });
    set(call.conversationId, { callId: call.id, state: 'saved', limitReached });
  } catch (error) {
    console.warn('the recording was not saved', error);
    set(call.conversationId, { callId: call.id, state: 'failed', limitReached, error });
  }
  await queryClient.invalidateQueries({ queryKey: videoCallsKey(call.conversationId) });
}
