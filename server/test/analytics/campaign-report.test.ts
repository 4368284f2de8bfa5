import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsConversations } from '../../src/analytics/analytics.schema.ts';
import { campaignFigures, campaignReportCsv, campaignTotals, ratio, ZERO_COUNTS, type CampaignCounts, type CampaignReport } from '../../src/analytics/campaigns.report.ts';
import { projectAnalytics } from '../../src/analytics/projector.ts';
import { runCampaigns } from '../../src/automation/campaigns.service.ts';
import { messages } from '../../src/conversations/conversations.schema.ts';
import { customerIdentities, customers } from '../../src/customers/customers.schema.ts';
import { findOrCreateCustomerByIdentity } from '../../src/customers/customers.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { inTransaction } from '../../src/platform/events/events.ts';
import { channelHarness, type ChannelHarness } from '../channels/harness.ts';
import { FakeSmtpProvider } from '../fakes/smtp.ts';
import { FakeTwilio, signedTwilioPost } from '../fakes/twilio.ts';
import { loginCookie, makeUser, makeWorkspace } from '../helpers.ts';

// The campaign report (docs/analytics.md, "Campaign report"): campaigns that sent in a period, with
// their sends, skips, deliveries, replies and converted revenue, exact; per workspace only.

describe('campaign report figures (pure)', () => {
  const counts = (patch: Partial<CampaignCounts>): CampaignCounts => ({ ...ZERO_COUNTS, skipped: { ...ZERO_COUNTS.skipped }, ...patch });

  it('rates are over the messages sent, and null (not 0) without any', () => {
    const figures = campaignFigures(counts({ recipients: 5, sent: 4, confirmedDelivered: 3, replied: 1, converted: 1, revenueCents: 4995, refused: 1, undeliverable: 1 }), true);
    expect(figures).toMatchObject({ delivered: 3, deliveryRate: 0.75, failed: 2, replyRate: 0.25, conversionRate: 0.25, convertedRevenue: 49.95, revenuePerRecipient: 12.4875 });
    const none = campaignFigures(counts({ recipients: 2, skipped: { opted_out: 2, no_identity: 0, erased: 0, canceled: 0 } }), true);
    expect(none).toMatchObject({ sent: 0, delivered: 0, deliveryRate: null, replyRate: null, conversionRate: null, revenuePerRecipient: null, convertedRevenue: 0 });
    expect(ratio(0, 0)).toBeNull();
  });

  it('delivered is null where the channel does not report delivery', () => {
    expect(campaignFigures(counts({ sent: 2, confirmedDelivered: 2 }), false)).toMatchObject({ delivered: null, deliveryRate: null });
  });

  it('totals sum the counts and take rates from the sums; delivered only over channels that report it', () => {
    const sms = { counts: counts({ recipients: 3, sent: 2, confirmedDelivered: 1, replied: 1, converted: 1, revenueCents: 4995 }), reportsDelivery: true };
    const mail = { counts: counts({ recipients: 2, sent: 2, confirmedDelivered: 0 }), reportsDelivery: false };
    const totals = campaignTotals([sms, mail]);
    expect(totals).toMatchObject({ recipients: 5, sent: 4, delivered: 1, deliveryRate: 0.5, replied: 1, replyRate: 0.25, convertedRevenue: 49.95 });
    expect(campaignTotals([mail])).toMatchObject({ delivered: null, deliveryRate: null });
    expect(campaignTotals([])).toMatchObject({ recipients: 0, sent: 0, replyRate: null, revenuePerRecipient: null });
    // Summing cents, not floats: 0.1 + 0.2 is exactly 0.3 here.
    expect(campaignTotals([{ counts: counts({ sent: 1, revenueCents: 10 }), reportsDelivery: false }, { counts: counts({ sent: 1, revenueCents: 20 }), reportsDelivery: false }]).convertedRevenue).toBe(0.3);
  });

  it('writes CSV with quoted names and no spreadsheet formulas from user text', () => {
    const row = { id: 'c1', name: '=HYPERLINK("x")', status: 'done', channelId: 'ch', channelName: 'SMS, NL', channelType: 'sms', launchedAt: '2026-03-10T10:00:00.000Z', finishedAt: null };
    const figures = campaignFigures(counts({ recipients: 1, sent: 1, replied: 1 }), true);
    const report: CampaignReport = { from: 'a', to: 'b', channel: null, currency: 'EUR', campaigns: [{ ...row, ...figures }], totals: figures, truncated: false };
    const [header, line, total] = campaignReportCsv(report, 'en').trimEnd().split('\r\n');
    expect(header!.split(',').slice(0, 7)).toEqual(['campaign', 'id', 'channel', 'channel type', 'status', 'launched', 'recipients']);
    expect(line!.startsWith(`"'=HYPERLINK(""x"")",c1,"SMS, NL",sms,done,2026-03-10T10:00:00.000Z,1,`)).toBe(true);
    expect(total!.startsWith('total,')).toBe(true);
    expect(campaignReportCsv(report, 'nl').startsWith('campagne,')).toBe(true);
  });
});

