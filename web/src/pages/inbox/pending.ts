import { useSyncExternalStore } from 'react';
import type { Attachment, MessageKind, TemplateInput } from '../../types';

/** A message the agent sent that the server has not confirmed yet (optimistic display). */
export interface PendingMessage {
  clientMessageId: string;
  conversationId: string;
  kind: MessageKind;
  body: string;
  attachments: Attachment[];
  /** A template sent instead of free text (the body is then its preview, not sent). */
  template?: TemplateInput;
  createdAt: string;
  state: 'sending' | 'failed';
  error: string | null;
}

let pending: readonly PendingMessage[] = [];
const listeners = new Set<() => void>();

function emit(next: readonly PendingMessage[]): void {
  pending = next;
  for (const l of listeners) l();
}

export const pendingStore = {
  add(message: PendingMessage): void {
    emit([...pending.filter((m) => m.clientMessageId !== message.clientMessageId), message]);
  },
  update(clientMessageId: string, patch: Partial<PendingMessage>): void {
    emit(pending.map((m) => (m.clientMessageId === clientMessageId ? { ...m, ...patch } : m)));
  },
  remove(clientMessageId: string): void {
    emit(pending.filter((m) => m.clientMessageId !== clientMessageId));
  },
  get(clientMessageId: string): PendingMessage | undefined {
    return pending.find((m) => m.clientMessageId === clientMessageId);
  },
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const EMPTY: readonly PendingMessage[] = [];
let cacheKey: string | null = null;
let cacheSource: readonly PendingMessage[] | null = null;
let cacheValue: readonly PendingMessage[] = EMPTY;

function selectFor(conversationId: string): readonly PendingMessage[] {
  if (cacheKey !== conversationId || cacheSource !== pending) {
    cacheKey = conversationId;
    cacheSource = pending;
    const list = pending.filter((m) => m.conversationId === conversationId);
    cacheValue = list.length ? list : EMPTY;
  }
  return cacheValue;
}

export function usePendingMessages(conversationId: string): readonly PendingMessage[] {
  return useSyncExternalStore(subscribe, () => selectFor(conversationId));
}

/** Unsent drafts per conversation survive switching between conversations (not a reload). */
export const drafts = new Map<string, { body: string; mode: 'reply' | 'note' }>();
