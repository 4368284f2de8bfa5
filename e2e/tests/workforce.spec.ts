import { expect, test, type Page } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';

// Workforce planning as a supervisor of the demo workspace: the forecast drawn from the demo's three
// weeks of seeded contacts, then a simulated day built from the workspace, run on the server, varied
// with more agents, run again, and the two runs compared side by side.

/** A run of the simulation queue can take a few seconds to be picked up and a few more to finish. */
const RUN_TIMEOUT = 90_000;

const runRow = (page: Page, name: string) => page.locator(`[data-testid="sim-run-row"][data-name="${name}"]`);

test('the forecast page draws the forecast from the demo history', async ({ page }) => {
  await logIn(page, demo.supervisor);
  await page.goto('/workforce/forecast');
  await expect(page.getByTestId('forecast-page')).toBeVisible();
  await expect(page.getByTestId('forecast-empty')).toHaveCount(0);
  await expect(page.getByTestId('forecast-chart').locator('svg.recharts-surface').first()).toBeVisible();
  await expect(page.getByTestId('forecast-chart').locator('.recharts-line-curve').first()).toBeVisible();
  // Seven days by default, one row each.
  await expect(page.getByTestId('forecast-day-row')).toHaveCount(7);
});

test('the staffing page draws the curve of the day and says how the service level is counted', async ({ page }) => {
  await logIn(page, demo.supervisor);
  await page.goto('/workforce/staffing');
  await expect(page.getByTestId('staffing-convention')).toBeVisible();
  await expect(page.getByTestId('staffing-chart').locator('.recharts-area').first()).toBeVisible();
  // One day of 30-minute intervals in the table (all streams together); a day when the clocks
  // change has one hour more or less.
  await expect(page.getByTestId('staffing-row').first()).toBeVisible();
  expect([46, 48, 50]).toContain(await page.getByTestId('staffing-row').count());
});

test('a scenario from the workspace, and a variant with more agents, run and compare', async ({ page }) => {
  test.setTimeout(4 * RUN_TIMEOUT);
  await logIn(page, demo.supervisor);
  await page.goto('/workforce/simulations');
  await expect(page.getByTestId('simulation-page')).toBeVisible();

  await page.getByTestId('sim-from-workspace').click();
  const editor = page.getByTestId('scenario-editor');
  await expect(editor).toBeVisible();
  await expect(editor.getByTestId('scenario-group-row').first()).toBeVisible();
  await editor.getByTestId('scenario-name').fill('E2E basis');
  await editor.getByTestId('scenario-run').click();
  await expect(page.getByTestId('sim-started')).toBeVisible();
  await expect(runRow(page, 'E2E basis')).toHaveAttribute('data-status', 'done', { timeout: RUN_TIMEOUT });

  // The variant: a copy of the finished run's scenario, numbered, with two more agents in the first group.
  await runRow(page, 'E2E basis').getByTestId('sim-run-variant').click();
  await expect(editor.getByTestId('scenario-name')).toHaveValue('E2E basis — variant 2');
  const count = editor.getByTestId('scenario-group-count').first();
  const before = Number(await count.inputValue());
  await count.fill(String(before + 2));
  await count.blur();
  await expect(count).toHaveValue(String(before + 2));
  await editor.getByTestId('scenario-run').click();
  await expect(runRow(page, 'E2E basis — variant 2')).toHaveAttribute('data-status', 'done', { timeout: RUN_TIMEOUT });

  await runRow(page, 'E2E basis').getByTestId('sim-run-compare').check();
  await runRow(page, 'E2E basis — variant 2').getByTestId('sim-run-compare').check();
  const table = page.getByTestId('sim-compare-table');
  await expect(table.getByTestId('sim-compare-run')).toHaveCount(2);
  await expect(table.getByTestId('sim-compare-run').nth(0)).toContainText('E2E basis');
  await expect(table.getByTestId('sim-compare-run').nth(1)).toContainText('E2E basis — variant 2');
  // Both runs have figures: offered contacts are counted, and the variant's agents are two more.
  await expect(table.getByTestId('sim-compare-offered').locator('td')).toHaveCount(3);
  const agents = table.getByTestId('sim-compare-agents').locator('td');
  expect(Number(await agents.nth(2).innerText()) - Number(await agents.nth(1).innerText())).toBe(2);
  await expect(page.getByTestId('sim-compare-sl').locator('.recharts-line-curve')).toHaveCount(2);
});