const ACCOUNT = 'AC' + '0123456789abcdef'.repeat(2);
const TOKEN = 'f'.repeat(8) + '0123456789abcdef0123456789ab';
const SMS_NUMBER = '+3197010203040';
const PERIOD = { from: '2026-03-10T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z' };

const clock = new ManualClock('2026-03-01T10:00:00Z');
let h: ChannelHarness;
let twilio: FakeTwilio;
let smtp: FakeSmtpProvider;
let sms: { id: string; webhookUrl: string | null };
let mail: { id: string };
let supervisorCookie: string;
const ids: Record<string, string> = {};
const campaignIds: Record<string, string> = {};

const phone = (n: number) => `+316100000${String(n).padStart(2, '0')}`;
const api = (method: 'GET' | 'POST', url: string, payload?: unknown, cookie = supervisorCookie) => h.app.inject({ method, url, headers: { cookie }, payload: payload as object });
const twilioPost = (params: Record<string, string>) => {
  const signed = signedTwilioPost(TOKEN, sms.webhookUrl!, params);
  return h.app.inject({ method: 'POST', url: new URL(sms.webhookUrl!).pathname, headers: signed.headers, payload: signed.payload });
};
const report = async (query: Record<string, string> = PERIOD, cookie = supervisorCookie) => {
  const res = await api('GET', `/api/analytics/campaigns?${new URLSearchParams(query).toString()}`, undefined, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** A customer with a segment attribute and one identity. */
async function customer(key: string, segment: string, identity: { type: string; id: string }) {
  ids[key] = await inTransaction(h.t.platform, async (tx) => {
    const { customer: c } = await findOrCreateCustomerByIdentity(tx, h.workspaceId, { channelType: identity.type, externalId: identity.id, profile: { name: `${key} de Vries` } }, clock.now());
    await tx.update(customers).set({ attributes: { segment } }).where(eq(customers.id, c.id));
    return c.id;
  });
  clock.advance(1); // creation order is sending order
}

/** Sessions last 12 hours: after the clock moves on, everyone logs in again. */
async function logInAgain() {
  const admin = await makeUser(h.t.platform, h.workspaceId, 'admin');
  h.admin.cookie = await loginCookie(h.app, admin.email);
  supervisorCookie = await loginCookie(h.app, (await makeUser(h.t.platform, h.workspaceId, 'supervisor')).email);
}

/** Creates and launches a campaign to a segment, then runs the job until nobody is pending. */
async function sendCampaign(name: string, channelId: string, segment: string, message: Record<string, unknown>) {
  const created = await api('POST', '/api/campaigns', { name, channelId, message, segment: { attributes: { segment } } });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await api('POST', `/api/campaigns/${id}/launch`)).statusCode).toBe(200);
  // The channel's default rate is 60 a minute: one send a second.
  for (let i = 0; i < 5; i++) {
    await runCampaigns(h.t.platform);
    clock.advance(1_000);
  }
  await h.t.platform.outbox.drainOnce();
  expect((await api('GET', `/api/campaigns/${id}`)).json().status).toBe('done');
  campaignIds[name] = id;
  return id;
}

