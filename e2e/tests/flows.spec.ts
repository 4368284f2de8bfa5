import { expect, test } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';

// The flows editor in the browser: an admin creates a flow (the bilingual starter), sees its graph,
// breaks an exit and sees validation flag it and publishing refused, repairs and publishes it, and
// tries it in the simulator over SMS (a menu answered with "1") and over the phone (TwiML).

test('an admin edits, validates, publishes and simulates a flow', async ({ page }) => {
  test.setTimeout(90_000);
  const name = `Testflow ${Date.now().toString(36)}`;
  await logIn(page, demo.admin);
  await page.getByTestId('nav-flows').click();
  await expect(page.getByTestId('flows-page')).toBeVisible();
  await expect(page.getByTestId('flows-containment')).toBeVisible();

  await page.getByTestId('flows-new').click();
  await page.getByTestId('flow-new-name').fill(name);
  await page.getByTestId('flow-new-submit').click();
  await expect(page).toHaveURL(/\/settings\/flows\/[^/]+$/);
  await expect(page.getByTestId('flow-editor')).toBeVisible();

  // The starter's nine nodes on the canvas, no errors.
  const graph = page.getByTestId('flow-graph');
  await expect(graph.getByTestId('flow-node-welcome')).toBeVisible();
  await expect(graph.getByTestId('flow-node-menu')).toBeVisible();
  await expect(graph.locator('[data-flow-node]')).toHaveCount(9);
  await expect(page.getByTestId('flow-issue').and(page.locator('[data-severity="error"]'))).toHaveCount(0);
  await expect(page.getByTestId('flow-live-badge')).toHaveAttribute('data-version', '');

  // Point the welcome's exit at a node that does not exist.
  await graph.getByTestId('flow-node-welcome').click();
  const json = page.getByTestId('flow-node-json');
  await expect(json).toBeVisible();
  const original = await json.inputValue();
  const node = JSON.parse(original) as { id: string; exits: Record<string, string> };
  expect(node.id).toBe('welcome');
  await json.fill(JSON.stringify({ ...node, exits: { next: 'nergens' } }, null, 2));
  const error = page.getByTestId('flow-issue').and(page.locator('[data-severity="error"][data-node-id="welcome"]'));
  await expect(error.first()).toContainText('nergens');
  await expect(graph.getByTestId('flow-node-welcome')).toHaveAttribute('data-has-error', 'true');
  await expect(page.getByTestId('flow-editor')).toHaveAttribute('data-dirty', 'true');

  // Publishing saves first, and the server refuses the broken draft.
  await page.getByTestId('flow-publish').click();
  await expect(page.getByTestId('flow-publish-refused')).toContainText('nergens');
  await expect(page.getByTestId('flow-live-badge')).toHaveAttribute('data-version', '');

  // Repair, save, publish.
  await json.fill(original);
  await expect(page.getByTestId('flow-issue').and(page.locator('[data-severity="error"]'))).toHaveCount(0);
  await expect(graph.getByTestId('flow-node-welcome')).toHaveAttribute('data-has-error', 'false');
  await page.getByTestId('flow-save').click();
  await expect(page.getByTestId('flow-editor')).toHaveAttribute('data-dirty', 'false');
  await page.getByTestId('flow-publish').click();
  await expect(page.getByTestId('flow-live-badge')).toHaveAttribute('data-version', '1');
  await expect(page.getByTestId('flow-version-row')).toHaveCount(1);

  // The simulator over SMS: the menu as numbered lines, answered with "1".
  const sim = page.getByTestId('flow-simulator');
  await sim.getByTestId('sim-channel').selectOption('sms');
  await sim.getByTestId('sim-start').click();
  await expect(sim.getByTestId('sim-bot-message').first()).toContainText('Waarmee kan ik je helpen?');
  await expect(sim.getByTestId('sim-bot-message').first()).toContainText('1. Ik heb een vraag');
  await sim.getByTestId('sim-input').fill('1');
  await sim.getByTestId('sim-send').click();
  await expect(sim.getByTestId('sim-customer-message')).toHaveText(['1']);
  await expect(sim.getByTestId('sim-bot-message').last()).toContainText('Stel je vraag maar.');

  // Over the phone: TwiML with a <Gather> for the menu, and the spoken text beside it.
  await sim.getByTestId('sim-channel').selectOption('voice');
  await sim.getByTestId('sim-start').click();
  await expect(sim.getByTestId('sim-twiml')).toContainText('<Gather');
  await expect(sim.getByTestId('sim-spoken').first()).toContainText('Hallo!');
  await expect(sim.getByTestId('sim-digits')).toBeVisible();

  // Back on the list the flow is live and valid.
  await page.getByTestId('flow-back').click();
  const row = page.getByTestId('flows-table').locator('tr').filter({ hasText: name });
  await expect(row.getByTestId('flow-row-live')).toContainText('v1');
  await expect(row.getByTestId('flow-row-valid')).toHaveAttribute('data-valid', 'true');
});
