import { expect, test } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { openChat, say } from '../support/widget.ts';

// The first end-to-end loop: a customer writes in the widget on the demo shop, an agent sees it
// live in the desk, answers, and the customer sees the answer; reloads keep both histories.

test('a customer chats on the demo shop and an agent answers live', async ({ browser }) => {
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await logIn(agent, demo.agent);
  await agent.getByTestId('nav-inbox').click();
  await expect(agent.getByTestId('inbox-list')).toBeVisible();

  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await openChat(customer, 'Marieke');
  const question = `Waar blijft bestelling ${Date.now()}?`;
  await say(customer, question);

  // The agent sees the new conversation arrive without reloading, and opens it.
  const row = agent.getByTestId('conversation-row').filter({ hasText: 'Marieke' }).first();
  await expect(row).toBeVisible();
  await row.click();
  await expect(agent.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: question })).toBeVisible();

  const answer = 'Hij is onderweg en komt morgen voor 12:00.';
  await agent.getByTestId('reply-input').fill(answer);
  await agent.getByTestId('reply-send').click();
  await expect(agent.getByTestId('timeline-message').filter({ hasText: answer })).toBeVisible();

  const reply = customer.getByTestId('message').filter({ hasText: answer });
  await expect(reply).toBeVisible();
  await expect(reply).toHaveAttribute('data-direction', 'outbound');

  // Reload on both sides keeps the history.
  await customer.reload();
  // The widget remembers that it was open.
  await expect(customer.getByTestId('message').filter({ hasText: question })).toBeVisible();
  await expect(customer.getByTestId('message').filter({ hasText: answer })).toBeVisible();
  await agent.reload();
  await expect(agent.getByTestId('timeline-message').filter({ hasText: question })).toBeVisible();
  await expect(agent.getByTestId('timeline-message').filter({ hasText: answer })).toBeVisible();

  await customerContext.close();
  await agentContext.close();
});

test("a customer's markup is shown as text in the desk and never runs", async ({ browser }) => {
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await logIn(agent, demo.agent);
  await agent.getByTestId('nav-inbox').click();

  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await openChat(customer, 'Mallory');
  const image = '<img src=x onerror="window.__xss=1">';
  const script = '<script>window.__xss=2</script>';
  await say(customer, image);
  await say(customer, script);

  const row = agent.getByTestId('conversation-row').filter({ hasText: 'Mallory' }).first();
  await row.click();
  const timeline = agent.getByTestId('timeline');
  await expect(timeline.getByTestId('message-body').filter({ hasText: image })).toBeVisible();
  await expect(timeline.getByTestId('message-body').filter({ hasText: script })).toBeVisible();
  // The list preview shows it as text too.
  await expect(agent.getByTestId('inbox-list')).toContainText('<script>');

  expect(await timeline.locator('img[src="x"], script').count()).toBe(0);
  expect(await agent.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await agent.reload();
  await expect(agent.getByTestId('timeline').getByTestId('message-body').filter({ hasText: image })).toBeVisible();
  expect(await agent.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  await customerContext.close();
  await agentContext.close();
});
