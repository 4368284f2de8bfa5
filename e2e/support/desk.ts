import { expect, type APIRequestContext, type APIResponse, type Page } from '@playwright/test';

/** The response's JSON after checking its status (the URL and body in the message when it differs). */
export async function ok<T>(response: Promise<APIResponse>, status = 200): Promise<T> {
  const res = await response;
  expect(res.status(), `${res.url()}: ${await res.text()}`).toBe(status);
  return (status === 204 ? undefined : await res.json()) as T;
}

/** Picks a presence in the header, as the agent would. */
export async function choosePresence(page: Page, presence: string): Promise<void> {
  const select = page.getByTestId('presence-select');
  await expect(select).toBeVisible();
  if ((await select.getAttribute('data-presence')) === presence) return;
  await select.click();
  await page.getByRole('option', { name: presence, exact: true }).click();
  await expect(select).toHaveAttribute('data-presence', presence);
  await expect(select).toHaveAttribute('data-routable', presence === 'available' ? 'true' : 'false');
}

/** Resolves every conversation still open, so no earlier chat is waiting to be offered. */
export async function resolveOpenConversations(api: APIRequestContext): Promise<void> {
  for (;;) {
    // Without a status filter the list holds only conversations that are not resolved.
    const { items } = await ok<{ items: Array<{ id: string }> }>(api.get('/api/conversations', { params: { view: 'all', limit: 200 } }));
    if (items.length === 0) return;
    for (const { id } of items) await ok(api.patch(`/api/conversations/${id}`, { data: { status: 'resolved' } }));
  }
}
