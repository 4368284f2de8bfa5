import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { getWorkspace } from '../platform/auth/auth.store.ts';
import { notFound } from '../platform/errors.ts';
import { errorBody, errorResponses, idParam, iso } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { knowledgeLanguages, translationStatuses } from './knowledge.schema.ts';
import { SLUG_PATTERN } from './knowledge.ts';
import * as service from './knowledge.service.ts';
import { searchKnowledge, suggestArticles } from './search.service.ts';
import type { ArticleWithTranslations, CategoryRow, TranslationRow } from './knowledge.store.ts';
import * as store from './knowledge.store.ts';

const language = z.enum(knowledgeLanguages);
const slug = z.string().max(120).regex(SLUG_PATTERN, { message: 'must be lower-case letters, digits and single hyphens' });

const categoryBody = z.object({ id: z.string(), slug: z.string(), nameNl: z.string(), nameEn: z.string(), position: z.number().int(), createdAt: z.string(), updatedAt: z.string() });
const categoryInput = z.object({
  slug,
  nameNl: z.string().trim().min(1).max(120),
  nameEn: z.string().trim().min(1).max(120),
  position: z.number().int().min(0).max(10_000).default(0),
});

const translationBody = z.object({
  language,
  title: z.string(),
  slug: z.string(),
  /** Markdown; absent in lists. */
  body: z.string().optional(),
  status: z.enum(translationStatuses),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  /** Public help-centre address (meaningful once published). */
  url: z.string(),
});
const articleBody = z.object({
  id: z.string(),
  categoryId: z.string().nullable(),
  tags: z.array(z.string()),
  views: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  translations: z.object({ nl: translationBody.nullable(), en: translationBody.nullable() }),
});
const translationInput = z.object({
  title: z.string().trim().min(1).max(200),
  /** Derived from the title when absent. */
  slug: slug.optional(),
  body: z.string().max(100_000),
});
const articleInput = z.object({
  categoryId: z.uuid({ message: 'must be a UUID' }).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  /** A language set to null removes that version (PATCH only). */
  translations: z.object({ nl: translationInput.nullable().optional(), en: translationInput.nullable().optional() }).optional(),
});

const snippetPart = z.object({ text: z.string(), hit: z.boolean() });
const hitBody = z.object({
  articleId: z.string(),
  categoryId: z.string().nullable(),
  language,
  title: z.string(),
  slug: z.string(),
  status: z.enum(translationStatuses),
  /** ts_rank_cd, normalized to [0, 1). */
  rank: z.number(),
  /** The matching passage, as text parts; `hit` marks a matched word (ts_headline). */
  snippet: z.array(snippetPart),
  url: z.string(),
  updatedAt: z.string(),
});

export const presentCategory = (c: CategoryRow) => ({ id: c.id, slug: c.slug, nameNl: c.nameNl, nameEn: c.nameEn, position: c.position, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() });

/** The public help-centre address of a translation. */
export const helpUrl = (publicUrl: string, workspaceSlug: string, lang: string, articleSlug: string) =>
  `${publicUrl}/help/${encodeURIComponent(workspaceSlug)}/${lang}/${encodeURIComponent(articleSlug)}`;

function presentArticle(a: ArticleWithTranslations, urlOf: (lang: string, slug: string) => string, withBody: boolean) {
  const t = (row: TranslationRow | undefined) =>
    row
      ? {
          language: row.language,
          title: row.title,
          slug: row.slug,
          ...(withBody ? { body: row.body } : {}),
          status: row.status,
          publishedAt: iso(row.publishedAt),
          updatedAt: row.updatedAt.toISOString(),
          url: urlOf(row.language, row.slug),
        }
      : null;
  return {
    id: a.id,
    categoryId: a.categoryId,
    tags: a.tags,
    views: a.views,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    translations: { nl: t(a.translations.nl), en: t(a.translations.en) },
  };
}

