import { expect, type Page } from '@playwright/test';

/** The demo workspace seeded on first start (see server/src/seed/demo.ts). */
export const demo = {
  password: 'hoorn-demo-2026',
  admin: 'admin@demo.hoorn.nl',
  supervisor: 'supervisor@demo.hoorn.nl',
  agent: 'fatima@demo.hoorn.nl',
};

export async function logIn(page: Page, email: string, password = demo.password): Promise<void> {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('page-title')).toBeVisible();
}
