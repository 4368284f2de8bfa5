import { createHmac } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { ok, resolveOpenConversations } from '../support/desk.ts';

// Automation end to end (issue 10): an admin builds the rule "X mention with negative sentiment ->
// priority high, queue social-care" in the web app, tries it in the test panel, and saves it. X
// then delivers two mentions, as its Account Activity webhook does (signed with the app's consumer
// secret): a calm question, then an angry complaint. The supervisor's desk lists the complaint at
// the top with high priority, its routing task waits in social-care, and the conversation's side
// panel shows which rule did that.
//
// The X channel and the queue are set up through the API (the channels spec covers the channel
// form); the rule is made in the UI. The workspace is put back afterwards: all specs share a server.

const ACCOUNT_ID = '1500000000000000001';
const CUSTOMER_ID = '1500000000000000777';
const SOCIAL_CARE = 'social-care';

interface Conversation {
  id: string;
  priority: string;
  queue: string | null;
  channelType: string;
  lastMessage: { body: string } | null;
}

/** X's Account Activity delivery of one tweet mentioning the account (v1.1 Tweet format). */
function mention(tweetId: string, text: string, at: Date) {
  // X writes created_at as "Wed Nov 18 09:15:00 +0000 2026".
  const [weekday, day, month, year, time] = at.toUTCString().replace(',', '').split(' ');
  return {
    for_user_id: ACCOUNT_ID,
    tweet_create_events: [
      {
        created_at: `${weekday} ${month} ${day} ${time} +0000 ${year}`,
        id: Number(tweetId),
        id_str: tweetId,
        text,
        truncated: false,
        in_reply_to_status_id: null,
        in_reply_to_status_id_str: null,
        in_reply_to_user_id: null,
        in_reply_to_user_id_str: null,
        in_reply_to_screen_name: null,
        user: { id: Number(CUSTOMER_ID), id_str: CUSTOMER_ID, name: 'Pieter Jansen', screen_name: 'pjansen', location: null, followers_count: 5 },
        is_quote_status: false,
        entities: { hashtags: [], urls: [], user_mentions: [{ screen_name: 'hoornsupport', name: 'Hoorn Support', id: Number(ACCOUNT_ID), id_str: ACCOUNT_ID, indices: [0, 13] }], symbols: [] },
        lang: 'nl',
        timestamp_ms: String(at.getTime()),
      },
    ],
  };
}

/** Posts a delivery to the channel's webhook as X does: the raw body signed with the consumer secret. */
async function deliver(api: APIRequestContext, path: string, consumerSecret: string, delivery: unknown): Promise<void> {
  const body = JSON.stringify(delivery);
  const signature = `sha256=${createHmac('sha256', consumerSecret).update(body).digest('base64')}`;
  const res = await api.post(path, { data: body, headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature } });
  expect(res.status(), await res.text()).toBe(200);
}

/** Picks an option of a Mantine select, found by its test id. */
async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect(page.getByTestId(testId)).toHaveValue(option);
}

