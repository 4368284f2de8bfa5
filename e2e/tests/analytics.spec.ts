import { expect, test, type Locator } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { ok, resolveOpenConversations } from '../support/desk.ts';
import { openChat, say } from '../support/widget.ts';

// The wallboard follows the contact centre live: a chat that starts on the demo shop shows up in
// the waiting count without a reload. And the reports page renders the demo workspace's figures.
//
// All specs share one server, so the test reads the figure before and expects one more, whatever
// other specs left waiting; and it makes sure nobody is available to pick the chat up at once.

interface RoutingAgent {
  userId: string;
  presence: string;
}
interface Board {
  queues: Array<{ queueId: string; name: string; waiting: number }>;
}

const figure = async (locator: Locator) => Number((await locator.textContent())?.trim());

test('the wallboard counts a new chat as waiting without a reload', async ({ page, browser }) => {
  await logIn(page, demo.supervisor);
  const api = page.request;
  const agents = (await ok<{ items: RoutingAgent[] }>(api.get('/api/routing/agents'))).items;
  const away = agents.filter((a) => a.presence !== 'offline');
  for (const agent of away) await ok(api.put(`/api/routing/agents/${agent.userId}/presence`, { data: { presence: 'offline' } }));

  try {
    await page.goto('/wallboard');
    await expect(page.getByTestId('realtime-status')).toHaveAttribute('data-state', 'open');
    const total = page.getByTestId('wallboard-waiting-total');
    await expect(total).toBeVisible();
    // The demo's default workflow sends a general question to the queue "Algemeen".
    const board = await ok<Board>(api.get('/api/analytics/wallboard'));
    const general = board.queues.find((q) => q.name === 'Algemeen')!;
    expect(general).toBeTruthy();
    const tile = page.getByTestId(`wallboard-waiting-${general.queueId}`);
    await expect(tile).toBeVisible();
    const totalBefore = await figure(total);
    const generalBefore = await figure(tile);
    // A marker that a reload would wipe.
    await page.evaluate(() => ((window as unknown as { wallboardMarker: string }).wallboardMarker = 'still here'));

    const visitorContext = await browser.newContext();
    const visitor = await visitorContext.newPage();
    await openChat(visitor, 'Wallboard Bezoeker');
    await say(visitor, `Waar blijft bestelling ${Date.now()}?`);

    await expect(tile).toHaveText(String(generalBefore + 1));
    await expect.poll(() => figure(total)).toBeGreaterThanOrEqual(totalBefore + 1);
    // Nobody is available while a customer waits: the alert strip says so.
    await expect(page.getByTestId('wallboard-alert').filter({ hasText: 'Algemeen' }).and(page.locator('[data-kind="no_agent_available"]'))).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { wallboardMarker?: string }).wallboardMarker)).toBe('still here');
    await visitorContext.close();
  } finally {
    await resolveOpenConversations(api);
    for (const agent of away) await ok(api.put(`/api/routing/agents/${agent.userId}/presence`, { data: { presence: agent.presence } }));
  }
});

test('the reports page shows KPI cards, charts and a CSV of the demo data', async ({ page }) => {
  await logIn(page, demo.supervisor);
  await page.goto('/reports');
  await expect(page.getByTestId('reports-summary')).toBeVisible();
  await expect(page.getByTestId('reports-summary').getByTestId('reports-kpi-value')).toHaveCount(15);
  await expect(page.getByTestId('reports-kpi-serviceLevel')).toBeVisible();
  const series = page.getByTestId('reports-time-series');
  await expect(series).toBeVisible();
  // With contacts in the period (the chat above, other specs' chats) the chart is drawn; without, it says so.
  const offered = page.getByTestId('reports-kpi-offered').getByTestId('reports-kpi-value');
  await expect(offered).toHaveText(/^[\d.,\s]+$/);
  if ((await figure(offered)) > 0) await expect(series.locator('svg.recharts-surface').first()).toBeVisible();
  else await expect(page.getByTestId('reports-time-series-empty')).toBeVisible();
  await expect(page.getByTestId('reports-channel-mix')).toBeVisible();
  await expect(page.getByTestId('reports-agent-league')).toBeVisible();

  // Another period brings its own interval and the report follows without a reload.
  await page.getByTestId('reports-preset').click();
  await page.getByRole('option', { name: 'Vandaag' }).click();
  await expect(page.getByTestId('reports-interval')).toHaveValue('Uur');
  await expect(page.getByTestId('reports-csv')).toHaveAttribute('href', /interval=hour/);
  await expect(page.getByTestId('reports-summary')).toBeVisible();

  const href = await page.getByTestId('reports-csv').getAttribute('href');
  expect(href).toMatch(/^\/api\/analytics\/kpis\.csv\?/);
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toMatch(/text\/csv/);
  const lines = (await csv.text()).trim().split('\n');
  // Dutch headers (the page's language), then one line per hour of today so far.
  expect(lines[0]).toMatch(/^interval,sleutel,naam,/);
  expect(lines.length).toBeGreaterThan(1);
});

test('the reports page lists a campaign that sent today on its campaigns tab', async ({ page }) => {
  test.setTimeout(60_000);
  const suffix = `rep-${Date.now().toString(36)}`;
  await logIn(page, demo.supervisor);
  const api = page.request;
  // One demo customer with an e-mail identity (web chat visitors of other tests have only an address
  // in their profile) gets this test's own attribute: the segment.
  const { items } = await ok<{ items: Array<{ id: string }> }>(api.get('/api/customers', { params: { q: 'sem.jansen@example.nl', limit: 1 } }));
  await ok(api.patch(`/api/customers/${items[0]!.id}`, { data: { attributes: { e2eCampaignReport: suffix } } }));
  const channels = await ok<{ items: Array<{ id: string; type: string }> }>(api.get('/api/channels'));
  const mail = channels.items.find((c) => c.type === 'email')!;
  const campaign = await ok<{ id: string }>(
    api.post('/api/campaigns', { data: { name: `Rapport ${suffix}`, channelId: mail.id, message: { text: 'Hallo {{customer.first_name}}', subject: 'Nieuws' }, segment: { attributes: { e2eCampaignReport: suffix } } } }),
    201,
  );
  expect((await ok<{ sendable: number }>(api.get(`/api/campaigns/${campaign.id}/preview`))).sendable).toBe(1);
  await ok(api.post(`/api/campaigns/${campaign.id}/launch`));
  // The campaign job runs every 15 seconds.
  await expect.poll(async () => (await ok<{ sent: number }>(api.get(`/api/campaigns/${campaign.id}/results`))).sent, { timeout: 40_000, intervals: [2_000] }).toBe(1);

  await page.goto('/reports?tab=campaigns');
  const row = page.locator(`[data-testid="campaign-report-row"][data-campaign-id="${campaign.id}"]`);
  await expect(row).toContainText(`Rapport ${suffix}`);
  await expect(row.getByTestId('campaign-report-sent')).toHaveText('1');
  await expect(page.getByTestId('reports-csv')).toHaveAttribute('href', /^\/api\/analytics\/campaigns\.csv\?/);
});
