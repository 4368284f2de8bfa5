import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChannel } from '../../src/channels/channels.store.ts';
import { maturityQuestions } from '../../src/analytics/benchmark.maturity.ts';
import { benchmarkReport } from '../../src/analytics/benchmark.service.ts';
import type { KpiReport } from '../../src/analytics/reports.ts';
import { inTransaction, listEvents } from '../../src/platform/events/events.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

describe('benchmark and maturity API', () => {
  let t: TestContext;
  let workspaceId: string;
  let supervisorId: string;
  const clock = new ManualClock('2026-11-23T10:00:00Z');
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    workspaceId = (await makeWorkspace(t.platform)).id;
    const supervisor = await makeUser(t.platform, workspaceId, 'supervisor');
    supervisorId = supervisor.id;
    cookies.supervisor = await loginCookie(t.app, supervisor.email);
    cookies.agent = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'agent')).email);
    await inTransaction(t.platform, async (tx) => {
      await insertChannel(tx, workspaceId, { type: 'webchat', name: 'Chat', config: {}, secrets: null }, clock.now());
      await insertChannel(tx, workspaceId, { type: 'sms', provider: 'twilio', name: 'Sms', config: {}, secrets: null, enabled: false }, clock.now());
      await insertChannel(tx, workspaceId, { type: 'messenger', provider: 'meta', name: 'Facebook', config: {}, secrets: null }, clock.now());
    });
  });
  afterAll(() => t.close());

  const as = (role: string) => (method: 'GET' | 'PUT', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie: cookies[role]! }, payload });
  const answers = (n: number) => Object.fromEntries(maturityQuestions.map((q) => [q, n]));
  const range = 'from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z';

  it('is for supervisors', async () => {
    expect((await as('agent')('GET', `/api/analytics/benchmark?${range}`)).statusCode).toBe(403);
    expect((await as('agent')('GET', '/api/analytics/maturity')).statusCode).toBe(403);
    expect((await as('agent')('PUT', '/api/analytics/maturity', { answers: answers(2), runAsProfitCentre: true })).statusCode).toBe(403);
  });

  it('starts without an assessment', async () => {
    const res = await as('supervisor')('GET', '/api/analytics/maturity');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ questions: [...maturityQuestions], scale: { min: 0, max: 4 }, current: null, history: [] });
    expect(res.json().levels.map((l: { level: string }) => l.level)).toEqual(['starting', 'learning', 'advanced', 'very_advanced']);
  });

  it('refuses an incomplete or out-of-scale questionnaire, naming the question', async () => {
    const { routing: _, ...missing } = answers(2);
    const res = await as('supervisor')('PUT', '/api/analytics/maturity', { answers: missing, runAsProfitCentre: false });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('routing');
    const high = await as('supervisor')('PUT', '/api/analytics/maturity', { answers: { ...answers(2), knowledge: 7 }, runAsProfitCentre: false });
    expect(high.statusCode).toBe(400);
    expect(high.body).toContain('knowledge');
    const unknown = await as('supervisor')('PUT', '/api/analytics/maturity', { answers: { ...answers(2), vibes: 3 }, runAsProfitCentre: false });
    expect(unknown.statusCode).toBe(400);
  });

  it('saves assessments with history (who, when) and an event', async () => {
    const first = await as('supervisor')('PUT', '/api/analytics/maturity', { answers: answers(1), runAsProfitCentre: false });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().current).toMatchObject({ score: 25, level: 'starting', runAsProfitCentre: false, assessedBy: supervisorId, assessedAt: '2026-11-23T10:00:00.000Z' });
    clock.advance(3_600_000);
    const second = await as('supervisor')('PUT', '/api/analytics/maturity', { answers: { ...answers(2), routing: 3, benchmarking: 0 }, runAsProfitCentre: true });
    const body = second.json();
    expect(body.current).toMatchObject({ score: 48, level: 'learning', runAsProfitCentre: true, weakest: ['benchmarking', 'channels', 'self_service'] });
    expect(body.current.assessedByName).toMatch(/supervisor/);
    expect(body.history.map((h: { level: string }) => h.level)).toEqual(['learning', 'starting']);
    const events = await listEvents(t.platform.db, workspaceId, { limit: 50, type: 'maturity.assessed' });
    expect(events.map((e) => e.payload.level).sort()).toEqual(['learning', 'starting']);
  });

  it('answers the benchmark from the enabled channels, the latest assessment and the real KPI report', async () => {
    const res = await as('supervisor')('GET', `/api/analytics/benchmark?${range}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const offered = Object.fromEntries(body.offering.map((o: { id: string; offered: boolean }) => [o.id, o.offered]));
    expect(offered).toMatchObject({ web_chat: true, internet_queries: true, internet_customer_service: true, social_media: true, sms: false, smartphone_apps: false, voice: false });
    expect(body.offering.find((o: { id: string }) => o.id === 'sms').reference).toMatchObject({ value: 40, year: '2011/2012' });
    expect(body.profitCentre).toMatchObject({ runAsProfitCentre: true, reference: { value: 47.9 } });
    expect(body.maturity).toMatchObject({ level: 'learning', score: 48 });
    // The real KPI report, over a workspace without contacts.
    expect(body.kpis).toMatchObject({ available: true, currency: 'EUR', profitCentre: { revenue: 0, cost: expect.any(Number) } });
    expect(body.kpis.channelMix.every((m: { contacts: number }) => m.contacts === 0)).toBe(true);
  });

  it('keeps offering and maturity when the KPI report fails, and says why', async () => {
    const failing = async (): Promise<KpiReport> => {
      throw new Error('rollups are being rebuilt');
    };
    const report = await benchmarkReport(t.platform, workspaceId, { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') }, failing);
    expect(report.kpis).toEqual({ available: false, reason: 'rollups are being rebuilt' });
    expect(report.offering.find((o) => o.id === 'web_chat')!.offered).toBe(true);
    expect(report.maturity.level).toBe('learning');
  });

  it('adds the channel mix and profit-centre figures from the KPI report grouped by channel', async () => {
    const asked: unknown[] = [];
    const fakeReport = async (_p: unknown, ws: string, query: unknown): Promise<KpiReport> => {
      asked.push({ ws, query });
      const k = (conversations: number) => ({ conversations, offered: conversations, revenue: 0 }) as unknown as KpiReport['totals'];
      return {
        from: '', to: '', interval: 'total', groupBy: 'channel', timeZone: 'Europe/Amsterdam', currency: 'EUR',
        rows: [{ bucket: null, key: 'webchat', label: 'Web chat', kpis: k(3) }, { bucket: null, key: 'messenger', label: 'Messenger', kpis: k(1) }],
        totals: { ...k(4), revenue: 100, revenuePerContact: 25, cost: 60, costPerContact: 15, margin: 40, sales: 2 } as KpiReport['totals'],
      };
    };
    const period = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') };
    const report = await benchmarkReport(t.platform, workspaceId, period, fakeReport);
    expect(asked).toEqual([{ ws: workspaceId, query: { ...period, interval: 'total', groupBy: 'channel' } }]);
    expect(report.kpis).toMatchObject({ available: true, channelMix: [{ channel: 'webchat', share: 0.75 }, { channel: 'messenger', share: 0.25 }], profitCentre: { revenue: 100, margin: 40 } });
  });

  it('checks the period', async () => {
    expect((await as('supervisor')('GET', '/api/analytics/benchmark?from=2026-11-01T00:00:00Z&to=2026-10-01T00:00:00Z')).statusCode).toBe(400);
    expect((await as('supervisor')('GET', '/api/analytics/benchmark?from=yesterday&to=2026-10-01T00:00:00Z')).statusCode).toBe(400);
    expect((await as('supervisor')('GET', '/api/analytics/benchmark?from=2020-01-01T00:00:00Z&to=2026-10-01T00:00:00Z')).statusCode).toBe(400);
  });
});
