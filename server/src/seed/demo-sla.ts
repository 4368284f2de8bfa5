/**
 * The demo's service levels: office hours "Kantooruren" (Mon–Fri 08:00–20:00, Sat 09:00–17:00,
 * Europe/Amsterdam, Dutch public holidays of 2026 and 2027) and policies per channel, with
 * stricter ones for urgent conversations and valuable customers. Only when the workspace has no
 * SLA settings yet, so running the seed twice changes nothing.
 */
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import type { PolicyInput } from '../analytics/sla.store.ts';
import { insertCalendar, insertPolicy, listCalendars, listPolicies } from '../analytics/sla.store.ts';

const HOUR = 3600;

export const DEMO_HOLIDAYS = [
  { date: '2026-01-01', name: 'Nieuwjaarsdag' },
  { date: '2026-04-03', name: 'Goede Vrijdag' },
  { date: '2026-04-05', name: 'Eerste Paasdag' },
  { date: '2026-04-06', name: 'Tweede Paasdag' },
  { date: '2026-04-27', name: 'Koningsdag' },
  { date: '2026-05-05', name: 'Bevrijdingsdag' },
  { date: '2026-05-14', name: 'Hemelvaartsdag' },
  { date: '2026-05-24', name: 'Eerste Pinksterdag' },
  { date: '2026-05-25', name: 'Tweede Pinksterdag' },
  { date: '2026-12-25', name: 'Eerste Kerstdag' },
  { date: '2026-12-26', name: 'Tweede Kerstdag' },
  { date: '2027-01-01', name: 'Nieuwjaarsdag' },
  { date: '2027-03-26', name: 'Goede Vrijdag' },
  { date: '2027-03-28', name: 'Eerste Paasdag' },
  { date: '2027-03-29', name: 'Tweede Paasdag' },
  { date: '2027-04-27', name: 'Koningsdag' },
  { date: '2027-05-05', name: 'Bevrijdingsdag' },
  { date: '2027-05-06', name: 'Hemelvaartsdag' },
  { date: '2027-05-16', name: 'Eerste Pinksterdag' },
  { date: '2027-05-17', name: 'Tweede Pinksterdag' },
  { date: '2027-12-25', name: 'Eerste Kerstdag' },
  { date: '2027-12-26', name: 'Tweede Kerstdag' },
];

const weekday: Array<[string, string]> = [['08:00', '20:00']];
export const DEMO_CALENDAR = {
  name: 'Kantooruren',
  timeZone: 'Europe/Amsterdam',
  alwaysOpen: false,
  week: { '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday, '6': [['09:00', '17:00']] as Array<[string, string]> },
  holidays: DEMO_HOLIDAYS,
};

const any = { channels: [], queueIds: [], priorities: [], valueTiers: [] };
const noEscalation = { raisePriorityTo: null, moveToQueueId: null, notify: true };

export const DEMO_POLICIES: Array<Omit<PolicyInput, 'calendarId'>> = [
  {
    name: 'Urgent',
    position: 10,
    enabled: true,
    conditions: { ...any, priorities: ['urgent'] },
    targets: { first_response: 60, next_response: 120, resolution: 4 * HOUR },
    warning: { kind: 'percent', percent: 75 },
    escalation: noEscalation,
  },
  {
    name: 'Hoge klantwaarde',
    position: 20,
    enabled: true,
    conditions: { ...any, valueTiers: ['platinum', 'gold'] },
    targets: { first_response: 60, next_response: 180, resolution: 8 * HOUR },
    warning: { kind: 'percent', percent: 75 },
    escalation: { ...noEscalation, raisePriorityTo: 'urgent' },
  },
  {
    name: 'Webchat',
    position: 50,
    enabled: true,
    conditions: { ...any, channels: ['webchat'] },
    targets: { first_response: 120, next_response: 300, resolution: 8 * HOUR },
    warning: { kind: 'percent', percent: 80 },
    escalation: { ...noEscalation, raisePriorityTo: 'high' },
  },
  {
    name: 'E-mail',
    position: 60,
    enabled: true,
    conditions: { ...any, channels: ['email'] },
    targets: { first_response: 8 * HOUR, next_response: 8 * HOUR, resolution: 36 * HOUR },
    warning: { kind: 'before', seconds: HOUR },
    escalation: { ...noEscalation, raisePriorityTo: 'high' },
  },
  {
    name: 'Standaard',
    position: 100,
    enabled: true,
    conditions: any,
    targets: { first_response: HOUR, resolution: 24 * HOUR },
    warning: { kind: 'percent', percent: 80 },
    escalation: noEscalation,
  },
];

export async function seedDemoSla(p: Platform, workspaceId: string): Promise<void> {
  const [calendars, policies] = await Promise.all([listCalendars(p.db, workspaceId), listPolicies(p.db, workspaceId)]);
  if (calendars.length > 0 || policies.length > 0) return;
  await inTransaction(p, async (tx) => {
    const now = p.clock.now();
    const calendar = await insertCalendar(tx, workspaceId, DEMO_CALENDAR, now);
    await appendEvent(tx, { workspaceId, type: 'sla.calendar_created', subjectType: 'sla_calendar', subjectId: calendar.id, actorId: 'system:seed' });
    for (const policy of DEMO_POLICIES) {
      const row = await insertPolicy(tx, workspaceId, { ...policy, calendarId: calendar.id }, now);
      await appendEvent(tx, { workspaceId, type: 'sla.policy_created', subjectType: 'sla_policy', subjectId: row.id, actorId: 'system:seed' });
    }
  });
}
