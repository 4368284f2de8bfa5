import { expect, test } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';

// The analytics pages an administrator and a supervisor open on the demo workspace: the benchmark
// beside the industry figures (with the demo's three weeks of history in its channel mix), and
// the service-level and wrap-up settings the demo ships with.

test('the benchmark page sets the demo centre beside the industry figures', async ({ page }) => {
  await logIn(page, demo.supervisor);
  await page.goto('/benchmark');
  await expect(page.getByTestId('benchmark-page')).toBeVisible();
  // The demo offers web chat and e-mail: both "internet" rows say so, beside 25 % and 79.3 %.
  await expect(page.getByTestId('benchmark-offering-web_chat')).toContainText('25');
  await expect(page.getByTestId('benchmark-offering-internet_customer_service')).toContainText('79,3');
  // The channel mix comes from the projected history, drawn as a chart.
  await expect(page.getByTestId('benchmark-mix').locator('svg.recharts-surface').first()).toBeVisible();
  await expect(page.getByTestId('benchmark-profit')).toBeVisible();
  await expect(page.getByTestId('benchmark-maturity')).toBeVisible();
  await expect(page.getByTestId('maturity-save')).toBeDisabled();
});

test('the demo ships with office hours, service-level policies and disposition codes', async ({ page }) => {
  await logIn(page, demo.admin);
  await page.goto('/settings/sla');
  await expect(page.locator('[data-testid="sla-calendar-row"][data-name="Kantooruren"]')).toBeVisible();
  await expect(page.getByTestId('sla-policy-row').first()).toBeVisible();
  await page.goto('/settings/outcomes');
  await expect(page.locator('[data-testid="disposition-row"][data-code="bestelling-geplaatst"]')).toContainText('Bestelling geplaatst');
});