test('a rule made in the web app puts an angry X mention at the top of the desk with high priority', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const suffix = Date.now().toString(36);
  const ruleName = `X boos naar social care ${suffix}`;
  const consumerSecret = `e2e-consumer-secret-${suffix}`;
  const api = page.request;

  await logIn(page, demo.admin);

  // ---- setup through the API: an X channel (the demo has none) and the social-care queue
  const channel = await ok<{ id: string; webhookUrl: string | null }>(
    api.post('/api/channels', {
      data: { type: 'x', provider: 'x', name: `X E2E ${suffix}`, config: { accountUserId: ACCOUNT_ID }, secrets: { consumerSecret, userAccessToken: `e2e-user-token-${suffix}` } },
    }),
    201,
  );
  const webhookPath = new URL(channel.webhookUrl ?? `/channels/x/${channel.id}/webhook`, 'http://localhost').pathname;
  expect(webhookPath).toBe(`/channels/x/${channel.id}/webhook`);
  const queues = (await ok<{ items: Array<{ id: string; name: string }> }>(api.get('/api/routing/queues'))).items;
  let socialCare = queues.find((q) => q.name === SOCIAL_CARE);
  const ownQueue = !socialCare;
  socialCare ??= await ok<{ id: string; name: string }>(api.post('/api/routing/queues', { data: { name: SOCIAL_CARE, eligibility: '', order: 'fifo', serviceLevelSeconds: 60 } }), 201);
  // Nothing else waiting, so the desk's list holds only what this test delivers.
  await resolveOpenConversations(api);
  // The demo's own rules (a public complaint goes up the queue) are switched off meanwhile, so the
  // rule made here is the one that acts.
  type SavedRule = { id: string; name: string; enabled: boolean; trigger: string; conditions: unknown; actions: unknown; stop: boolean };
  const demoRules = (await ok<{ items: SavedRule[] }>(api.get('/api/automation/rules'))).items.filter((r) => r.enabled);
  const setEnabled = async (rule: SavedRule, enabled: boolean) =>
    ok(api.put(`/api/automation/rules/${rule.id}`, { data: { name: rule.name, enabled, trigger: rule.trigger, conditions: rule.conditions, actions: rule.actions, stop: rule.stop } }));
  for (const rule of demoRules) await setEnabled(rule, false);

  let ruleId: string | undefined;
  const conversationIds: string[] = [];
  try {
    // ---- the rule, made in the UI (Dutch, the default language)
    await page.getByTestId('nav-automation').click();
    await expect(page).toHaveURL(/\/settings\/automation$/);
    await expect(page.getByTestId('automation-page')).toBeVisible();
    await page.getByTestId('automation-rule-add').click();
    await expect(page.getByTestId('rule-editor')).toBeVisible();
    await page.getByTestId('rule-name').fill(ruleName);
    await expect(page.getByTestId('rule-trigger')).toHaveValue('Bericht ontvangen');

    // Conditions (all): channel is X, public post is yes, sentiment is negative.
    await page.getByTestId('rule-add-condition-all').click();
    await expect(page.getByTestId('condition-all-0-field')).toHaveValue('Kanaal');
    await expect(page.getByTestId('condition-all-0-op')).toHaveValue('is');
    await pick(page, 'condition-all-0-value', 'X');

    await page.getByTestId('rule-add-condition-all').click();
    await pick(page, 'condition-all-1-field', 'Openbaar bericht');
    await expect(page.getByTestId('condition-all-1-op')).toHaveValue('is');
    await expect(page.getByTestId('condition-all-1-value')).toBeChecked();

    await page.getByTestId('rule-add-condition-all').click();
    await pick(page, 'condition-all-2-field', 'Sentiment');
    // The operator offers only what sentiment takes.
    await page.getByTestId('condition-all-2-op').click();
    await expect(page.getByRole('option')).toHaveText(['is', 'is niet', 'is een van', 'is geen van']);
    await page.getByRole('option', { name: 'is', exact: true }).click();
    await pick(page, 'condition-all-2-value', 'Negatief');

    // Actions: priority high, route to social-care.
    await expect(page.getByTestId('action-0-type')).toHaveValue('Prioriteit zetten');
    await pick(page, 'action-0-priority', 'Hoog');
    await page.getByTestId('rule-add-action').click();
    await pick(page, 'action-1-type', 'Naar wachtrij routeren');
    await pick(page, 'action-1-queue', SOCIAL_CARE);

    // ---- the test panel, before saving: a calm mention does not match, an angry one does
    const panel = page.getByTestId('rule-test-panel');
    await pick(page, 'rule-test-channel', 'X');
    await panel.getByTestId('rule-test-public').getByText('Ja', { exact: true }).click();
    await panel.getByTestId('rule-test-text').fill('@hoornsupport Hoe laat gaat de winkel zaterdag open?');
    await page.getByTestId('rule-test-run').click();
    await expect(panel.getByTestId('rule-test-result')).toHaveAttribute('data-matched', 'false');
    await expect(panel.getByTestId('rule-test-sentiment')).toHaveAttribute('data-sentiment', 'neutral');
    await expect(panel.getByTestId('rule-test-condition').nth(2)).toHaveAttribute('data-passed', 'false');

    const complaint = `@hoornsupport Mijn pakket is alweer te laat en niemand reageert. Waardeloze service, ik ben echt boos! (${suffix})`;
    await panel.getByTestId('rule-test-text').fill(complaint);
    await page.getByTestId('rule-test-run').click();
    const result = panel.getByTestId('rule-test-result');
    await expect(result).toHaveAttribute('data-matched', 'true');
    await expect(panel.getByTestId('rule-test-verdict')).toContainText('Van toepassing');
    await expect(panel.getByTestId('rule-test-sentiment')).toHaveAttribute('data-sentiment', 'negative');
    await expect(panel.getByTestId('rule-test-language')).toContainText('Nederlands');
    await expect(panel.getByTestId('rule-test-condition')).toHaveCount(3);
    for (const condition of await panel.getByTestId('rule-test-condition').all()) await expect(condition).toHaveAttribute('data-passed', 'true');

    await page.getByTestId('rule-save').click();
    await expect(page.getByTestId('rule-editor')).toHaveCount(0);
    const row = page.getByTestId('automation-rule-row').and(page.locator(`[data-name="${ruleName}"]`));
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('automation-rule-enabled')).toBeChecked();
    ruleId = (await row.getAttribute('data-rule-id'))!;
    const saved = await ok<{ trigger: string; conditions: { all: unknown[] }; actions: unknown[] }>(api.get(`/api/automation/rules/${ruleId}`));
    expect(saved.trigger).toBe('message.received');
    expect(saved.conditions.all).toEqual([
      { field: 'channel', op: 'is', value: 'x' },
      { field: 'public', op: 'is', value: true },
      { field: 'sentiment', op: 'is', value: 'negative' },
    ]);
    expect(saved.actions).toEqual([
      { type: 'set_priority', priority: 'high' },
      { type: 'route_to_queue', queueId: socialCare.id },
    ]);

    // ---- X delivers a calm mention, then the complaint (a second later, as tweets come)
    const calm = `@hoornsupport Hoe laat gaat de winkel zaterdag open? (${suffix})`;
    const first = new Date(Math.floor(Date.now() / 1000) * 1000);
    const bad = await api.post(webhookPath, { data: JSON.stringify(mention('1900000000000000001', calm, first)), headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': 'sha256=bm90LXRoZS1yaWdodC1zaWduYXR1cmU=' } });
    expect(bad.status()).toBe(401);
    await deliver(api, webhookPath, consumerSecret, mention('1900000000000000001', calm, first));
    await deliver(api, webhookPath, consumerSecret, mention('1900000000000000002', complaint, new Date(first.getTime() + 1000)));

    const ours = async () => (await ok<{ items: Conversation[] }>(api.get('/api/conversations', { params: { view: 'all', channelType: 'x', limit: 50 } }))).items.filter((c) => c.lastMessage?.body.includes(suffix));
    await expect.poll(async () => (await ours()).length).toBe(2);
    const conversations = await ours();
    const angry = conversations.find((c) => c.lastMessage!.body === complaint)!;
    const quiet = conversations.find((c) => c.lastMessage!.body === calm)!;
    conversationIds.push(angry.id, quiet.id);
    expect(angry).toMatchObject({ priority: 'high', queue: SOCIAL_CARE });
    expect(quiet.priority).toBe('normal');
    expect(quiet.queue).not.toBe(SOCIAL_CARE);
    // Routing was told in the same transaction: the task waits in social-care at high priority.
    const tasks = (await ok<{ items: Array<{ conversationId: string; queueId: string | null; priority: number }> }>(api.get('/api/routing/tasks', { params: { state: 'all' } }))).items;
    expect(tasks.find((task) => task.conversationId === angry.id)).toMatchObject({ queueId: socialCare.id, priority: 2 });
    expect(tasks.find((task) => task.conversationId === quiet.id)).toMatchObject({ priority: 1 });

    // ---- the supervisor's desk, in queue order: the complaint on top, marked high, and the rule traced in the panel
    const supervisor = await browser.newContext().then((c) => c.newPage());
    try {
      await logIn(supervisor, demo.supervisor);
      await supervisor.getByTestId('nav-inbox').click();
      // The queue order: most urgent first, then longest waiting. The calm mention has waited
      // longer, so only its priority puts the complaint above it.
      await supervisor.getByTestId('inbox-sort').getByText('Meest urgent', { exact: true }).click();
      await expect(supervisor).toHaveURL(/sort=priority/);
      const rows = supervisor.getByTestId('conversation-row');
      await expect(rows).toHaveCount(2);
      await expect(rows.nth(0)).toHaveAttribute('data-conversation-id', angry.id);
      await expect(rows.nth(0).getByTestId('conversation-priority')).toHaveText('Hoog');
      await expect(rows.nth(1)).toHaveAttribute('data-conversation-id', quiet.id);
      await expect(rows.nth(1).getByTestId('conversation-priority')).toHaveCount(0);

      await rows.nth(0).click();
      const trace = supervisor.getByTestId('customer-panel').getByTestId('conversation-automation');
      await expect(trace.getByTestId('run-rule-name')).toHaveText(ruleName);
      await expect(trace.getByTestId('run-action').and(supervisor.locator('[data-type="set_priority"]'))).toHaveAttribute('data-outcome', 'done');
      await expect(trace.getByTestId('run-action').and(supervisor.locator('[data-type="route_to_queue"]'))).toHaveAttribute('data-outcome', 'done');
      await expect(trace.getByTestId('run-action').and(supervisor.locator('[data-type="route_to_queue"]'))).toContainText(SOCIAL_CARE);

      await rows.nth(1).click();
      await expect(supervisor.getByTestId('conversation-automation-empty')).toBeVisible();
    } finally {
      await supervisor.context().close();
    }

    // ---- the admin's run log links the run to the conversation
    await page.getByTestId('automation-tab-runs').click();
    const run = page.getByTestId('automation-run').and(page.locator(`[data-conversation-id="${angry.id}"]`));
    await expect(run.getByTestId('run-rule-name')).toHaveText(ruleName);
    await run.getByTestId('automation-run-conversation').click();
    await expect(page).toHaveURL(new RegExp(`/inbox/${angry.id}$`));
  } finally {
    // ---- put the workspace back: rule gone, nothing open, the test channel off, the queue gone
    if (ruleId) await ok(api.delete(`/api/automation/rules/${ruleId}`), 204);
    for (const id of conversationIds) await ok(api.patch(`/api/conversations/${id}`, { data: { status: 'resolved' } }));
    await resolveOpenConversations(api);
    await ok(api.patch(`/api/channels/${channel.id}`, { data: { enabled: false } }));
    if (ownQueue) await ok(api.delete(`/api/routing/queues/${socialCare.id}`), 204);
    for (const rule of demoRules) await setEnabled(rule, true);
  }
});

