import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';

export const knowledgeLanguages = ['nl', 'en'] as const;
export type KnowledgeLanguage = (typeof knowledgeLanguages)[number];
export const translationStatuses = ['draft', 'published'] as const;
export type TranslationStatus = (typeof translationStatuses)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** PostgreSQL's `tsvector`; only read by SQL (search), never mapped to a JavaScript value. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** A group of articles in the help centre ("Bezorging", "Retourneren"), named in both languages. */
export const knowledgeCategories = pgTable(
  'knowledge_categories',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    nameNl: text('name_nl').notNull(),
    nameEn: text('name_en').notNull(),
    /** Order on the help centre's front page, lowest first. */
    position: integer('position').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('knowledge_categories_slug').on(t.workspaceId, t.slug)],
);

/** One article: what its language versions share (category, tags, how often it was read). */
export const knowledgeArticles = pgTable(
  'knowledge_articles',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id').references(() => knowledgeCategories.id, { onDelete: 'set null' }),
    /** Free labels a bot node may filter on ("bezorging", "retour"). */
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** Public help-centre views, for "popular articles". */
    views: integer('views').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('knowledge_articles_category').on(t.workspaceId, t.categoryId)],
);

/**
 * One language version of an article (nl or en), drafted and published on its own. `search` is a
 * stored generated tsvector in the translation's own text-search configuration (dutch for nl,
 * english for en), title weighted A and body B, so stemming follows the article's language.
 */
export const knowledgeTranslations = pgTable(
  'knowledge_translations',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    articleId: uuid('article_id').notNull().references(() => knowledgeArticles.id, { onDelete: 'cascade' }),
    language: text('language', { enum: knowledgeLanguages }).notNull(),
    title: text('title').notNull(),
    /** Unique per workspace and language: the public URL is /help/<workspace>/<language>/<slug>. */
    slug: text('slug').notNull(),
    /** Markdown. */
    body: text('body').notNull(),
    status: text('status', { enum: translationStatuses }).notNull().default('draft'),
    publishedAt: ts('published_at'),
    updatedAt: ts('updated_at').notNull(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector(case when language = 'nl' then 'dutch'::regconfig else 'english'::regconfig end, coalesce(title, '')), 'A') || setweight(to_tsvector(case when language = 'nl' then 'dutch'::regconfig else 'english'::regconfig end, coalesce(body, '')), 'B')`,
      ),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.language] }),
    uniqueIndex('knowledge_translations_slug').on(t.workspaceId, t.language, t.slug),
    index('knowledge_translations_status').on(t.workspaceId, t.status, t.language),
    index('knowledge_translations_search').using('gin', t.search),
  ],
);
