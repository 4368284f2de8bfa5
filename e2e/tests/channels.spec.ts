import { expect, test, type Page } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.ts';

// Channels end to end: an admin connects a Telegram bot in the admin screens, pointing its API
// address at a fake Bot API started in this process; the connection test reaches the fake; a
// Telegram Update posted to the channel's webhook becomes a conversation in the desk; the reply
// typed there reaches the fake as sendMessage to the customer's chat.

const CHAT_ID = 5550001;

/** Opens the channels page from the navigation. */
async function openChannels(page: Page): Promise<void> {
  await page.getByTestId('nav-channels').click();
  await expect(page).toHaveURL(/\/settings\/channels$/);
  await expect(page.getByTestId('channels-table')).toBeVisible();
}

/** Add channel -> Telegram; leaves the form open. */
async function startTelegramForm(page: Page): Promise<void> {
  await page.getByTestId('channels-add').click();
  await page.getByTestId('channel-type-telegram-telegram').click();
  await expect(page.getByTestId('channel-form')).toHaveAttribute('data-type', 'telegram');
}

function channelRow(page: Page, name: string) {
  return page.getByTestId('channels-table').locator('tbody tr').filter({ has: page.getByTestId('channel-name-cell').getByText(name, { exact: true }) });
}

let fake: FakeTelegram;

test.beforeAll(async () => {
  fake = await startFakeTelegram();
});

test.afterAll(async () => {
  await fake?.close();
});

test('an admin connects Telegram, a customer writes, and the desk reply reaches Telegram', async ({ page }) => {
  test.setTimeout(60_000);
  const suffix = Date.now().toString(36);
  const name = `Telegram E2E ${suffix}`;
  const botToken = `123456789:AAE2e-${suffix}_abcdefghijklmnop`;
  const webhookSecret = `e2e-secret-${suffix}-0123456789`;

  await logIn(page, demo.admin);
  await openChannels(page);

  // ---- add the channel through the generated form
  await startTelegramForm(page);
  await page.getByTestId('channel-name').fill(name);
  await page.getByTestId('channel-field-botToken').fill(botToken);
  await page.getByTestId('channel-field-webhookSecret').fill(webhookSecret);
  await page.getByTestId('channel-field-apiBaseUrl').fill(fake.url);
  await page.getByTestId('channel-form-submit').click();
  await expect(page.getByTestId('channel-form')).toHaveCount(0);

  const row = channelRow(page, name);
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('channel-type-badge')).toHaveAttribute('data-type', 'telegram');
  await expect(row.getByTestId('channel-secrets').locator('[data-secret="botToken"]')).toBeVisible();
  await expect(row.getByTestId('channel-secrets').locator('[data-secret="webhookSecret"]')).toBeVisible();

  // ---- test connection: getMe on the fake, with the token typed in the form
  await row.getByTestId('channel-test').click();
  const result = row.getByTestId('channel-test-result');
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(result).toContainText('Connected as @hoorn_e2e_bot');
  expect(fake.callsTo('getMe').map((c) => c.token)).toContain(botToken);

  // ---- editing keeps the secrets when their inputs are left empty
  await row.getByTestId('channel-edit').click();
  await expect(page.getByTestId('channel-field-webhookSecret')).toHaveValue('');
  await expect(page.getByTestId('channel-field-webhookSecret-set')).toBeVisible();
  await expect(page.getByTestId('channel-field-apiBaseUrl')).toHaveValue(fake.url);
  await page.getByTestId('channel-form-submit').click();
  await expect(page.getByTestId('channel-form')).toHaveCount(0);
  await expect(row.getByTestId('channel-secrets').locator('[data-secret]')).toHaveCount(2);

  // ---- Telegram delivers an Update to the webhook URL shown in the table
  const webhookUrl = (await row.getByTestId('channel-webhook-url').textContent())!.trim();
  expect(webhookUrl).toMatch(/\/channels\/telegram\/[0-9a-f-]{36}\/webhook$/);
  const question = `Waar blijft mijn bestelling? (${suffix})`;
  const update = {
    update_id: 1,
    message: {
      message_id: 1,
      from: { id: CHAT_ID, is_bot: false, first_name: 'Sanne', language_code: 'nl' },
      chat: { id: CHAT_ID, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text: question,
    },
  };
  const refused = await page.request.post(webhookUrl, { headers: { 'X-Telegram-Bot-Api-Secret-Token': 'not-the-right-secret-123' }, data: update });
  expect(refused.status()).toBe(401);
  const delivered = await page.request.post(webhookUrl, { headers: { 'X-Telegram-Bot-Api-Secret-Token': webhookSecret }, data: update });
  expect(delivered.status(), await delivered.text()).toBe(200);

  // ---- the rejected-deliveries drawer opens (a good delivery is not a reject)
  await row.getByTestId('channel-rejects').click();
  await expect(page.getByTestId('channel-rejects-empty')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('channel-rejects-empty')).toHaveCount(0);

  // ---- the admin opens the conversation in the desk (it waits in routing: agents are offline)
  await page.getByTestId('nav-inbox').click();
  const conversation = page.getByTestId('conversation-row').filter({ hasText: suffix });
  await expect(conversation).toHaveCount(1);
  await conversation.click();
  await expect(page.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: question })).toBeVisible();
  await expect(page.getByTestId('conversation-title')).toContainText('Sanne');
  await expect(page.getByTestId('conversation-channel')).toHaveAttribute('data-channel-type', 'telegram');
  // Telegram carries 4096 characters and has no reply window.
  await expect(page.getByTestId('reply-counter')).toContainText('4096');
  await expect(page.getByTestId('reply-window')).toHaveCount(0);

  const answer = `Hallo Sanne, uw pakket komt morgen (${suffix}).`;
  await page.getByTestId('reply-input').fill(answer);
  await expect(page.getByTestId('reply-counter')).toContainText(`${answer.length} / 4096`);
  await page.getByTestId('reply-send').click();
  const sent = page.getByTestId('timeline-message').filter({ hasText: answer }).and(page.locator('[data-direction="outbound"]:not([data-pending])'));
  await expect(sent).toBeVisible();
  await expect(sent.getByTestId('message-status')).toHaveAttribute('data-status', 'sent', { timeout: 15_000 });

  await expect.poll(() => fake.callsTo('sendMessage').map((c) => c.body), { timeout: 15_000 }).toContainEqual({ chat_id: CHAT_ID, text: answer });
  expect(fake.callsTo('sendMessage').find((c) => c.body?.text === answer)?.token).toBe(botToken);

  // ---- leave the workspace as the other specs expect it: nothing open, the test channel off
  const conversationId = (await conversation.getAttribute('data-conversation-id'))!;
  expect((await page.request.patch(`/api/conversations/${conversationId}`, { data: { status: 'resolved' } })).status()).toBe(200);
  await openChannels(page);
  const toggle = channelRow(page, name).getByTestId('channel-enabled-switch');
  await expect(toggle).toBeChecked();
  await toggle.click({ force: true });
  await expect(toggle).not.toBeChecked();
  await page.reload();
  await expect(channelRow(page, name).getByTestId('channel-enabled-switch')).not.toBeChecked();
});

