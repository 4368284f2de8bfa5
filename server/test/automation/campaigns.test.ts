import { and, eq, inArray, sql } from 'drizzle-orm';
import { analyticsConversations } from '../../src/analytics/analytics.schema.ts';
import { projectAnalytics } from '../../src/analytics/projector.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { campaignRecipients } from '../../src/automation/campaigns.schema.ts';
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

  it('in the KPI figures the unanswered campaign conversation is no contact; the answered one is, with its revenue', async () => {
    await projectAnalytics(h.t.platform);
    const sent = (await api('GET', `/api/campaigns/${campaignId}/recipients?status=sent`)).json().items as Array<{ customerId: string; conversationId: string }>;
    const facts = await h.t.platform.db.select().from(analyticsConversations).where(inArray(analyticsConversations.conversationId, sent.map((r) => r.conversationId)));
    const originOf = (customerId: string) => facts.find((f) => f.conversationId === sent.find((r) => r.customerId === customerId)!.conversationId)?.origin;
    expect(originOf(ids.Anna!)).toBe('campaign_reply');
    expect(originOf(ids.Cees!)).toBe('campaign');
    // The rollups count as contacts exactly the conversations that are not unanswered campaign ones,
    // and the revenue of Anna's sale.
    const [rollup] = await queryRows<{ conversations: string; revenue: string }>(
      h.t.platform.db,
      sql`select sum(conversations) as conversations, sum(revenue) as revenue from analytics_rollup_15m where workspace_id = ${h.workspaceId}`,
    );
    const [contacts] = await queryRows<{ n: string }>(h.t.platform.db, sql`select count(*) as n from analytics_conversations where workspace_id = ${h.workspaceId} and origin <> 'campaign'`);
    expect(Number(rollup!.conversations)).toBe(Number(contacts!.n));
    expect(facts.filter((f) => f.origin === 'campaign')).toHaveLength(1);
    expect(Number(rollup!.revenue)).toBeCloseTo(49.95);
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
      // The mail program's unsubscribe button: RFC 2369 List-Unsubscribe with the same URL and a
      // mailto:, RFC 8058 one-click, and marked as sent on the organisation's initiative.
      const headers = received.raw.toString('utf8').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
      const listUnsubscribe = /^List-Unsubscribe: (.*)$/im.exec(headers)?.[1];
      expect(listUnsubscribe).toBe(`<${link}>, <mailto:nieuws@example.nl?subject=unsubscribe>`);
      expect(/^List-Unsubscribe-Post: (.*)$/im.exec(headers)?.[1]).toBe('List-Unsubscribe=One-Click');
      expect(/^Auto-Submitted: (.*)$/im.exec(headers)?.[1]).toBe('auto-generated');
      // What a mail program does with it: POST the URL with the one-click body (RFC 8058 section 3.2).
      const url = new URL(/^<([^>]+)>/.exec(listUnsubscribe!)![1]!);
      const oneClick = await h.app.inject({ method: 'POST', url: url.pathname + url.search, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      expect(oneClick.statusCode).toBe(200);
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

describe("campaigns: the customer's time zone, the channel's shared rate, dynamic segments", () => {
  /** A fresh SMS channel (its own rate) with customers of a tier of their own. */
  async function setup(tag: string, channelRate: number | null) {
    const channel = await h.connect({ type: 'sms', provider: 'twilio', name: `SMS ${tag}`, config: { accountSid: ACCOUNT, from: SMS_NUMBER, apiBaseUrl: fake.baseUrl }, secrets: { authToken: TOKEN } });
    if (channelRate !== null) {
      const patched = await h.app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: { cookie: adminCookie }, payload: { campaignRatePerMinute: channelRate } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().campaignRatePerMinute).toBe(channelRate);
    }
    return channel;
  }
  let adminCookie: string;
  let n = 40;
  const number = () => phone(++n);
  /** Each test moves the clock days on: sessions from before have expired. */
  async function at(iso: string) {
    clock.set(iso);
    const admin = await makeUser(h.t.platform, h.workspaceId, 'admin');
    adminCookie = await loginCookie(h.app, admin.email);
    h.admin.cookie = adminCookie;
    supervisorCookie = await loginCookie(h.app, (await makeUser(h.t.platform, h.workspaceId, 'supervisor')).email);
  }

  it('holds a recipient in New York while the one in Amsterdam gets the message, at launch and at send time', async () => {
    await at('2026-02-10T09:00:00Z'); // 10:00 in Amsterdam, 04:00 in New York
    const channel = await setup('tz', null);
    await customer('Jan', { valueTier: 'tz' }, { type: 'sms', id: number() }); // +31: Amsterdam
    const nyNumber = '+12125550123';
    await customer('Nora', { valueTier: 'tz' }, { type: 'sms', id: nyNumber }); // +1: New York
    // A Dutch number, but the attribute says she lives in New York.
    await customer('Olga', { valueTier: 'tz', timeZone: 'America/New_York' }, { type: 'sms', id: number() });
    clock.set('2026-02-10T09:00:00Z');
    const created = (await api('POST', '/api/campaigns', { name: 'Zones', channelId: channel.id, message: { text: 'Hallo' }, segment: { attributes: { valueTier: 'tz' } }, quietHours: { start: '21:00', end: '09:00' } })).json();
    expect(created.ratePerMinute).toBeNull();
    await api('POST', `/api/campaigns/${created.id}/launch`);
    const due = (await api('GET', `/api/campaigns/${created.id}/recipients`)).json().items.map((r: { customerId: string; dueAt: string }) => [r.customerId, r.dueAt]);
    // 09:00 in New York is 14:00 UTC; the channel's default rate is 60 a minute (a second apart).
    expect(due).toEqual([
      [ids.Jan, '2026-02-10T09:00:00.000Z'],
      [ids.Nora, '2026-02-10T14:00:00.000Z'],
      [ids.Olga, '2026-02-10T14:00:01.000Z'],
    ]);
    expect((await runCampaigns(h.t.platform)).sent).toBe(1);

    // At send time too: Nora's due time passed (a bad pacing, say), yet it is night where she is.
    await h.t.platform.db.update(campaignRecipients).set({ dueAt: clock.now() }).where(eq(campaignRecipients.customerId, ids.Nora!));
    expect((await runCampaigns(h.t.platform)).sent).toBe(0);
    const nora = (await api('GET', `/api/campaigns/${created.id}/recipients`)).json().items.find((r: { customerId: string }) => r.customerId === ids.Nora);
    expect(nora).toMatchObject({ status: 'pending', dueAt: '2026-02-10T14:00:00.000Z' });
    clock.set('2026-02-10T14:00:05Z');
    expect((await runCampaigns(h.t.platform)).sent).toBe(2);
    expect((await api('GET', `/api/campaigns/${created.id}`)).json().status).toBe('done');
  });

  it("two running campaigns on one channel together never exceed the channel's rate", async () => {
    await at('2026-02-11T10:00:00Z');
    const channel = await setup('rate', 3);
    for (let i = 0; i < 5; i++) await customer(`Rate${i}`, { valueTier: 'rate' }, { type: 'sms', id: number() });
    const make = async (name: string, ratePerMinute: number | null) => {
      const created = (await api('POST', '/api/campaigns', { name, channelId: channel.id, message: { text: name }, segment: { attributes: { valueTier: 'rate' } }, ratePerMinute })).json();
      expect((await api('POST', `/api/campaigns/${created.id}/launch`)).json().status).toBe('sending');
      return created.id as string;
    };
    const a = await make('A', null);
    const b = await make('B', 10); // its own cap is above the channel's: the channel's holds
    const sentAt = async () =>
      (await h.t.platform.db.select({ sentAt: campaignRecipients.sentAt }).from(campaignRecipients).where(inArray(campaignRecipients.campaignId, [a, b])))
        .flatMap((r) => (r.sentAt ? [r.sentAt.getTime()] : []));
    // A job that runs late and often: everything is due, yet each minute carries at most 3 sends.
    clock.advance(10 * 60_000);
    for (let minute = 0; minute < 5; minute++) {
      for (let tick = 0; tick < 3; tick++) {
        await runCampaigns(h.t.platform);
        clock.advance(15_000);
      }
      clock.advance(15_000);
    }
    const times = (await sentAt()).sort((x, y) => x - y);
    expect(times).toHaveLength(10);
    for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(60_000);
    // Both campaigns got sends (neither starves the other entirely).
    const results = await Promise.all([a, b].map(async (id) => (await api('GET', `/api/campaigns/${id}/results`)).json().sent));
    expect(results).toEqual([5, 5]);
  });

  it("a campaign's own rate lowers the channel's", async () => {
    await at('2026-02-12T10:00:00Z');
    const channel = await setup('cap', 30);
    for (let i = 0; i < 3; i++) await customer(`Cap${i}`, { valueTier: 'cap' }, { type: 'sms', id: number() });
    const created = (await api('POST', '/api/campaigns', { name: 'Cap', channelId: channel.id, message: { text: 'x' }, segment: { attributes: { valueTier: 'cap' } }, ratePerMinute: 1 })).json();
    await api('POST', `/api/campaigns/${created.id}/launch`);
    clock.advance(5 * 60_000);
    expect((await runCampaigns(h.t.platform)).sent).toBe(1);
    expect((await runCampaigns(h.t.platform)).sent).toBe(0);
    clock.advance(60_000);
    expect((await runCampaigns(h.t.platform)).sent).toBe(1);
    await api('POST', `/api/campaigns/${created.id}/cancel`);
  });

  it('a dynamic campaign adds customers who enter the segment after launch, until it ends; a static one does not', async () => {
    await at('2026-02-13T10:00:00Z');
    const channel = await setup('dyn', null);
    await customer('Dyn1', { valueTier: 'dyn' }, { type: 'sms', id: number() });
    const segment = { attributes: { valueTier: 'dyn' } };
    const endsAt = '2026-02-13T12:00:00.000Z';
    const dynamic = (await api('POST', '/api/campaigns', { name: 'Dynamisch', channelId: channel.id, message: { text: 'x' }, segment, dynamic: true, endsAt })).json();
    expect(dynamic).toMatchObject({ dynamic: true, endsAt });
    const fixed = (await api('POST', '/api/campaigns', { name: 'Vast', channelId: channel.id, message: { text: 'x' }, segment })).json();
    expect(fixed.dynamic).toBe(false);
    await api('POST', `/api/campaigns/${dynamic.id}/launch`);
    await api('POST', `/api/campaigns/${fixed.id}/launch`);
    expect((await runCampaigns(h.t.platform)).sent).toBe(2);
    const recipients = async (id: string) => (await api('GET', `/api/campaigns/${id}/recipients`)).json().items.map((r: { customerId: string; status: string }) => [r.customerId, r.status]);

    // A newcomer, and an existing customer who moves into the segment.
    clock.advance(60_000);
    await customer('Dyn2', { valueTier: 'dyn' }, { type: 'sms', id: number() });
    await h.t.platform.db.update(customers).set({ attributes: { valueTier: 'dyn' } }).where(eq(customers.id, ids.Rate0!));
    // Added on this tick, paced from now (a second apart at the channel's 60 a minute).
    expect((await runCampaigns(h.t.platform)).sent).toBe(1);
    clock.advance(1_000);
    expect((await runCampaigns(h.t.platform)).sent).toBe(1);
    expect(await recipients(dynamic.id)).toEqual([[ids.Dyn1, 'sent'], [ids.Rate0, 'sent'], [ids.Dyn2, 'sent']]);
    expect(await recipients(fixed.id)).toEqual([[ids.Dyn1, 'sent']]);
    expect((await api('GET', `/api/campaigns/${fixed.id}`)).json().status).toBe('done');
    expect((await api('GET', `/api/campaigns/${dynamic.id}`)).json().status).toBe('sending');

    // After endsAt nobody is added, and the campaign is done.
    clock.set('2026-02-13T12:00:00Z');
    await customer('Dyn3', { valueTier: 'dyn' }, { type: 'sms', id: number() });
    expect((await runCampaigns(h.t.platform)).sent).toBe(0);
    expect((await recipients(dynamic.id)).map((r: string[]) => r[0])).not.toContain(ids.Dyn3);
    expect((await api('GET', `/api/campaigns/${dynamic.id}`)).json().status).toBe('done');
    // endsAt must come after scheduledAt.
    const bad = await api('POST', '/api/campaigns', { name: 'x', channelId: channel.id, message: { text: 'x' }, scheduledAt: endsAt, endsAt: '2026-02-13T11:00:00Z' });
    expect(bad.json().error.code).toBe('ends_before_start');
  });
});
