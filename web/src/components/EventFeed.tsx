import { Code, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../format';
import type { DomainEvent } from '../types';

/** Live list of domain events. All fields are rendered as plain text. */
export function EventFeed({ events }: { events: readonly DomainEvent[] }) {
  const { t } = useTranslation();
  const formatTime = useFormatDate('time');
  const formatFull = useFormatDate('dateTime');

  return (
    <Paper withBorder radius="md">
      {events.length === 0 && (
        <Text c="dimmed" size="sm" p="md">
          {t('overview.feed.empty')}
        </Text>
      )}
      <Stack component="ol" gap={0} m={0} p={0} style={{ listStyle: 'none' }} data-testid="event-feed" aria-live="polite">
        {events.map((event) => (
          <Group
            key={event.id}
            component="li"
            justify="space-between"
            wrap="nowrap"
            px="md"
            py="xs"
            gap="md"
            style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
            data-testid="event-item"
            data-event-type={event.type}
          >
            <Stack gap={2} miw={0}>
              <Code fw={600}>
                {event.type}
              </Code>
              <Text size="sm" c="dimmed" truncate="end">
                {event.subjectType} {event.subjectId}
              </Text>
            </Stack>
            <Text size="sm" c="dimmed" component="time" dateTime={event.createdAt} title={formatFull(event.createdAt)} style={{ whiteSpace: 'nowrap' }}>
              {formatTime(event.createdAt)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