test('the Dutch form shows Dutch labels and the server refusing a wrong webhook secret', async ({ page }) => {
  await logIn(page, demo.admin);
  // Dutch is the default language of a fresh browser.
  await expect(page.getByTestId('nav-channels')).toHaveText('Kanalen');
  await openChannels(page);
  await expect(page.getByTestId('page-title')).toHaveText('Kanalen');
  await expect(page.getByTestId('channels-add')).toHaveText('Kanaal toevoegen');
  await expect(page.getByTestId('channels-table').locator('thead')).toContainText('Webhook-URL');

  await startTelegramForm(page);
  const form = page.getByTestId('channel-form');
  await expect(form).toContainText('Bot-token (van @BotFather)');
  await expect(form).toContainText('Webhook-geheim');
  await expect(form).toContainText('Geef dit als secret_token aan setWebhook.');
  await expect(form).toContainText('API-adres');
  await expect(page.getByTestId('channel-form-submit')).toHaveText('Toevoegen');

  const name = `Telegram fout ${Date.now().toString(36)}`;
  await page.getByTestId('channel-name').fill(name);
  await page.getByTestId('channel-field-botToken').fill('123456789:AAE2e_abcdefghijklmnopqrstuv');
  await page.getByTestId('channel-field-webhookSecret').fill('te kort!');
  await page.getByTestId('channel-field-apiBaseUrl').fill(fake.url);
  await page.getByTestId('channel-form-submit').click();

  const error = page.getByTestId('channel-form-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('De server weigert deze instellingen');
  await expect(error).toContainText('Webhook-geheim: 16-256 characters of A-Z, a-z, 0-9, _ and -');
  // The field itself is marked, and nothing was created.
  await expect(page.getByTestId('channel-field-webhookSecret')).toHaveAttribute('data-invalid', 'true');
  await page.getByTestId('channel-form-cancel').click();
  await expect(channelRow(page, name)).toHaveCount(0);
});

test('the composer follows the reply options: counter, closed window with a template, opt-out', async ({ page }) => {
  test.setTimeout(45_000);
  const suffix = Date.now().toString(36);
  const webhookSecret = `e2e-window-${suffix}-0123456789`;
  await logIn(page, demo.admin);
  // A Telegram channel and a conversation on it, set up through the API this time.
  const created = await page.request.post('/api/channels', {
    data: { type: 'telegram', provider: 'telegram', name: `Telegram venster ${suffix}`, enabled: true, config: { apiBaseUrl: fake.url }, secrets: { botToken: '123456789:AAE2e_window_abcdefghijklmnop', webhookSecret } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const channel = (await created.json()) as { id: string; webhookUrl: string };
  const question = `Kan ik nog ruilen? (${suffix})`;
  const update = {
    update_id: 2,
    message: { message_id: 2, from: { id: 5550002, is_bot: false, first_name: 'Joris' }, chat: { id: 5550002, type: 'private' }, date: Math.floor(Date.now() / 1000), text: question },
  };
  expect((await page.request.post(channel.webhookUrl, { headers: { 'X-Telegram-Bot-Api-Secret-Token': webhookSecret }, data: update })).status()).toBe(200);

  // Telegram has no reply window; the test answers reply-options as a WhatsApp-like channel would.
  let options: Record<string, unknown> = {
    maxTextLength: 20,
    attachments: null,
    window: { hours: 24, closesAt: new Date(Date.now() - 60_000).toISOString(), open: false },
    templates: [{ name: 'order_update', language: 'nl', body: 'Hallo {{1}}, uw bestelling {{2}} is onderweg.', parameters: 2 }],
    optedOut: false,
  };
  await page.route('**/api/conversations/*/reply-options', (route) => route.fulfill({ json: options }));
  let posted: Record<string, unknown> | null = null;
  await page.route('**/api/conversations/*/messages', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    posted = route.request().postDataJSON() as Record<string, unknown>;
    await route.fulfill({ status: 409, json: { error: { code: 'reply_window_closed', message: 'The 24-hour reply window is closed: send an approved template' } } });
  });

  await page.getByTestId('nav-inbox').click();
  await page.getByTestId('conversation-row').filter({ hasText: suffix }).click();
  await expect(page.getByTestId('timeline-message').filter({ hasText: question })).toBeVisible();

  // ---- closed window: free text disabled with the reason, a template with its parameters instead
  const box = page.getByTestId('reply-box');
  await expect(box.getByTestId('reply-window')).toHaveAttribute('data-open', 'false');
  await expect(box.getByTestId('reply-window')).toContainText('24 uur');
  await expect(page.getByTestId('reply-input')).toBeDisabled();
  await expect(page.getByTestId('template-preview')).toContainText('Hallo {{1}}, uw bestelling {{2}} is onderweg.');
  await expect(page.getByTestId('template-send')).toBeDisabled();
  await page.getByTestId('template-parameter-1').fill('Joris');
  await page.getByTestId('template-parameter-2').fill('A-1234');
  await expect(page.getByTestId('template-preview')).toHaveText('Hallo Joris, uw bestelling A-1234 is onderweg.');
  await page.getByTestId('template-send').click();
  await expect.poll(() => posted).toMatchObject({ body: '', kind: 'message', template: { name: 'order_update', language: 'nl', parameters: ['Joris', 'A-1234'] } });
  // The refusal is explained in Dutch on the pending message, which can be discarded.
  await expect(page.getByTestId('timeline-message').filter({ hasText: 'Het antwoordvenster is gesloten' })).toBeVisible();
  await page.getByTestId('message-discard').click();

  // ---- open window: "sluit over 3 u", and the counter against the channel's maximum
  options = { ...options, window: { hours: 24, closesAt: new Date(Date.now() + 3 * 3_600_000 + 120_000).toISOString(), open: true } };
  await page.reload();
  await expect(box.getByTestId('reply-window')).toHaveText('Antwoordvenster sluit over 3 u');
  await expect(page.getByTestId('reply-input')).toBeEnabled();
  await page.getByTestId('reply-input').fill('Dit antwoord is veel te lang.');
  await expect(page.getByTestId('reply-counter')).toHaveText('29 / 20');
  await expect(page.getByTestId('reply-counter')).toHaveAttribute('data-over', 'true');
  await expect(page.getByTestId('reply-send')).toBeDisabled();

  // ---- opted out: a warning, and no reply can be sent (a note can)
  options = { ...options, optedOut: true };
  await page.reload();
  await expect(page.getByTestId('reply-opted-out')).toBeVisible();
  await expect(page.getByTestId('reply-input')).toBeDisabled();

  await page.unrouteAll({ behavior: 'ignoreErrors' });
  const conversationId = (await page.getByTestId('conversation-row').filter({ hasText: suffix }).getAttribute('data-conversation-id'))!;
  expect((await page.request.patch(`/api/conversations/${conversationId}`, { data: { status: 'resolved' } })).status()).toBe(200);
  expect((await page.request.patch(`/api/channels/${channel.id}`, { data: { enabled: false } })).status()).toBe(200);
});
