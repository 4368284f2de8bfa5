import { expect, test } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';

// The knowledge base end to end: a supervisor writes and publishes an article in the web app;
// the public help centre (no login) then shows it and finds it by a stemmed Dutch search. The
// article is the test's own, so the test does not depend on the demo's articles.

test('a supervisor publishes an article; the public help centre shows it and finds it stemmed', async ({ page, browser }) => {
  test.setTimeout(60_000);
  const suffix = Date.now().toString(36);
  const title = `Kajakpeddel inklappen ${suffix}`;

  await logIn(page, demo.supervisor);
  await page.getByTestId('nav-knowledge').click();
  await expect(page.getByTestId('knowledge-page')).toBeVisible();
  await page.getByTestId('knowledge-new-article').click();

  const editor = page.getByRole('dialog');
  await editor.getByTestId('knowledge-editor-title').fill(title);
  await editor.getByTestId('knowledge-editor-body').fill('Je **kajakpeddel** klap je in door de knop in het midden in te drukken.\n\n- Draai de helften los\n- Schuif ze in elkaar');
  await editor.getByTestId('knowledge-editor-preview').click();
  await expect(editor.getByTestId('knowledge-preview').locator('strong')).toHaveText('kajakpeddel');
  await editor.getByTestId('knowledge-editor-tab-en').click();
  await editor.getByTestId('knowledge-editor-title').fill(`Folding a kayak paddle ${suffix}`);
  await editor.getByTestId('knowledge-editor-tab-nl').click();
  await editor.getByTestId('knowledge-editor-publish').click();
  const publicLink = editor.getByTestId('knowledge-editor-public-link');
  await expect(publicLink).toBeVisible();
  await expect(editor.getByTestId('knowledge-editor-unpublish')).toBeVisible();
  const href = await publicLink.getAttribute('href');
  expect(href).toMatch(/\/help\/demo\/nl\/kajakpeddel-inklappen-/);
  await page.keyboard.press('Escape');

  // The desk's own search finds it with a different word form, the match highlighted.
  await page.getByTestId('knowledge-search').fill('kajakpeddels');
  const result = page.getByTestId('knowledge-result').filter({ hasText: title });
  await expect(result).toBeVisible();
  await expect(result.locator('mark').first()).toHaveText(/kajakpeddel/i);

  // The public help centre, as a visitor without a session.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  // Chromium asks for English (Accept-Language); the Dutch help centre is one switch away.
  await visitor.goto('/help/demo');
  await expect(visitor.locator('html')).toHaveAttribute('lang', 'en');
  await visitor.getByRole('link', { name: 'Nederlands' }).click();
  await expect(visitor.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(visitor.getByRole('link', { name: title }).first()).toBeVisible();
  await visitor.getByTestId('help-search-input').fill('kajakpeddels');
  await visitor.getByTestId('help-search-input').press('Enter');
  await expect(visitor).toHaveURL(/\/help\/demo\/search\?lang=nl&q=kajakpeddels/);
  const hit = visitor.getByTestId('help-result').filter({ hasText: title });
  await expect(hit).toBeVisible();
  await expect(hit.locator('mark').first()).toHaveText(/kajakpeddel/i);
  await hit.getByRole('link', { name: title }).click();
  await expect(visitor.getByTestId('help-article-title')).toHaveText(title);
  await expect(visitor.locator('article strong')).toHaveText('kajakpeddel');
  // The English version is still a draft: the language switch leads to the English front page, not to it.
  await visitor.goto(href!.replace('/nl/', '/en/').replace(/kajakpeddel-inklappen-/, 'folding-a-kayak-paddle-'));
  await expect(visitor.locator('h1')).toHaveText('Page not found');
  await visitorContext.close();
});
