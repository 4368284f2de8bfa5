import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarInput, policyInput } from '../../src/analytics/sla.routes.ts';
import { DEMO_CALENDAR, DEMO_POLICIES, seedDemoSla } from '../../src/seed/demo-sla.ts';
import { loginCookie, makeTestApp, makeUser, makeWorkspace, type TestContext } from '../helpers.ts';

describe('SLA settings API', () => {
  let t: TestContext;
  let admin: string;
  let supervisor: string;
  let agent: string;

  beforeAll(async () => {
    t = await makeTestApp();
    const workspaceId = (await makeWorkspace(t.platform)).id;
    admin = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'admin')).email);
    supervisor = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'supervisor')).email);
    agent = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'agent')).email);
  });
  afterAll(() => t.close());

  const api = (cookie: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, payload });
  const kantooruren = {
    name: 'Kantooruren',
    timeZone: 'Europe/Amsterdam',
    week: { '1': [['08:00', '20:00']], '6': [['09:00', '17:00']] },
    holidays: [{ date: '2026-12-25', name: 'Eerste Kerstdag' }],
  };
  const paths = (body: { error: { details?: Array<{ path: string }> } }) => (body.error.details ?? []).map((d) => d.path);

  it('creates, reads, changes and deletes calendars and policies, by role', async () => {
    expect((await api(supervisor, 'POST', '/api/sla/calendars', kantooruren)).statusCode).toBe(403);
    const calendar = await api(admin, 'POST', '/api/sla/calendars', kantooruren);
    expect(calendar.statusCode, calendar.body).toBe(201);
    expect(calendar.json()).toMatchObject({ name: 'Kantooruren', alwaysOpen: false, holidays: [{ date: '2026-12-25', name: 'Eerste Kerstdag' }] });
    expect((await api(admin, 'POST', '/api/sla/calendars', kantooruren)).json().error.code).toBe('name_taken');

    const policy = await api(admin, 'POST', '/api/sla/policies', { name: 'E-mail', conditions: { channels: ['email'] }, targets: { first_response: 8 * 3600 }, calendarId: calendar.json().id });
    expect(policy.statusCode, policy.body).toBe(201);
    expect(policy.json()).toMatchObject({ position: 100, enabled: true, warning: { kind: 'percent', percent: 80 }, targets: { first_response: 28800 }, escalation: { raisePriorityTo: null, moveToQueueId: null, notify: true } });
    expect((await api(supervisor, 'GET', '/api/sla/policies')).json().items).toHaveLength(1);
    expect((await api(supervisor, 'GET', `/api/sla/calendars/${calendar.json().id}`)).statusCode).toBe(200);
    expect((await api(agent, 'GET', '/api/sla/policies')).statusCode).toBe(403);

    const changed = await api(admin, 'PUT', `/api/sla/policies/${policy.json().id}`, { ...policy.json(), id: undefined, updatedAt: undefined, enabled: false, targets: { resolution: 86400 } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ enabled: false, targets: { resolution: 86400 } });
    expect(changed.json().targets.first_response).toBeUndefined();

    expect((await api(admin, 'DELETE', `/api/sla/calendars/${calendar.json().id}`)).json().error.code).toBe('calendar_in_use');
    expect((await api(admin, 'DELETE', `/api/sla/policies/${policy.json().id}`)).statusCode).toBe(204);
    expect((await api(admin, 'DELETE', `/api/sla/calendars/${calendar.json().id}`)).statusCode).toBe(204);
    expect((await api(supervisor, 'GET', `/api/sla/calendars/${calendar.json().id}`)).statusCode).toBe(404);
  });

  it('documents its routes in the OpenAPI document', async () => {
    const res = await t.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(expect.arrayContaining(['/api/sla/calendars/{id}', '/api/sla/policies', '/api/conversations/{id}/sla']));
  });

  it('refuses bad policies with a 400 naming the field', async () => {
    const bad = async (body: object) => {
      const res = await api(admin, 'POST', '/api/sla/policies', { name: 'Slecht', targets: { first_response: 60 }, ...body });
      expect(res.statusCode, res.body).toBe(400);
      return res.json();
    };
    expect(paths(await bad({ targets: {} }))).toEqual(['body/targets']);
    expect(paths(await bad({ targets: { first_response: 0 } }))).toEqual(['body/targets/first_response']);
    expect(paths(await bad({ targets: { first_response: 60, answer: 5 } }))).toEqual(['body/targets']);
    expect(paths(await bad({ warning: { kind: 'percent', percent: 120 } }))).toEqual(['body/warning/percent']);
    expect(paths(await bad({ warning: { kind: 'before', seconds: 60 } }))).toEqual(['body/warning/seconds']);
    expect(paths(await bad({ conditions: { priorities: ['critical'] } }))).toEqual(['body/conditions/priorities/0']);
    expect(paths(await bad({ escalation: { raisePriorityTo: 'low' } }))).toEqual(['body/escalation/raisePriorityTo']);
    expect(paths(await bad({ name: ' ' }))).toEqual(['body/name']);
    const unknownCalendar = await bad({ calendarId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownCalendar.error).toMatchObject({ code: 'unknown_calendar', details: [{ path: 'calendarId' }] });
    const unknownQueue = await bad({ escalation: { moveToQueueId: '00000000-0000-4000-8000-000000000000' } });
    expect(unknownQueue.error).toMatchObject({ code: 'unknown_queue', details: [{ path: 'escalation.moveToQueueId' }] });
    expect((await api(supervisor, 'GET', '/api/sla/policies')).json().items).toEqual([]);
  });

  it('refuses bad calendars with a 400 naming the field', async () => {
    const bad = async (body: object) => {
      const res = await api(admin, 'POST', '/api/sla/calendars', { ...kantooruren, name: 'Fout', ...body });
      expect(res.statusCode, res.body).toBe(400);
      return paths(res.json());
    };
    expect(await bad({ timeZone: 'Europe/Nergens' })).toEqual(['body/timeZone']);
    expect(await bad({ week: { '1': [['20:00', '08:00']] } })).toEqual(['body/week/1/0']);
    expect(await bad({ week: { '1': [['08:00', '12:00'], ['11:00', '14:00']] } })).toEqual(['body/week/1']);
    expect(await bad({ week: { '1': [['8:00', '12:00']] } })).toEqual(['body/week/1/0']);
    expect(await bad({ week: {} })).toEqual(['body/week']);
    expect(new Set(await bad({ week: { '7': [['08:00', '12:00']] } }))).toEqual(new Set(['body/week']));
    expect(await bad({ holidays: [{ date: '2026-02-30' }] })).toEqual(['body/holidays/0/date']);
    // 24/7 needs no hours.
    expect((await api(admin, 'POST', '/api/sla/calendars', { name: 'Altijd', timeZone: 'Europe/Amsterdam', alwaysOpen: true })).statusCode).toBe(201);
  });

  it('seeds the demo calendar and policies once, each valid as the API would take it', async () => {
    expect(calendarInput.safeParse(DEMO_CALENDAR).success).toBe(true);
    for (const policy of DEMO_POLICIES) expect(policyInput.safeParse({ ...policy, calendarId: null }).error).toBeUndefined();
    const demo = (await makeWorkspace(t.platform)).id;
    const reader = await loginCookie(t.app, (await makeUser(t.platform, demo, 'supervisor')).email);
    await seedDemoSla(t.platform, demo);
    await seedDemoSla(t.platform, demo);
    const calendars = (await api(reader, 'GET', '/api/sla/calendars')).json().items;
    const kantooruren = calendars.filter((c: { name: string }) => c.name === 'Kantooruren');
    expect(kantooruren).toHaveLength(1);
    expect(kantooruren[0].holidays).toContainEqual({ date: '2027-05-06', name: 'Hemelvaartsdag' });
    const policies = (await api(reader, 'GET', '/api/sla/policies')).json().items;
    expect(policies.map((p: { name: string }) => p.name)).toEqual(['Urgent', 'Hoge klantwaarde', 'Webchat', 'E-mail', 'Standaard']);
    expect(policies.every((p: { calendarId: string }) => p.calendarId === kantooruren[0].id)).toBe(true);
  });
});
