// SQL of the knowledge base. Every function takes the workspace id and filters by it.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx, type Tx } from '../platform/db/client.ts';
import { HIT_END, HIT_START, orQuerySource, queryWords, searchConfig } from './knowledge.ts';
import {
  knowledgeArticles,
  knowledgeCategories,
  knowledgeTranslations,
  type KnowledgeLanguage,
  type TranslationStatus,
} from './knowledge.schema.ts';

export type CategoryRow = typeof knowledgeCategories.$inferSelect;
export type ArticleRow = typeof knowledgeArticles.$inferSelect;
export type TranslationRow = Omit<typeof knowledgeTranslations.$inferSelect, 'search'>;
export interface ArticleWithTranslations extends ArticleRow {
  translations: Partial<Record<KnowledgeLanguage, TranslationRow>>;
}

/** The translation columns, without the tsvector (never read into JavaScript). */
const translationColumns = {
  workspaceId: knowledgeTranslations.workspaceId,
  articleId: knowledgeTranslations.articleId,
  language: knowledgeTranslations.language,
  title: knowledgeTranslations.title,
  slug: knowledgeTranslations.slug,
  body: knowledgeTranslations.body,
  status: knowledgeTranslations.status,
  publishedAt: knowledgeTranslations.publishedAt,
  updatedAt: knowledgeTranslations.updatedAt,
};

// --- categories -------------------------------------------------------------------------------

export async function listCategories(db: DbOrTx, workspaceId: string): Promise<CategoryRow[]> {
  return db.select().from(knowledgeCategories).where(eq(knowledgeCategories.workspaceId, workspaceId)).orderBy(asc(knowledgeCategories.position), asc(knowledgeCategories.slug));
}

export async function getCategory(db: DbOrTx, workspaceId: string, id: string): Promise<CategoryRow | undefined> {
  const [row] = await db.select().from(knowledgeCategories).where(and(eq(knowledgeCategories.workspaceId, workspaceId), eq(knowledgeCategories.id, id)));
  return row;
}

export interface CategoryInput {
  slug: string;
  nameNl: string;
  nameEn: string;
  position: number;
}

