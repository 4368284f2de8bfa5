import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { ok } from '../support/desk.ts';

// Webhooks and campaigns end to end (issue 10): an admin adds a webhook endpoint pointing at a
// receiver this test runs on 127.0.0.1 (the e2e server allows private targets), corrects its URL,
// sends the test event and finds the delivery with its attempt in the log; then a supervisor makes
// an e-mail campaign on the demo mail channel to a segment of one (an attribute set for the test),
// previews it, launches it and sees the recipient sent and the sent count. All specs share a
// server: the endpoint is removed afterwards and the test's attribute is unique.

/** The organisation's system: answers 200 and keeps what it got. */
async function startReceiver() {
  const received: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ontvangen');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { received, url: (path: string) => `http://127.0.0.1:${port}${path}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Picks an option of a Mantine select, found by its test id (within a scope). */
async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('an admin adds a webhook endpoint, corrects it, tests it and sees the delivery with its attempt', async ({ page }) => {
  const receiver = await startReceiver();
  const suffix = Date.now().toString(36);
  const name = `Ontvanger ${suffix}`;
  let endpointId: string | undefined;
  try {
    await logIn(page, demo.admin);
    await page.goto('/settings/automation?tab=webhooks');
    const tab = page.getByTestId('automation-webhooks');
    await tab.getByTestId('webhook-add').click();
    const form = tab.getByTestId('webhook-form');
    await form.getByTestId('webhook-name').fill(name);
    await form.getByTestId('webhook-url').fill(receiver.url('/verkeerd'));
    await form.getByTestId('webhook-save').click();
    // The secret, this once.
    await expect(page.getByTestId('webhook-secret')).toContainText('whsec_');
    await page.getByTestId('webhook-secret-done').click();

    const row = tab.getByTestId('webhook-row').filter({ hasText: name });
    await expect(row).toBeVisible();
    endpointId = (await row.getAttribute('data-endpoint-id')) ?? undefined;

    // The URL was wrong: correct it, and narrow the event types.
    await row.getByTestId('webhook-edit').click();
    const edit = tab.getByTestId('webhook-edit-form');
    await edit.getByTestId('webhook-url').fill(receiver.url('/hoorn'));
    await edit.getByTestId('webhook-event-types').fill('conversation.*');
    await edit.getByTestId('webhook-event-types').press('Enter');
    await edit.getByTestId('webhook-save').click();
    await expect(edit).toBeHidden();
    await expect(row).toContainText(receiver.url('/hoorn'));
    await expect(row).toContainText('conversation.*');

    await row.getByTestId('webhook-test').click();
    await expect(row.getByTestId('webhook-test')).toHaveText(/queued|verstuurd|klaar|wachtrij/i);
    await expect.poll(() => receiver.received.filter((r) => r.path === '/hoorn').length, { timeout: 20_000 }).toBe(1);
    expect(receiver.received.filter((r) => r.path === '/verkeerd')).toHaveLength(0);
    const got = receiver.received.find((r) => r.path === '/hoorn')!;
    expect(got.headers['hoorn-event-type']).toBe('webhook.test');
    expect(String(got.headers['hoorn-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    // The log: the test delivery, delivered, with one attempt answered 200 and the receiver's words.
    await row.getByTestId('webhook-deliveries').click();
    const log = tab.getByTestId('webhook-log');
    const delivery = log.getByTestId('webhook-delivery').first();
    await expect(async () => {
      await log.getByRole('button', { name: /Refresh|Vernieuwen/ }).click();
      await expect(delivery).toHaveAttribute('data-status', 'delivered', { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(delivery).toContainText('webhook.test');
    await delivery.getByTestId('webhook-delivery-attempts').click();
    const attempts = log.getByTestId('webhook-attempt');
    await expect(attempts).toHaveCount(1);
    await expect(attempts.first()).toHaveAttribute('data-status-code', '200');
    await expect(attempts.first()).toContainText('HTTP 200');
    await expect(attempts.first()).toContainText('ontvangen');
  } finally {
    if (endpointId) await ok(page.request.delete(`/api/webhooks/${endpointId}`), 204);
    await receiver.close();
  }
});

test('a supervisor makes an e-mail campaign to a segment, previews and launches it, and sees it sent', async ({ page }) => {
  test.setTimeout(90_000);
  const suffix = Date.now().toString(36);
  const campaignName = `Voorjaarsactie ${suffix}`;

  await logIn(page, demo.supervisor);
  // One demo customer (they all have an e-mail address) gets this test's own attribute: the segment.
  const { items } = await ok<{ items: Array<{ id: string; name: string | null }> }>(page.request.get('/api/customers', { params: { q: 'example.nl', limit: 20 } }));
  const target = items[items.length - 1]!;
  await ok(page.request.patch(`/api/customers/${target.id}`, { data: { attributes: { e2eCampaign: suffix } } }));

  await page.goto('/settings/automation?tab=campaigns');
  const tab = page.getByTestId('automation-campaigns');
  await tab.getByTestId('campaign-add').click();
  const editor = tab.getByTestId('campaign-editor');
  await editor.getByTestId('campaign-name').fill(campaignName);
  await pick(page, 'campaign-channel', 'Klantenservice (e-mail) (email)');
  await editor.getByTestId('campaign-subject').fill('Voorjaar bij De Hoorn');
  await editor.getByTestId('campaign-text').fill('Beste {{customer.first_name}}, deze week 15% korting.');
  await editor.getByTestId('campaign-attribute-add').click();
  await editor.getByTestId('campaign-attribute-key').fill('e2eCampaign');
  await editor.getByTestId('campaign-attribute-value').fill(suffix);
  // Choosing a start and the dynamic switch are there; this campaign starts at launch and is static.
  await expect(editor.getByTestId('campaign-scheduled-at')).toHaveValue('');
  await expect(editor.getByTestId('campaign-dynamic')).not.toBeChecked();
  await editor.getByTestId('campaign-save').click();

  const row = tab.getByTestId('campaign-row').filter({ hasText: campaignName });
  await expect(row).toHaveAttribute('data-status', 'draft');
  await row.getByTestId('campaign-preview').click();
  const preview = tab.getByTestId('campaign-preview-panel');
  await expect(preview.getByTestId('campaign-preview-size')).toContainText('1');
  await expect(preview.getByTestId('campaign-preview-sendable')).toContainText('1');

  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByTestId('campaign-launch').click();
  await expect(row).not.toHaveAttribute('data-status', 'draft');

  // The campaign job runs every 15 seconds: the recipient goes from pending to sent.
  await expect(async () => {
    await page.reload();
    const launched = page.getByTestId('campaign-row').filter({ hasText: campaignName });
    await launched.getByTestId('campaign-recipients').click();
    const recipient = page.getByTestId('campaign-recipients-panel').getByTestId('campaign-recipient');
    await expect(recipient).toHaveCount(1, { timeout: 2_000 });
    await expect(recipient).toHaveAttribute('data-status', 'sent', { timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [3_000] });
  const launched = page.getByTestId('campaign-row').filter({ hasText: campaignName });
  await expect(page.getByTestId('campaign-recipient')).toContainText(target.name ?? target.id);
  await launched.getByTestId('campaign-results').click();
  const results = page.getByTestId('campaign-results-panel');
  await expect(results.getByTestId('campaign-result-recipients')).toContainText('1');
  await expect(results.getByTestId('campaign-result-sent')).toContainText('1');
  // The job marks it done on its next round (every 15 s) once nobody is waiting.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('campaign-row').filter({ hasText: campaignName })).toHaveAttribute('data-status', 'done', { timeout: 2_000 });
  }).toPass({ timeout: 45_000, intervals: [3_000] });
});
