import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  addBusinessSeconds,
  businessSecondsBetween,
  calendarProblems,
  clockStatus,
  completeClock,
  foldClocks,
  isBusinessTime,
  localToInstant,
  matchPolicy,
  pauseClock,
  resumeClock,
  startClock,
  type BusinessCalendar,
  type SlaPolicy,
  type SlaSignal,
} from '../../src/analytics/sla.ts';

const AMS = 'Europe/Amsterdam';
/** The demo's office hours: Mon–Fri 08:00–20:00, Sat 09:00–17:00, two Christmas days off. */
const kantooruren: BusinessCalendar = {
  timeZone: AMS,
  alwaysOpen: false,
  week: { '1': [['08:00', '20:00']], '2': [['08:00', '20:00']], '3': [['08:00', '20:00']], '4': [['08:00', '20:00']], '5': [['08:00', '20:00']], '6': [['09:00', '17:00']] },
  holidays: ['2026-12-25', '2026-12-26'],
};
const weekdaysOnly: BusinessCalendar = { ...kantooruren, week: { ...kantooruren.week, '6': [] } };
const allDay: BusinessCalendar = { timeZone: AMS, alwaysOpen: false, week: Object.fromEntries(['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [['00:00', '24:00']]])), holidays: [] };

const at = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);
const HOUR = 3600;

describe('business time', () => {
  it('counts only opening hours within a day', () => {
    // Monday 23 November 2026, CET (UTC+1): 08:00 local is 07:00Z.
    expect(businessSecondsBetween(kantooruren, at('2026-11-23T06:00:00Z'), at('2026-11-23T08:00:00Z'))).toBe(HOUR);
    expect(addBusinessSeconds(kantooruren, at('2026-11-23T06:00:00Z'), 30 * 60).toISOString()).toBe('2026-11-23T07:30:00.000Z');
    expect(isBusinessTime(kantooruren, at('2026-11-23T06:59:59Z'))).toBe(false);
    expect(isBusinessTime(kantooruren, at('2026-11-23T07:00:00Z'))).toBe(true);
    expect(isBusinessTime(kantooruren, at('2026-11-23T19:00:00Z'))).toBe(false);
  });

  it('crosses a weekend: Saturday counts its short hours, Sunday nothing', () => {
    // Friday 27 Nov 19:00 local + 8 business hours: 1 h on Friday, 7 of Saturday's 8 hours.
    const friday19 = at('2026-11-27T18:00:00Z');
    expect(addBusinessSeconds(kantooruren, friday19, 8 * HOUR).toISOString()).toBe('2026-11-28T15:00:00.000Z');
    // Without Saturday hours the same 8 hours end on Monday at 15:00 local.
    expect(addBusinessSeconds(weekdaysOnly, friday19, 8 * HOUR).toISOString()).toBe('2026-11-30T14:00:00.000Z');
    expect(businessSecondsBetween(weekdaysOnly, friday19, at('2026-11-30T14:00:00Z'))).toBe(8 * HOUR);
    expect(businessSecondsBetween(kantooruren, at('2026-11-29T00:00:00Z'), at('2026-11-30T07:00:00Z'))).toBe(0);
  });

  it('skips holidays', () => {
    // Thursday 24 Dec 19:00 local + 2 h: 1 h on Thursday; Christmas, Boxing Day and Sunday are closed.
    expect(addBusinessSeconds(kantooruren, at('2026-12-24T18:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-12-28T08:00:00.000Z');
    expect(businessSecondsBetween(kantooruren, at('2026-12-24T18:00:00Z'), at('2026-12-28T08:00:00Z'))).toBe(2 * HOUR);
  });

  it('is DST-correct in Europe/Amsterdam', () => {
    // Autumn: Friday 23 Oct 19:00 CEST (17:00Z) + 2 h ends Monday 26 Oct 09:00 CET, which is 08:00Z.
    expect(addBusinessSeconds(weekdaysOnly, at('2026-10-23T17:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-10-26T08:00:00.000Z');
    // A whole-day calendar: the spring Sunday has 23 real hours, the autumn Sunday 25.
    expect(businessSecondsBetween(allDay, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * HOUR);
    expect(businessSecondsBetween(allDay, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * HOUR);
    // Monday 30 March 08:00 is now CEST: 06:00Z.
    expect(addBusinessSeconds(weekdaysOnly, at('2026-03-27T19:30:00Z'), 60).toISOString()).toBe('2026-03-30T06:01:00.000Z');
  });

  it('maps skipped and repeated local times sensibly', () => {
    // 02:30 does not exist on 29 March: it reads as 03:30 CEST. 02:30 on 25 October happens twice: the first.
    expect(new Date(localToInstant('2026-03-29', 150, AMS)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(localToInstant('2026-10-25', 150, AMS)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('24/7 counts every second', () => {
    expect(businessSecondsBetween(ALWAYS_OPEN, at('2026-11-28T00:00:00Z'), at('2026-11-29T00:00:00Z'))).toBe(24 * HOUR);
    expect(addBusinessSeconds(ALWAYS_OPEN, at('2026-12-25T10:00:00Z'), 90).toISOString()).toBe('2026-12-25T10:01:30.000Z');
  });

  it('reports what is wrong with a calendar, by field', () => {
    expect(calendarProblems(kantooruren)).toEqual([]);
    const problems = calendarProblems({
      timeZone: 'Europe/Nergens',
      alwaysOpen: false,
      week: { '1': [['09:00', '08:00']], '2': [['08:00', '12:00'], ['11:00', '13:00']], '3': [['8:00', '25:00']] },
      holidays: ['2026-02-30'],
    });
    expect(problems.map(([field]) => field)).toEqual(['timeZone', 'week.1.0', 'week.2', 'week.3.0', 'holidays.0']);
    expect(calendarProblems({ timeZone: AMS, alwaysOpen: false, week: {}, holidays: [] })).toEqual([['week', expect.any(String)]]);
  });
});

describe('clocks', () => {
  it('pauses and resumes with the remaining business time', () => {
    // Monday 09:00 local (08:00Z), target 1 business hour.
    let clock = startClock('first_response', 0, HOUR, ms('2026-11-23T08:00:00Z'));
    expect(clockStatus(clock, kantooruren, { kind: 'percent', percent: 80 }, ms('2026-11-23T08:00:00Z'))).toMatchObject({
      state: 'running',
      dueAt: ms('2026-11-23T09:00:00Z'),
      warnAt: ms('2026-11-23T08:48:00Z'),
      remainingSeconds: HOUR,
    });
    clock = pauseClock(clock, kantooruren, ms('2026-11-23T08:30:00Z'));
    const paused = clockStatus(clock, kantooruren, { kind: 'percent', percent: 80 }, ms('2026-11-23T12:00:00Z'));
    expect(paused).toMatchObject({ state: 'paused', dueAt: null, warnAt: null, elapsedSeconds: 1800, remainingSeconds: 1800 });
    // Resumed at 19:45 local: 15 minutes today, the other 15 on Tuesday morning.
    clock = resumeClock(clock, ms('2026-11-23T18:45:00Z'));
    expect(clockStatus(clock, kantooruren, { kind: 'before', seconds: 600 }, ms('2026-11-23T18:45:00Z'))).toMatchObject({
      state: 'running',
      dueAt: ms('2026-11-24T07:15:00Z'),
      warnAt: ms('2026-11-24T07:05:00Z'),
    });
    expect(clockStatus(clock, kantooruren, { kind: 'before', seconds: 600 }, ms('2026-11-24T07:20:00Z'))).toMatchObject({ state: 'breached', remainingSeconds: -300 });
    const done = completeClock(clock, kantooruren, ms('2026-11-24T07:10:00Z'));
    expect(clockStatus(done, kantooruren, { kind: 'percent', percent: 80 }, ms('2026-11-25T00:00:00Z'))).toMatchObject({ state: 'met', remainingSeconds: 300, dueAt: null });
    const late = completeClock(clock, kantooruren, ms('2026-11-24T07:16:00Z'));
    expect(clockStatus(late, kantooruren, { kind: 'percent', percent: 80 }, ms('2026-11-25T00:00:00Z')).state).toBe('breached');
  });

  it('warns at once when resumed past the warning point', () => {
    let clock = startClock('resolution', 0, 1000, 0);
    clock = pauseClock(clock, ALWAYS_OPEN, 900_000);
    clock = resumeClock(clock, 2_000_000);
    expect(clockStatus(clock, ALWAYS_OPEN, { kind: 'percent', percent: 80 }, 2_000_000)).toMatchObject({ warnAt: 2_000_000, dueAt: 2_100_000 });
  });
});

describe('folding a conversation into clocks', () => {
  const targets = { first_response: 120, next_response: 300, resolution: 3600 };
  const t = (minutes: number) => ms('2026-11-23T08:00:00Z') + minutes * 60_000;
  const states = (signals: SlaSignal[], now: number) =>
    foldClocks(signals, targets, ALWAYS_OPEN).map((c) => {
      const s = clockStatus(c, ALWAYS_OPEN, { kind: 'percent', percent: 80 }, now);
      return `${s.metric}#${s.cycle}:${s.state}:${s.elapsedSeconds}`;
    });

  it('runs first response, next response per customer turn, and resolution', () => {
    const signals: SlaSignal[] = [
      { kind: 'opened', at: t(0) },
      { kind: 'customer_message', at: t(0) },
      { kind: 'customer_message', at: t(1) },
      { kind: 'agent_reply', at: t(1.5) },
      { kind: 'customer_message', at: t(3) },
      { kind: 'customer_message', at: t(4) },
    ];
    expect(states(signals, t(5))).toEqual(['first_response#0:met:90', 'resolution#0:running:300', 'next_response#1:running:120']);
    signals.push({ kind: 'agent_reply', at: t(9) }, { kind: 'customer_message', at: t(10) });
    expect(states(signals, t(11))).toEqual(['first_response#0:met:90', 'resolution#0:running:660', 'next_response#1:breached:360', 'next_response#2:running:60']);
  });

  it('pauses while waiting on the customer and resumes on their message', () => {
    const signals: SlaSignal[] = [
      { kind: 'opened', at: t(0) },
      { kind: 'agent_reply', at: t(1) },
      { kind: 'status', to: 'pending', at: t(2) },
      { kind: 'customer_message', at: t(30) },
      { kind: 'status', to: 'open', at: t(30) },
    ];
    expect(states(signals.slice(0, 3), t(29))).toEqual(['first_response#0:met:60', 'resolution#0:paused:120']);
    expect(states(signals, t(31))).toEqual(['first_response#0:met:60', 'resolution#0:running:180', 'next_response#1:running:60']);
  });

  it('completes every clock on resolve and resumes the resolution clock on reopen', () => {
    const signals: SlaSignal[] = [
      { kind: 'opened', at: t(0) },
      { kind: 'status', to: 'resolved', at: t(10) },
      { kind: 'status', to: 'open', at: t(100) },
    ];
    expect(states(signals.slice(0, 2), t(50))).toEqual(['first_response#0:breached:600', 'resolution#0:met:600']);
    expect(states(signals, t(105))).toEqual(['first_response#0:breached:600', 'resolution#0:running:900']);
    // The customer writes after the reopening: the resolve counted as an answer, so a next response runs.
    signals.push({ kind: 'customer_message', at: t(106) });
    expect(states(signals, t(107))).toEqual(['first_response#0:breached:600', 'resolution#0:running:1020', 'next_response#1:running:60']);
  });

  it('starts clocks paused when the conversation opens snoozed, and leaves out metrics without a target', () => {
    const clocks = foldClocks([{ kind: 'status', to: 'snoozed', at: t(0) }, { kind: 'opened', at: t(0) }], { resolution: 60 }, ALWAYS_OPEN);
    expect(clocks).toEqual([expect.objectContaining({ metric: 'resolution', runningSince: null })]);
  });
});

describe('policy matching', () => {
  const policy = (id: string, position: number, conditions: Partial<SlaPolicy['conditions']>, enabled = true): SlaPolicy => ({
    id,
    name: id,
    position,
    enabled,
    conditions: { channels: [], queueIds: [], priorities: [], valueTiers: [], ...conditions },
    targets: { first_response: 60 },
    warning: { kind: 'percent', percent: 80 },
    calendarId: null,
    escalation: { raisePriorityTo: null, moveToQueueId: null, notify: false },
  });
  const policies = [
    policy('fallback', 100, {}),
    policy('email', 20, { channels: ['email'] }),
    policy('vip', 10, { priorities: ['urgent', 'high'], valueTiers: ['gold'] }),
    policy('queue', 15, { queueIds: ['q-1'] }),
    policy('off', 0, {}, false),
  ];
  const facts = { channel: 'webchat', queueIds: [] as string[], priority: 'normal', valueTier: null as string | null };

  it('takes the first enabled policy whose conditions all hold', () => {
    expect(matchPolicy(policies, facts)?.id).toBe('fallback');
    expect(matchPolicy(policies, { ...facts, channel: 'email' })?.id).toBe('email');
    expect(matchPolicy(policies, { ...facts, channel: 'email', priority: 'high', valueTier: 'gold' })?.id).toBe('vip');
    expect(matchPolicy(policies, { ...facts, priority: 'high', valueTier: 'silver' })?.id).toBe('fallback');
    expect(matchPolicy(policies, { ...facts, priority: 'urgent' })?.id).toBe('fallback');
    expect(matchPolicy(policies, { ...facts, channel: 'email', queueIds: ['q-0', 'q-1'] })?.id).toBe('queue');
    expect(matchPolicy(policies.slice(1, 3), facts)).toBeUndefined();
  });
});
