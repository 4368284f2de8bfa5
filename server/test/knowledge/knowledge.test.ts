import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/platform/events/events.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

describe('knowledge base: articles, publishing and search', () => {
  let t: TestContext;
  let workspaceId: string;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    t = await makeTestApp();
    workspaceId = (await makeWorkspace(t.platform)).id;
    for (const role of ['supervisor', 'agent'] as const) cookies[role] = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, role)).email);
  });
  afterAll(() => t.close());

  const as = (role: string) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookies[role]! }, payload });
  const search = async (query: string) => (await as('agent')('GET', `/api/knowledge/search?${query}`)).json();
  const titles = (body: { items: Array<{ title: string }> }) => body.items.map((i) => i.title);

  let categoryId: string;
  let contactId: string;
  let returnsId: string;

  it('lets a supervisor create categories and articles; agents read but may not edit', async () => {
    const category = await as('supervisor')('POST', '/api/knowledge/categories', { slug: 'service', nameNl: 'Klantenservice', nameEn: 'Customer service', position: 1 });
    expect(category.statusCode, category.body).toBe(201);
    categoryId = category.json().id;
    expect((await as('supervisor')('POST', '/api/knowledge/categories', { slug: 'service', nameNl: 'Dubbel', nameEn: 'Double' })).statusCode).toBe(409);
    expect((await as('agent')('POST', '/api/knowledge/categories', { slug: 'x', nameNl: 'X', nameEn: 'X' })).statusCode).toBe(403);

    const created = await as('supervisor')('POST', '/api/knowledge/articles', {
      categoryId,
      tags: ['Klantcontact'],
      translations: {
        nl: { title: 'Zo bereik je ons', body: 'Voor klantcontact kun je ons **chatten** of bellen. Onze klantenservice is op werkdagen open.' },
        en: { title: 'How to reach us', body: 'You can chat with us or call our customer service on working days.' },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const article = created.json();
    contactId = article.id;
    expect(article.tags).toEqual(['klantcontact']);
    expect(article.translations.nl).toMatchObject({ slug: 'zo-bereik-je-ons', status: 'draft', publishedAt: null });
    expect(article.translations.en.url).toMatch(/\/help\/.+\/en\/how-to-reach-us$/);

    const returns = await as('supervisor')('POST', '/api/knowledge/articles', {
      translations: { en: { title: 'Sending something back', body: 'Returning an item is free within 30 days.' } },
    });
    expect(returns.statusCode, returns.body).toBe(201);
    returnsId = returns.json().id;
    expect(returns.json().translations.nl).toBeNull();

    expect((await as('agent')('PATCH', `/api/knowledge/articles/${contactId}`, { tags: [] })).statusCode).toBe(403);
    expect((await as('agent')('GET', `/api/knowledge/articles/${contactId}`)).json().translations.nl.body).toContain('klantcontact');
  });

  it('names the field in validation errors', async () => {
    const noText = await as('supervisor')('POST', '/api/knowledge/articles', { translations: {} });
    expect(noText.statusCode).toBe(400);
    expect(noText.json().error.details[0].path).toBe('body/translations');
    const badTitle = await as('supervisor')('POST', '/api/knowledge/articles', { translations: { nl: { title: '', body: 'x' } } });
    expect(badTitle.statusCode).toBe(400);
    expect(badTitle.json().error.details.map((d: { path: string }) => d.path)).toContain('body/translations/nl/title');
    const badSlug = await as('supervisor')('POST', '/api/knowledge/articles', { translations: { nl: { title: 'Titel', slug: 'Niet Goed!', body: 'x' } } });
    expect(badSlug.json().error.details[0].path).toBe('body/translations/nl/slug');
    const badCategory = await as('supervisor')('POST', '/api/knowledge/articles', { categoryId: '00000000-0000-4000-8000-000000000000', translations: { nl: { title: 'Titel', body: 'x' } } });
    expect(badCategory.statusCode).toBe(400);
    expect(badCategory.json().error.details[0].path).toBe('body/categoryId');
    const taken = await as('supervisor')('POST', '/api/knowledge/articles', { translations: { nl: { title: 'Ander', slug: 'zo-bereik-je-ons', body: 'x' } } });
    expect(taken.statusCode).toBe(409);
    const noVersion = await as('supervisor')('POST', `/api/knowledge/articles/${returnsId}/publish`, { language: 'nl' });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().error.details[0].path).toBe('body/language');
  });

  it('keeps drafts out of published-only search, and finds them with status=all', async () => {
    expect(titles(await search('q=klantcontact'))).toEqual([]);
    expect(titles(await search('q=klantcontact&status=all'))).toEqual(['Zo bereik je ons']);
  });

  it('publishes and unpublishes per language, with events', async () => {
    const published = await as('supervisor')('POST', `/api/knowledge/articles/${contactId}/publish`, { language: 'nl' });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().translations.nl.status).toBe('published');
    expect(published.json().translations.nl.publishedAt).not.toBeNull();
    expect(published.json().translations.en.status).toBe('draft');
    await as('supervisor')('POST', `/api/knowledge/articles/${returnsId}/publish`, { language: 'en' });

    const events = await listEvents(t.platform.db, workspaceId, { limit: 100 });
    const published1 = events.find((e) => e.type === 'knowledge.article_published' && e.subjectId === contactId);
    expect(published1?.payload).toEqual({ articleId: contactId, language: 'nl' });
    expect(events.some((e) => e.type === 'knowledge.article_created')).toBe(true);

    expect(titles(await search('q=klantcontact'))).toEqual(['Zo bereik je ons']);
    await as('supervisor')('POST', `/api/knowledge/articles/${contactId}/unpublish`, { language: 'nl' });
    expect(titles(await search('q=klantcontact'))).toEqual([]);
    await as('supervisor')('POST', `/api/knowledge/articles/${contactId}/publish`, { language: 'nl' });
    const types = (await listEvents(t.platform.db, workspaceId, { limit: 100 })).map((e) => e.type);
    expect(types).toContain('knowledge.article_unpublished');
  });

  it('stems in the article language: "klantcontacten" finds "klantcontact", "returns" finds "returning"', async () => {
    const nl = await search('q=klantcontacten&language=nl');
    expect(titles(nl)).toEqual(['Zo bereik je ons']);
    expect(nl.items[0].snippet.some((p: { text: string; hit: boolean }) => p.hit && p.text.toLowerCase() === 'klantcontact')).toBe(true);
    expect(nl.items[0].snippet.map((p: { text: string }) => p.text).join('')).not.toContain('**');
    expect(titles(await search('q=returns&language=en'))).toEqual(['Sending something back']);
    // Without a language both are searched, each in its own configuration.
    expect(titles(await search('q=klantcontacten'))).toEqual(['Zo bereik je ons']);
    expect(titles(await search('q=returns'))).toEqual(['Sending something back']);
    // An English search does not stem Dutch words.
    expect(titles(await search('q=klantcontacten&language=en'))).toEqual([]);
  });

  it('ranks title matches first and falls back to any word when every word finds nothing', async () => {
    await as('supervisor')('POST', '/api/knowledge/articles', {
      translations: { nl: { title: 'Chatten met de klantenservice', body: 'De chat staat rechtsonder op elke pagina.' } },
    }).then((r) => as('supervisor')('POST', `/api/knowledge/articles/${r.json().id}/publish`, { language: 'nl' }));
    const chat = await search('q=chatten&language=nl');
    expect(titles(chat)[0]).toBe('Chatten met de klantenservice');
    expect(chat.mode).toBe('all');
    const fallback = await search('q=chatten%20pinguïn&language=nl');
    expect(fallback.mode).toBe('any');
    expect(titles(fallback)).toContain('Chatten met de klantenservice');
  });

  it('lists with filters and edits both translations', async () => {
    const inCategory = (await as('agent')('GET', `/api/knowledge/articles?categoryId=${categoryId}`)).json();
    expect(inCategory.items.map((a: { id: string }) => a.id)).toEqual([contactId]);
    expect(inCategory.items[0].translations.nl.body).toBeUndefined();
    const drafts = (await as('agent')('GET', '/api/knowledge/articles?status=draft&language=en')).json();
    expect(drafts.items.map((a: { id: string }) => a.id)).toEqual([contactId]);
    const tagged = (await as('agent')('GET', '/api/knowledge/articles?tag=klantcontact')).json();
    expect(tagged.total).toBe(1);

    const patched = await as('supervisor')('PATCH', `/api/knowledge/articles/${contactId}`, {
      translations: { en: { title: 'Contacting customer service', body: 'Chat, call or e-mail us.' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().translations.en).toMatchObject({ title: 'Contacting customer service', slug: 'contacting-customer-service', status: 'draft' });
    expect(patched.json().translations.nl.status).toBe('published'); // untouched
    const removed = await as('supervisor')('PATCH', `/api/knowledge/articles/${returnsId}`, { translations: { en: null } });
    expect(removed.statusCode).toBe(400); // the last version cannot go

    expect((await as('supervisor')('DELETE', `/api/knowledge/categories/${categoryId}`)).statusCode).toBe(204);
    expect((await as('agent')('GET', `/api/knowledge/articles/${contactId}`)).json().categoryId).toBeNull();
    expect((await as('supervisor')('DELETE', `/api/knowledge/articles/${returnsId}`)).statusCode).toBe(204);
    expect((await as('agent')('GET', `/api/knowledge/articles/${returnsId}`)).statusCode).toBe(404);
  });

  it("never shows one workspace's articles to another", async () => {
    const other = await makeWorkspace(t.platform);
    const cookie = await loginCookie(t.app, (await makeUser(t.platform, other.id, 'supervisor')).email);
    const asOther = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, payload });
    expect((await asOther('GET', '/api/knowledge/articles')).json().items).toEqual([]);
    expect((await asOther('GET', '/api/knowledge/search?q=klantcontact&status=all')).json().items).toEqual([]);
    expect((await asOther('GET', '/api/knowledge/suggest?text=klantcontact')).json().items).toEqual([]);
    expect((await asOther('GET', `/api/knowledge/articles/${contactId}`)).statusCode).toBe(404);
    expect((await asOther('POST', `/api/knowledge/articles/${contactId}/unpublish`, { language: 'nl' })).statusCode).toBe(404);
    // The same slug is free in another workspace.
    const same = await asOther('POST', '/api/knowledge/articles', { translations: { nl: { title: 'Zo bereik je ons', body: 'Anders' } } });
    expect(same.json().translations.nl.slug).toBe('zo-bereik-je-ons');
  });
});
