import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { choosePresence, ok, resolveOpenConversations } from '../support/desk.ts';
import { openChat, say } from '../support/widget.ts';

// Skills-based routing end to end: a chat from the widget is offered to the skilled agent and not
// to the unskilled one; when the skilled agent rejects it, the task escalates after the step's
// timeout to the next step, where the unskilled agent gets it, accepts it and lands in the chat.
//
// The test brings its own queue and workflow (made the default for the run) with a short step
// timeout, so it depends neither on the demo's timeouts nor on what other specs left behind, and
// it puts everything back afterwards: all specs share one server.

const STEP_TIMEOUT_SECONDS = 6;
const daanEmail = 'daan@demo.hoorn.nl';

interface RoutingAgent {
  userId: string;
  email: string;
  presence: string;
  skills: Record<string, number>;
  languages: string[];
  attributes: Record<string, unknown>;
  capacity: unknown;
}
interface RoutingEvent {
  id: number;
  type: string;
  payload: { agentId?: string; reason?: string; stepIndex?: number; queueId?: string; conversationId?: string };
}

/** A logged-in browser page for one person; its `request` shares the session cookie. */
async function openDesk(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, email);
  return page;
}

/**
 * Routing made deterministic for one test: its own queue and default workflow, and Fatima skilled
 * for support (5) while Daan is not (2), whatever the demo seeded. `restore` puts it all back.
 */
async function routingForTest(api: APIRequestContext, label: string, defaultSteps: (queueId: string) => unknown[]) {
  const originalSettings = await ok<Record<string, unknown>>(api.get('/api/routing/settings'));
  const agents = (await ok<{ items: RoutingAgent[] }>(api.get('/api/routing/agents'))).items;
  const fatimaAgent = agents.find((a) => a.email === demo.agent)!;
  const daanAgent = agents.find((a) => a.email === daanEmail)!;
  expect(fatimaAgent && daanAgent).toBeTruthy();
  const suffix = Date.now().toString(36);
  const queue = await ok<{ id: string; name: string }>(api.post('/api/routing/queues', { data: { name: `E2E ${label} ${suffix}`, eligibility: '', order: 'fifo', serviceLevelSeconds: 60 } }), 201);
  const workflow = await ok<{ id: string }>(
    api.post('/api/routing/workflows', { data: { name: `E2E ${label} ${suffix}`, filters: [], defaultSteps: defaultSteps(queue.id) } }),
    201,
  );
  const skills = (await ok<{ skills: string[] }>(api.get('/api/routing/settings'))).skills;
  await ok(api.put('/api/routing/settings', { data: { ...originalSettings, skills: [...new Set([...skills, 'support'])], defaultWorkflowId: workflow.id } }));
  for (const [agent, support] of [[fatimaAgent, 5], [daanAgent, 2]] as const) {
    const { skills: agentSkills, languages, attributes, capacity } = agent;
    await ok(api.put(`/api/routing/agents/${agent.userId}`, { data: { skills: { ...agentSkills, support }, languages, attributes, capacity } }));
  }
  await resolveOpenConversations(api);

  /** Back to how the other specs expect the workspace: agents offline, nothing waiting, demo routing. */
  const restore = async (conversationId: string | undefined) => {
    for (const agent of [fatimaAgent, daanAgent]) {
      await ok(api.put(`/api/routing/agents/${agent.userId}/presence`, { data: { presence: 'offline' } }));
      const { skills: agentSkills, languages, attributes, capacity } = agent;
      await ok(api.put(`/api/routing/agents/${agent.userId}`, { data: { skills: agentSkills, languages, attributes, capacity } }));
    }
    if (conversationId) await ok(api.patch(`/api/conversations/${conversationId}`, { data: { status: 'resolved' } }));
    await resolveOpenConversations(api);
    await ok(api.put('/api/routing/settings', { data: originalSettings }));
    await ok(api.delete(`/api/routing/workflows/${workflow.id}`), 204);
    await ok(api.delete(`/api/routing/queues/${queue.id}`), 204);
  };
  return { fatimaAgent, daanAgent, queue, suffix, restore };
}

