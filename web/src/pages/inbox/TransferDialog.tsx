import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api';
import { describeError } from '../../errors';
import { useQueues } from '../../routing/api';
import { useCurrentSession } from '../../session';
import type { Conversation } from '../../types';
import { useTransferConversation } from './actions';
import { useTeammates } from './queries';

/** Routing's 409 codes for a transfer, with their own message. */
const TRANSFER_ERRORS = {
  not_yours: 'inbox.transfer.notYours',
  routing_off: 'inbox.transfer.routingOff',
} as const;

interface TransferDialogProps {
  conversation: Conversation;
  onClose: () => void;
  /** Called after the server took the transfer, with the name of the colleague or queue. */
  onTransferred: (to: string) => void;
}

/** Hands a conversation to a colleague or a queue (`POST /api/routing/conversations/:id/transfer`). */
export function TransferDialog({ conversation, onClose, onTransferred }: TransferDialogProps) {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const teammates = useTeammates();
  const queues = useQueues();
  const transfer = useTransferConversation();
  const [agentId, setAgentId] = useState<string | null>(null);
  const [queueId, setQueueId] = useState<string | null>(null);

  const agentOptions = (teammates.data?.items ?? [])
    .filter((u) => u.id !== user.id)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((u) => ({ value: u.id, label: u.name }));
  const queueOptions = (queues.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }));
  const noQueues = queues.isSuccess && queueOptions.length === 0;

  const confirm = () => {
    const to = agentId ? { agentId } : queueId ? { queueId } : null;
    if (!to) return;
    const name = (agentId ? agentOptions.find((o) => o.value === agentId) : queueOptions.find((o) => o.value === queueId))?.label ?? '';
    transfer.mutate(
      { id: conversation.id, to },
      {
        onSuccess: () => {
          onTransferred(name);
          onClose();
        },
      },
    );
  };

  const error = transfer.error;
  const errorKey = isApiError(error) && error.code in TRANSFER_ERRORS ? TRANSFER_ERRORS[error.code as keyof typeof TRANSFER_ERRORS] : undefined;
  const errorMessage: string | null = error ? (errorKey ? t(errorKey) : describeError(t, error).message) : null;

  return (
    <Modal opened onClose={onClose} title={t('inbox.transfer.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack data-testid="transfer-dialog">
        <Select
          label={t('inbox.transfer.toAgent')}
          placeholder={t('inbox.transfer.pickAgent')}
          data={agentOptions}
          value={agentId}
          onChange={(value) => {
            setAgentId(value);
            if (value) setQueueId(null);
          }}
          searchable={agentOptions.length > 6}
          nothingFoundMessage={t('inbox.nothingFound')}
          comboboxProps={{ withinPortal: false }}
          data-testid="transfer-agent"
        />
        {noQueues ? (
          <Text size="sm" c="dimmed" data-testid="transfer-no-queues">
            {t('inbox.transfer.noQueues')}
          </Text>
        ) : (
          <Select
            label={t('inbox.transfer.toQueue')}
            placeholder={t('inbox.transfer.pickQueue')}
            data={queueOptions}
            value={queueId}
            onChange={(value) => {
              setQueueId(value);
              if (value) setAgentId(null);
            }}
            disabled={!queues.isSuccess}
            comboboxProps={{ withinPortal: false }}
            data-testid="transfer-queue"
          />
        )}
        {errorMessage && (
          <Alert color="red" variant="light" role="alert" data-testid="transfer-error">
            {errorMessage}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={confirm} disabled={!agentId && !queueId} loading={transfer.isPending} data-testid="transfer-confirm">
            {t('inbox.transfer.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