beforeAll(async () => {
  h = await channelHarness({ clock });
  twilio = await new FakeTwilio(ACCOUNT, TOKEN).start();
  smtp = await new FakeSmtpProvider().start();
  sms = await h.connect({ type: 'sms', provider: 'twilio', name: 'SMS', config: { accountSid: ACCOUNT, from: SMS_NUMBER, apiBaseUrl: twilio.baseUrl }, secrets: { authToken: TOKEN } });
  mail = await h.connect({ type: 'email', provider: 'smtp', name: 'Nieuwsbrief', config: { address: 'nieuws@example.nl', fromName: 'Winkel', smtpHost: '127.0.0.1', smtpPort: smtp.port } });
  await logInAgain();
  expect((await h.api('POST', '/api/outcomes/dispositions', { code: 'verkoop', labelNl: 'Verkoop', labelEn: 'Sale', outcome: 'sale' })).statusCode).toBe(201);

  await customer('Vera', 'early', { type: 'sms', id: phone(9) });
  await customer('Anna', 'spring', { type: 'sms', id: phone(1) });
  await customer('Bram', 'spring', { type: 'sms', id: phone(2) });
  await customer('Cees', 'spring', { type: 'sms', id: phone(3) });
  await customer('Iris', 'letter', { type: 'email', id: 'iris@example.nl' });
  await customer('Joost', 'letter', { type: 'email', id: 'joost@example.nl' });
  await h.t.platform.db.update(customerIdentities).set({ optedOutAt: clock.now() }).where(eq(customerIdentities.customerId, ids.Bram!));

  // Cees wrote in earlier and bought something; his conversation is still open, so the spring SMS
  // will go into it. That earlier sale is not the campaign's.
  expect((await twilioPost(twilio.inbound({ from: phone(3), to: SMS_NUMBER, body: 'Ik wil bestellen' }))).statusCode).toBe(200);
  const [ceesConversation] = (await h.conversations()).filter((c) => c.channelType === 'sms');
  const earlier = await api('POST', `/api/conversations/${ceesConversation!.id}/wrap-up`, { disposition: 'verkoop', amount: 10 });
  expect(earlier.statusCode, earlier.body).toBe(200);
  ids.ceesConversation = ceesConversation!.id;

  // Nine days before the period: a campaign that is not in it.
  await sendCampaign('Vroeg', sms.id, 'early', { text: 'Vroeg erbij, {{customer.first_name}}?' });

  clock.set('2026-03-10T10:00:00Z');
  await logInAgain();
  await sendCampaign('Lente', sms.id, 'spring', { text: 'Hoi {{customer.first_name}}, lentekorting!' });
  await sendCampaign('Nieuwsbrief', mail.id, 'letter', { text: 'Beste {{customer.first_name}}, er is nieuws.', subject: 'Nieuws' });
  expect(smtp.received).toHaveLength(2);

  // Anna's SMS is confirmed delivered; she answers, and the answer ends in a sale.
  const lente = (await api('GET', `/api/campaigns/${campaignIds.Lente}/recipients`)).json().items as Array<{ customerId: string; conversationId: string; messageId: string }>;
  const anna = lente.find((r) => r.customerId === ids.Anna)!;
  expect(lente.find((r) => r.customerId === ids.Cees)!.conversationId).toBe(ids.ceesConversation);
  const [sent] = await h.t.platform.db.select().from(messages).where(eq(messages.id, anna.messageId));
  expect((await twilioPost(twilio.status(sent!.providerMessageId!, 'delivered', { from: SMS_NUMBER, to: phone(1) }))).statusCode).toBe(200);
  clock.advance(60_000);
  expect((await twilioPost(twilio.inbound({ from: phone(1), to: SMS_NUMBER, body: 'Ja, graag twee!' }))).statusCode).toBe(200);
  clock.advance(60_000);
  const wrap = await api('POST', `/api/conversations/${anna.conversationId}/wrap-up`, { disposition: 'verkoop', amount: 49.95 });
  expect(wrap.statusCode, wrap.body).toBe(200);
  await runCampaigns(h.t.platform); // follows the reply
  ids.annaConversation = anna.conversationId;
});

