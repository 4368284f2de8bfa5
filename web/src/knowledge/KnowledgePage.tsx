import { Anchor, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../auth';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useFormatDate } from '../format';
import { useCurrentSession } from '../session';
import { useCreateCategory, useKnowledgeArticles, useKnowledgeCategories, useKnowledgeSearch } from './api';
import { ArticleEditor, StatusBadge } from './ArticleEditor';
import { Snippet } from './Markdown';
import { KNOWLEDGE_LANGUAGES, type KnowledgeArticle, type KnowledgeCategory, type KnowledgeHit } from './types';

/** The knowledge base: agents search and read, supervisors write and publish. */
export function KnowledgePage() {
  const { t, i18n } = useTranslation();
  const { user } = useCurrentSession();
  const canEdit = hasRole(user.role, 'supervisor');
  const [query, setQuery] = useState('');
  const [q] = useDebouncedValue(query.trim(), 250);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [status, setStatus] = useState<'published' | 'all'>(canEdit ? 'all' : 'published');
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [editorOpened, editor] = useDisclosure(false);
  const [categoryOpened, categoryModal] = useDisclosure(false);

  const categories = useKnowledgeCategories();
  const articles = useKnowledgeArticles({ categoryId: categoryId ?? undefined });
  const search = useKnowledgeSearch({ q, categoryId: categoryId ?? undefined, status });
  const categoryName = (id: string | null) => {
    const c = categories.data?.items.find((x) => x.id === id);
    return c ? (i18n.language === 'en' ? c.nameEn : c.nameNl) : t('knowledge.page.noCategory');
  };
  const open = (id: string | undefined) => {
    setEditing(id);
    editor.open();
  };

  const actions = canEdit ? (
    <Group>
      <Button variant="default" onClick={categoryModal.open} data-testid="knowledge-new-category">
        {t('knowledge.page.newCategory')}
      </Button>
      <Button onClick={() => open(undefined)} data-testid="knowledge-new-article">
        {t('knowledge.page.newArticle')}
      </Button>
    </Group>
  ) : undefined;

  return (
    <Stack data-testid="knowledge-page">
      <PageHeader title={t('knowledge.page.title')} description={t('knowledge.page.description')} actions={actions} />
      <Group align="flex-end" wrap="wrap">
        <TextInput
          style={{ flex: 1, minWidth: 240 }}
          label={t('knowledge.page.search')}
          placeholder={t('knowledge.page.searchPlaceholder')}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          type="search"
          data-testid="knowledge-search"
        />
        <Select
          label={t('knowledge.page.category')}
          placeholder={t('knowledge.page.allCategories')}
          data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: i18n.language === 'en' ? c.nameEn : c.nameNl }))}
          value={categoryId}
          onChange={setCategoryId}
          clearable
          data-testid="knowledge-category-filter"
        />
        {canEdit && q && (
          <SegmentedControl
            value={status}
            onChange={(v) => setStatus(v as 'published' | 'all')}
            data={[
              { value: 'published', label: t('knowledge.page.publishedOnly') },
              { value: 'all', label: t('knowledge.page.includeDrafts') },
            ]}
          />
        )}
      </Group>
      <ErrorAlert error={articles.error ?? search.error ?? categories.error} />
      {q ? (
        <SearchResults hits={search.data?.items} loading={search.isPending} onOpen={open} categoryName={categoryName} />
      ) : articles.isPending ? (
        <CenteredLoader />
      ) : (
        <ArticleTable articles={articles.data?.items ?? []} onOpen={open} categoryName={categoryName} />
      )}
      <ArticleEditor articleId={editing} opened={editorOpened} onClose={editor.close} canEdit={canEdit} />
      {canEdit && <CategoryModal opened={categoryOpened} onClose={categoryModal.close} existing={categories.data?.items ?? []} />}
    </Stack>
  );
}

