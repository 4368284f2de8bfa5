import { expect, test } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';

test('an admin logs in to the demo workspace in Dutch and switches to English', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('login-submit')).toHaveText('Inloggen');
  await logIn(page, demo.admin);

  await expect(page.getByTestId('page-title')).toHaveText('Overzicht');
  await expect(page.getByTestId('nav-users')).toContainText('Gebruikers');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');

  await page.getByTestId('language-switch').getByText('EN', { exact: true }).click();
  await expect(page.getByTestId('page-title')).toHaveText('Overview');
  await expect(page.getByTestId('nav-users')).toContainText('Users');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // The choice survives a reload.
  await page.reload();
  await expect(page.getByTestId('page-title')).toHaveText('Overview');
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(demo.agent);
  await page.getByTestId('login-password').fill('niet het wachtwoord');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test('the live feed shows an event committed elsewhere, without a reload', async ({ page, browser }) => {
  await logIn(page, demo.admin);
  await expect(page.getByTestId('realtime-status')).toHaveAttribute('data-state', 'open');

  // A second session (another admin's browser) creates a user; the first sees the event arrive.
  const other = await browser.newContext();
  const api = other.request;
  const login = await api.post('/api/auth/login', { data: { email: demo.admin, password: demo.password } });
  expect(login.ok()).toBeTruthy();
  const email = `nieuw-${Date.now()}@demo.hoorn.nl`;
  const created = await api.post('/api/users', { data: { email, name: 'Nieuwe Collega', role: 'agent', password: 'een lang wachtwoord' } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  const item = page.getByTestId('event-feed').getByTestId('event-item').filter({ hasText: id });
  await expect(item).toHaveAttribute('data-event-type', 'user.created');
  await other.close();
});

test('an agent sees only what an agent may', async ({ page }) => {
  await logIn(page, demo.agent);
  await expect(page.getByTestId('nav-overview')).toBeVisible();
  await expect(page.getByTestId('nav-users')).toHaveCount(0);
  await expect(page.getByTestId('nav-outbox')).toHaveCount(0);
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login$/);
});