test('the rules list reorders, switches rules on and off, sets stop and deletes', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const api = page.request;
  await logIn(page, demo.admin);
  const make = (name: string) =>
    ok<{ id: string }>(api.post('/api/automation/rules', { data: { name, trigger: 'conversation.resolved', conditions: { all: [{ field: 'tags', op: 'contains', value: `e2e-${suffix}` }] }, actions: [{ type: 'add_tags', tags: ['e2e'] }] } }), 201);
  const first = await make(`Eerste ${suffix}`);
  const second = await make(`Tweede ${suffix}`);
  const order = async () => (await ok<{ items: Array<{ id: string; enabled: boolean; stop: boolean }> }>(api.get('/api/automation/rules'))).items.filter((r) => r.id === first.id || r.id === second.id);
  try {
    await page.goto('/settings/automation');
    const row = (id: string) => page.getByTestId('automation-rule-row').and(page.locator(`[data-rule-id="${id}"]`));
    await expect(row(first.id)).toBeVisible();
    await expect(row(second.id).getByTestId('automation-rule-when')).toContainText(`e2e-${suffix}`);

    await row(second.id).getByTestId('automation-rule-up').click();
    await expect.poll(async () => (await order()).map((r) => r.id)).toEqual([second.id, first.id]);
    // The list shows the new order (the demo's own rules stand above these two).
    await expect
      .poll(async () => {
        const ids = await page.getByTestId('automation-rule-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule-id')));
        return ids.indexOf(second.id) < ids.indexOf(first.id);
      })
      .toBe(true);

    await row(first.id).getByTestId('automation-rule-enabled').click({ force: true });
    await expect(row(first.id).getByTestId('automation-rule-enabled')).not.toBeChecked();
    await row(second.id).getByTestId('automation-rule-stop').click({ force: true });
    await expect(row(second.id).getByTestId('automation-rule-stop')).toBeChecked();
    await expect.poll(async () => (await order()).map((r) => [r.enabled, r.stop])).toEqual([[true, true], [false, false]]);

    page.once('dialog', (dialog) => void dialog.accept());
    await row(first.id).getByTestId('automation-rule-delete').click();
    await expect(row(first.id)).toHaveCount(0);
    expect((await order()).map((r) => r.id)).toEqual([second.id]);
  } finally {
    for (const { id } of await order()) await ok(api.delete(`/api/automation/rules/${id}`), 204);
  }
});