export function knowledgeRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge'];
  const urlMaker = async (workspaceId: string) => {
    const ws = await getWorkspace(p.db, workspaceId);
    return (lang: string, articleSlug: string) => helpUrl(p.config.publicUrl, ws?.slug ?? '', lang, articleSlug);
  };
  const actor = (request: Parameters<typeof principalOf>[0]) => principalOf(request).actorId;

  // --- categories ---
  r.get('/api/knowledge/categories', {
    config: { access: 'agent' },
    schema: { tags, summary: 'Categories, in their order', response: { 200: z.object({ items: z.array(categoryBody) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listCategories(p.db, principalOf(request).workspaceId)).map(presentCategory) }));

  r.post('/api/knowledge/categories', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Creates a category', body: categoryInput, response: { 201: categoryBody, 409: errorBody, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(presentCategory(await service.createCategory(p, principalOf(request).workspaceId, request.body, actor(request)))));

  r.patch('/api/knowledge/categories/:id', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Changes a category', params: idParam, body: categoryInput.partial(), response: { 200: categoryBody, 409: errorBody, ...errorResponses } },
  }, async (request) => presentCategory(await service.updateCategory(p, principalOf(request).workspaceId, request.params.id, request.body, actor(request))));

  r.delete('/api/knowledge/categories/:id', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Deletes a category; its articles stay, uncategorized', params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await service.deleteCategory(p, principalOf(request).workspaceId, request.params.id, actor(request));
    return reply.code(204).send(null);
  });

  // --- articles ---
  r.get('/api/knowledge/articles', {
    config: { access: 'agent' },
    schema: {
      tags,
      summary: 'Articles, most recently changed first (translations without their bodies)',
      querystring: z.object({
        categoryId: z.uuid({ message: 'must be a UUID' }).optional(),
        status: z.enum(translationStatuses).optional(),
        language: language.optional(),
        tag: z.string().max(40).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.object({ items: z.array(articleBody), total: z.number().int() }), ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const [{ items, total }, urlOf] = await Promise.all([store.listArticles(p.db, workspaceId, request.query), urlMaker(workspaceId)]);
    return { items: items.map((a) => presentArticle(a, urlOf, false)), total };
  });

  r.post('/api/knowledge/articles', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Creates an article with its Dutch and/or English version (drafts)', body: articleInput, response: { 201: articleBody, 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    const { workspaceId } = principalOf(request);
    const article = await service.createArticle(p, workspaceId, request.body as service.ArticleInput, actor(request));
    return reply.code(201).send(presentArticle(article, await urlMaker(workspaceId), true));
  });

  r.get('/api/knowledge/articles/:id', {
    config: { access: 'agent' },
    schema: { tags, summary: 'An article with both versions', params: idParam, response: { 200: articleBody, ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const article = await store.getArticle(p.db, workspaceId, request.params.id);
    if (!article) throw notFound('Article');
    return presentArticle(article, await urlMaker(workspaceId), true);
  });

  r.patch('/api/knowledge/articles/:id', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Changes an article; a given version replaces that version\'s text and keeps its status', params: idParam, body: articleInput, response: { 200: articleBody, 409: errorBody, ...errorResponses } },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const article = await service.updateArticle(p, workspaceId, request.params.id, request.body as service.ArticleInput, actor(request));
    return presentArticle(article, await urlMaker(workspaceId), true);
  });

  r.delete('/api/knowledge/articles/:id', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Deletes an article and both versions', params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await service.deleteArticle(p, principalOf(request).workspaceId, request.params.id, actor(request));
    return reply.code(204).send(null);
  });

  for (const action of ['publish', 'unpublish'] as const) {
    r.post(`/api/knowledge/articles/:id/${action}`, {
      config: { access: 'supervisor' },
      schema: {
        tags,
        summary: action === 'publish' ? 'Publishes one language version' : 'Takes one language version back to draft',
        params: idParam,
        body: z.object({ language }),
        response: { 200: articleBody, ...errorResponses },
      },
    }, async (request) => {
      const { workspaceId } = principalOf(request);
      const article = await service.setPublished(p, workspaceId, request.params.id, request.body.language, action === 'publish', actor(request));
      return presentArticle(article, await urlMaker(workspaceId), true);
    });
  }

  // --- search and suggestions ---
  r.get('/api/knowledge/search', {
    config: { access: 'agent' },
    schema: {
      tags,
      summary: "Full-text search, each version stemmed in its own language (dutch/english), ranked by ts_rank_cd; every word must match, and when nothing does, any word may",
      querystring: z.object({
        q: z.string().trim().min(1).max(500),
        language: language.optional(),
        status: z.enum(['published', 'all']).default('published'),
        categoryId: z.uuid({ message: 'must be a UUID' }).optional(),
        limit: z.coerce.number().int().min(1).max(50).default(20),
      }),
      response: { 200: z.object({ items: z.array(hitBody), mode: z.enum(['all', 'any']), tookMs: z.number() }), ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const q = request.query;
    const started = performance.now();
    const result = await searchKnowledge(p.db, workspaceId, { text: q.q, language: q.language, publishedOnly: q.status === 'published', categoryId: q.categoryId, limit: q.limit });
    const urlOf = await urlMaker(workspaceId);
    return { items: result.items.map((h) => ({ ...h, url: urlOf(h.language, h.slug) })), mode: result.mode, tookMs: Math.round((performance.now() - started) * 10) / 10 };
  });

  r.get('/api/knowledge/suggest', {
    config: { access: 'agent' },
    schema: {
      tags,
      summary: "Published articles that fit a conversation (its language and the customer's last messages) and/or what the agent is typing",
      querystring: z.object({
        conversationId: z.uuid({ message: 'must be a UUID' }).optional(),
        text: z.string().max(2000).optional(),
        limit: z.coerce.number().int().min(1).max(10).default(5),
      }),
      response: { 200: z.object({ items: z.array(hitBody), language: language.nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId } = principalOf(request);
    const result = await suggestArticles(p.db, workspaceId, request.query);
    const urlOf = await urlMaker(workspaceId);
    return { items: result.items.map((h) => ({ ...h, url: urlOf(h.language, h.slug) })), language: result.language };
  });
}
