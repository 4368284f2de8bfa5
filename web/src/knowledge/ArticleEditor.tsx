import { Alert, Badge, Button, Group, Modal, Select, SimpleGrid, Stack, Switch, Tabs, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/ErrorAlert';
import { useKnowledgeArticle, useKnowledgeCategories, useSaveArticle, useSetPublished } from './api';
import { Markdown } from './Markdown';
import { KNOWLEDGE_LANGUAGES, type ArticleInput, type KnowledgeArticle, type KnowledgeLanguage } from './types';

interface Draft {
  title: string;
  slug: string;
  body: string;
}
const emptyDraft: Draft = { title: '', slug: '', body: '' };

interface ArticleEditorProps {
  /** The article to edit; undefined for a new one. */
  articleId: string | undefined;
  opened: boolean;
  onClose: () => void;
  /** Read-only for agents. */
  canEdit: boolean;
}

/** Edits an article's Dutch and English versions (tabs), saves drafts, publishes per language, previews Markdown. */
export function ArticleEditor({ articleId, opened, onClose, canEdit }: ArticleEditorProps) {
  const { t, i18n } = useTranslation();
  const [id, setId] = useState(articleId);
  const article = useKnowledgeArticle(id);
  const categories = useKnowledgeCategories();
  const save = useSaveArticle();
  const setPublished = useSetPublished();
  const [tab, setTab] = useState<KnowledgeLanguage>('nl');
  const [preview, setPreview] = useState(false);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [drafts, setDrafts] = useState<Record<KnowledgeLanguage, Draft>>({ nl: emptyDraft, en: emptyDraft });

  useEffect(() => {
    setId(articleId);
    setTab('nl');
    setPreview(false);
    save.reset();
    setPublished.reset();
    if (!articleId) {
      setCategoryId(null);
      setTags([]);
      setDrafts({ nl: emptyDraft, en: emptyDraft });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [articleId, opened]);

  const loaded = article.data;
  useEffect(() => {
    if (!loaded) return;
    setCategoryId(loaded.categoryId);
    setTags(loaded.tags);
    const of = (l: KnowledgeLanguage): Draft => {
      const tr = loaded.translations[l];
      return tr ? { title: tr.title, slug: tr.slug, body: tr.body ?? '' } : emptyDraft;
    };
    setDrafts({ nl: of('nl'), en: of('en') });
  }, [loaded]);

  const setDraft = (language: KnowledgeLanguage, patch: Partial<Draft>) => setDrafts((d) => ({ ...d, [language]: { ...d[language], ...patch } }));

  const input = (): ArticleInput => {
    const translations: ArticleInput['translations'] = {};
    for (const l of KNOWLEDGE_LANGUAGES) {
      const d = drafts[l];
      if (d.title.trim()) translations[l] = { title: d.title.trim(), body: d.body, ...(d.slug.trim() ? { slug: d.slug.trim() } : {}) };
    }
    return { categoryId, tags, translations };
  };

  const saveArticle = async (): Promise<KnowledgeArticle> => {
    const saved = await save.mutateAsync({ id, input: input() });
    setId(saved.id);
    return saved;
  };

  const publish = async (published: boolean) => {
    const saved = published ? await saveArticle() : loaded!;
    await setPublished.mutateAsync({ id: saved.id, language: tab, published });
  };

  const current = loaded?.translations[tab] ?? null;
  const categoryName = (c: { nameNl: string; nameEn: string }) => (i18n.language === 'en' ? c.nameEn : c.nameNl);
  const busy = save.isPending || setPublished.isPending;

  return (
    <Modal opened={opened} onClose={onClose} size="xl" title={id ? t('knowledge.editor.editTitle') : t('knowledge.editor.newTitle')} data-testid="knowledge-editor">
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('knowledge.editor.category')}
            placeholder={t('knowledge.editor.noCategory')}
            data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: categoryName(c) }))}
            value={categoryId}
            onChange={setCategoryId}
            clearable
            disabled={!canEdit}
            data-testid="knowledge-editor-category"
          />
          <TagsInput label={t('knowledge.editor.tags')} value={tags} onChange={setTags} disabled={!canEdit} data-testid="knowledge-editor-tags" />
        </SimpleGrid>
        <Tabs value={tab} onChange={(v) => v && setTab(v as KnowledgeLanguage)}>
          <Tabs.List>
            {KNOWLEDGE_LANGUAGES.map((l) => (
              <Tabs.Tab key={l} value={l} data-testid={`knowledge-editor-tab-${l}`} rightSection={<StatusBadge status={loaded?.translations[l]?.status} />}>
                {t(`knowledge.language.${l}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('knowledge.editor.title')}
            value={drafts[tab].title}
            onChange={(e) => setDraft(tab, { title: e.currentTarget.value })}
            readOnly={!canEdit}
            data-testid="knowledge-editor-title"
          />
          <TextInput
            label={t('knowledge.editor.slug')}
            description={t('knowledge.editor.slugHint')}
            value={drafts[tab].slug}
            onChange={(e) => setDraft(tab, { slug: e.currentTarget.value })}
            readOnly={!canEdit}
            data-testid="knowledge-editor-slug"
          />
        </SimpleGrid>
        <Switch label={t('knowledge.editor.preview')} checked={preview} onChange={(e) => setPreview(e.currentTarget.checked)} data-testid="knowledge-editor-preview" />
        {preview ? (
          <Markdown source={drafts[tab].body} />
        ) : (
          <Textarea
            label={t('knowledge.editor.body')}
            description={t('knowledge.editor.bodyHint')}
            value={drafts[tab].body}
            onChange={(e) => setDraft(tab, { body: e.currentTarget.value })}
            autosize
            minRows={10}
            maxRows={24}
            readOnly={!canEdit}
            data-testid="knowledge-editor-body"
          />
        )}
        {current?.status === 'published' && (
          <Text size="sm">
            {t('knowledge.editor.publicAt')}{' '}
            <a href={current.url} target="_blank" rel="noopener noreferrer" data-testid="knowledge-editor-public-link">
              {current.url}
            </a>
          </Text>
        )}
        <ErrorAlert error={save.error ?? setPublished.error} testId="knowledge-editor-error" />
        {save.isSuccess && !busy && !setPublished.isSuccess && (
          <Alert color="green" variant="light" data-testid="knowledge-editor-saved">{t('knowledge.editor.saved')}</Alert>
        )}
        {canEdit && (
          <Group justify="flex-end">
            <Button variant="default" onClick={() => void saveArticle().catch(() => undefined)} loading={save.isPending} disabled={busy} data-testid="knowledge-editor-save">
              {t('knowledge.editor.saveDraft')}
            </Button>
            {current?.status === 'published' ? (
              <Button color="orange" variant="light" onClick={() => void publish(false).catch(() => undefined)} disabled={busy} data-testid="knowledge-editor-unpublish">
                {t('knowledge.editor.unpublish', { language: t(`knowledge.language.${tab}`) })}
              </Button>
            ) : null}
            <Button onClick={() => void publish(true).catch(() => undefined)} loading={setPublished.isPending} disabled={busy || !drafts[tab].title.trim()} data-testid="knowledge-editor-publish">
              {current?.status === 'published' ? t('knowledge.editor.saveLive') : t('knowledge.editor.publish', { language: t(`knowledge.language.${tab}`) })}
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}

export function StatusBadge({ status }: { status: 'draft' | 'published' | undefined }) {
  const { t } = useTranslation();
  if (!status) return null;
  return (
    <Badge size="xs" variant="light" color={status === 'published' ? 'green' : 'gray'}>
      {t(`knowledge.status.${status}`)}
    </Badge>
  );
}
