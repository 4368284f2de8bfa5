// The public help centre (no login): server-rendered pages at /help/<workspace>, and a JSON search
// for the chat widget at /api/public/help/<workspace>/search. Only published versions are shown.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findWorkspaceBySlug } from '../platform/auth/auth.store.ts';
import { notFound } from '../platform/errors.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { articlePage, articleUrl, homePage, homeUrl, notFoundPage, searchPage, searchUrl } from './help.html.ts';
import { knowledgeLanguages, type KnowledgeLanguage } from './knowledge.schema.ts';
import { countView, getPublishedBySlug, listCategories, listPublished } from './knowledge.store.ts';
import { renderMarkdown } from './markdown.ts';
import { asLanguage, searchKnowledge } from './search.service.ts';

const HOME_LIST = 6;
const SEARCH_LIMIT = 20;
const rateLimit = { max: 120, timeWindow: '1 minute' };

/** No scripts, no frames, nothing from elsewhere: the pages are plain HTML with one inline style block. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

/** ?lang= first, then the browser's Accept-Language, then Dutch. */
function pickLanguage(request: FastifyRequest): KnowledgeLanguage {
  const asked = asLanguage((request.query as { lang?: string }).lang);
  if (asked) return asked;
  return /^\s*en\b/i.test(request.headers['accept-language'] ?? '') ? 'en' : 'nl';
}

function html(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').send(body);
}

export function helpRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const params = z.object({ workspaceSlug: z.string().max(100) });
  const hide = { hide: true } as Record<string, unknown>;

  r.get('/help/:workspaceSlug', { schema: { ...hide, params }, config: { rateLimit } }, async (request, reply) => {
    const lang = pickLanguage(request);
    const ws = await findWorkspaceBySlug(p.db, request.params.workspaceSlug);
    if (!ws) return html(reply, 404, notFoundPage({ lang }));
    const [categories, articles] = await Promise.all([listCategories(p.db, ws.id), listPublished(p.db, ws.id, lang)]);
    const link = (a: { title: string; slug: string }) => ({ title: a.title, slug: a.slug });
    const grouped = categories.map((c) => ({ name: lang === 'nl' ? c.nameNl : c.nameEn, slug: c.slug, articles: articles.filter((a) => a.categoryId === c.id).map(link) }));
    const loose = articles.filter((a) => !a.categoryId || !categories.some((c) => c.id === a.categoryId));
    if (loose.length) grouped.push({ name: lang === 'nl' ? 'Overig' : 'Other', slug: 'overig', articles: loose.map(link) });
    const popular = [...articles].sort((a, b) => b.views - a.views || a.title.localeCompare(b.title)).slice(0, HOME_LIST).map(link);
    const recent = [...articles].sort((a, b) => (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0) || b.updatedAt.getTime() - a.updatedAt.getTime()).slice(0, HOME_LIST).map(link);
    const frame = { lang, workspaceSlug: ws.slug, workspaceName: ws.name, languageLinks: { nl: homeUrl(ws.slug, 'nl'), en: homeUrl(ws.slug, 'en') } };
    return html(reply, 200, homePage(frame, { categories: grouped, popular, recent }));
  });

  r.get('/help/:workspaceSlug/search', {
    schema: { ...hide, params, querystring: z.object({ q: z.string().max(500).optional(), lang: z.string().optional() }) },
    config: { rateLimit },
  }, async (request, reply) => {
    const lang = pickLanguage(request);
    const ws = await findWorkspaceBySlug(p.db, request.params.workspaceSlug);
    if (!ws) return html(reply, 404, notFoundPage({ lang }));
    const q = (request.query.q ?? '').trim();
    if (!q) return reply.redirect(homeUrl(ws.slug, lang));
    const { items } = await searchKnowledge(p.db, ws.id, { text: q, language: lang, publishedOnly: true, limit: SEARCH_LIMIT });
    const frame = { lang, workspaceSlug: ws.slug, workspaceName: ws.name, title: q, query: q, languageLinks: { nl: searchUrl(ws.slug, 'nl', q), en: searchUrl(ws.slug, 'en', q) } };
    return html(reply, 200, searchPage(frame, items));
  });

  // /help/<workspace>/en: that language's front page.
  r.get('/help/:workspaceSlug/:lang', { schema: { ...hide, params: params.extend({ lang: z.string().max(5) }) } }, async (request, reply) => {
    const lang = asLanguage(request.params.lang);
    if (!lang || request.params.lang !== lang) return html(reply, 404, notFoundPage({ lang: 'nl' }));
    return reply.redirect(homeUrl(request.params.workspaceSlug, lang));
  });

  r.get('/help/:workspaceSlug/:lang/:articleSlug', {
    schema: { ...hide, params: params.extend({ lang: z.string().max(5), articleSlug: z.string().max(200) }) },
    config: { rateLimit },
  }, async (request, reply) => {
    const lang = asLanguage(request.params.lang) ?? 'nl';
    const ws = await findWorkspaceBySlug(p.db, request.params.workspaceSlug);
    if (!ws) return html(reply, 404, notFoundPage({ lang }));
    const frame = { lang, workspaceSlug: ws.slug, workspaceName: ws.name, languageLinks: { nl: homeUrl(ws.slug, 'nl'), en: homeUrl(ws.slug, 'en') } };
    const found = (knowledgeLanguages as readonly string[]).includes(request.params.lang) ? await getPublishedBySlug(p.db, ws.id, lang, request.params.articleSlug) : undefined;
    if (!found) return html(reply, 404, notFoundPage({ ...frame, title: '' }));
    await countView(p.db, ws.id, found.translation.articleId);
    const categories = found.categoryId ? await listCategories(p.db, ws.id) : [];
    const category = categories.find((c) => c.id === found.categoryId);
    const languageLinks = { ...frame.languageLinks, [lang]: articleUrl(ws.slug, lang, found.translation.slug) };
    for (const other of found.others) languageLinks[other.language] = articleUrl(ws.slug, other.language, other.slug);
    return html(reply, 200, articlePage({ ...frame, title: found.translation.title, languageLinks }, {
      html: renderMarkdown(found.translation.body),
      category: category && { name: lang === 'nl' ? category.nameNl : category.nameEn, slug: category.slug },
      updatedAt: found.translation.updatedAt,
    }));
  });

  r.get('/api/public/help/:workspaceSlug/search', {
    config: { access: 'public', rateLimit },
    schema: {
      tags: ['knowledge'],
      summary: "Searches a workspace's published articles (no login; for the chat widget)",
      params,
      querystring: z.object({ q: z.string().trim().min(1).max(500), language: z.enum(knowledgeLanguages).optional(), limit: z.coerce.number().int().min(1).max(20).default(5) }),
      response: {
        200: z.object({
          items: z.array(z.object({ title: z.string(), language: z.enum(knowledgeLanguages), url: z.string(), snippet: z.array(z.object({ text: z.string(), hit: z.boolean() })) })),
        }),
        ...errorResponses,
      },
    },
  }, async (request) => {
    const ws = await findWorkspaceBySlug(p.db, request.params.workspaceSlug);
    if (!ws) throw notFound('Help centre');
    const { items } = await searchKnowledge(p.db, ws.id, { text: request.query.q, language: request.query.language, publishedOnly: true, limit: request.query.limit });
    return { items: items.map((h) => ({ title: h.title, language: h.language, url: `${p.config.publicUrl}${articleUrl(ws.slug, h.language, h.slug)}`, snippet: h.snippet })) };
  });
}
