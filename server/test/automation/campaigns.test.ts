import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCampaigns, unsubscribeToken } from '../../src/automation/campaigns.service.ts';
import { messages } from '../../src/conversations/conversations.schema.ts';
import { customerIdentities, customers } from '../../src/customers/customers.schema.ts';
import { findOrCreateCustomerByIdentity } from '../../src/customers/customers.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { outbox } from '../../src/platform/db/schema.ts';
import { inTransaction } from '../../src/platform/events/events.ts';
import { FakeSmtpProvider } from '../fakes/smtp.ts';
import { FakeTwilio, signedTwilioPost } from '../fakes/twilio.ts';
import { channelHarness, type ChannelHarness } from '../channels/harness.ts';
import { loginCookie, makeUser, makeWebchatChannel, makeWorkspace } from '../helpers.ts';

const ACCOUNT = 'AC' + '0123456789abcdef'.repeat(2);
const TOKEN = 'f'.repeat(8) + '0123456789abcdef0123456789ab';
const SMS_NUMBER = '+3197010203040';

// 11:00 in Amsterdam (winter, UTC+1).
const clock = new ManualClock('2026-01-15T10:00:00Z');
let h: ChannelHarness;
let fake: FakeTwilio;
let sms: { id: string; webhookUrl: string | null };
let supervisorCookie: string;
const ids: Record<string, string> = {};

const phone = (n: number) => `+316000000${String(n).padStart(2, '0')}`;
const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, cookie = supervisorCookie) =>
  h.app.inject({ method, url, headers: { cookie }, payload: payload as object });
const twilioPost = (params: Record<string, string>) => {
  const signed = signedTwilioPost(TOKEN, sms.webhookUrl!, params);
  return h.app.inject({ method: 'POST', url: new URL(sms.webhookUrl!).pathname, headers: signed.headers, payload: signed.payload });
};
/** What the fake Twilio was asked to send, as [to, body]. */
const sentSms = () => fake.to(/\/Messages\.json$/).map((r) => [r.form!.To, r.form!.Body]);
const campaignSmsOutbox = async () => (await h.t.platform.db.select().from(outbox).where(and(eq(outbox.workspaceId, h.workspaceId), eq(outbox.kind, 'channel.sms')))).length;

/** A customer with scores, optionally an identity on a channel type. */
async function customer(key: string, attributes: Record<string, unknown>, identity: { type: string; id: string } | null) {
  const p = h.t.platform;
  const id = await inTransaction(p, async (tx) => {
    const { customer: c } = await findOrCreateCustomerByIdentity(tx, h.workspaceId, { channelType: identity?.type ?? 'webchat', externalId: identity?.id ?? `visitor:${key}`, profile: { name: `${key} Jansen` } }, clock.now());
    await tx.update(customers).set({ attributes }).where(eq(customers.id, c.id));
    // A customer without an identity on SMS: the visitor identity is removed again.
    if (!identity) await tx.delete(customerIdentities).where(eq(customerIdentities.customerId, c.id));
    return c.id;
  });
  ids[key] = id;
  // Creation order is sending order; a millisecond apart keeps it unambiguous.
  clock.advance(1);
  return id;
}

beforeAll(async () => {
  h = await channelHarness({ clock });
  fake = await new FakeTwilio(ACCOUNT, TOKEN).start();
  sms = await h.connect({ type: 'sms', provider: 'twilio', name: 'SMS', config: { accountSid: ACCOUNT, from: SMS_NUMBER, apiBaseUrl: fake.baseUrl }, secrets: { authToken: TOKEN } });
  const supervisor = await makeUser(h.t.platform, h.workspaceId, 'supervisor');
  supervisorCookie = await loginCookie(h.app, supervisor.email);

  await customer('Anna', { valueTier: 'gold', churnRisk: 0.8, plan: 'pro' }, { type: 'sms', id: phone(1) });
  await customer('Bram', { valueTier: 'gold', churnRisk: 0.9 }, { type: 'sms', id: phone(2) });
  await customer('Cees', { valueTier: 'platinum', churnRisk: 0.6 }, { type: 'sms', id: phone(3) });
  await customer('Dirk', { valueTier: 'silver', churnRisk: 0.9 }, { type: 'sms', id: phone(4) });
  await customer('Eva', { valueTier: 'gold', churnRisk: 0.2 }, { type: 'sms', id: phone(5) });
  await customer('Fien', { valueTier: 'gold', churnRisk: 0.9 }, null);
  await customer('Gijs', { valueTier: 'gold', churnRisk: 0.9 }, { type: 'sms', id: phone(7) });
  await customer('Hans', { valueTier: 'gold', churnRisk: 0.9 }, null);
  await h.t.platform.db.update(customerIdentities).set({ optedOutAt: clock.now() }).where(eq(customerIdentities.customerId, ids.Gijs!));
  await h.t.platform.db.update(customers).set({ erasedAt: clock.now(), name: null }).where(eq(customers.id, ids.Hans!));
});
afterAll(async () => {
  await h?.close();
  await fake?.stop();
});