function SearchResults({ hits, loading, onOpen, categoryName }: { hits: KnowledgeHit[] | undefined; loading: boolean; onOpen: (id: string) => void; categoryName: (id: string | null) => string }) {
  const { t } = useTranslation();
  if (loading) return <CenteredLoader />;
  if (!hits || hits.length === 0) return <Text c="dimmed" data-testid="knowledge-no-results">{t('knowledge.page.noResults')}</Text>;
  return (
    <Stack gap="xs" data-testid="knowledge-results">
      {hits.map((hit) => (
        <Paper key={`${hit.articleId}-${hit.language}`} withBorder p="sm" data-testid="knowledge-result">
          <Group justify="space-between" wrap="nowrap">
            <Anchor component="button" type="button" fw={600} onClick={() => onOpen(hit.articleId)}>
              {hit.title}
            </Anchor>
            <Group gap={6}>
              <Badge variant="outline" size="sm">{hit.language}</Badge>
              <StatusBadge status={hit.status} />
            </Group>
          </Group>
          <Text size="xs" c="dimmed">{categoryName(hit.categoryId)}</Text>
          <Snippet parts={hit.snippet} />
        </Paper>
      ))}
    </Stack>
  );
}

function ArticleTable({ articles, onOpen, categoryName }: { articles: KnowledgeArticle[]; onOpen: (id: string) => void; categoryName: (id: string | null) => string }) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  if (articles.length === 0) return <Text c="dimmed" data-testid="knowledge-empty">{t('knowledge.page.empty')}</Text>;
  const title = (a: KnowledgeArticle) => {
    const preferred = i18n.language === 'en' ? a.translations.en ?? a.translations.nl : a.translations.nl ?? a.translations.en;
    return preferred?.title ?? '';
  };
  return (
    <Table striped highlightOnHover data-testid="knowledge-articles">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('knowledge.page.articleTitle')}</Table.Th>
          <Table.Th>{t('knowledge.page.category')}</Table.Th>
          {KNOWLEDGE_LANGUAGES.map((l) => <Table.Th key={l}>{t(`knowledge.language.${l}`)}</Table.Th>)}
          <Table.Th>{t('knowledge.page.updated')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {articles.map((a) => (
          <Table.Tr key={a.id} data-testid="knowledge-article-row">
            <Table.Td>
              <Anchor component="button" type="button" onClick={() => onOpen(a.id)}>
                {title(a)}
              </Anchor>
            </Table.Td>
            <Table.Td>{categoryName(a.categoryId)}</Table.Td>
            {KNOWLEDGE_LANGUAGES.map((l) => (
              <Table.Td key={l}>{a.translations[l] ? <StatusBadge status={a.translations[l]!.status} /> : <Text size="xs" c="dimmed">—</Text>}</Table.Td>
            ))}
            <Table.Td>{formatDate(a.updatedAt)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function CategoryModal({ opened, onClose, existing }: { opened: boolean; onClose: () => void; existing: KnowledgeCategory[] }) {
  const { t } = useTranslation();
  const create = useCreateCategory();
  const [nameNl, setNameNl] = useState('');
  const [nameEn, setNameEn] = useState('');
  const slug = nameNl
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const submit = () =>
    create.mutate(
      { slug, nameNl: nameNl.trim(), nameEn: nameEn.trim() || nameNl.trim(), position: existing.length },
      { onSuccess: () => { setNameNl(''); setNameEn(''); onClose(); } },
    );
  return (
    <Modal opened={opened} onClose={onClose} title={t('knowledge.page.newCategory')}>
      <Stack>
        <TextInput label={t('knowledge.category.nameNl')} value={nameNl} onChange={(e) => setNameNl(e.currentTarget.value)} data-testid="knowledge-category-nl" />
        <TextInput label={t('knowledge.category.nameEn')} value={nameEn} onChange={(e) => setNameEn(e.currentTarget.value)} data-testid="knowledge-category-en" />
        <ErrorAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={submit} disabled={!slug} loading={create.isPending} data-testid="knowledge-category-save">{t('common.create')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
