// The public help centre's pages, rendered on the server. Every value is escaped; article bodies
// go through the safe Markdown renderer. No scripts: the pages work without JavaScript.
import type { KnowledgeLanguage } from './knowledge.schema.ts';
import { escapeHtml as e } from '../platform/http/html.ts';
import type { SnippetPart } from './knowledge.ts';

const text = {
  nl: {
    help: 'Helpcentrum',
    search: 'Zoeken',
    searchPlaceholder: 'Waar kunnen we je mee helpen?',
    popular: 'Populaire artikelen',
    recent: 'Recent bijgewerkt',
    categories: 'Onderwerpen',
    other: 'Overig',
    results: (n: number, q: string) => `${n} ${n === 1 ? 'resultaat' : 'resultaten'} voor “${q}”`,
    noResults: 'Geen artikelen gevonden. Probeer andere woorden.',
    notFound: 'Pagina niet gevonden',
    notFoundText: 'Deze pagina bestaat niet (meer).',
    back: 'Terug naar het helpcentrum',
    updated: 'Bijgewerkt',
    language: 'Taal',
    empty: 'Er zijn nog geen artikelen gepubliceerd.',
  },
  en: {
    help: 'Help centre',
    search: 'Search',
    searchPlaceholder: 'How can we help?',
    popular: 'Popular articles',
    recent: 'Recently updated',
    categories: 'Topics',
    other: 'Other',
    results: (n: number, q: string) => `${n} ${n === 1 ? 'result' : 'results'} for “${q}”`,
    noResults: 'No articles found. Try other words.',
    notFound: 'Page not found',
    notFoundText: 'This page does not exist (any more).',
    back: 'Back to the help centre',
    updated: 'Updated',
    language: 'Language',
    empty: 'No articles have been published yet.',
  },
} as const;

