import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiReport, Kpis } from '../../src/analytics/reports.ts';
import { claimDueSchedules } from '../../src/analytics/schedules.store.ts';
import { productionRunDeps, RUN_LEASE_MS, runDueSchedules, type RunDeps } from '../../src/analytics/schedules.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { listEvents } from '../../src/platform/events/events.ts';
import { FakeSmtpProvider } from '../fakes/smtp.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

const totals = { offered: 42, answered: 40, serviceLevel: 0.9, revenue: 250, margin: 50 } as Partial<Kpis> as Kpis;
/** The KPI report and its CSV, stood in while the KPI module is built; sending is the real path. */
function reportDeps(asked: unknown[] = []): RunDeps {
  return {
    runReport: async (_p, workspaceId, query) => {
      asked.push({ workspaceId, ...query });
      const report: KpiReport = {
        from: query.from.toISOString(), to: query.to.toISOString(), interval: query.interval, groupBy: query.groupBy, timeZone: 'Europe/Amsterdam', currency: 'EUR',
        rows: [{ bucket: null, key: 'webchat', label: 'Webchat', kpis: totals }], totals,
      };
      return report;
    },
    csv: (report, language) => `${language === 'nl' ? 'aangeboden' : 'offered'}\n${report.totals.offered}\n`,
    send: productionRunDeps.send,
  };
}

const daily = { name: 'Dagrapport', recipients: ['teamleider@example.nl', 'Manager@Example.nl', 'manager@example.nl'], frequency: 'daily', hour: 7, timeZone: 'Europe/Amsterdam', range: 'yesterday', interval: 'total', groupBy: 'channel', language: 'nl' };