afterAll(async () => {
  await h?.close();
  await twilio?.stop();
  await smtp?.stop();
});

describe('GET /api/analytics/campaigns', () => {
  it('lists the campaigns that sent in the period with exact figures and totals', async () => {
    const body = await report();
    expect(body).toMatchObject({ from: PERIOD.from, to: PERIOD.to, channel: null, currency: 'EUR', truncated: false });
    expect(body.campaigns.map((c: { name: string }) => c.name).sort()).toEqual(['Lente', 'Nieuwsbrief']);
    const byName = (name: string) => body.campaigns.find((c: { name: string }) => c.name === name);
    expect(byName('Lente')).toEqual({
      id: campaignIds.Lente,
      name: 'Lente',
      status: 'done',
      channelId: sms.id,
      channelName: 'SMS',
      channelType: 'sms',
      launchedAt: '2026-03-10T10:00:00.000Z',
      finishedAt: expect.any(String),
      recipients: 3,
      pending: 0,
      sent: 2,
      delivered: 1,
      deliveryRate: 0.5,
      skipped: { opted_out: 1, no_identity: 0, erased: 0, canceled: 0 },
      failed: 0,
      replied: 1,
      replyRate: 0.5,
      converted: 1,
      conversionRate: 0.5,
      convertedRevenue: 49.95,
      revenuePerRecipient: 24.975,
    });
    // E-mail reports no delivery: unknown, not zero.
    expect(byName('Nieuwsbrief')).toMatchObject({
      channelType: 'email',
      recipients: 2,
      sent: 2,
      delivered: null,
      deliveryRate: null,
      skipped: { opted_out: 0, no_identity: 0, erased: 0, canceled: 0 },
      failed: 0,
      replied: 0,
      replyRate: 0,
      converted: 0,
      convertedRevenue: 0,
      revenuePerRecipient: 0,
    });
    expect(body.totals).toEqual({
      recipients: 5,
      pending: 0,
      sent: 4,
      delivered: 1,
      deliveryRate: 0.5,
      skipped: { opted_out: 1, no_identity: 0, erased: 0, canceled: 0 },
      failed: 0,
      replied: 1,
      replyRate: 0.25,
      converted: 1,
      conversionRate: 0.25,
      convertedRevenue: 49.95,
      revenuePerRecipient: 12.4875,
    });
  });

  it('agrees with the campaign results and with the KPI projection of the same conversations', async () => {
    const results = (await api('GET', `/api/campaigns/${campaignIds.Lente}/results`)).json();
    const lente = (await report()).campaigns.find((c: { name: string }) => c.name === 'Lente');
    expect(lente).toMatchObject({ recipients: results.recipients, sent: results.sent, delivered: results.confirmedDelivered, replied: results.replied, convertedRevenue: results.convertedRevenue.amount });
    // The answered campaign conversation is a contact (campaign_reply) and its sale is the period's revenue.
    await projectAnalytics(h.t.platform);
    const [fact] = await h.t.platform.db.select().from(analyticsConversations).where(inArray(analyticsConversations.conversationId, [ids.annaConversation!]));
    expect(fact!.origin).toBe('campaign_reply');
    const kpis = (await api('GET', `/api/analytics/kpis?${new URLSearchParams({ ...PERIOD, interval: 'total' })}`)).json();
    expect(kpis.totals.revenue).toBeCloseTo(lente.convertedRevenue, 10);
  });

  it('leaves out a campaign that did not send in the period, and lists it in its own', async () => {
    const before = await report({ from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' });
    expect(before.campaigns.map((c: { name: string }) => c.name)).toEqual(['Vroeg']);
    expect(before.totals).toMatchObject({ recipients: 1, sent: 1, replied: 0 });
    const after = await report({ from: '2026-03-11T00:00:00Z', to: '2026-03-12T00:00:00Z' });
    expect(after.campaigns).toEqual([]);
    expect(after.totals).toMatchObject({ recipients: 0, sent: 0, delivered: null, replyRate: null });
    // A period that holds both lists the three, the latest launched first.
    const both = await report({ from: '2026-03-01T00:00:00Z', to: '2026-03-11T00:00:00Z' });
    expect(both.campaigns.map((c: { name: string }) => c.name).at(-1)).toBe('Vroeg');
    expect(both.campaigns).toHaveLength(3);
  });

  it('filters by channel type', async () => {
    const email = await report({ ...PERIOD, channel: 'email' });
    expect(email.campaigns.map((c: { name: string }) => c.name)).toEqual(['Nieuwsbrief']);
    expect(email.totals).toMatchObject({ sent: 2, delivered: null });
    expect(email.channel).toBe('email');
    expect((await report({ ...PERIOD, channel: 'whatsapp' })).campaigns).toEqual([]);
  });

  it('gives the same figures as CSV, in the language asked', async () => {
    const res = await api('GET', `/api/analytics/campaigns.csv?${new URLSearchParams({ ...PERIOD, lang: 'nl' })}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('hoorn-campaigns-2026-03-10-2026-03-11.csv');
    const lines = res.body.trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 7)).toEqual(['campagne', 'id', 'kanaal', 'kanaaltype', 'status', 'gestart', 'ontvangers']);
    const lente = lines.find((l) => l.startsWith('Lente,'))!.split(',');
    const cell = (name: string) => lente[header.indexOf(name)];
    expect([cell('ontvangers'), cell('overgeslagen_opted_out'), cell('sent'), cell('delivered'), cell('replied'), cell('convertedRevenue')]).toEqual(['3', '1', '2', '1', '1', '49.95']);
    const mailLine = lines.find((l) => l.startsWith('Nieuwsbrief,'))!.split(',');
    expect(mailLine[header.indexOf('delivered')]).toBe('');
    expect(lines.at(-1)!.startsWith('totaal,')).toBe(true);
    expect(lines).toHaveLength(4);
  });

  it('refuses a backwards period, and is for supervisors', async () => {
    const backwards = await api('GET', `/api/analytics/campaigns?from=${PERIOD.to}&to=${PERIOD.from}`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('invalid_range');
    expect((await api('GET', `/api/analytics/campaigns?from=yesterday&to=${PERIOD.to}`)).statusCode).toBe(400);
    const agent = await makeUser(h.t.platform, h.workspaceId, 'agent');
    expect((await api('GET', `/api/analytics/campaigns?${new URLSearchParams(PERIOD)}`, undefined, await loginCookie(h.app, agent.email))).statusCode).toBe(403);
  });

  it("another workspace sees none of this workspace's campaigns", async () => {
    const other = await makeWorkspace(h.t.platform);
    const boss = await makeUser(h.t.platform, other.id, 'supervisor');
    const cookie = await loginCookie(h.app, boss.email, undefined, other.slug);
    const theirs = await report({ from: '2026-03-01T00:00:00Z', to: '2026-03-12T00:00:00Z' }, cookie);
    expect(theirs.campaigns).toEqual([]);
    expect(theirs.totals).toMatchObject({ recipients: 0, sent: 0, convertedRevenue: 0 });
    const csv = await api('GET', `/api/analytics/campaigns.csv?${new URLSearchParams(PERIOD)}`, undefined, cookie);
    expect(csv.body.trimEnd().split('\r\n')).toHaveLength(2);
  });
});
