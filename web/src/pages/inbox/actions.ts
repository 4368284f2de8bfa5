import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { describeError } from '../../errors';
import { useCurrentSession } from '../../session';
import type { Conversation, ConversationPatch, Message, PersonRef, TemplateInput } from '../../types';
import { newClientMessageId } from './format';
import { pendingStore, type PendingMessage } from './pending';
import type { SendInput } from './Composer';
import { inboxKeys, mergeMessages, upsertConversation } from './queries';

interface UpdateVars {
  id: string;
  patch: ConversationPatch;
  /** The assignee to show until the server answers (the patch only carries an id). */
  assignee?: PersonRef | null;
}

/** `PATCH /api/conversations/:id`, shown optimistically in the detail and every list. */
export function useUpdateConversation() {
  const queryClient = useQueryClient();
  const { user } = useCurrentSession();
  return useMutation({
    mutationFn: ({ id, patch }: UpdateVars) => api.patch<Conversation>(`/api/conversations/${encodeURIComponent(id)}`, patch),
    onMutate: async ({ id, patch, assignee }) => {
      await queryClient.cancelQueries({ queryKey: inboxKeys.conversation(id) });
      const previous = queryClient.getQueryData<Conversation>(inboxKeys.conversation(id));
      if (previous) {
        const next: Conversation = { ...previous };
        if (patch.status !== undefined) next.status = patch.status;
        if (patch.snoozedUntil !== undefined) next.snoozedUntil = patch.snoozedUntil;
        if (patch.priority !== undefined) next.priority = patch.priority;
        if (patch.tags !== undefined) next.tags = patch.tags;
        if (patch.assigneeId !== undefined) next.assignee = patch.assigneeId === null ? null : (assignee ?? previous.assignee);
        upsertConversation(queryClient, next, user.id);
      }
      return { previous };
    },
    onError: (_error, { id }, context) => {
      if (context?.previous) upsertConversation(queryClient, context.previous, user.id);
      void queryClient.invalidateQueries({ queryKey: inboxKeys.conversation(id) });
    },
    onSuccess: (conversation) => upsertConversation(queryClient, conversation, user.id),
  });
}

export type TransferTarget = { agentId: string } | { queueId: string };

/**
 * `POST /api/routing/conversations/:id/transfer`. The conversation stays with the agent until the
 * colleague accepts (or the queue hands it on), so it is refetched rather than changed optimistically.
 */
export function useTransferConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, to }: { id: string; to: TransferTarget }) =>
      api.post<void>(`/api/routing/conversations/${encodeURIComponent(id)}/transfer`, to),
    // Lists follow through the realtime events of the assignment.
    onSettled: (_data, _error, { id }) => queryClient.invalidateQueries({ queryKey: inboxKeys.conversation(id) }),
  });
}

/**
 * Sends a reply or note: shown at once as pending, confirmed by the server's `201 Message`.
 * A failed send can be retried with the same `clientMessageId`, so it is never sent twice.
 */
export function useSendMessage(conversationId: string) {
  const queryClient = useQueryClient();
  const { t } = useTranslation();

  const deliver = useCallback(
    async (p: PendingMessage) => {
      pendingStore.add({ ...p, state: 'sending', error: null });
      try {
        const message = await api.post<Message>(`/api/conversations/${encodeURIComponent(p.conversationId)}/messages`, {
          body: p.template ? '' : p.body,
          kind: p.kind,
          template: p.template,
          attachmentIds: p.attachments.length ? p.attachments.map((a) => a.id) : undefined,
          clientMessageId: p.clientMessageId,
        });
        mergeMessages(queryClient, p.conversationId, [message]);
        pendingStore.remove(p.clientMessageId);
      } catch (error) {
        pendingStore.update(p.clientMessageId, { state: 'failed', error: describeError(t, error).message });
      }
    },
    [queryClient, t],
  );

  const send = useCallback(
    (input: SendInput) =>
      void deliver({
        clientMessageId: newClientMessageId(),
        conversationId,
        kind: input.kind,
        body: input.body,
        attachments: input.attachments,
        createdAt: new Date().toISOString(),
        state: 'sending',
        error: null,
      }),
    [conversationId, deliver],
  );

  const sendTemplate = useCallback(
    (template: TemplateInput, preview: string) =>
      void deliver({
        clientMessageId: newClientMessageId(),
        conversationId,
        kind: 'message',
        body: preview,
        attachments: [],
        template,
        createdAt: new Date().toISOString(),
        state: 'sending',
        error: null,
      }),
    [conversationId, deliver],
  );

  const retry = useCallback((p: PendingMessage) => void deliver(p), [deliver]);
  const discard = useCallback((p: PendingMessage) => pendingStore.remove(p.clientMessageId), []);

  return { send, sendTemplate, retry, discard };
}

/** `POST .../messages/:messageId/retry`: a reply whose delivery failed goes to the outbox again. */
export function useRetryDelivery(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) =>
      api.post<Message>(`/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/retry`),
    onSuccess: (message) => mergeMessages(queryClient, conversationId, [message]),
  });
}

/** Snooze presets in the agent's local time. */
export function snoozeUntil(preset: '1h' | 'tomorrow' | 'nextWeek', now = new Date()): string {
  const d = new Date(now);
  if (preset === '1h') return new Date(now.getTime() + 60 * 60 * 1000).toISOString();
  if (preset === 'tomorrow') {
    d.setDate(d.getDate() + 1);
  } else {
    // Next Monday (a week from today when it is Monday).
    const days = ((8 - d.getDay()) % 7) || 7;
    d.setDate(d.getDate() + days);
  }
  d.setHours(9, 0, 0, 0);
  return d.toISOString();
}
