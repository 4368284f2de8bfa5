// The workforce API over a hand-made history: analytics facts written directly (the projector's
// output), so every figure the API returns can be worked out here.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsSegments } from '../../src/analytics/analytics.schema.ts';
import { localToInstant } from '../../src/analytics/sla.calendar.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { parseScenario, type ScenarioInput } from '../../src/workforce/scenario.ts';
import { staffingCurve } from '../../src/workforce/staffing.ts';
import { workforceSimulations } from '../../src/workforce/workforce.schema.ts';
import { addDays, runDueSimulations } from '../../src/workforce/workforce.service.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

const TZ = 'Europe/Amsterdam';
// Wednesday 22 April 2026, noon in Amsterdam. Four weeks of history: 25 March .. 21 April, across
// the change to summer time on Sunday 29 March (UTC+1 before, UTC+2 after).
const NOW = '2026-04-22T10:00:00Z';
const HISTORY_START = '2026-03-25';
const HISTORY_END = '2026-04-22';
/** A weekday in the history that the calendar calls a holiday; its odd traffic must not be learnt. */
const HISTORY_HOLIDAY = '2026-04-15';
/** A forecast day that is a holiday (Monday). */
const FORECAST_HOLIDAY = '2026-04-27';

const at = (date: string, hhmm: string, plusSeconds = 0) => new Date(localToInstant(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), TZ) + plusSeconds * 1000);
const isWeekday = (date: string) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

interface SegmentSpec {
  channel: string;
  queueId: string;
  startedAt: Date;
  waitSeconds?: number;
  handleSeconds?: number;
  outcome: 'answered' | 'abandoned' | null;
  transferredIn?: boolean;
}

function segmentRow(workspaceId: string, s: SegmentSpec) {
  const answered = s.outcome === 'answered' ? new Date(s.startedAt.getTime() + s.waitSeconds! * 1000) : null;
  const ended = s.outcome === 'answered' ? new Date(answered!.getTime() + s.handleSeconds! * 1000) : s.outcome === 'abandoned' ? new Date(s.startedAt.getTime() + s.waitSeconds! * 1000) : null;
  return {
    workspaceId,
    taskId: randomUUID(),
    seq: 0,
    channel: s.channel,
    queueId: s.queueId,
    startedAt: s.startedAt,
    answeredAt: answered,
    endedAt: ended,
    outcome: s.outcome,
    transferredIn: s.transferredIn ?? false,
  };
}