/** Undefined when the slug is taken in the workspace. */
export async function insertCategory(tx: Tx, workspaceId: string, input: CategoryInput, now: Date): Promise<CategoryRow | undefined> {
  const [row] = await tx
    .insert(knowledgeCategories)
    .values({ id: randomUUID(), workspaceId, ...input, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function categorySlugTaken(db: DbOrTx, workspaceId: string, slug: string, exceptId?: string): Promise<boolean> {
  const rows = await db.select({ id: knowledgeCategories.id }).from(knowledgeCategories).where(and(eq(knowledgeCategories.workspaceId, workspaceId), eq(knowledgeCategories.slug, slug)));
  return rows.some((r) => r.id !== exceptId);
}

export async function updateCategory(tx: Tx, workspaceId: string, id: string, patch: Partial<CategoryInput>, now: Date): Promise<CategoryRow | undefined> {
  const [row] = await tx
    .update(knowledgeCategories)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(knowledgeCategories.workspaceId, workspaceId), eq(knowledgeCategories.id, id)))
    .returning();
  return row;
}

export async function deleteCategory(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(knowledgeCategories).where(and(eq(knowledgeCategories.workspaceId, workspaceId), eq(knowledgeCategories.id, id))).returning({ id: knowledgeCategories.id });
  return rows.length > 0;
}

// --- articles ---------------------------------------------------------------------------------

async function withTranslations(db: DbOrTx, workspaceId: string, articles: ArticleRow[]): Promise<ArticleWithTranslations[]> {
  if (articles.length === 0) return [];
  const rows = await db
    .select(translationColumns)
    .from(knowledgeTranslations)
    .where(and(eq(knowledgeTranslations.workspaceId, workspaceId), inArray(knowledgeTranslations.articleId, articles.map((a) => a.id))));
  const byArticle = new Map<string, Partial<Record<KnowledgeLanguage, TranslationRow>>>();
  for (const r of rows) byArticle.set(r.articleId, { ...byArticle.get(r.articleId), [r.language]: r });
  return articles.map((a) => ({ ...a, translations: byArticle.get(a.id) ?? {} }));
}

export async function getArticle(db: DbOrTx, workspaceId: string, id: string): Promise<ArticleWithTranslations | undefined> {
  const [row] = await db.select().from(knowledgeArticles).where(and(eq(knowledgeArticles.workspaceId, workspaceId), eq(knowledgeArticles.id, id)));
  if (!row) return undefined;
  return (await withTranslations(db, workspaceId, [row]))[0];
}

export interface ArticleFilter {
  categoryId?: string;
  /** Articles with at least one translation in this status (in `language`, when given). */
  status?: TranslationStatus;
  language?: KnowledgeLanguage;
  tag?: string;
  limit: number;
  offset: number;
}

/** Articles, most recently updated first. */
export async function listArticles(db: DbOrTx, workspaceId: string, filter: ArticleFilter): Promise<{ items: ArticleWithTranslations[]; total: number }> {
  const where: SQL[] = [eq(knowledgeArticles.workspaceId, workspaceId)];
  if (filter.categoryId) where.push(eq(knowledgeArticles.categoryId, filter.categoryId));
  if (filter.tag) where.push(sql`${filter.tag} = any(${knowledgeArticles.tags})`);
  if (filter.status || filter.language) {
    where.push(sql`exists (select 1 from knowledge_translations t where t.article_id = ${knowledgeArticles.id} and t.workspace_id = ${workspaceId}
      ${filter.status ? sql`and t.status = ${filter.status}` : sql``} ${filter.language ? sql`and t.language = ${filter.language}` : sql``})`);
  }
  const condition = and(...where);
  const [rows, [counted]] = await Promise.all([
    db.select().from(knowledgeArticles).where(condition).orderBy(desc(knowledgeArticles.updatedAt), asc(knowledgeArticles.id)).limit(filter.limit).offset(filter.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(knowledgeArticles).where(condition),
  ]);
  return { items: await withTranslations(db, workspaceId, rows), total: Number(counted?.n ?? 0) };
}

export async function insertArticle(tx: Tx, workspaceId: string, input: { categoryId: string | null; tags: string[] }, now: Date): Promise<ArticleRow> {
  const [row] = await tx.insert(knowledgeArticles).values({ id: randomUUID(), workspaceId, ...input, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function updateArticleRow(tx: Tx, workspaceId: string, id: string, patch: Partial<{ categoryId: string | null; tags: string[] }>, now: Date): Promise<void> {
  await tx.update(knowledgeArticles).set({ ...patch, updatedAt: now }).where(and(eq(knowledgeArticles.workspaceId, workspaceId), eq(knowledgeArticles.id, id)));
}

export async function deleteArticle(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(knowledgeArticles).where(and(eq(knowledgeArticles.workspaceId, workspaceId), eq(knowledgeArticles.id, id))).returning({ id: knowledgeArticles.id });
  return rows.length > 0;
}

export async function translationSlugTaken(db: DbOrTx, workspaceId: string, language: KnowledgeLanguage, slug: string, exceptArticleId?: string): Promise<boolean> {
  const rows = await db
    .select({ articleId: knowledgeTranslations.articleId })
    .from(knowledgeTranslations)
    .where(and(eq(knowledgeTranslations.workspaceId, workspaceId), eq(knowledgeTranslations.language, language), eq(knowledgeTranslations.slug, slug)));
  return rows.some((r) => r.articleId !== exceptArticleId);
}

/** Creates or replaces the text of one language version; a new one starts as a draft, an existing one keeps its status. */
export async function upsertTranslation(
  tx: Tx,
  workspaceId: string,
  articleId: string,
  language: KnowledgeLanguage,
  input: { title: string; slug: string; body: string },
  now: Date,
): Promise<void> {
  await tx
    .insert(knowledgeTranslations)
    .values({ workspaceId, articleId, language, ...input, status: 'draft', updatedAt: now })
    .onConflictDoUpdate({ target: [knowledgeTranslations.articleId, knowledgeTranslations.language], set: { ...input, updatedAt: now } });
}

export async function deleteTranslation(tx: Tx, workspaceId: string, articleId: string, language: KnowledgeLanguage): Promise<void> {
  await tx
    .delete(knowledgeTranslations)
    .where(and(eq(knowledgeTranslations.workspaceId, workspaceId), eq(knowledgeTranslations.articleId, articleId), eq(knowledgeTranslations.language, language)));
}

export async function setTranslationStatus(tx: Tx, workspaceId: string, articleId: string, language: KnowledgeLanguage, status: TranslationStatus, now: Date): Promise<boolean> {
  const rows = await tx
    .update(knowledgeTranslations)
    .set(status === 'published' ? { status, publishedAt: now } : { status })
    .where(and(eq(knowledgeTranslations.workspaceId, workspaceId), eq(knowledgeTranslations.articleId, articleId), eq(knowledgeTranslations.language, language)))
    .returning({ articleId: knowledgeTranslations.articleId });
  return rows.length > 0;
}

// --- search -----------------------------------------------------------------------------------

export interface SearchOptions {
  text: string;
  /** `all`: web-search syntax, every word must match (a search box). `any`: any word may match (a question, a draft). */
  mode: 'all' | 'any';
  languages: readonly KnowledgeLanguage[];
  publishedOnly: boolean;
  categoryId?: string;
  /** Only articles with at least one of these tags. */
  tags?: string[];
  limit: number;
}

export interface SearchHit {
  articleId: string;
  categoryId: string | null;
  language: KnowledgeLanguage;
  title: string;
  slug: string;
  status: TranslationStatus;
  body: string;
  updatedAt: Date;
  /** ts_rank_cd with normalization 32 (rank / (rank + 1)), in [0, 1). */
  rank: number;
  /** ts_headline of the body, matches between HIT_START and HIT_END. */
  headline: string;
  /** Query lexemes in the translation / in its title / in the query. */
  matched: number;
  titleMatched: number;
  total: number;
}

// Markdown marks are taken out of the body before ts_headline so that snippets read as text.
const LINK_PATTERN = '!?\\[([^]]*)\\]\\([^)]*\\)';
const MARK_PATTERN = '(^|\\n)\\s*(#{1,6}|>|[-*+]|[0-9]+[.)])\\s+|[*_`]+';

/**
 * Full-text search over translations, each in its own language's configuration (stemming and stop
 * words of Dutch or English), ranked by ts_rank_cd, with a highlighted snippet.
 */
export async function searchTranslations(db: DbOrTx, workspaceId: string, o: SearchOptions): Promise<SearchHit[]> {
  const words = queryWords(o.text);
  if (words.length === 0 || o.languages.length === 0) return [];
  const source = o.mode === 'all' ? o.text.slice(0, 500) : orQuerySource(words);
  const lexemeText = o.mode === 'all' ? o.text.slice(0, 500) : words.join(' ');
  const queries = sql.join(
    o.languages.map((language) => {
      const cfg = searchConfig[language];
      const query = o.mode === 'all' ? sql`websearch_to_tsquery(${cfg}::regconfig, ${source})` : sql`to_tsquery(${cfg}::regconfig, ${source})`;
      return sql`(${language}::text, ${cfg}::regconfig, ${query}, tsvector_to_array(to_tsvector(${cfg}::regconfig, ${lexemeText})))`;
    }),
    sql`, `,
  );
  const tags = o.tags?.length ? sql`and a.tags && array[${sql.join(o.tags.map((t) => sql`${t}`), sql`, `)}]::text[]` : sql``;
  // A question (any word) ranks first by how telling the terms it holds are: each matched term
  // weighs its inverse document frequency (a word in every article, like "bestelling" in a shop's
  // help centre, says little; "retourneren" says much), doubled when it is in the title.
  const order = o.mode === 'any' ? sql`weight desc, rank desc,` : sql`rank desc,`;
  const published = o.publishedOnly ? sql`and d.status = 'published'` : sql``;
  // Document frequencies only for questions; the search box orders by rank alone.
  const weighting =
    o.mode === 'any'
      ? sql`docs as (
          select d.language, count(*)::float8 as n from knowledge_translations d
          where d.workspace_id = ${workspaceId} ${published} group by d.language
        ),
        idf as (
          select q.language, l as lexeme,
                 ln((coalesce(max(docs.n), 0) + 1) / (count(d.article_id)::float8 + 0.5)) as idf
          from q cross join unnest(q.lexemes) l
          left join docs on docs.language = q.language
          left join knowledge_translations d on d.workspace_id = ${workspaceId} and d.language = q.language ${published}
            and l = any(tsvector_to_array(d.search))
          group by q.language, l
        ),`
      : sql``;
  const weight =
    o.mode === 'any'
      ? sql`(select coalesce(sum(i.idf * case when i.lexeme = any(tsvector_to_array(to_tsvector(q.cfg, t.title))) then 2 else 1 end), 0)
                    from idf i where i.language = t.language and i.lexeme = any(tsvector_to_array(t.search)))`
      : sql`0::float8`;
  const options = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
  const rows = await queryRows<{
    article_id: string;
    category_id: string | null;
    language: KnowledgeLanguage;
    title: string;
    slug: string;
    status: TranslationStatus;
    body: string;
    updated_at: Date | string;
    rank: number;
    headline: string;
    matched: number;
    title_matched: number;
    total: number;
  }>(
    db,
    sql`with q(language, cfg, query, lexemes) as (values ${queries}),
        ${weighting}
        hits as (
          select t.article_id, a.category_id, t.language, t.title, t.slug, t.status, t.body, t.updated_at, t.search,
                 q.cfg, q.query, q.lexemes, ts_rank_cd(t.search, q.query, 32) as rank,
                 (select count(*)::int from unnest(q.lexemes) l where l = any(tsvector_to_array(t.search))) as matched,
                 ${weight} as weight
          from knowledge_translations t
          join q on q.language = t.language
          join knowledge_articles a on a.id = t.article_id and a.workspace_id = t.workspace_id
          where t.workspace_id = ${workspaceId} and t.search @@ q.query
            ${o.publishedOnly ? sql`and t.status = 'published'` : sql``}
            ${o.categoryId ? sql`and a.category_id = ${o.categoryId}` : sql``}
            ${tags}
          order by ${order} t.updated_at desc, t.article_id
          limit ${o.limit}
        )
        select article_id, category_id, language, title, slug, status, body, updated_at, rank, weight,
               ts_headline(cfg, regexp_replace(regexp_replace(body, ${LINK_PATTERN}, '\\1', 'g'), ${MARK_PATTERN}, ' ', 'g'), query, ${options}) as headline,
               matched,
               (select count(*)::int from unnest(lexemes) l where l = any(tsvector_to_array(to_tsvector(cfg, title)))) as title_matched,
               coalesce(cardinality(lexemes), 0) as total
        from hits
        order by ${order} updated_at desc, article_id`,
  );
  return rows.map((r) => ({
    articleId: r.article_id,
    categoryId: r.category_id,
    language: r.language,
    title: r.title,
    slug: r.slug,
    status: r.status,
    body: r.body,
    updatedAt: new Date(r.updated_at),
    rank: Number(r.rank),
    headline: r.headline,
    matched: Number(r.matched),
    titleMatched: Number(r.title_matched),
    total: Number(r.total),
  }));
}

// --- public help centre -----------------------------------------------------------------------

export interface PublishedSummary {
  articleId: string;
  categoryId: string | null;
  title: string;
  slug: string;
  body: string;
  views: number;
  publishedAt: Date | null;
  updatedAt: Date;
}

/** Every published translation in one language, with its article's category and views. */
export async function listPublished(db: DbOrTx, workspaceId: string, language: KnowledgeLanguage): Promise<PublishedSummary[]> {
  return db
    .select({
      articleId: knowledgeTranslations.articleId,
      categoryId: knowledgeArticles.categoryId,
      title: knowledgeTranslations.title,
      slug: knowledgeTranslations.slug,
      body: knowledgeTranslations.body,
      views: knowledgeArticles.views,
      publishedAt: knowledgeTranslations.publishedAt,
      updatedAt: knowledgeTranslations.updatedAt,
    })
    .from(knowledgeTranslations)
    .innerJoin(knowledgeArticles, and(eq(knowledgeArticles.id, knowledgeTranslations.articleId), eq(knowledgeArticles.workspaceId, knowledgeTranslations.workspaceId)))
    .where(and(eq(knowledgeTranslations.workspaceId, workspaceId), eq(knowledgeTranslations.language, language), eq(knowledgeTranslations.status, 'published')))
    .orderBy(asc(knowledgeTranslations.title));
}

/** A published translation by its public slug, and the slugs of the article's other published versions. */
export async function getPublishedBySlug(
  db: DbOrTx,
  workspaceId: string,
  language: KnowledgeLanguage,
  slug: string,
): Promise<{ translation: TranslationRow; categoryId: string | null; others: Array<{ language: KnowledgeLanguage; slug: string }> } | undefined> {
  const [row] = await db
    .select({ ...translationColumns, categoryId: knowledgeArticles.categoryId })
    .from(knowledgeTranslations)
    .innerJoin(knowledgeArticles, and(eq(knowledgeArticles.id, knowledgeTranslations.articleId), eq(knowledgeArticles.workspaceId, knowledgeTranslations.workspaceId)))
    .where(
      and(
        eq(knowledgeTranslations.workspaceId, workspaceId),
        eq(knowledgeTranslations.language, language),
        eq(knowledgeTranslations.slug, slug),
        eq(knowledgeTranslations.status, 'published'),
      ),
    );
  if (!row) return undefined;
  const { categoryId, ...translation } = row;
  const others = await db
    .select({ language: knowledgeTranslations.language, slug: knowledgeTranslations.slug })
    .from(knowledgeTranslations)
    .where(and(eq(knowledgeTranslations.workspaceId, workspaceId), eq(knowledgeTranslations.articleId, row.articleId), eq(knowledgeTranslations.status, 'published')));
  return { translation, categoryId, others: others.filter((o) => o.language !== language) };
}

export async function countView(db: DbOrTx, workspaceId: string, articleId: string): Promise<void> {
  await db
    .update(knowledgeArticles)
    .set({ views: sql`${knowledgeArticles.views} + 1` })
    .where(and(eq(knowledgeArticles.workspaceId, workspaceId), eq(knowledgeArticles.id, articleId)));
}