test('a chat is offered to the skilled agent only, and escalates after the step timeout when rejected', async ({ browser }) => {
  test.setTimeout(60_000);
  const admin = await openDesk(browser, demo.admin);
  const api = admin.request;

  // ---- routing made deterministic for this run: step 1 only for the skilled, step 2 for anyone
  const { fatimaAgent, daanAgent, queue, suffix, restore } = await routingForTest(api, 'Escalatie', (queueId) => [
    { queueId, agentExpression: 'agent.skills.support >= 4', timeoutSeconds: STEP_TIMEOUT_SECONDS },
    { queueId },
  ]);

  let conversationId: string | undefined;
  const fatima = await openDesk(browser, demo.agent);
  const daan = await openDesk(browser, daanEmail);
  try {
    await choosePresence(fatima, 'available');
    await choosePresence(daan, 'available');

    // ---- a customer writes in the widget
    const customer = await browser.newContext().then((c) => c.newPage());
    const name = `Ruben ${suffix}`;
    await openChat(customer, name);
    const question = `Mijn pakket is beschadigd aangekomen (${suffix}).`;
    await say(customer, question);

    // ---- offered to the skilled agent, not to the unskilled one
    const offer = fatima.getByTestId('offer-card');
    await expect(offer).toHaveCount(1, { timeout: 5_000 });
    await expect(offer.getByTestId('offer-customer')).toHaveText(name);
    await expect(offer.getByTestId('offer-queue')).toHaveText(queue.name);
    await expect(offer.getByTestId('offer-preview')).toContainText(suffix);
    const taskId = (await offer.getAttribute('data-task-id'))!;
    expect(taskId).toBeTruthy();
    await expect(daan.getByTestId('offer-card')).toHaveCount(0);

    // ---- the skilled agent rejects; the task waits in step 1 until its timeout, then goes to Daan
    await offer.getByTestId('offer-reject').click();
    await expect(fatima.getByTestId('offer-card')).toHaveCount(0);
    await expect(daan.getByTestId('offer-card')).toHaveCount(0);
    const escalated = daan.getByTestId('offer-card').filter({ has: daan.getByTestId('offer-customer').filter({ hasText: name }) });
    await expect(escalated).toBeVisible({ timeout: (STEP_TIMEOUT_SECONDS + 5) * 1000 });
    await expect(escalated).toHaveAttribute('data-task-id', taskId);
    await escalated.getByTestId('offer-accept').click();

    // ---- Daan lands in the conversation and sees the customer's message
    await expect(daan).toHaveURL(/\/inbox\/[0-9a-f-]{36}$/);
    conversationId = daan.url().split('/').pop()!;
    await expect(daan.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: question })).toBeVisible();
    await expect(daan.getByTestId('offer-card')).toHaveCount(0);
    const task = await ok<{ conversationId: string; state: string; agentId: string; stepIndex: number }>(api.get(`/api/routing/tasks/${taskId}`));
    expect(task).toMatchObject({ conversationId, state: 'assigned', agentId: daanAgent.userId, stepIndex: 1 });

    // ---- the record: Fatima was offered it once, rejected it, and never again; Daan only after the timeout
    const events = (await ok<{ items: RoutingEvent[] }>(api.get('/api/events', { params: { subjectType: 'routing_task', subjectId: taskId, limit: 100 } }))).items.sort((a, b) => a.id - b.id);
    const story = events.map((e) => `${e.type}${e.payload.agentId === fatimaAgent.userId ? ' fatima' : e.payload.agentId === daanAgent.userId ? ' daan' : ''}${e.payload.reason ? ` ${e.payload.reason}` : ''}${e.payload.stepIndex !== undefined ? ` step ${e.payload.stepIndex}` : ''}`);
    expect(story).toEqual([
      'routing.task_created',
      'routing.task_queued created step 0',
      'routing.offered fatima',
      'routing.offer_ended fatima rejected',
      'routing.task_queued timeout step 1',
      'routing.offered daan',
      'routing.offer_ended daan accepted',
      'routing.assigned daan',
    ]);
    await expect(fatima.getByTestId('offer-card')).toHaveCount(0);
    await customer.context().close();
  } finally {
    await restore(conversationId);
    await fatima.context().close();
    await daan.context().close();
    await admin.context().close();
  }
});