describe('scheduled reports', () => {
  let t: TestContext;
  let smtp: FakeSmtpProvider;
  let workspaceId: string;
  const clock = new ManualClock('2026-11-23T05:30:00Z'); // Monday 06:30 in Amsterdam
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await new FakeSmtpProvider().start();
    // The clock moves days ahead: sessions must outlive it.
    t = await makeTestApp({ clock, config: { sessionTtlMs: 90 * 86_400_000, mail: { url: `smtp://127.0.0.1:${smtp.port}`, from: 'Hoorn <rapportages@example.nl>' } } });
    workspaceId = (await makeWorkspace(t.platform)).id;
    cookies.supervisor = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'supervisor')).email);
    cookies.agent = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'agent')).email);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const as = (role: string) => (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie: cookies[role]! }, payload });
  const base = '/api/analytics/report-schedules';
  let scheduleId: string;

  it('validates a schedule, naming the field', async () => {
    const weekly = await as('supervisor')('POST', base, { ...daily, frequency: 'weekly' });
    expect(weekly.statusCode).toBe(400);
    expect(weekly.body).toContain('weekday');
    const monthly = await as('supervisor')('POST', base, { ...daily, frequency: 'monthly' });
    expect(monthly.body).toContain('dayOfMonth');
    const zone = await as('supervisor')('POST', base, { ...daily, timeZone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    expect(zone.body).toContain('timeZone');
    const address = await as('supervisor')('POST', base, { ...daily, recipients: ['not an address'] });
    expect(address.statusCode).toBe(400);
    expect(address.body).toContain('recipients');
    expect((await as('supervisor')('POST', base, { ...daily, hour: 24 })).statusCode).toBe(400);
    expect((await as('agent')('POST', base, daily)).statusCode).toBe(403);
    expect((await as('agent')('GET', base)).statusCode).toBe(403);
  });

  it('creates a schedule with its next run in local time, recipients once each', async () => {
    const res = await as('supervisor')('POST', base, daily);
    expect(res.statusCode, res.body).toBe(201);
    const schedule = res.json();
    scheduleId = schedule.id;
    expect(schedule).toMatchObject({ nextRunAt: '2026-11-23T06:00:00.000Z', lastRunAt: null, lastError: null, enabled: true, weekday: null, recipients: ['teamleider@example.nl', 'manager@example.nl'] });
    const list = (await as('supervisor')('GET', base)).json();
    expect(list.mailConfigured).toBe(true);
    expect(list.items.map((s: { id: string }) => s.id)).toEqual([scheduleId]);
  });

  it('sends nothing before the run is due', async () => {
    expect(await runDueSchedules(t.platform, reportDeps())).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('sends the due report once, with the summary table and the CSV, and plans the next run', async () => {
    clock.set('2026-11-23T06:00:20Z');
    const asked: unknown[] = [];
    // Two nodes' jobs at the same moment: one claims the run, the other finds nothing.
    const [a, b] = await Promise.all([runDueSchedules(t.platform, reportDeps(asked)), runDueSchedules(t.platform, reportDeps(asked))]);
    expect(a + b).toBe(1);
    expect(smtp.received).toHaveLength(1);
    expect(asked).toEqual([{ workspaceId, from: new Date('2026-11-21T23:00:00Z'), to: new Date('2026-11-22T23:00:00Z'), interval: 'total', groupBy: 'channel' }]);

    const mail = smtp.received[0]!;
    expect(mail.envelope.to.sort()).toEqual(['manager@example.nl', 'teamleider@example.nl']);
    expect(mail.parsed.from?.text).toContain('rapportages@example.nl');
    expect(mail.parsed.subject).toBe('Rapportage Dagrapport: 22 november 2026');
    expect(mail.parsed.html).toContain('Serviceniveau');
    expect(mail.parsed.html).toContain('Webchat');
    expect(mail.parsed.attachments.map((x) => [x.filename, x.contentType, x.content.toString('utf8')])).toEqual([['dagrapport-2026-11-22.csv', 'text/csv', 'aangeboden\n42\n']]);

    const schedule = (await as('supervisor')('GET', `${base}/${scheduleId}`)).json();
    expect(schedule).toMatchObject({ lastRunAt: '2026-11-23T06:00:20.000Z', lastError: null, nextRunAt: '2026-11-24T06:00:00.000Z', runs: 1 });
    const events = await listEvents(t.platform.db, workspaceId, { limit: 10, type: 'report_schedule.sent' });
    expect(events.map((e) => e.payload)).toEqual([{ recipients: 2, from: '2026-11-21T23:00:00.000Z', to: '2026-11-22T23:00:00.000Z' }]);
    expect(JSON.stringify(events)).not.toContain('@example.nl');

    expect(await runDueSchedules(t.platform, reportDeps())).toBe(0);
  });

  it('lets a claimed run be taken again only after the lease, when its node died', async () => {
    clock.set('2026-11-24T06:00:00Z');
    const claimed = await claimDueSchedules(t.platform.db, clock.now(), RUN_LEASE_MS);
    expect(claimed.map((s) => s.id)).toEqual([scheduleId]);
    expect(await claimDueSchedules(t.platform.db, clock.now(), RUN_LEASE_MS)).toEqual([]);
    clock.advance(RUN_LEASE_MS - 1000);
    expect(await runDueSchedules(t.platform, reportDeps())).toBe(0);
    clock.advance(2000);
    expect(await runDueSchedules(t.platform, reportDeps())).toBe(1);
    expect(smtp.received).toHaveLength(2);
    expect((await as('supervisor')('GET', `${base}/${scheduleId}`)).json().nextRunAt).toBe('2026-11-25T06:00:00.000Z');
  });

  it('records a mail server refusal as the last error and moves on to the next run', async () => {
    clock.set('2026-11-25T06:00:05Z');
    smtp.failures.push({ stage: 'data', code: 554, message: '5.7.1 Message rejected' });
    expect(await runDueSchedules(t.platform, reportDeps())).toBe(1);
    const schedule = (await as('supervisor')('GET', `${base}/${scheduleId}`)).json();
    expect(schedule.lastError).toMatch(/rejected/);
    expect(schedule.nextRunAt).toBe('2026-11-26T06:00:00.000Z');
    const failed = await listEvents(t.platform.db, workspaceId, { limit: 10, type: 'report_schedule.failed' });
    expect(failed).toHaveLength(1);
  });

  it('sends the real KPI report and its CSV in production (no stand-ins)', async () => {
    clock.set('2026-11-26T06:00:10Z');
    expect(await runDueSchedules(t.platform)).toBe(1);
    const mail = smtp.received.at(-1)!;
    expect(mail.parsed.subject).toBe('Rapportage Dagrapport: 25 november 2026');
    const [csv] = mail.parsed.attachments;
    expect(csv!.filename).toBe('dagrapport-2026-11-25.csv');
    expect(csv!.content.toString('utf8')).toMatch(/^.*\r\ntotaal,/s);
    expect((await as('supervisor')('GET', `${base}/${scheduleId}`)).json()).toMatchObject({ lastError: null, nextRunAt: '2026-11-27T06:00:00.000Z' });
  });

  it('changes and disables a schedule; a disabled one has no next run and never runs', async () => {
    const weekly = await as('supervisor')('PUT', `${base}/${scheduleId}`, { ...daily, frequency: 'weekly', weekday: 1, hour: 8, range: 'last_7_days', language: 'en' });
    expect(weekly.statusCode, weekly.body).toBe(200);
    expect(weekly.json()).toMatchObject({ frequency: 'weekly', weekday: 1, nextRunAt: '2026-11-30T07:00:00.000Z', language: 'en' });
    const off = await as('supervisor')('PUT', `${base}/${scheduleId}`, { ...daily, enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, nextRunAt: null });
    clock.set('2026-12-31T12:00:00Z');
    expect(await runDueSchedules(t.platform, reportDeps())).toBe(0);
  });

  it('deletes a schedule', async () => {
    expect((await as('supervisor')('DELETE', `${base}/${scheduleId}`)).statusCode).toBe(204);
    expect((await as('supervisor')('GET', `${base}/${scheduleId}`)).statusCode).toBe(404);
    expect((await as('supervisor')('DELETE', `${base}/${scheduleId}`)).statusCode).toBe(404);
    const types = (await listEvents(t.platform.db, workspaceId, { limit: 50 })).map((e) => e.type).filter((type) => type.startsWith('report_schedule.'));
    expect(new Set(types)).toEqual(new Set(['report_schedule.created', 'report_schedule.updated', 'report_schedule.sent', 'report_schedule.failed', 'report_schedule.deleted']));
  });
});

describe('scheduled reports without an outgoing mail server', () => {
  let t: TestContext;
  let cookie: string;
  const clock = new ManualClock('2026-11-23T05:30:00Z');

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    const workspaceId = (await makeWorkspace(t.platform)).id;
    cookie = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'supervisor')).email);
  });
  afterAll(() => t.close());

  it('says mail is not configured, and the job records that on the schedule instead of failing silently', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/analytics/report-schedules', headers: { cookie }, payload: daily });
    expect(created.statusCode, created.body).toBe(201);
    const list = (await t.app.inject({ url: '/api/analytics/report-schedules', headers: { cookie } })).json();
    expect(list.mailConfigured).toBe(false);
    clock.set('2026-11-23T06:00:00Z');
    expect(await runDueSchedules(t.platform, reportDeps())).toBe(1);
    const schedule = (await t.app.inject({ url: `/api/analytics/report-schedules/${created.json().id}`, headers: { cookie } })).json();
    expect(schedule.lastError).toMatch(/HOORN_MAIL_URL/);
    expect(schedule.nextRunAt).toBe('2026-11-24T06:00:00.000Z');
  });

  it('"send now" answers with the outcome recorded as the last run', async () => {
    const [schedule] = (await t.app.inject({ url: '/api/analytics/report-schedules', headers: { cookie } })).json().items;
    const res = await t.app.inject({ method: 'POST', url: `/api/analytics/report-schedules/${schedule.id}/send`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    // The production report runs here; the mail then fails for want of a server, and says so.
    expect(res.json().lastError).toMatch(/HOORN_MAIL_URL/);
    expect(res.json().nextRunAt).toBe('2026-11-24T06:00:00.000Z');
    expect(res.json().runs).toBe(2);
  });
});
