import { ActionIcon, Anchor, Badge, Button, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useKnowledgeSuggestions } from './api';
import { Snippet } from './Markdown';

export interface KnowledgeSuggestionsProps {
  /** The conversation in the desk: its language and the customer's last messages steer the suggestions. */
  conversationId: string;
  /** What the agent is typing in the reply box (debounced here). */
  draftText: string;
  /** Puts a link to the article into the reply; without it the link is copied to the clipboard. */
  onInsertLink?: (link: { url: string; title: string }) => void;
  /** How many articles to show (default 3). */
  limit?: number;
  /** Take no room while there is nothing to suggest (the desk, above the reply box). */
  hideWhenEmpty?: boolean;
}

/** Published articles that fit the conversation and the draft, with an "insert link" action. */
export function KnowledgeSuggestions({ conversationId, draftText, onInsertLink, limit = 3, hideWhenEmpty = false }: KnowledgeSuggestionsProps) {
  const { t } = useTranslation();
  const [text] = useDebouncedValue(draftText.trim().slice(-500), 400);
  const suggestions = useKnowledgeSuggestions(conversationId, text, limit);
  const items = suggestions.data?.items ?? [];

  const insert = (url: string, title: string) => {
    if (onInsertLink) onInsertLink({ url, title });
    else void navigator.clipboard?.writeText(url);
  };

  if (hideWhenEmpty && items.length === 0) return null;
  return (
    // Never shrinks into (and over) a scrolling neighbour; long lists scroll inside.
    <Paper withBorder p="xs" radius="sm" data-testid="knowledge-suggestions" aria-live="polite" style={{ flexShrink: 0, maxHeight: 140, overflowY: 'auto' }}>
      <Group justify="space-between" mb={4}>
        <Text size="xs" fw={600} c="dimmed" tt="uppercase">
          {t('knowledge.suggestions.title')}
        </Text>
        {suggestions.isFetching && <Text size="xs" c="dimmed">{t('common.loading')}</Text>}
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="knowledge-suggestions-empty">
          {t('knowledge.suggestions.empty')}
        </Text>
      ) : (
        <Stack gap={6}>
          {items.map((hit) => (
            <Group key={hit.articleId} justify="space-between" wrap="nowrap" align="flex-start" data-testid="knowledge-suggestion">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Group gap={6} wrap="nowrap">
                  <Anchor href={hit.url} target="_blank" rel="noopener noreferrer" size="sm" fw={500} truncate>
                    {hit.title}
                  </Anchor>
                  <Badge size="xs" variant="light">{hit.language}</Badge>
                </Group>
                <Snippet parts={hit.snippet} />
              </Stack>
              <Tooltip label={t('knowledge.suggestions.insertLink')}>
                {onInsertLink ? (
                  <Button size="compact-xs" variant="light" onClick={() => insert(hit.url, hit.title)} data-testid="knowledge-insert-link">
                    {t('knowledge.suggestions.insert')}
                  </Button>
                ) : (
                  <ActionIcon variant="light" size="sm" onClick={() => insert(hit.url, hit.title)} aria-label={t('knowledge.suggestions.copyLink')} data-testid="knowledge-insert-link">
                    🔗
                  </ActionIcon>
                )}
              </Tooltip>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
