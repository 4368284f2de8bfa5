import { expect, test } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { openChat, say } from '../support/widget.ts';

// Customer 360 in the browser: the Klantwaarde page over the demo's fitted value model; a chat
// visitor merged by hand with the shop customer she is (her tier then shows in the desk), the
// merge undone by the supervisor; and an admin erasing a customer's personal data.

test('the Klantwaarde page shows the demo model, tiers and the customers at risk', async ({ page }) => {
  await logIn(page, demo.supervisor);
  await page.getByTestId('nav-clv').click();
  await expect(page.getByTestId('clv-page')).toBeVisible();
  await expect(page.getByTestId('clv-model')).toBeVisible();
  await expect(page.getByTestId('clv-no-model')).toHaveCount(0);
  const rows = page.getByTestId('clv-at-risk-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(3);
  // Ordered by value at risk, highest first.
  const values = await page.getByTestId('clv-at-risk-value').allTextContents();
  const numbers = values.map((v) => Number(v.replace(/[^\d,.-]/g, '').replace(/\./g, '').replace(',', '.')));
  expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);
});

test('an agent merges a chat visitor with a shop customer, and a supervisor undoes it', async ({ browser }) => {
  test.setTimeout(60_000);
  const visitorName = `Anna ${Date.now().toString(36)}`;
  // The desk first: with nobody online the widget offers the offline form instead of a chat.
  const deskContext = await browser.newContext();
  const desk = await deskContext.newPage();
  await logIn(desk, demo.supervisor);
  await desk.getByTestId('nav-inbox').click();
  await expect(desk.getByTestId('inbox-list')).toBeVisible();

  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await openChat(customer, visitorName);
  await say(customer, 'Ik heb een vraag over mijn laatste bestelling');

  await desk.getByTestId('conversation-row').filter({ hasText: visitorName }).first().click();
  const panel = desk.getByTestId('customer-panel');
  await expect(panel.getByTestId('customer-name')).toHaveText(visitorName);
  await expect(panel.getByTestId('customer-value-unscored')).toBeVisible();

  // Merge with the demo's Anna de Jong, found by her address.
  await panel.getByTestId('merge-open').click();
  await desk.getByTestId('merge-search').fill('anna.dejong@');
  const candidate = desk.getByTestId('merge-candidate').filter({ hasText: 'Anna de Jong' });
  await expect(candidate).toHaveCount(1);
  await candidate.getByTestId('merge-candidate-merge').click();
  await expect(desk.getByTestId('merge-search')).toHaveCount(0);

  // Her e-mail identity and her value tier are now on this customer.
  await expect(panel.getByTestId('customer-identity').filter({ hasText: 'anna.dejong@example.nl' })).toBeVisible();
  await expect(panel.getByTestId('customer-value-tier')).toBeVisible();
  const item = panel.getByTestId('merge-history-item');
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-undone', 'false');

  await item.getByTestId('merge-undo').click();
  await expect(item).toHaveAttribute('data-undone', 'true');
  await expect(panel.getByTestId('customer-identity').filter({ hasText: 'anna.dejong@example.nl' })).toHaveCount(0);
  await expect(panel.getByTestId('customer-value-unscored')).toBeVisible();

  await customerContext.close();
  await deskContext.close();
});

test("an admin erases a customer's personal data; the conversation remains, its text does not", async ({ browser }) => {
  test.setTimeout(60_000);
  const visitorName = `Wis ${Date.now().toString(36)}`;
  const deskContext = await browser.newContext();
  const desk = await deskContext.newPage();
  await logIn(desk, demo.admin);
  await desk.getByTestId('nav-inbox').click();
  await expect(desk.getByTestId('inbox-list')).toBeVisible();

  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await openChat(customer, visitorName);
  const secret = 'Mijn IBAN is NL91ABNA0417164300';
  await say(customer, secret);

  await desk.getByTestId('conversation-row').filter({ hasText: visitorName }).first().click();
  const timeline = desk.getByTestId('timeline');
  await expect(timeline.getByTestId('message-body').filter({ hasText: secret })).toBeVisible();

  const panel = desk.getByTestId('customer-panel');
  await panel.getByTestId('customer-erase-open').click();
  const erase = desk.getByTestId('customer-erase');
  await expect(erase).toBeDisabled();
  await desk.getByTestId('customer-erase-confirm').fill('WISSEN');
  await erase.click();
  await expect(panel.getByTestId('customer-erased')).toBeVisible();
  await expect(timeline.getByTestId('message-redacted').first()).toBeVisible();
  await expect(timeline.getByTestId('message-body').filter({ hasText: secret })).toHaveCount(0);
  await desk.reload();
  await expect(desk.getByTestId('timeline').getByTestId('message-redacted').first()).toBeVisible();
  await expect(desk.getByText(secret)).toHaveCount(0);

  await customerContext.close();
  await deskContext.close();
});