test('the agent transfers an accepted chat to a colleague, who gets the offer and lands in it', async ({ browser }) => {
  test.setTimeout(60_000);
  const admin = await openDesk(browser, demo.admin);
  const api = admin.request;

  // ---- one step only the skilled agent qualifies for: the chat goes to Fatima, never to Daan
  const { daanAgent, queue, suffix, restore } = await routingForTest(api, 'Doorverbinden', (queueId) => [
    { queueId, agentExpression: 'agent.skills.support >= 4' },
  ]);

  let conversationId: string | undefined;
  const fatima = await openDesk(browser, demo.agent);
  const daan = await openDesk(browser, daanEmail);
  try {
    await choosePresence(fatima, 'available');
    await choosePresence(daan, 'available');

    const customer = await browser.newContext().then((c) => c.newPage());
    const name = `Sanne ${suffix}`;
    await openChat(customer, name);
    const question = `Kan ik mijn bestelling nog wijzigen? (${suffix})`;
    await say(customer, question);

    // ---- Fatima gets the offer and accepts it
    const offer = fatima.getByTestId('offer-card').filter({ has: fatima.getByTestId('offer-customer').filter({ hasText: name }) });
    await expect(offer).toBeVisible();
    await expect(offer.getByTestId('offer-queue')).toHaveText(queue.name);
    await offer.getByTestId('offer-accept').click();
    await expect(fatima).toHaveURL(/\/inbox\/[0-9a-f-]{36}$/);
    conversationId = fatima.url().split('/').pop()!;
    await expect(fatima.getByTestId('conversation-assignee')).toContainText('Fatima');
    await expect(daan.getByTestId('offer-card')).toHaveCount(0);

    // ---- she transfers it to Daan
    await fatima.getByTestId('transfer-button').click();
    const dialog = fatima.getByTestId('transfer-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('transfer-agent').click();
    await fatima.getByRole('option', { name: 'Daan Bakker', exact: true }).click();
    await dialog.getByTestId('transfer-confirm').click();
    await expect(fatima.getByTestId('transfer-success')).toContainText('Daan Bakker');
    await expect(dialog).toHaveCount(0);

    // ---- Daan is offered it; until he accepts, the conversation stays with Fatima
    const transferred = daan.getByTestId('offer-card').filter({ has: daan.getByTestId('offer-customer').filter({ hasText: name }) });
    await expect(transferred).toBeVisible();
    await expect(fatima.getByTestId('conversation-assignee')).toContainText('Fatima');
    await transferred.getByTestId('offer-accept').click();

    // ---- he lands in the conversation, which is now his
    await expect(daan).toHaveURL(new RegExp(`/inbox/${conversationId}$`));
    await expect(daan.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: question })).toBeVisible();
    await expect(daan.getByTestId('conversation-assignee')).toContainText('Daan Bakker');
    await expect(daan.getByTestId('offer-card')).toHaveCount(0);
    const tasks = (await ok<{ items: Array<{ conversationId?: string; state: string; agentId?: string }> }>(api.get('/api/routing/tasks', { params: { state: 'active' } }))).items;
    expect(tasks.find((task) => task.conversationId === conversationId)).toMatchObject({ state: 'assigned', agentId: daanAgent.userId });
    await expect(fatima.getByTestId('conversation-assignee')).toContainText('Daan Bakker');
    await customer.context().close();
  } finally {
    await restore(conversationId);
    await fatima.context().close();
    await daan.context().close();
    await admin.context().close();
  }
});

test('supervisor screens: live queues, and the workflow editor checks expressions as you type', async ({ page }) => {
  await logIn(page, demo.admin);
  const { items: queues } = await ok<{ items: Array<{ name: string }> }>(page.request.get('/api/routing/queues'));
  expect(queues.length).toBeGreaterThan(0);

  await page.goto('/routing');
  await expect(page.getByTestId('routing-live')).toBeVisible();
  // The rows come from the router's live statistics (pushed every two seconds, or polled).
  await expect(page.getByTestId('queue-row').filter({ hasText: queues[0]!.name })).toBeVisible();

  await page.goto('/routing/setup?tab=workflows');
  await expect(page.getByTestId('routing-setup')).toBeVisible();
  await page.getByTestId('workflow-new').click();
  const editor = page.getByTestId('workflow-editor');
  await expect(editor).toBeVisible();
  await editor.getByTestId('step-add').click();
  const expression = editor.getByTestId('expr-step-agent-d-0');
  await expression.fill('agent.skils.support >= 4');
  const issue = editor.getByTestId('expr-issue');
  await expect(issue).toBeVisible();
  await expect(issue).toContainText('skils');
  await expect(expression).toHaveAttribute('data-state', 'invalid');
  // Corrected, the issue goes away without saving anything.
  await expression.fill('agent.skills.support >= 4');
  await expect(expression).toHaveAttribute('data-state', 'valid');
  await expect(editor.getByTestId('expr-issue')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);
});
