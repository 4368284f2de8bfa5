/**
 * SLA, the pure core: policies and which one applies, clocks and their state machine, and the
 * fold that turns a conversation's history into its clocks. No clock, no I/O: times go in.
 *
 * Business time (calendars) is in `sla.calendar.ts`; everything a clock measures is business
 * time of the policy's calendar, so a clock "runs" only while the calendar is open.
 */
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './sla.calendar.ts';

export * from './sla.calendar.ts';

export const slaMetrics = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof slaMetrics)[number];

export const slaPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type SlaPriority = (typeof slaPriorities)[number];

/** When a clock warns: at a share of its target, or a number of business seconds before it. */
export type WarningRule = { kind: 'percent'; percent: number } | { kind: 'before'; seconds: number };

/** Any-of lists per dimension; an empty list matches everything. */
export interface SlaConditions {
  channels: string[];
  queueIds: string[];
  priorities: SlaPriority[];
  valueTiers: string[];
}

/** What happens when a clock breaches. The breach event is always written (it reaches supervisors live). */
export interface SlaEscalation {
  /** Raise the conversation's priority (and its routing task's) to at least this. */
  raisePriorityTo: 'high' | 'urgent' | null;
  /** Move the conversation's routing task to this queue. */
  moveToQueueId: string | null;
  /** Ask supervisors' desks to pop up a notice (the event carries `notify: true`). */
  notify: boolean;
}

export interface SlaPolicy {
  id: string;
  name: string;
  /** Lower first: the first enabled policy whose conditions all hold applies. */
  position: number;
  enabled: boolean;
  conditions: SlaConditions;
  /** Target per metric in business seconds; a metric without one has no clock. */
  targets: Partial<Record<SlaMetric, number>>;
  warning: WarningRule;
  /** Null: 24/7. */
  calendarId: string | null;
  escalation: SlaEscalation;
}

/** What a policy's conditions are checked against. */
export interface ConversationFacts {
  channel: string;
  /** The conversation's queue and its routing task's queue, where known. */
  queueIds: string[];
  priority: string;
  valueTier: string | null;
}

export function policyMatches(policy: SlaPolicy, facts: ConversationFacts): boolean {
  const c = policy.conditions;
  if (c.channels.length && !c.channels.includes(facts.channel)) return false;
  if (c.queueIds.length && !facts.queueIds.some((q) => c.queueIds.includes(q))) return false;
  if (c.priorities.length && !(c.priorities as string[]).includes(facts.priority)) return false;
  if (c.valueTiers.length && !(facts.valueTier && c.valueTiers.includes(facts.valueTier))) return false;
  return true;
}

/** The policy that applies: the first enabled match by position (then name, for a stable answer). */
export function matchPolicy<P extends SlaPolicy>(policies: P[], facts: ConversationFacts): P | undefined {
  return [...policies]
    .filter((p) => p.enabled)
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .find((p) => policyMatches(p, facts));
}

// Clocks.

/**
 * One clock of a conversation: a metric and its cycle (next_response has one per customer turn,
 * numbered from 1; first_response and resolution are cycle 0). Times are epoch milliseconds.
 */
export interface SlaClock {
  metric: SlaMetric;
  cycle: number;
  startedAt: number;
  targetMs: number;
  /** Business milliseconds consumed before the current running stretch. */
  consumedMs: number;
  /** Start of the current running stretch; null while paused or completed. */
  runningSince: number | null;
  completedAt: number | null;
}

export type ClockState = 'running' | 'paused' | 'met' | 'breached';

export function startClock(metric: SlaMetric, cycle: number, targetSeconds: number, at: number, running = true): SlaClock {
  return { metric, cycle, startedAt: at, targetMs: targetSeconds * 1000, consumedMs: 0, runningSince: running ? at : null, completedAt: null };
}

/** Stops counting and keeps what was consumed; the remaining time waits for `resumeClock`. */
export function pauseClock(clock: SlaClock, calendar: BusinessCalendar, at: number): SlaClock {
  if (clock.runningSince === null) return clock;
  return { ...clock, consumedMs: clock.consumedMs + businessMsBetween(calendar, clock.runningSince, at), runningSince: null };
}

export function resumeClock(clock: SlaClock, at: number): SlaClock {
  if (clock.completedAt !== null || clock.runningSince !== null) return clock;
  return { ...clock, runningSince: at };
}

export function completeClock(clock: SlaClock, calendar: BusinessCalendar, at: number): SlaClock {
  if (clock.completedAt !== null) return clock;
  return { ...pauseClock(clock, calendar, at), completedAt: at };
}

/** A completed clock counts again from where it stopped (a reopened conversation's resolution). */
export function reopenClock(clock: SlaClock, at: number, running: boolean): SlaClock {
  if (clock.completedAt === null) return clock;
  return { ...clock, completedAt: null, runningSince: running ? at : null };
}

export interface ClockStatus {
  metric: SlaMetric;
  cycle: number;
  state: ClockState;
  startedAt: number;
  completedAt: number | null;
  /** When the target is (or was) reached, for a running clock; null while paused or completed. */
  dueAt: number | null;
  /** When the warning is due, for a running clock; null while paused or completed. */
  warnAt: number | null;
  targetSeconds: number;
  elapsedSeconds: number;
  /** Business seconds left; negative once over time. */
  remainingSeconds: number;
}

