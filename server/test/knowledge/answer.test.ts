import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFromKnowledge } from '../../src/knowledge/answer.ts';
import { confidenceOf, excerpt, queryWords, slugify } from '../../src/knowledge/knowledge.ts';
import { DEMO_ARTICLES, seedDemoKnowledge } from '../../src/seed/demo-knowledge.ts';
import { loginCookie, makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, type TestContext } from '../helpers.ts';

describe('pure helpers', () => {
  it('slugs, words and excerpts', () => {
    expect(slugify('Bestelling wijzigen of annuleren?')).toBe('bestelling-wijzigen-of-annuleren');
    expect(slugify('Één café')).toBe('een-cafe');
    expect(queryWords("Waar is m'n pakket?! 'a' | b & !c")).toEqual(['waar', 'is', 'pakket']);
    expect(excerpt('# Kop\n\nEen **vette** zin. ' + 'woord '.repeat(100), 60)).toMatch(/^Kop Een vette zin\. woord.* …$/);
    expect(excerpt('Eerste zin is lang genoeg hier. Tweede zin loopt heel erg lang door tot voorbij de grens', 60)).toBe('Eerste zin is lang genoeg hier.');
  });

  it('confidence: 0 without matches, higher with coverage, title match and a clear lead', () => {
    expect(confidenceOf({ total: 3, matched: 0, titleMatched: 0, best: 0, second: 0 })).toBe(0);
    const clear = confidenceOf({ total: 3, matched: 3, titleMatched: 2, best: 0.5, second: 0.1 });
    const tie = confidenceOf({ total: 3, matched: 3, titleMatched: 2, best: 0.5, second: 0.5 });
    const partial = confidenceOf({ total: 3, matched: 1, titleMatched: 0, best: 0.5, second: 0.1 });
    expect(clear).toBeGreaterThan(tie);
    expect(tie).toBeGreaterThan(partial);
    expect(clear).toBeLessThanOrEqual(1);
  });
});

describe('answers from the knowledge base (demo articles)', () => {
  let t: TestContext;
  let workspaceId: string;

  beforeAll(async () => {
    t = await makeTestApp();
    workspaceId = (await makeWorkspace(t.platform)).id;
    const seeded = await seedDemoKnowledge(t.platform, workspaceId);
    expect(seeded.articles).toBeGreaterThanOrEqual(20);
  });
  afterAll(() => t.close());

  const ask = (query: string, language?: string, extra: { tags?: string[]; minConfidence?: number } = {}) =>
    answerFromKnowledge(t.platform.db, workspaceId, { query, language, minConfidence: extra.minConfidence ?? 0.5, tags: extra.tags });

  it('seeds once, at least 20 articles in Dutch and English', async () => {
    expect(DEMO_ARTICLES.length).toBeGreaterThanOrEqual(20);
    expect(await seedDemoKnowledge(t.platform, workspaceId)).toEqual({ categories: 0, articles: 0 });
    const cookie = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'agent')).email);
    const list = (await t.app.inject({ url: '/api/knowledge/articles?status=published&limit=200', headers: { cookie } })).json();
    expect(list.total).toBe(DEMO_ARTICLES.length);
    expect(list.items.every((a: { translations: { nl: { status: string }; en: { status: string } } }) => a.translations.nl.status === 'published' && a.translations.en.status === 'published')).toBe(true);
  });

  it.each([
    ['Hoe lang duurt de bezorging en wat zijn de verzendkosten?', 'nl', 'Bezorgtijden en verzendkosten'],
    ['Ik ben mijn wachtwoord vergeten', 'nl', 'Wachtwoord vergeten'],
    ['Hoe kan ik een artikel retourneren?', 'nl', 'Hoe retourneer ik een artikel?'],
    ['When will I get my money back after a return?', 'en', 'When do I get my money back?'],
    ['Can I pay later?', 'en', 'Pay later'],
    ['hoe werkt achteraf betalen', undefined, 'Achteraf betalen'],
  ])('answers a clear question with confidence above 0.5: %s', async (query, language, title) => {
    const a = await ask(query, language);
    expect(a.title).toBe(title);
    expect(a.confidence).toBeGreaterThan(0.5);
    expect(a.answer).toMatch(new RegExp(`^${title.replace(/[?]/g, '\\?')}\\n\\n`));
    expect(a.answer!.length).toBeLessThan(400);
    expect(a.answer).not.toContain('**');
  });

  it('gives no answer to gibberish or to a question the articles do not cover', async () => {
    expect(await ask('xqzv blorf wubbel', 'nl')).toEqual({ answer: null, confidence: 0 });
    expect((await ask('asdfgh qwerty')).answer).toBeNull();
    const offTopic = await ask('Wat is de hoofdstad van Australië?', 'nl');
    expect(offTopic.answer).toBeNull();
    expect(offTopic.confidence).toBeLessThan(0.5);
  });

  it('keeps the article found below minConfidence, and filters on tags', async () => {
    const strict = await ask('Wachtwoord vergeten', 'nl', { minConfidence: 0.999 });
    expect(strict.answer).toBeNull();
    expect(strict.title).toBe('Wachtwoord vergeten');
    const tagged = await ask('Hoe lang duurt de bezorging?', 'nl', { tags: ['retour'] });
    expect(tagged.title).not.toBe('Bezorgtijden en verzendkosten');
  });

  it("suggests articles from the customer's messages in the conversation's language", async () => {
    const chat = await makeWebchatChannel(t.platform, workspaceId);
    const { conversation } = await makeInbound(t.platform, chat, { body: 'Hallo, mijn pakket is beschadigd aangekomen. Wat nu?' });
    const cookie = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'agent')).email);
    const res = await t.app.inject({ url: `/api/knowledge/suggest?conversationId=${conversation.id}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items[0].title).toBe('Pakket beschadigd of niet ontvangen');
    const typed = (await t.app.inject({ url: `/api/knowledge/suggest?conversationId=${conversation.id}&text=${encodeURIComponent('cadeaubon kortingscode')}`, headers: { cookie } })).json();
    expect(typed.items[0].title).toBe('Cadeaubonnen en kortingscodes');
    expect(new Set(typed.items.map((i: { articleId: string }) => i.articleId)).size).toBe(typed.items.length);
    const english = (await t.app.inject({ url: `/api/knowledge/suggest?text=${encodeURIComponent('forgot my password')}`, headers: { cookie } })).json();
    expect(english.items[0].title).toBe('Forgotten password');
    expect((await t.app.inject({ url: '/api/knowledge/suggest', headers: { cookie } })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/knowledge/suggest?conversationId=00000000-0000-4000-8000-000000000000', headers: { cookie } })).statusCode).toBe(404);
  });

  it('searches the demo articles quickly', async () => {
    const started = performance.now();
    const runs = 20;
    for (let i = 0; i < runs; i++) await ask(i % 2 ? 'Hoe lang duurt de bezorging?' : 'klantcontacten', 'nl');
    const perQuery = (performance.now() - started) / runs;
    console.log(`answerFromKnowledge over ${DEMO_ARTICLES.length * 2} translations: ${perQuery.toFixed(1)} ms per query`);
    expect(perQuery).toBeLessThan(500);
  });
});
