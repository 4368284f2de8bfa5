// Operations of the knowledge base: each change and its event in one transaction.
import { AppError, conflict, notFound } from '../platform/errors.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import type { Tx } from '../platform/db/client.ts';
import { knowledgeLanguages, type KnowledgeLanguage } from './knowledge.schema.ts';
import { slugify } from './knowledge.ts';
import * as store from './knowledge.store.ts';

/** A 400 that names the field, shaped like the validation errors of the HTTP layer. */
const invalidField = (path: string, message: string) => new AppError(400, 'validation_failed', `Invalid request: ${path} ${message}`, [{ path, message }]);

export interface TranslationInput {
  title: string;
  /** Derived from the title when absent (and made unique with -2, -3…). */
  slug?: string;
  /** Markdown. */
  body: string;
}

export interface ArticleInput {
  categoryId?: string | null;
  tags?: string[];
  /** A language set to null removes that version. */
  translations?: Partial<Record<KnowledgeLanguage, TranslationInput | null>>;
}

type Actor = string | null;

// --- categories -------------------------------------------------------------------------------

export async function createCategory(p: Platform, workspaceId: string, input: store.CategoryInput, actorId: Actor) {
  return inTransaction(p, async (tx) => {
    const row = await store.insertCategory(tx, workspaceId, input, p.clock.now());
    if (!row) throw conflict('slug_taken', `A category with slug "${input.slug}" exists`);
    await appendEvent(tx, { workspaceId, type: 'knowledge.category_created', subjectType: 'knowledge_category', subjectId: row.id, payload: { categoryId: row.id }, actorId });
    return row;
  });
}

export async function updateCategory(p: Platform, workspaceId: string, id: string, patch: Partial<store.CategoryInput>, actorId: Actor) {
  return inTransaction(p, async (tx) => {
    if (!(await store.getCategory(tx, workspaceId, id))) throw notFound('Category');
    if (patch.slug && (await store.categorySlugTaken(tx, workspaceId, patch.slug, id))) throw conflict('slug_taken', `A category with slug "${patch.slug}" exists`);
    const row = (await store.updateCategory(tx, workspaceId, id, patch, p.clock.now()))!;
    await appendEvent(tx, { workspaceId, type: 'knowledge.category_updated', subjectType: 'knowledge_category', subjectId: id, payload: { categoryId: id }, actorId });
    return row;
  });
}

/** Deletes a category; its articles stay, without a category. */
export async function deleteCategory(p: Platform, workspaceId: string, id: string, actorId: Actor): Promise<void> {
  await inTransaction(p, async (tx) => {
    if (!(await store.deleteCategory(tx, workspaceId, id))) throw notFound('Category');
    await appendEvent(tx, { workspaceId, type: 'knowledge.category_deleted', subjectType: 'knowledge_category', subjectId: id, payload: { categoryId: id }, actorId });
  });
}

// --- articles ---------------------------------------------------------------------------------

async function checkCategory(tx: Tx, workspaceId: string, categoryId: string | null | undefined): Promise<void> {
  if (categoryId && !(await store.getCategory(tx, workspaceId, categoryId))) throw invalidField('body/categoryId', 'is not a category of this workspace');
}

async function writeTranslations(tx: Tx, workspaceId: string, articleId: string, translations: ArticleInput['translations'], now: Date): Promise<void> {
  for (const language of knowledgeLanguages) {
    const t = translations?.[language];
    if (t === undefined) continue;
    if (t === null) {
      await store.deleteTranslation(tx, workspaceId, articleId, language);
      continue;
    }
    let slug = t.slug;
    if (slug) {
      if (await store.translationSlugTaken(tx, workspaceId, language, slug, articleId)) throw conflict('slug_taken', `Another ${language} article has the slug "${slug}"`);
    } else {
      const base = slugify(t.title);
      slug = base;
      for (let n = 2; await store.translationSlugTaken(tx, workspaceId, language, slug, articleId); n++) slug = `${base}-${n}`;
    }
    await store.upsertTranslation(tx, workspaceId, articleId, language, { title: t.title.trim(), slug, body: t.body }, now);
  }
}

export async function createArticle(p: Platform, workspaceId: string, input: ArticleInput, actorId: Actor): Promise<store.ArticleWithTranslations> {
  return inTransaction(p, async (tx) => {
    await checkCategory(tx, workspaceId, input.categoryId);
    if (!input.translations?.nl && !input.translations?.en) throw invalidField('body/translations', 'needs a Dutch or an English version');
    const now = p.clock.now();
    const article = await store.insertArticle(tx, workspaceId, { categoryId: input.categoryId ?? null, tags: normalizeTags(input.tags) }, now);
    await writeTranslations(tx, workspaceId, article.id, input.translations, now);
    await appendEvent(tx, { workspaceId, type: 'knowledge.article_created', subjectType: 'knowledge_article', subjectId: article.id, payload: { articleId: article.id }, actorId });
    return (await store.getArticle(tx, workspaceId, article.id))!;
  });
}

export async function updateArticle(p: Platform, workspaceId: string, id: string, input: ArticleInput, actorId: Actor): Promise<store.ArticleWithTranslations> {
  return inTransaction(p, async (tx) => {
    if (!(await store.getArticle(tx, workspaceId, id))) throw notFound('Article');
    await checkCategory(tx, workspaceId, input.categoryId);
    const now = p.clock.now();
    await store.updateArticleRow(tx, workspaceId, id, { categoryId: input.categoryId, tags: input.tags ? normalizeTags(input.tags) : undefined }, now);
    await writeTranslations(tx, workspaceId, id, input.translations, now);
    const article = (await store.getArticle(tx, workspaceId, id))!;
    if (!article.translations.nl && !article.translations.en) throw invalidField('body/translations', 'an article keeps at least one language version');
    await appendEvent(tx, { workspaceId, type: 'knowledge.article_updated', subjectType: 'knowledge_article', subjectId: id, payload: { articleId: id }, actorId });
    return article;
  });
}

export async function deleteArticle(p: Platform, workspaceId: string, id: string, actorId: Actor): Promise<void> {
  await inTransaction(p, async (tx) => {
    if (!(await store.deleteArticle(tx, workspaceId, id))) throw notFound('Article');
    await appendEvent(tx, { workspaceId, type: 'knowledge.article_deleted', subjectType: 'knowledge_article', subjectId: id, payload: { articleId: id }, actorId });
  });
}

/** Publishes (or takes back to draft) one language version of an article. */
export async function setPublished(p: Platform, workspaceId: string, id: string, language: KnowledgeLanguage, published: boolean, actorId: Actor) {
  return inTransaction(p, async (tx) => {
    const article = await store.getArticle(tx, workspaceId, id);
    if (!article) throw notFound('Article');
    const translation = article.translations[language];
    if (!translation) throw invalidField('body/language', `the article has no ${language} version`);
    const status = published ? 'published' : 'draft';
    if (translation.status !== status) {
      await store.setTranslationStatus(tx, workspaceId, id, language, status, p.clock.now());
      await appendEvent(tx, {
        workspaceId,
        type: published ? 'knowledge.article_published' : 'knowledge.article_unpublished',
        subjectType: 'knowledge_article',
        subjectId: id,
        payload: { articleId: id, language },
        actorId,
      });
    }
    return (await store.getArticle(tx, workspaceId, id))!;
  });
}

function normalizeTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))];
}
