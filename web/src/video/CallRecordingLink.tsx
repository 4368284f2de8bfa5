import { Anchor } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatBytes, useLanguage } from '../pages/inbox/format';
import type { Conversation } from '../types';
import { videoCallsQuery } from './recordings';

/**
 * On a call's line in the timeline: the call's recording, when there is one. The line itself is
 * a system message that names no call, so the call points at its line (`endMessageId`).
 */
export function CallRecordingLink({ conversation, messageId }: { conversation: Conversation; messageId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const calls = useQuery({ ...videoCallsQuery(conversation.id), enabled: conversation.channelType === 'webchat' });
  const file = calls.data?.items.find((call) => call.endMessageId === messageId)?.recordingAttachment;
  if (!file) return null;
  return (
    <>
      {' · '}
      <Anchor href={`/api/attachments/${encodeURIComponent(file.id)}`} download={file.name} size="xs" data-testid="video-recording" data-size={file.size}>
        {t('video.recordingLink', { size: formatBytes(file.size, language) })}
      </Anchor>
    </>
  );
}
