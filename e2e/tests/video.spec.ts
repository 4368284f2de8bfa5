import { expect, test, type Page } from '@playwright/test';
import { demo, logIn } from '../support/demo.ts';
import { ok } from '../support/desk.ts';
import { openChat, say } from '../support/widget.ts';

// Issue 12: a widget chat escalates to a video call. Two browser contexts (the agent's desk and a
// customer on the demo shop) with Chromium's fake camera and microphone; media must flow both ways,
// as the peer connections' own statistics say. Both pages expose their RTCPeerConnection as
// `window.__hoornCall` (a test hook documented in docs/conversations-api.md).

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      // Plain host candidates: the two pages find each other on loopback without mDNS.
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  },
});

type Hooked = Window & { __hoornCall?: RTCPeerConnection | null };

const connectionState = (page: Page) => page.evaluate(() => (window as Hooked).__hoornCall?.connectionState ?? 'none');

/** Bytes of video received so far, from the connection's inbound-rtp statistics. */
const inboundVideoBytes = (page: Page) =>
  page.evaluate(async () => {
    const pc = (window as Hooked).__hoornCall;
    if (!pc) return 0;
    let bytes = 0;
    (await pc.getStats()).forEach((report: { type: string; kind?: string; bytesReceived?: number }) => {
      if (report.type === 'inbound-rtp' && report.kind === 'video') bytes += report.bytesReceived ?? 0;
    });
    return bytes;
  });

async function expectVideoFlowing(page: Page): Promise<void> {
  await expect.poll(() => inboundVideoBytes(page), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await inboundVideoBytes(page);
  await expect.poll(() => inboundVideoBytes(page), { timeout: 20_000 }).toBeGreaterThan(first);
}

test('an agent escalates a widget chat to a video call; media flows both ways; the call shows on the timeline', async ({ browser }) => {
  test.setTimeout(90_000);
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await logIn(agent, demo.agent);
  await agent.getByTestId('nav-inbox').click();
  await expect(agent.getByTestId('inbox-list')).toBeVisible();

  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  const name = `Vera ${Date.now()}`;
  await openChat(customer, name);
  await say(customer, 'Kunt u even meekijken met mijn router?');

  const row = agent.getByTestId('conversation-row').filter({ hasText: name }).first();
  await expect(row).toBeVisible();
  await row.click();
  await expect(agent.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: 'meekijken' })).toBeVisible();
  // Only the agent who holds the chat may call: take it (routing may have given it to her already).
  const assign = agent.getByTestId('assign-me');
  await expect(assign.or(agent.getByTestId('video-start'))).toBeVisible();
  if (await assign.isVisible()) await assign.click();
  await agent.getByTestId('video-start').click();
  await expect(agent.getByTestId('video-call')).toHaveAttribute('data-state', 'offered');

  // The customer sees who is calling and answers explicitly.
  const incoming = customer.getByTestId('hoorn-call-incoming');
  await expect(incoming).toBeVisible();
  await expect(incoming).toContainText(/Fatima/i);
  await customer.getByTestId('hoorn-call-accept').click();

  await expect.poll(() => connectionState(agent), { timeout: 20_000 }).toBe('connected');
  await expect.poll(() => connectionState(customer), { timeout: 20_000 }).toBe('connected');
  await expect(agent.getByTestId('video-call')).toHaveAttribute('data-state', 'connected');
  await expectVideoFlowing(agent);
  await expectVideoFlowing(customer);

  await agent.getByTestId('video-hangup').click();
  await expect(agent.getByTestId('video-call')).toHaveCount(0);
  await expect(customer.getByTestId('hoorn-call')).toBeHidden();
  await expect.poll(() => connectionState(customer)).not.toBe('connected');
  // The call and its duration on the desk's timeline.
  await expect(agent.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: /(Videogesprek|Video call), \d+:\d{2}/ })).toBeVisible();

  await customerContext.close();
  await agentContext.close();
});

test('a customer asks for a video call from the widget, consents to recording; the agent takes it in the desk; the recording lands on the timeline', async ({ browser }) => {
  test.setTimeout(120_000);
  // The workspace lets customers start calls and allows recording (an admin's setting).
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await logIn(admin, demo.admin);
  await ok(admin.request.put('/api/video/settings', { data: { customerMayStart: true, recordingEnabled: true } }));

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  try {
    await logIn(agent, demo.agent);
    await agent.getByTestId('nav-inbox').click();
    await expect(agent.getByTestId('inbox-list')).toBeVisible();

    const name = `Wim ${Date.now()}`;
    await openChat(customer, name);
    await say(customer, 'Mag ik u mijn kapotte pakket laten zien?');

    const row = agent.getByTestId('conversation-row').filter({ hasText: name }).first();
    await expect(row).toBeVisible();
    await row.click();
    await expect(agent.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: 'pakket' })).toBeVisible();
    // The request rings the agent who holds the chat: make sure she does.
    const assign = agent.getByTestId('assign-me');
    await expect(assign.or(agent.getByTestId('video-start'))).toBeVisible();
    if (await assign.isVisible()) await assign.click();
    await expect(agent.getByTestId('video-start')).toBeVisible();

    // The customer asks, and answers the consent question before the request goes out.
    await customer.getByTestId('hoorn-call-start').click();
    await expect(customer.getByTestId('hoorn-call-ask')).toBeVisible();
    await customer.getByTestId('hoorn-call-consent').check();
    await customer.getByTestId('hoorn-call-request').click();
    await expect(customer.getByTestId('hoorn-call')).toHaveAttribute('data-state', 'ringing');

    await expect(agent.getByTestId('video-call')).toHaveAttribute('data-state', 'ringing');
    await expect(agent.getByTestId('video-recording-consented')).toBeVisible();
    await agent.getByTestId('video-accept').click();

    await expect.poll(() => connectionState(agent), { timeout: 20_000 }).toBe('connected');
    await expect.poll(() => connectionState(customer), { timeout: 20_000 }).toBe('connected');
    await expect(agent.getByTestId('video-call')).toHaveAttribute('data-state', 'connected');
    await expectVideoFlowing(agent);
    await expectVideoFlowing(customer);
    // Both sides see that it records.
    await expect(agent.getByTestId('video-recording-live')).toBeVisible();
    await expect(customer.getByTestId('hoorn-call-recording')).toBeVisible();

    await agent.getByTestId('video-hangup').click();
    await expect(agent.getByTestId('video-call')).toHaveCount(0);
    await expect(customer.getByTestId('hoorn-call')).toBeHidden();
    await expect(agent.getByTestId('video-recording-save')).toHaveAttribute('data-state', 'saved', { timeout: 20_000 });

    // The call's line on the timeline offers the recording, and the file holds the call.
    const line = agent.getByTestId('timeline').getByTestId('timeline-message').filter({ hasText: /(Videogesprek|Video call), \d+:\d{2}/ });
    await expect(line).toBeVisible();
    const link = line.getByTestId('video-recording');
    await expect(link).toBeVisible();
    expect(Number(await link.getAttribute('data-size'))).toBeGreaterThan(0);
    const file = await agent.request.get((await link.getAttribute('href'))!);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toMatch(/^video\/webm/);
    expect((await file.body()).length).toBe(Number(await link.getAttribute('data-size')));
  } finally {
    await ok(admin.request.put('/api/video/settings', { data: { customerMayStart: false, recordingEnabled: false } }));
    await customerContext.close();
    await agentContext.close();
    await adminContext.close();
  }
});
