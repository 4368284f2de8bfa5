import { Badge, Code, Drawer, Group, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormatDate } from '../format';
import { useChannelRejects } from './api';
import type { ChannelDetail } from './types';

/** Deliveries the provider signed correctly but Hoorn could not read: kept so an admin can see why. */
export function RejectsDrawer({ channel, onClose }: { channel: ChannelDetail | null; onClose: () => void }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const rejects = useChannelRejects(channel?.id ?? null);

  return (
    <Drawer
      opened={channel !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={channel ? t('channels.rejects.title', { name: channel.name }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      scrollAreaComponent={ScrollArea.Autosize}
      data-testid="channel-rejects-drawer"
    >
      <Text size="sm" c="dimmed" mb="md">
        {t('channels.rejects.description')}
      </Text>
      {rejects.isPending ? (
        <CenteredLoader />
      ) : rejects.isError ? (
        <ErrorAlert error={rejects.error} />
      ) : rejects.data.items.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="md" data-testid="channel-rejects-empty">
          {t('channels.rejects.empty')}
        </Text>
      ) : (
        <Stack gap="sm">
          {rejects.data.items.map((r) => (
            <Paper key={r.id} withBorder p="sm" radius="md" data-testid="channel-reject">
              <Group justify="space-between" gap="xs" mb={6} wrap="nowrap">
                <Text size="sm" fw={600} c="red.7" style={{ overflowWrap: 'anywhere' }} data-testid="channel-reject-error">
                  {r.error}
                </Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(r.receivedAt)}
                </Text>
              </Group>
              {r.contentType && (
                <Badge size="xs" variant="light" color="gray" mb={6}>
                  {r.contentType}
                </Badge>
              )}
              <Code block style={{ maxHeight: 240, overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {r.body}
              </Code>
            </Paper>
          ))}
        </Stack>
      )}
    </Drawer>
  );
}