describe('workforce API', () => {
  let t: TestContext;
  let clock: ManualClock;
  let wsA: { id: string };
  let wsB: { id: string };
  let supervisorA: string;
  let supervisorB: string;
  let agentA: string;
  let chatQueue: string;
  let voiceQueue: string;
  let workflowId: string;

  const get = (url: string, cookie = supervisorA) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, payload: object, cookie = supervisorA) => t.app.inject({ method: 'POST', url, payload, headers: { cookie } });

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    t = await makeTestApp({ clock });
    wsA = await makeWorkspace(t.platform);
    wsB = await makeWorkspace(t.platform);
    const adminA = await loginCookie(t.app, (await makeUser(t.platform, wsA.id, 'admin')).email);
    supervisorA = await loginCookie(t.app, (await makeUser(t.platform, wsA.id, 'supervisor')).email);
    supervisorB = await loginCookie(t.app, (await makeUser(t.platform, wsB.id, 'supervisor')).email);
    const agentUser = await makeUser(t.platform, wsA.id, 'agent');
    agentA = await loginCookie(t.app, agentUser.email);
    await makeUser(t.platform, wsA.id, 'agent');

    const settings = (await get('/api/routing/settings', adminA)).json();
    expect((await t.app.inject({ method: 'PUT', url: '/api/routing/settings', headers: { cookie: adminA }, payload: { ...settings, skills: ['service'] } })).statusCode).toBe(200);
    chatQueue = (await post('/api/routing/queues', { name: 'Service', eligibility: '', order: 'fifo' }, adminA)).json().id;
    voiceQueue = (await post('/api/routing/queues', { name: 'Telefoon', eligibility: '', order: 'fifo' }, adminA)).json().id;
    workflowId = (await post('/api/routing/workflows', { name: 'Alles', filters: [], defaultSteps: [{ queueId: chatQueue }] }, adminA)).json().id;
    for (const user of [agentUser]) {
      const res = await t.app.inject({ method: 'PUT', url: `/api/routing/agents/${user.id}`, headers: { cookie: adminA }, payload: { skills: { service: 3 }, languages: ['nl'], attributes: {}, capacity: { total: 100, cost: { webchat: 25, voice: 100 } } } });
      expect(res.statusCode).toBe(200);
    }
    const calendar = await post('/api/sla/calendars', { name: 'Kantoor', timeZone: TZ, alwaysOpen: true, holidays: [{ date: HISTORY_HOLIDAY, name: 'Testdag' }, { date: FORECAST_HOLIDAY, name: 'Koningsdag' }] }, adminA);
    expect(calendar.statusCode).toBe(201);

    // Every weekday: web chat at 09:10 (answered after 30 s, 240 s of work; abandoned after 90 s)
    // and 14:40 (answered after 10 s, 360 s), a transfer into the chat queue at 11:05 (not an
    // arrival), a call at 10:05 (answered after 5 s, 180 s). Weekends are closed.
    const rows = [];
    for (let date = HISTORY_START; date < HISTORY_END; date = addDays(date, 1)) {
      if (!isWeekday(date)) continue;
      if (date === HISTORY_HOLIDAY) {
        // Forty odd contacts still open at noon on the holiday: left out of the fit and the figures.
        for (let i = 0; i < 40; i++) rows.push(segmentRow(wsA.id, { channel: 'webchat', queueId: chatQueue, startedAt: at(date, '12:00', i), outcome: null }));
        continue;
      }
      rows.push(segmentRow(wsA.id, { channel: 'webchat', queueId: chatQueue, startedAt: at(date, '09:10'), waitSeconds: 30, handleSeconds: 240, outcome: 'answered' }));
      rows.push(segmentRow(wsA.id, { channel: 'webchat', queueId: chatQueue, startedAt: at(date, '09:12'), waitSeconds: 90, outcome: 'abandoned' }));
      rows.push(segmentRow(wsA.id, { channel: 'webchat', queueId: chatQueue, startedAt: at(date, '14:40'), waitSeconds: 10, handleSeconds: 360, outcome: 'answered' }));
      rows.push(segmentRow(wsA.id, { channel: 'webchat', queueId: chatQueue, startedAt: at(date, '11:05'), waitSeconds: 10, handleSeconds: 100, outcome: 'answered', transferredIn: true }));
      rows.push(segmentRow(wsA.id, { channel: 'voice', queueId: voiceQueue, startedAt: at(date, '10:05'), waitSeconds: 5, handleSeconds: 180, outcome: 'answered' }));
      // Workspace B's traffic, in its own queue id: A must never see it.
      rows.push(segmentRow(wsB.id, { channel: 'email', queueId: 'b-queue', startedAt: at(date, '09:00'), waitSeconds: 5, handleSeconds: 60, outcome: 'answered' }));
    }
    await t.platform.db.insert(analyticsSegments).values(rows);
  });
  afterAll(() => t.close());

  const sumSlots = (intervals: Array<{ start: string; forecast: number }>, date: string, fromHhmm: string, toHhmm: string) =>
    intervals.filter((i) => Date.parse(i.start) >= at(date, fromHhmm).getTime() && Date.parse(i.start) < at(date, toHhmm).getTime()).reduce((s, i) => s + i.forecast, 0);

  describe('forecast', () => {
    it('counts arrivals into local 15-minute slots across the change to summer time, and flags holidays', async () => {
      const res = await get('/api/workforce/forecast?weeks=4');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ timeZone: TZ, intervalMinutes: 15, from: '2026-04-23', days: 7, historyDays: 28 });
      expect(body.streams.map((s: { id: string }) => s.id)).toEqual([`voice:${voiceQueue}`, `webchat:${chatQueue}`]);
      const chat = body.streams[1];
      expect(chat).toMatchObject({ channel: 'webchat', queueId: chatQueue, queueName: 'Service' });
      expect(chat.days.map((d: { date: string }) => d.date)).toEqual(['2026-04-23', '2026-04-24', '2026-04-25', '2026-04-26', '2026-04-27', '2026-04-28', '2026-04-29']);
      const thursday = chat.days[0];
      expect(thursday.intervals).toHaveLength(96);
      // Local midnight of 23 April in summer time is 22:00 UTC the day before.
      expect(thursday.intervals[0].start).toBe('2026-04-22T22:00:00.000Z');
      expect(thursday.intervals[36].start).toBe('2026-04-23T07:00:00.000Z'); // 09:00 local
      // Every learnt weekday had 2 arrivals in the 09:00 slot and 1 in the 14:30 slot (local time,
      // before and after the change); the profile is smoothed over ±2 slots, so the mass stays
      // within 08:30–09:45 and 14:00–15:15. The transfer at 11:05 is not an arrival.
      for (const day of chat.days.filter((d: { date: string }) => isWeekday(d.date))) {
        expect(day.total).toBeCloseTo(3, 2);
        expect(sumSlots(day.intervals, day.date, '08:30', '09:45')).toBeCloseTo(2, 2);
        expect(sumSlots(day.intervals, day.date, '14:00', '15:15')).toBeCloseTo(1, 2);
        // The holiday's forty contacts at noon were not learnt.
        expect(sumSlots(day.intervals, day.date, '11:00', '13:00')).toBe(0);
      }
      // Weekends: closed on every history weekend, so nothing.
      expect(chat.days[2].total).toBe(0);
      expect(chat.days[3].total).toBe(0);
      // The holiday is flagged and, with the queues open, forecast as its weekday.
      expect(chat.days.map((d: { holiday: string | null }) => d.holiday)).toEqual([null, null, null, null, 'Koningsdag', null, null]);
      expect(chat.days[4].total).toBeCloseTo(3, 2);
    });

    it('works out handle time, its spread, patience and abandonment from the history', async () => {
      const [voice, chat] = (await get('/api/workforce/forecast?weeks=4&days=1')).json().streams;
      // 19 weekdays (20 less the holiday), each 240 s and 360 s of handling: mean 300, sample SD 60·√(38/37).
      expect(chat.handleTimeSeconds).toBeCloseTo(300, 3);
      expect(chat.handleTimeCv).toBeCloseTo((60 * Math.sqrt(38 / 37)) / 300, 4);
      // Patience MLE: total wait (30 + 90 + 10 s a day) over abandoned contacts (1 a day).
      expect(chat.patienceSeconds).toBeCloseTo(130, 3);
      expect(chat.abandonRate).toBeCloseTo(1 / 3, 4);
      expect(voice).toMatchObject({ handleTimeSeconds: 180, handleTimeCv: 0, patienceSeconds: null, abandonRate: 0 });
    });

    it('backtests the last two weeks against the naive baselines once the history spans three weeks', async () => {
      const chat = (await get('/api/workforce/forecast?weeks=4&days=1')).json().streams[1];
      // Learnt days in 8–21 April: ten weekdays less the holiday.
      expect(chat.backtest).toMatchObject({ method: 'seasonal', testDays: 9 });
      expect(chat.backtest.baselines.map((b: { name: string }) => b.name)).toHaveLength(4);
      expect(chat.backtest.wape).toBeGreaterThanOrEqual(0);
      expect(chat.backtest.perInterval.map((s: { slot: string }) => s.slot)).toEqual(['09:00', '14:30']);
      // Identical weekdays: "same weekday last week" is exact.
      expect(chat.backtest.baselines.find((b: { name: string }) => b.name.startsWith('same weekday')).wape).toBe(0);
      const short = (await get('/api/workforce/forecast?weeks=2&days=1')).json().streams[1];
      expect(short.backtest).toBeNull();
    });

    it('shows another workspace only its own streams, and checks the query', async () => {
      const b = (await get('/api/workforce/forecast?weeks=4&days=1', supervisorB)).json();
      expect(b.streams.map((s: { id: string }) => s.id)).toEqual(['email:b-queue']);
      expect(JSON.stringify(b)).not.toContain(chatQueue);
      const bad = await get('/api/workforce/forecast?days=40&interval=20');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('days: at most 28');
      expect(bad.json().error.message).toContain('interval must be 15 or 30');
      expect((await get('/api/workforce/forecast', agentA)).statusCode).toBe(403);
    });
  });

  describe('staffing', () => {
    const targets = { serviceLevel: 0.8, withinSeconds: 20 };

    it('uses Erlang A where the history has abandonment and Erlang C elsewhere, with the figures of staffing.ts', async () => {
      const res = await post('/api/workforce/staffing', { weeks: 4, targets, shrinkage: 0.3 });
      expect(res.statusCode).toBe(200);
      const plan = res.json();
      expect(plan).toMatchObject({ serviceLevelConvention: 'answered-within-t-over-all-arrivals', intervalMinutes: 30, from: '2026-04-23', days: 1 });
      const [voice, chat] = plan.streams;
      expect(voice).toMatchObject({ model: 'erlangC', concurrency: 1, handleTimeSeconds: 180, patienceSeconds: null });
      expect(chat).toMatchObject({ model: 'erlangA', concurrency: 3, handleTimeSeconds: 300, patienceSeconds: 130 });
      const forecast = (await get('/api/workforce/forecast?weeks=4&days=1&interval=30')).json();
      for (const [stream, model] of [[voice, { kind: 'erlangC' } as const], [chat, { kind: 'erlangA', patienceSeconds: 130 } as const]] as const) {
        const intervals = forecast.streams.find((s: { id: string }) => s.id === stream.id).days[0].intervals;
        const direct = staffingCurve(intervals.map((i: { forecast: number }) => ({ contacts: i.forecast, ahtSeconds: stream.handleTimeSeconds })), {
          intervalSeconds: 1800,
          targets: { serviceLevel: { target: 0.8, withinSeconds: 20 } },
          model,
          concurrency: stream.concurrency,
          shrinkage: 0.3,
        });
        expect(stream.intervals.map((i: { agents: number }) => i.agents)).toEqual(direct.map((r) => r.agents));
        expect(stream.intervals.map((i: { scheduled: number }) => i.scheduled)).toEqual(direct.map((r) => r.scheduled));
        expect(stream.intervals.map((i: { arrivals: number }) => i.arrivals)).toEqual(intervals.map((i: { forecast: number }) => i.forecast));
        expect(direct.some((r) => r.agents > 0)).toBe(true);
      }
      expect(chat.intervals.every((i: { abandonRate: number | null }) => i.abandonRate !== null)).toBe(true);
      expect(voice.intervals.every((i: { abandonRate: number | null }) => i.abandonRate === null)).toBe(true);
      expect(plan.total).toHaveLength(48);
      plan.total.forEach((x: { scheduled: number }, i: number) => expect(x.scheduled).toBe(voice.intervals[i].scheduled + chat.intervals[i].scheduled));
      expect(plan.peak.scheduled).toBe(Math.max(...plan.total.map((x: { scheduled: number }) => x.scheduled)));
    });

    it('takes overrides per stream and a forced model', async () => {
      const plan = (await post('/api/workforce/staffing', { weeks: 4, targets, model: 'erlangC', streams: { [`webchat:${chatQueue}`]: { concurrency: 2, handleTimeSeconds: 400 } } })).json();
      expect(plan.streams[1]).toMatchObject({ model: 'erlangC', concurrency: 2, handleTimeSeconds: 400, patienceSeconds: null });
    });

    it('refuses bad bodies with clear messages', async () => {
      const badTarget = await post('/api/workforce/staffing', { targets: { serviceLevel: 1.5, withinSeconds: 20 }, shrinkage: 1 });
      expect(badTarget.statusCode).toBe(400);
      expect(badTarget.json().error.message).toContain('targets.serviceLevel is a share below 1');
      expect(badTarget.json().error.message).toContain('shrinkage is a share below 1');
      const noTargets = await post('/api/workforce/staffing', { days: 9, intervalMinutes: 20 });
      expect(noTargets.statusCode).toBe(400);
      expect(noTargets.json().error.message).toMatch(/targets/);
      expect(noTargets.json().error.message).toContain('days: at most 7');
      expect(noTargets.json().error.message).toContain('intervalMinutes must be 15 or 30');
      const erlangA = await post('/api/workforce/staffing', { weeks: 4, targets, model: 'erlangA' });
      expect(erlangA.statusCode).toBe(400);
      expect(erlangA.json().error).toMatchObject({ code: 'patience_needed' });
      expect(erlangA.json().error.message).toContain(`stream "voice:${voiceQueue}" has no abandoned contacts`);
      const unknown = await post('/api/workforce/staffing', { weeks: 4, targets, streams: { 'fax:nowhere': { concurrency: 1 } } });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error).toMatchObject({ code: 'unknown_stream' });
      expect(unknown.json().error.message).toContain('"fax:nowhere"');
      expect((await post('/api/workforce/staffing', { targets }, agentA)).statusCode).toBe(403);
    });
  });

  describe('scenario from the workspace', () => {
    it("builds a valid scenario with the workspace's forecast, agents and routing", async () => {
      const res = await post('/api/workforce/scenarios/from-workspace', { date: '2026-04-23', weeks: 4 });
      expect(res.statusCode).toBe(200);
      const scenario = parseScenario(res.json());
      expect(scenario).toMatchObject({ date: '2026-04-23', timeZone: TZ, intervalMinutes: 15 });
      expect(scenario.demand.map((d) => d.id)).toEqual([`voice:${voiceQueue}`, `webchat:${chatQueue}`]);
      const chat = scenario.demand[1]!;
      expect(chat).toMatchObject({ channel: 'webchat', handleTime: { meanSeconds: 300 }, patienceSeconds: 130, selfServiceContainment: 0, workflowId });
      expect(chat.arrivals).toHaveLength(96);
      expect(chat.arrivals.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 1);
      expect(scenario.routing!.queues.map((q) => q.id).sort()).toEqual([chatQueue, voiceQueue].sort());
      expect(scenario.routing!.workflows.map((w) => w.id)).toEqual([workflowId]);
      // The agent with a profile and the one without make two groups; a Thursday without queue hours: 08:00–17:00.
      expect(scenario.agents.map((g) => g.count).sort()).toEqual([1, 1]);
      expect(scenario.agents.find((g) => g.skills.service === 3)).toMatchObject({ languages: ['nl'], shifts: [{ start: '08:00', end: '17:00' }] });
    });

    it('says so when there is no history', async () => {
      const empty = await makeWorkspace(t.platform);
      const cookie = await loginCookie(t.app, (await makeUser(t.platform, empty.id, 'supervisor')).email);
      const res = await post('/api/workforce/scenarios/from-workspace', { weeks: 4 }, cookie);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('no_history');
    });
  });

  describe('simulations', () => {
    const scenario = (overrides: Partial<ScenarioInput> = {}): ScenarioInput => ({
      name: 'Drukke dag',
      date: '2026-04-23',
      timeZone: TZ,
      intervalMinutes: 60,
      demand: [{ id: 'chat', name: 'Chat', channel: 'webchat', arrivals: Array<number>(24).fill(6), handleTime: { meanSeconds: 240, cv: 1 }, patienceSeconds: 120 }],
      agents: [{ name: 'Team', count: 3, shifts: [{ start: '08:00', end: '18:00' }] }],
      ...overrides,
    });

    it('queues a simulation (202), runs it, and shows it done with its result', async () => {
      const created = await post('/api/workforce/simulations', { scenario: scenario(), name: 'Eerste' });
      expect(created.statusCode).toBe(202);
      const { id } = created.json();
      const queued = (await get(`/api/workforce/simulations/${id}`)).json();
      expect(queued).toMatchObject({ id, name: 'Eerste', status: 'queued', progress: 0, result: null, finishedAt: null });
      expect(queued.scenario.demand[0].arrivals).toHaveLength(24);

      expect(await runDueSimulations(t.platform)).toBe(1);
      const done = (await get(`/api/workforce/simulations/${id}`)).json();
      expect(done).toMatchObject({ status: 'done', progress: 1, error: null, finishedAt: NOW.replace('Z', '.000Z') });
      expect(done.result.contacts).toBeGreaterThan(0);
      expect(done.result.byInterval).toHaveLength(24);
      expect(done.result.totals.offered).toBeGreaterThan(0);
      const list = (await get('/api/workforce/simulations')).json();
      expect(list.simulations[0]).toMatchObject({ id, status: 'done', progress: 1 });
      expect(list.simulations[0].scenario).toBeUndefined();
    });

    it('runs a scenario built from the workspace', async () => {
      const built = (await post('/api/workforce/scenarios/from-workspace', { date: '2026-04-23', weeks: 4 })).json();
      const { id } = (await post('/api/workforce/simulations', { scenario: { ...built, demand: built.demand.map((d: object) => ({ ...d, arrivalFactor: 20 })) } })).json();
      await runDueSimulations(t.platform);
      const done = (await get(`/api/workforce/simulations/${id}`)).json();
      expect(done.status).toBe('done');
      expect(done.result.contacts).toBeGreaterThan(0);
      expect(done.result.byStream.map((r: { key: string }) => r.key)).toEqual([`voice:${voiceQueue}`, `webchat:${chatQueue}`]);
    });

    it('refuses a bad scenario, listing every problem', async () => {
      const bad = await post('/api/workforce/simulations', { scenario: scenario({ demand: [{ id: 'chat', name: 'Chat', channel: 'webchat', arrivals: [1, 2], handleTime: { meanSeconds: 240 } }], agents: [{ name: 'Laat', count: 1, shifts: [{ start: '17:00', end: '08:00' }] }] }) });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('invalid_scenario');
      expect(bad.json().error.message).toContain('demand "chat" has 2 arrival counts; a day of 60-minute intervals has 24');
      expect(bad.json().error.message).toContain('agent group "Laat" has a shift ending before it starts');
      const shapeless = await post('/api/workforce/simulations', { scenario: { name: '', demand: [] } });
      expect(shapeless.statusCode).toBe(400);
      const paths = shapeless.json().error.details.map((d: { path: string }) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['scenario.name', 'scenario.date', 'scenario.demand', 'scenario.agents']));
      expect((await post('/api/workforce/simulations', { scenario: scenario() }, agentA)).statusCode).toBe(403);
    });

    it('picks up a simulation whose node died once its lease runs out', async () => {
      const { id } = (await post('/api/workforce/simulations', { scenario: scenario({ seed: 7 }) })).json();
      await t.platform.db.update(workforceSimulations).set({ status: 'running', leaseNode: 'a-node-that-died', leaseUntil: new Date(clock.now().getTime() + 60_000), attempts: 1 }).where(eq(workforceSimulations.id, id));
      expect(await runDueSimulations(t.platform)).toBe(0);
      expect((await get(`/api/workforce/simulations/${id}`)).json().status).toBe('running');
      clock.advance(61_000);
      expect(await runDueSimulations(t.platform)).toBe(1);
      const done = (await get(`/api/workforce/simulations/${id}`)).json();
      expect(done).toMatchObject({ status: 'done', progress: 1 });
      expect(done.result.seed).toBe(7);
    });

    it('keeps simulations to their workspace and deletes them', async () => {
      const { id } = (await post('/api/workforce/simulations', { scenario: scenario({ name: 'Van A' }) })).json();
      expect((await get(`/api/workforce/simulations/${id}`, supervisorB)).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/workforce/simulations/${id}`, headers: { cookie: supervisorB } })).statusCode).toBe(404);
      expect((await get('/api/workforce/simulations', supervisorB)).json().simulations).toEqual([]);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/workforce/simulations/${id}`, headers: { cookie: supervisorA } })).statusCode).toBe(204);
      expect((await get(`/api/workforce/simulations/${id}`)).statusCode).toBe(404);
    });
  });
});