const style = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2933;background:#f7f8fa;line-height:1.55}
header{background:#0b7285;color:#fff;padding:1.25rem 1rem}
header a{color:#fff;text-decoration:none}
.wrap{max-width:52rem;margin:0 auto;padding:0 1rem}
.top{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap}
.langs a{margin-left:.75rem;opacity:.85}.langs a[aria-current]{font-weight:700;opacity:1;text-decoration:underline}
form.search{display:flex;gap:.5rem;margin-top:1rem}
form.search input{flex:1;padding:.6rem .8rem;border:0;border-radius:6px;font-size:1rem}
form.search button{padding:.6rem 1rem;border:0;border-radius:6px;background:#e3fafc;color:#0b7285;font-weight:600;cursor:pointer}
main{padding:1.5rem 0 3rem}
section{background:#fff;border-radius:8px;padding:1rem 1.25rem;margin-bottom:1rem;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.2rem;margin:.2rem 0 .6rem}
ul.articles{list-style:none;padding:0;margin:0}ul.articles li{padding:.35rem 0;border-bottom:1px solid #eef0f2}ul.articles li:last-child{border-bottom:0}
a{color:#0b7285}.snippet{color:#52606d;font-size:.92rem;margin:.2rem 0 0}mark{background:#fff3bf;padding:0 .1em}
.meta{color:#7b8794;font-size:.85rem}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:1rem}
article.body blockquote{border-left:3px solid #99e9f2;margin:0;padding-left:1rem;color:#52606d}`;

export interface PageFrame {
  lang: KnowledgeLanguage;
  workspaceSlug: string;
  workspaceName: string;
  title: string;
  /** Where each language's version of this page is (the switch). */
  languageLinks: Partial<Record<KnowledgeLanguage, string>>;
  query?: string;
}

export const homeUrl = (ws: string, lang: KnowledgeLanguage) => `/help/${encodeURIComponent(ws)}?lang=${lang}`;
export const searchUrl = (ws: string, lang: KnowledgeLanguage, q: string) => `/help/${encodeURIComponent(ws)}/search?lang=${lang}&q=${encodeURIComponent(q)}`;
export const articleUrl = (ws: string, lang: KnowledgeLanguage, slug: string) => `/help/${encodeURIComponent(ws)}/${lang}/${encodeURIComponent(slug)}`;

function page(f: PageFrame, content: string): string {
  const t = text[f.lang];
  const langs = (['nl', 'en'] as const)
    .map((l) => {
      const href = f.languageLinks[l];
      if (!href) return '';
      return `<a href="${e(href)}" hreflang="${l}" lang="${l}"${l === f.lang ? ' aria-current="page"' : ''}>${l === 'nl' ? 'Nederlands' : 'English'}</a>`;
    })
    .join('');
  return `<!doctype html>
<html lang="${f.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(f.title)} · ${e(f.workspaceName)}</title>
<style>${style}</style>
</head>
<body>
<header><div class="wrap">
<div class="top"><a href="${e(homeUrl(f.workspaceSlug, f.lang))}"><strong>${e(f.workspaceName)}</strong> · ${e(t.help)}</a><nav class="langs" aria-label="${e(t.language)}">${langs}</nav></div>
<form class="search" role="search" action="/help/${e(encodeURIComponent(f.workspaceSlug))}/search" method="get">
<input type="hidden" name="lang" value="${f.lang}">
<input type="search" name="q" value="${e(f.query ?? '')}" placeholder="${e(t.searchPlaceholder)}" aria-label="${e(t.search)}" data-testid="help-search-input">
<button type="submit">${e(t.search)}</button>
</form>
</div></header>
<main class="wrap">
${content}
</main>
</body>
</html>
`;
}

export interface ArticleLink {
  title: string;
  slug: string;
}

export function homePage(f: Omit<PageFrame, 'title'>, o: { categories: Array<{ name: string; slug: string; articles: ArticleLink[] }>; popular: ArticleLink[]; recent: ArticleLink[] }): string {
  const t = text[f.lang];
  const list = (items: ArticleLink[]) => `<ul class="articles">${items.map((a) => `<li><a href="${e(articleUrl(f.workspaceSlug, f.lang, a.slug))}">${e(a.title)}</a></li>`).join('')}</ul>`;
  const categories = o.categories
    .filter((c) => c.articles.length > 0)
    .map((c) => `<section id="${e(c.slug)}" data-testid="help-category"><h2>${e(c.name)}</h2>${list(c.articles)}</section>`)
    .join('\n');
  const body = o.popular.length === 0 && o.recent.length === 0 && !categories
    ? `<section><p>${e(t.empty)}</p></section>`
    : `<div class="grid"><section><h2>${e(t.popular)}</h2>${list(o.popular)}</section><section><h2>${e(t.recent)}</h2>${list(o.recent)}</section></div>
<h1>${e(t.categories)}</h1>
${categories}`;
  return page({ ...f, title: t.help }, body);
}

export function searchPage(f: PageFrame & { query: string }, hits: Array<{ title: string; slug: string; snippet: SnippetPart[] }>): string {
  const t = text[f.lang];
  const snippet = (parts: SnippetPart[]) => parts.map((p) => (p.hit ? `<mark>${e(p.text)}</mark>` : e(p.text))).join('');
  const items = hits
    .map((h) => `<li data-testid="help-result"><a href="${e(articleUrl(f.workspaceSlug, f.lang, h.slug))}">${e(h.title)}</a><p class="snippet">${snippet(h.snippet)}</p></li>`)
    .join('');
  return page(f, `<section><h1>${e(t.results(hits.length, f.query))}</h1>${hits.length ? `<ul class="articles">${items}</ul>` : `<p>${e(t.noResults)}</p>`}</section>`);
}

export function articlePage(f: PageFrame, o: { html: string; category?: { name: string; slug: string }; updatedAt: Date }): string {
  const t = text[f.lang];
  const date = new Intl.DateTimeFormat(f.lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(o.updatedAt);
  const crumb = o.category
    ? `<a href="${e(homeUrl(f.workspaceSlug, f.lang))}#${e(o.category.slug)}">${e(o.category.name)}</a>`
    : `<a href="${e(homeUrl(f.workspaceSlug, f.lang))}">${e(t.help)}</a>`;
  return page(f, `<section><p class="meta">${crumb}</p><h1 data-testid="help-article-title">${e(f.title)}</h1><article class="body">${o.html}</article><p class="meta">${e(t.updated)}: ${e(date)}</p></section>`);
}

export function notFoundPage(f: PageFrame | { lang: KnowledgeLanguage }): string {
  const t = text[f.lang];
  if (!('workspaceSlug' in f)) {
    return `<!doctype html>\n<html lang="${f.lang}"><head><meta charset="utf-8"><title>${e(t.notFound)}</title><style>${style}</style></head><body><main class="wrap"><section><h1>${e(t.notFound)}</h1><p>${e(t.notFoundText)}</p></section></main></body></html>\n`;
  }
  return page({ ...f, title: t.notFound }, `<section><h1>${e(t.notFound)}</h1><p>${e(t.notFoundText)}</p><p><a href="${e(homeUrl(f.workspaceSlug, f.lang))}">${e(t.back)}</a></p></section>`);
}
