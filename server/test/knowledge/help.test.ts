import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

describe('public help centre', () => {
  let t: TestContext;
  let slug: string;
  let cookie: string;

  beforeAll(async () => {
    t = await makeTestApp();
    const ws = await makeWorkspace(t.platform);
    slug = ws.slug;
    cookie = await loginCookie(t.app, (await makeUser(t.platform, ws.id, 'supervisor')).email);
    const as = (method: 'POST', url: string, payload: object) => t.app.inject({ method, url, headers: { cookie }, payload });
    const category = (await as('POST', '/api/knowledge/categories', { slug: 'bezorging', nameNl: 'Bezorging', nameEn: 'Delivery' })).json();
    const article = (await as('POST', '/api/knowledge/articles', {
      categoryId: category.id,
      translations: {
        nl: { title: 'Bezorgtijden <script>alert(1)</script>', slug: 'bezorgtijden', body: '## Wanneer\n\nWe bezorgen **morgen**. Zie [track & trace](https://example.nl/t?a=1&b=2) of [dit](javascript:alert(1)).\n\n- één\n- twee\n\n<img src=x onerror=alert(1)>' },
        en: { title: 'Delivery times', slug: 'delivery-times', body: 'We deliver tomorrow.' },
      },
    })).json();
    await as('POST', `/api/knowledge/articles/${article.id}/publish`, { language: 'nl' });
    // The English version stays a draft.
    await as('POST', '/api/knowledge/articles', { translations: { nl: { title: 'Geheim concept', slug: 'geheim', body: 'Nog niet klaar: bezorging op de maan.' } } });
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });

  it('renders an article safely: the title with <script> is text, Markdown is a safe subset', async () => {
    const res = await get(`/help/${slug}/nl/bezorgtijden`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('<html lang="nl">');
    expect(res.body).toContain('Bezorgtijden &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).not.toContain('<script');
    expect(res.body).toContain('<h3>Wanneer</h3>');
    expect(res.body).toContain('<strong>morgen</strong>');
    expect(res.body).toContain('href="https://example.nl/t?a=1&amp;b=2"');
    expect(res.body).not.toContain('javascript:');
    expect(res.body).toContain('<li>één</li>');
    expect(res.body).not.toContain('<img');
    expect(res.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.body).toContain(`/help/${slug}?lang=nl#bezorging`);
  });

  it('shows only published translations and answers 404 for unknown workspaces and articles', async () => {
    expect((await get(`/help/${slug}/en/delivery-times`)).statusCode).toBe(404);
    expect((await get(`/help/${slug}/nl/geheim`)).statusCode).toBe(404);
    expect((await get(`/help/${slug}/de/bezorgtijden`)).statusCode).toBe(404);
    const unknown = await get('/help/bestaat-niet-123');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('<html lang="nl">');
    expect((await get(`/help/${slug}/nl/bestaat-niet`)).statusCode).toBe(404);
  });

  it('lists categories and articles on the front page, in the chosen language', async () => {
    const nl = await get(`/help/${slug}`);
    expect(nl.statusCode).toBe(200);
    expect(nl.body).toContain('<h2>Bezorging</h2>');
    expect(nl.body).toContain(`/help/${slug}/nl/bezorgtijden`);
    expect(nl.body).not.toContain('Geheim concept');
    const en = await get(`/help/${slug}`, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('No articles have been published yet.');
    expect((await get(`/help/${slug}?lang=en`)).body).toContain('<html lang="en">');
    const redirect = await get(`/help/${slug}/en`);
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe(`/help/${slug}?lang=en`);
    expect((await get(`/help/${slug}/xx`)).statusCode).toBe(404);
  });

  it('searches with stemming and highlights, never drafts; the JSON variant too', async () => {
    const res = await get(`/help/${slug}/search?q=${encodeURIComponent('bezorgen')}&lang=nl`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Bezorgtijden &lt;script&gt;');
    expect(res.body).toMatch(/<mark>[Bb]ezorgen<\/mark>/);
    expect(res.body).not.toContain('Geheim');
    const xss = await get(`/help/${slug}/search?q=${encodeURIComponent('"><script>x</script>')}&lang=nl`);
    expect(xss.statusCode).toBe(200);
    expect(xss.body).not.toContain('<script>x');

    const json = await t.app.inject({ method: 'GET', url: `/api/public/help/${slug}/search?q=bezorging&language=nl` });
    expect(json.statusCode, json.body).toBe(200);
    const items = json.json().items;
    expect(items.map((i: { title: string }) => i.title)).toEqual(['Bezorgtijden <script>alert(1)</script>']);
    expect(items[0].url).toMatch(new RegExp(`/help/${slug}/nl/bezorgtijden$`));
    expect((await t.app.inject({ method: 'GET', url: '/api/public/help/bestaat-niet/search?q=x' })).statusCode).toBe(404);
  });
});
