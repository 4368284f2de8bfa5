import { expect, test, type Page } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { ok } from '../support/desk.ts';
import { openChat, say } from '../support/widget.ts';

// Macros end to end (issue 10): a supervisor makes a shared macro in the web app (tag, priority
// high, a reply with the customer's first name); an agent runs it from the desk's macro menu on a
// customer's chat, and the conversation shows the tag, the priority and the reply. The macro and
// the conversation are cleaned up afterwards: all specs share a server.

/** Picks an option of a Mantine select, found by its test id. */
async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect(page.getByTestId(testId)).toHaveValue(option);
}

test('a shared macro made by a supervisor tags, prioritises and answers a chat in one click', async ({ browser }) => {
  test.setTimeout(90_000);
  const suffix = Date.now().toString(36);
  const macroName = `Doorzetten ${suffix}`;
  const tag = `e2e-macro-${suffix}`;
  const customerName = `Sanne Macro${suffix}`;

  const supervisorContext = await browser.newContext();
  const supervisor = await supervisorContext.newPage();
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  let macroId: string | undefined;
  let conversationId: string | undefined;
  try {
    // ---- an agent is at the desk (so the chat is online), and a customer writes on the demo shop
    await logIn(agent, demo.agent);
    await agent.getByTestId('nav-inbox').click();
    await expect(agent.getByTestId('inbox-list')).toBeVisible();
    await openChat(customer, customerName);
    const question = `Mijn pakket ${suffix} is beschadigd aangekomen.`;
    await say(customer, question);

    // ---- the supervisor makes the shared macro from the desk's macro menu
    await logIn(supervisor, demo.supervisor);
    await supervisor.goto('/inbox');
    const supervisorRow = supervisor.getByTestId('conversation-row').filter({ hasText: customerName }).first();
    await expect(supervisorRow).toBeVisible();
    await supervisorRow.click();
    await supervisor.getByTestId('macro-menu').click();
    await supervisor.getByTestId('macro-manage').click();
    const modal = supervisor.getByTestId('macro-manage-modal');
    await modal.getByTestId('macro-add').click();
    await expect(modal.getByTestId('macro-editor')).toBeVisible();
    await modal.getByTestId('macro-name').fill(macroName);
    // A supervisor's new macro is shared unless switched to personal.
    await expect(modal.getByTestId('macro-personal')).not.toBeChecked();

    await expect(modal.getByTestId('macro-action-0-type')).toHaveValue('Tags toevoegen');
    await modal.getByTestId('macro-action-0-tags').fill(tag);
    await modal.getByTestId('macro-action-0-tags').press('Enter');

    await modal.getByTestId('macro-add-action').click();
    await pick(supervisor, 'macro-action-1-type', 'Prioriteit zetten');
    await expect(modal.getByTestId('macro-action-1-priority')).toHaveValue('Hoog');

    await modal.getByTestId('macro-add-action').click();
    await pick(supervisor, 'macro-action-2-type', 'Automatisch antwoorden');
    await modal.getByTestId('macro-action-2-body').fill('Hoi {{customer.first_name}}, we kijken ernaar.');

    const saved = supervisor.waitForResponse((res) => res.url().endsWith('/api/macros') && res.request().method() === 'POST');
    await modal.getByTestId('macro-save').click();
    const created = await saved;
    expect(created.status(), await created.text()).toBe(201);
    macroId = ((await created.json()) as { id: string }).id;
    const macroRow = modal.getByTestId('macro-row').filter({ hasText: macroName });
    await expect(macroRow).toBeVisible();
    await expect(macroRow.getByTestId('macro-kind')).toHaveText('Iedereen');
    await supervisor.keyboard.press('Escape');
    await expect(modal).toBeHidden();

    // ---- an agent opens the chat and runs the macro from the menu
    const row = agent.getByTestId('conversation-row').filter({ hasText: customerName }).first();
    await expect(row).toBeVisible();
    await row.click();
    await expect(agent.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: question })).toBeVisible();
    conversationId = /\/inbox\/([0-9a-f-]{36})/.exec(agent.url())?.[1];
    expect(conversationId).toBeTruthy();
    await expect(agent.getByTestId('priority-select')).not.toHaveValue('Hoog');

    await agent.getByTestId('macro-menu').click();
    await agent.getByTestId('macro-menu-item').filter({ hasText: macroName }).click();

    // The notice lists each action's outcome; the conversation shows what the macro did.
    const outcome = agent.getByTestId('macro-outcome');
    await expect(outcome).toHaveAttribute('data-ok', 'true');
    await expect(outcome.getByTestId('macro-outcome-action')).toHaveCount(3);
    await expect(outcome.getByTestId('macro-outcome-action').first()).toHaveAttribute('data-outcome', 'done');
    await expect(agent.getByTestId('priority-select')).toHaveValue('Hoog');
    await expect(agent.locator('.mantine-TagsInput-pill').filter({ hasText: tag })).toBeVisible();
    const reply = `Hoi Sanne, we kijken ernaar.`;
    await expect(agent.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: reply })).toBeVisible();
    // The customer gets it as the agent's answer.
    await expect(customer.getByTestId('message').filter({ hasText: reply })).toBeVisible();
  } finally {
    // ---- clean up: the macro and the conversation
    if (macroId) await ok(supervisor.request.delete(`/api/macros/${macroId}`), 204);
    if (conversationId) await ok(supervisor.request.patch(`/api/conversations/${conversationId}`, { data: { status: 'resolved' } }));
    await customerContext.close();
    await supervisorContext.close();
    await agentContext.close();
  }
});
