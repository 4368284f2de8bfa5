import { expect, type Page } from '@playwright/test';

/** Opens the chat on the demo shop (`/demo`, or `/demo?bot=1`: the chat the demo flow greets) as a new visitor and fills in the pre-chat form. */
export async function openChat(page: Page, name: string, path = '/demo'): Promise<void> {
  await page.goto(path);
  await page.getByTestId('hoorn-launcher').click();
  await expect(page.getByTestId('hoorn-panel')).toBeVisible();
  await page.getByTestId('prechat-name').fill(name);
  await page.getByTestId('prechat-email').fill(`${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.nl`);
  await page.getByTestId('prechat-consent').check();
  await page.getByTestId('prechat-submit').click();
  await expect(page.getByTestId('composer-input')).toBeVisible();
}

/** Sends a message from the widget and waits until it shows in the widget's history. */
export async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
  await expect(page.getByTestId('message').filter({ hasText: text })).toBeVisible();
}