const atRisk = { valueTiers: ['gold', 'platinum'], minChurnRisk: 0.5, hasIdentity: false };
let campaignId: string;

describe('campaigns: segments, launch, pacing, opt-out at the moment of sending', () => {
  it('is kept by supervisors, refuses channels that cannot carry it, and is not an agent\'s business', async () => {
    expect((await api('GET', '/api/campaigns', undefined, h.agent.cookie)).statusCode).toBe(403);
    const chat = await makeWebchatChannel(h.t.platform, h.workspaceId);
    const refused = await api('POST', '/api/campaigns', { name: 'x', channelId: chat.id, message: { text: 'Hoi' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('unsupported_channel');
    const empty = await api('POST', '/api/campaigns', { name: 'x', channelId: sms.id, message: { text: '  ' } });
    expect(empty.json().error.code).toBe('empty_message');
  });

  it('previews the segment by tier and churn risk, with who is skipped and why', async () => {
    const created = await api('POST', '/api/campaigns', {
      name: 'Winterkorting',
      channelId: sms.id,
      message: { text: 'Hoi {{customer.first_name}}, 20% korting voor u deze week!' },
      segment: atRisk,
      ratePerMinute: 1,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'draft', ratePerMinute: 1, quietHours: null });
    campaignId = created.json().id;

    const preview = (await api('GET', `/api/campaigns/${campaignId}/preview`)).json();
    expect(preview).toMatchObject({ size: 6, sendable: 3, skipped: { opted_out: 1, no_identity: 1, erased: 1 } });
    expect(preview.first.map((m: { customerId: string; status: string }) => [m.customerId, m.status])).toEqual([
      [ids.Anna, 'pending'],
      [ids.Bram, 'pending'],
      [ids.Cees, 'pending'],
      [ids.Fien, 'no_identity'],
      [ids.Gijs, 'opted_out'],
      [ids.Hans, 'erased'],
    ]);
    // By attribute; and with hasIdentity on (the default) those without an SMS number are left out.
    const byPlan = (await api('POST', '/api/campaigns', { name: 'Pro', channelId: sms.id, message: { text: 'x' }, segment: { attributes: { plan: 'pro' } } })).json();
    expect((await api('GET', `/api/campaigns/${byPlan.id}/preview`)).json()).toMatchObject({ size: 1, first: [{ customerId: ids.Anna }] });
    const everyone = (await api('POST', '/api/campaigns', { name: 'Iedereen', channelId: sms.id, message: { text: 'x' } })).json();
    expect((await api('GET', `/api/campaigns/${everyone.id}/preview`)).json()).toMatchObject({ size: 7, sendable: 5, skipped: { opted_out: 1, no_identity: 0, erased: 1 } });
    expect((await api('DELETE', `/api/campaigns/${everyone.id}`)).statusCode).toBe(204);
    expect((await api('DELETE', `/api/campaigns/${byPlan.id}`)).statusCode).toBe(204);
  });

  it('launches: one row per member, skipped ones with their reason, the rest paced one a minute', async () => {
    const launched = await api('POST', `/api/campaigns/${campaignId}/launch`);
    expect(launched.statusCode, launched.body).toBe(200);
    expect(launched.json().status).toBe('sending');
    expect((await api('POST', `/api/campaigns/${campaignId}/launch`)).statusCode).toBe(409);
    expect((await api('PUT', `/api/campaigns/${campaignId}`, { name: 'Anders', channelId: sms.id, message: { text: 'x' } })).statusCode).toBe(409);
    const recipients = (await api('GET', `/api/campaigns/${campaignId}/recipients`)).json().items;
    const t0 = clock.now().getTime();
    expect(recipients.map((r: { customerId: string; status: string; dueAt: string | null }) => [r.customerId, r.status, r.dueAt && new Date(r.dueAt).getTime() - t0])).toEqual([
      [ids.Anna, 'pending', 0],
      [ids.Bram, 'pending', 60_000],
      [ids.Cees, 'pending', 120_000],
      [ids.Fien, 'no_identity', null],
      [ids.Gijs, 'opted_out', null],
      [ids.Hans, 'erased', null],
    ]);
  });

  it('honours an opt-out in the very next send: STOP after the first send skips the second, the third goes', async () => {
    expect((await runCampaigns(h.t.platform)).sent).toBe(1);
    await h.t.platform.outbox.drainOnce();
    expect(sentSms()).toEqual([[phone(1), 'Hoi Anna, 20% korting voor u deze week!']]);

    // Bram answers STOP through Twilio's webhook, the real inbound path.
    expect((await twilioPost(fake.inbound({ from: phone(2), to: SMS_NUMBER, body: 'STOP' }))).statusCode).toBe(200);
    clock.advance(60_000);
    expect((await runCampaigns(h.t.platform)).sent).toBe(0);
    const bram = (await api('GET', `/api/campaigns/${campaignId}/recipients?status=opted_out`)).json().items.map((r: { customerId: string }) => r.customerId);
    expect(bram).toEqual([ids.Bram, ids.Gijs]);
    expect(await campaignSmsOutbox()).toBe(1);

    clock.advance(60_000);
    expect((await runCampaigns(h.t.platform)).sent).toBe(1);
    await h.t.platform.outbox.drainOnce();
    expect(sentSms().map(([to]) => to)).toEqual([phone(1), phone(3)]);
    expect(await campaignSmsOutbox()).toBe(2);
    // Nobody pending: the campaign is done.
    expect((await api('GET', `/api/campaigns/${campaignId}`)).json().status).toBe('done');
  });

  it('the messages sit in pending conversations written as queued+outbox, now sent', async () => {
    const [anna] = (await api('GET', `/api/campaigns/${campaignId}/recipients?limit=1`)).json().items;
    const view = (await h.api('GET', `/api/conversations/${anna.conversationId}`)).json();
    expect(view.status).toBe('pending');
    const timeline = await h.messages(anna.conversationId);
    expect(timeline.map((m) => [m.direction, m.status, m.body])).toEqual([['outbound', 'sent', 'Hoi Anna, 20% korting voor u deze week!']]);
  });

  it('a reply lands in the campaign conversation and counts; results add up, with converted revenue', async () => {
    const [anna] = (await api('GET', `/api/campaigns/${campaignId}/recipients?limit=1`)).json().items;
    expect((await twilioPost(fake.inbound({ from: phone(1), to: SMS_NUMBER, body: 'Ja graag, hoe bestel ik?' }))).statusCode).toBe(200);
    const timeline = await h.messages(anna.conversationId);
    expect(timeline.at(-1)).toMatchObject({ direction: 'inbound', body: 'Ja graag, hoe bestel ik?' });
    expect((await h.api('GET', `/api/conversations/${anna.conversationId}`)).json().status).toBe('open');

    // The provider confirms delivery of Anna's message.
    const [sentRow] = await h.t.platform.db.select().from(messages).where(eq(messages.id, anna.messageId));
    expect((await twilioPost(fake.status(sentRow!.providerMessageId!, 'delivered', { from: SMS_NUMBER, to: phone(1) }))).statusCode).toBe(200);

    // A sale on the conversation after the send is converted revenue.
    expect((await h.api('POST', '/api/outcomes/dispositions', { code: 'verkoop', labelNl: 'Verkoop', labelEn: 'Sale', outcome: 'sale' })).statusCode).toBe(201);
    const wrap = await h.api('POST', `/api/conversations/${anna.conversationId}/wrap-up`, { disposition: 'verkoop', amount: 49.95 });
    expect(wrap.statusCode, wrap.body).toBe(200);

    await runCampaigns(h.t.platform);
    const replied = (await api('GET', `/api/campaigns/${campaignId}/recipients?limit=1`)).json().items[0];
    expect(replied.repliedAt).toBe(clock.now().toISOString());
    const results = (await api('GET', `/api/campaigns/${campaignId}/results`)).json();
    expect(results).toEqual({
      recipients: 6,
      pending: 0,
      skipped: { opted_out: 2, no_identity: 1, erased: 1, canceled: 0 },
      sent: 2,
      delivered: 2,
      confirmedDelivered: 1,
      queued: 0,
      failed: 0,
      replied: 1,
      convertedRevenue: { amount: 49.95, currency: 'EUR' },
    });
    expect(results.recipients).toBe(results.pending + results.sent + results.failed + Object.values(results.skipped as Record<string, number>).reduce((a, b) => a + b, 0));
  });

  it("answers 404 for another workspace's campaign", async () => {
    const other = await makeWorkspace(h.t.platform);
    const boss = await makeUser(h.t.platform, other.id, 'admin');
    const cookie = await loginCookie(h.app, boss.email, undefined, other.slug);
    for (const [method, url] of [
      ['GET', `/api/campaigns/${campaignId}`],
      ['GET', `/api/campaigns/${campaignId}/results`],
      ['GET', `/api/campaigns/${campaignId}/recipients`],
      ['GET', `/api/campaigns/${campaignId}/preview`],
      ['POST', `/api/campaigns/${campaignId}/cancel`],
      ['POST', `/api/campaigns/${campaignId}/launch`],
      ['DELETE', `/api/campaigns/${campaignId}`],
    ] as const) {
      expect((await api(method, url, undefined, cookie)).statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await api('GET', '/api/campaigns', undefined, cookie)).json().items).toEqual([]);
    // Nor may a campaign of theirs name this workspace's channel.
    expect((await api('POST', '/api/campaigns', { name: 'x', channelId: sms.id, message: { text: 'x' } }, cookie)).json().error.code).toBe('unknown_channel');
  });

  it('campaign mail carries a working unsubscribe link in its text, in a thread of its own', async () => {
    const smtp = await new FakeSmtpProvider().start();
    try {
      const mail = await h.connect({ type: 'email', provider: 'smtp', name: 'Nieuwsbrief', config: { address: 'nieuws@example.nl', fromName: 'Winkel', smtpHost: '127.0.0.1', smtpPort: smtp.port } });
      await customer('Iris', { valueTier: 'bronze' }, { type: 'email', id: 'iris@example.nl' });
      const created = (await api('POST', '/api/campaigns', { name: 'Nieuws', channelId: mail.id, message: { text: 'Beste {{customer.first_name}}, er is nieuws.', subject: 'Nieuw binnen' }, segment: { valueTiers: ['bronze'] } })).json();
      expect((await api('POST', `/api/campaigns/${created.id}/launch`)).statusCode).toBe(200);
      expect((await runCampaigns(h.t.platform)).sent).toBe(1);
      await h.t.platform.outbox.drainOnce();
      expect(smtp.received).toHaveLength(1);
      const received = smtp.received[0]!;
      expect(received.envelope.to).toEqual(['iris@example.nl']);
      expect(received.parsed.subject).toContain('Nieuw binnen');
      const text = received.parsed.text ?? '';
      expect(text).toContain('Beste Iris, er is nieuws.');
      const link = /Afmelden \/ Unsubscribe: (\S+)/.exec(text)?.[1];
      expect(link).toMatch(/^http:\/\/localhost:\d+\/campaigns\/unsubscribe\?token=/);
      const url = new URL(link!);
      expect((await h.app.inject({ method: 'POST', url: url.pathname + url.search })).statusCode).toBe(200);
      const [identity] = await h.t.platform.db.select().from(customerIdentities).where(eq(customerIdentities.externalId, 'iris@example.nl'));
      expect(identity!.optedOutAt).toEqual(clock.now());
    } finally {
      await smtp.stop();
    }
  });
});

describe('campaigns: quiet hours, the rate limit, cancelling, unsubscribing', () => {
  it('waits out quiet hours (21:00–09:00 Amsterdam) and then sends at most the rate per minute', async () => {
    clock.set('2026-01-15T21:00:00Z'); // 22:00 local
    const created = (await api('POST', '/api/campaigns', {
      name: 'Ochtend',
      channelId: sms.id,
      message: { text: 'Goedemorgen {{customer.name}}' },
      segment: { valueTiers: ['silver', 'platinum'] },
      quietHours: { start: '21:00', end: '09:00' },
      ratePerMinute: 1,
    })).json();
    await api('POST', `/api/campaigns/${created.id}/launch`);
    const due = (await api('GET', `/api/campaigns/${created.id}/recipients`)).json().items.map((r: { dueAt: string }) => r.dueAt);
    expect(due).toEqual(['2026-01-16T08:00:00.000Z', '2026-01-16T08:01:00.000Z']);
    const before = sentSms().length;
    expect((await runCampaigns(h.t.platform)).sent).toBe(0);
    clock.set('2026-01-16T07:59:00Z');
    expect((await runCampaigns(h.t.platform)).sent).toBe(0);
    // The job was late: both are due, but the rate lets one go per minute.
    clock.set('2026-01-16T08:05:00Z');
    expect((await runCampaigns(h.t.platform)).sent).toBe(1);
    expect((await runCampaigns(h.t.platform)).sent).toBe(0);
    clock.advance(60_000);
    expect((await runCampaigns(h.t.platform)).sent).toBe(1);
    await h.t.platform.outbox.drainOnce();
    expect(sentSms().slice(before)).toEqual([
      [phone(3), 'Goedemorgen Cees Jansen'],
      [phone(4), 'Goedemorgen Dirk Jansen'],
    ]);
  });

  it('cancelling stops the sends that are still pending', async () => {
    // The night went by: a fresh session.
    const supervisor = await makeUser(h.t.platform, h.workspaceId, 'supervisor');
    supervisorCookie = await loginCookie(h.app, supervisor.email);
    const created = (await api('POST', '/api/campaigns', { name: 'Gestopt', channelId: sms.id, message: { text: 'x' }, segment: { valueTiers: ['gold'] }, ratePerMinute: 1 })).json();
    const launched = await api('POST', `/api/campaigns/${created.id}/launch`);
    expect(launched.statusCode, launched.body).toBe(200);
    const canceled = await api('POST', `/api/campaigns/${created.id}/cancel`);
    expect(canceled.statusCode, canceled.body).toBe(200);
    expect(canceled.json().status).toBe('canceled');
    clock.advance(3_600_000);
    expect((await runCampaigns(h.t.platform)).sent).toBe(0);
    const results = (await api('GET', `/api/campaigns/${created.id}/results`)).json();
    expect(results).toMatchObject({ sent: 0, pending: 0, skipped: { canceled: 2, opted_out: 2, erased: 1 } });
    expect((await api('POST', `/api/campaigns/${created.id}/cancel`)).statusCode).toBe(409);
  });

  it('the unsubscribe link asks first, then opts the identity out; a forged token is refused', async () => {
    const token = unsubscribeToken(h.t.platform, h.workspaceId, 'sms', phone(5));
    const page = await h.app.inject({ method: 'GET', url: `/campaigns/unsubscribe?token=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post">');
    const identity = async () => (await h.t.platform.db.select().from(customerIdentities).where(eq(customerIdentities.externalId, phone(5))))[0]!;
    expect((await identity()).optedOutAt).toBeNull(); // a link scanner's GET changes nothing
    const done = await h.app.inject({ method: 'POST', url: `/campaigns/unsubscribe?token=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('afgemeld');
    expect((await identity()).optedOutAt).toEqual(clock.now());
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await h.app.inject({ method: 'POST', url: `/campaigns/unsubscribe?token=${forged}` })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/campaigns/unsubscribe?token=not-a-token' })).statusCode).toBe(404);
  });
});