/** Business milliseconds of consumption at which the clock warns. */
export function warningPointMs(targetMs: number, warning: WarningRule): number {
  if (warning.kind === 'percent') return Math.round((targetMs * warning.percent) / 100);
  return Math.max(0, targetMs - warning.seconds * 1000);
}

/** A clock as of `now`: state, due and warning instants, business seconds used and left. */
export function clockStatus(clock: SlaClock, calendar: BusinessCalendar, warning: WarningRule, now: number): ClockStatus {
  const consumed = clock.runningSince === null ? clock.consumedMs : clock.consumedMs + businessMsBetween(calendar, clock.runningSince, Math.max(now, clock.runningSince));
  let dueAt: number | null = null;
  let warnAt: number | null = null;
  if (clock.runningSince !== null) {
    const since = clock.runningSince;
    dueAt = clock.consumedMs >= clock.targetMs ? since : addBusinessMs(calendar, since, clock.targetMs - clock.consumedMs);
    const warnPoint = warningPointMs(clock.targetMs, warning);
    warnAt = clock.consumedMs >= warnPoint ? since : addBusinessMs(calendar, since, warnPoint - clock.consumedMs);
  }
  const over = consumed >= clock.targetMs && (clock.completedAt === null || consumed > clock.targetMs);
  const state: ClockState = over ? 'breached' : clock.completedAt !== null ? 'met' : clock.runningSince === null ? 'paused' : 'running';
  return {
    metric: clock.metric,
    cycle: clock.cycle,
    state,
    startedAt: clock.startedAt,
    completedAt: clock.completedAt,
    dueAt,
    warnAt,
    targetSeconds: clock.targetMs / 1000,
    elapsedSeconds: Math.floor(consumed / 1000),
    remainingSeconds: Math.ceil((clock.targetMs - consumed) / 1000),
  };
}

// The fold from a conversation's history.

/** What the SLA reads of a conversation's history, in order (from its events). */
export type SlaSignal =
  | { kind: 'opened'; at: number }
  | { kind: 'customer_message'; at: number }
  | { kind: 'agent_reply'; at: number }
  | { kind: 'status'; to: 'open' | 'pending' | 'snoozed' | 'resolved'; at: number };

type Phase = 'open' | 'waiting' | 'resolved';
const phaseOf = (status: 'open' | 'pending' | 'snoozed' | 'resolved'): Phase => (status === 'open' ? 'open' : status === 'resolved' ? 'resolved' : 'waiting');

/**
 * Replays a conversation's history into its clocks:
 * - opening starts first_response and resolution;
 * - an agent's reply completes first_response and the running next_response;
 * - a customer message after an answer starts next_response (one per customer turn; further
 *   messages before the answer do not restart it); a customer message also reopens (the inbound
 *   path always opens the conversation);
 * - pending or snoozed (waiting on the customer) pauses every running clock, open resumes them
 *   with their remaining business time;
 * - resolving completes every clock; reopening resumes the resolution clock where it stopped
 *   (time spent resolved does not count), so one conversation has one resolution clock.
 * A metric without a target has no clock.
 */
export function foldClocks(signals: SlaSignal[], targets: Partial<Record<SlaMetric, number>>, calendar: BusinessCalendar): SlaClock[] {
  const clocks: SlaClock[] = [];
  let phase: Phase = 'open';
  let opened = false;
  let answered = false;
  let nextCycle = 1;
  const open = () => clocks.filter((c) => c.completedAt === null);
  const replace = (from: SlaClock, to: SlaClock) => {
    clocks[clocks.indexOf(from)] = to;
  };

  const enter = (to: Phase, at: number) => {
    if (to === phase) return;
    if (to === 'resolved') {
      for (const c of open()) replace(c, completeClock(c, calendar, at));
      answered = true;
    } else {
      if (phase === 'resolved') {
        const resolution = clocks.findLast((c) => c.metric === 'resolution');
        if (resolution) replace(resolution, reopenClock(resolution, at, to === 'open'));
      }
      for (const c of open()) replace(c, to === 'open' ? resumeClock(c, at) : pauseClock(c, calendar, at));
    }
    phase = to;
  };

  for (const signal of signals) {
    switch (signal.kind) {
      case 'opened':
        if (opened) break;
        opened = true;
        for (const metric of ['first_response', 'resolution'] as const) {
          const target = targets[metric];
          if (target) clocks.push(startClock(metric, 0, target, signal.at, phase === 'open'));
        }
        break;
      case 'customer_message': {
        enter('open', signal.at);
        const waitingForAnswer = open().some((c) => c.metric === 'next_response' || c.metric === 'first_response');
        if (answered && !waitingForAnswer && targets.next_response) clocks.push(startClock('next_response', nextCycle++, targets.next_response, signal.at));
        break;
      }
      case 'agent_reply':
        answered = true;
        for (const c of open()) if (c.metric !== 'resolution') replace(c, completeClock(c, calendar, signal.at));
        break;
      case 'status':
        enter(phaseOf(signal.to), signal.at);
        break;
    }
  }
  return clocks;
}
