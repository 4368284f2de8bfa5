// Simulator benchmark (server/src/workforce/des.ts): one day of a 200-agent, 5-queue centre with
// about 40,000 contacts, simulated through the real routing engine, next to a baseline measured in
// the same run: the same arrivals and handle times through a bare event loop that gives each
// contact to the first free agent of its queue (no routing engine, no skills, no capacity), which
// is the floor any simulation of that day pays. The ratio is the routing engine's own cost.
//
//   npm run bench -- simulate
import { simulateDay } from '../../server/src/workforce/des.ts';
import { parseScenario, type Scenario } from '../../server/src/workforce/scenario.ts';
import { poisson, seededUniform } from '../../server/src/workforce/simulate.ts';

const GOAL_SECONDS = 10;
const RUNS = 3;

/** A weekday's intraday shape: a morning and an afternoon peak, quiet at night; sums to 1. */
function intradayShares(slots: number): number[] {
  const raw = Array.from({ length: slots }, (_, i) => {
    const hour = (i + 0.5) * (24 / slots);
    const bump = (centre: number, width: number, height: number) => height * Math.exp(-(((hour - centre) / width) ** 2));
    return 0.02 + bump(10.5, 1.8, 1) + bump(14.5, 2, 0.85) + bump(19.5, 1.5, 0.35);
  });
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => r / sum);
}

/** The bench centre: ~40,000 contacts a day over five queues, 200 blended agents in four shifts. */
export function benchScenario(): Scenario {
  const shares = intradayShares(96);
  const stream = (id: string, channel: string, perDay: number, aht: number, patience: number | null, containment = 0) => ({
    id,
    name: id,
    channel,
    arrivals: shares.map((s) => s * perDay),
    handleTime: { meanSeconds: aht, cv: 1 },
    patienceSeconds: patience,
    selfServiceContainment: containment,
    skill: id,
  });
  return parseScenario({
    name: 'bench: 200 agents, 5 queues',
    date: '2026-11-25',
    timeZone: 'Europe/Amsterdam',
    seed: 42,
    demand: [
      stream('voice', 'voice', 11_000, 240, 180),
      stream('chat', 'webchat', 12_000, 420, 300, 0.2),
      stream('whatsapp', 'whatsapp', 8_000, 480, 900),
      stream('email', 'email', 6_000, 360, null),
      stream('sms', 'sms', 5_000, 180, 1_800),
    ],
    agents: [
      { name: 'Voice early', count: 30, skills: { voice: 4, chat: 2 }, shifts: [{ start: '07:00', end: '16:00' }] },
      { name: 'Voice late', count: 30, skills: { voice: 4, chat: 2 }, shifts: [{ start: '12:00', end: '21:00' }] },
      { name: 'Chat day', count: 45, skills: { chat: 4, whatsapp: 3, sms: 2 }, shifts: [{ start: '08:00', end: '17:00' }] },
      { name: 'Chat evening', count: 30, skills: { chat: 3, whatsapp: 4, sms: 3 }, shifts: [{ start: '14:00', end: '23:00' }] },
      { name: 'Back office', count: 35, skills: { email: 4, sms: 3, whatsapp: 2 }, shifts: [{ start: '08:00', end: '17:00' }] },
      { name: 'Night', count: 10, skills: { voice: 3, chat: 3, whatsapp: 3, email: 3, sms: 3 }, shifts: [{ start: '00:00', end: '07:00' }, { start: '21:00', end: '24:00' }] },
      { name: 'Floaters', count: 20, skills: { voice: 3, chat: 3, whatsapp: 3, email: 2, sms: 2 }, shifts: [{ start: '09:00', end: '18:00' }] },
    ],
  });
}

/**
 * The baseline: the same day's arrivals (Poisson per interval), handle times and patience through a
 * bare event loop; one agent pool per queue (the agents who have its skill first listed), a contact
 * goes to the first free agent of its queue or waits in FIFO. Returns the contacts it saw.
 */
function bareEventLoop(scenario: Scenario): number {
  const random = seededUniform(scenario.seed);
  const dayStart = Date.parse(`${scenario.date}T00:00:00Z`);
  const slotMs = scenario.intervalMinutes * 60_000;
  const pools = scenario.demand.map(() => 0);
  for (const group of scenario.agents) {
    const first = scenario.demand.findIndex((d) => d.skill && group.skills[d.skill]);
    if (first >= 0) pools[first]! += group.count;
  }
  const waiting = scenario.demand.map(() => [] as number[]);
  // A binary heap of (time, kind, stream) as parallel arrays would be faster still; objects keep it plain.
  const heap: Array<{ at: number; kind: 0 | 1; stream: number }> = [];
  const push = (e: (typeof heap)[number]) => {
    heap.push(e);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]!.at <= e.at) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = e;
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const c = l + 1 < heap.length && heap[l + 1]!.at < heap[l]!.at ? l + 1 : l;
      if (heap[c]!.at >= last.at) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
    return top;
  };
  let contacts = 0;
  for (const [s, stream] of scenario.demand.entries()) {
    for (let i = 0; i < stream.arrivals.length; i++) {
      const n = poisson(random, stream.arrivals[i]! * stream.arrivalFactor);
      for (let k = 0; k < n; k++) push({ at: dayStart + (i + random()) * slotMs, kind: 0, stream: s });
      contacts += n;
    }
  }
  for (let e = pop(); e; e = pop()) {
    const stream = scenario.demand[e.stream]!;
    if (e.kind === 0) {
      if (pools[e.stream]! > 0) {
        pools[e.stream]!--;
        push({ at: e.at - stream.handleTime.meanSeconds * 1000 * Math.log(random()), kind: 1, stream: e.stream });
      } else {
        const patience = stream.patienceSeconds === null ? Infinity : -stream.patienceSeconds * 1000 * Math.log(random());
        waiting[e.stream]!.push(e.at + patience);
      }
    } else {
      const queue = waiting[e.stream]!;
      while (queue.length && queue[0]! < e.at) queue.shift(); // gave up before this agent came free
      if (queue.length) {
        queue.shift();
        push({ at: e.at - stream.handleTime.meanSeconds * 1000 * Math.log(random()), kind: 1, stream: e.stream });
      } else pools[e.stream]!++;
    }
  }
  return contacts;
}

export function simulateBenchmark(): void {
  const scenario = benchScenario();
  const agents = scenario.agents.reduce((n, g) => n + g.count, 0);
  process.stdout.write(`\nSimulator benchmark: one day, ${agents} agents, ${scenario.demand.length} queues, best of ${RUNS} runs\n`);
  const best = (fn: () => void) => {
    let min = Infinity;
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      fn();
      min = Math.min(min, performance.now() - start);
    }
    return min / 1000;
  };
  let result: ReturnType<typeof simulateDay> | undefined;
  const seconds = best(() => {
    result = simulateDay(scenario);
  });
  let baselineContacts = 0;
  const baselineSeconds = best(() => {
    baselineContacts = bareEventLoop(scenario);
  });
  const r = result!;
  const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);
  process.stdout.write(
    [
      `  simulated through the routing engine: ${seconds.toFixed(2)} s for ${r.contacts.toLocaleString('en')} contacts (${r.routingEvents.toLocaleString('en')} routing events; ${Math.round(r.routingEvents / seconds).toLocaleString('en')} events/s)`,
      `  baseline, a bare event loop (first free agent, no routing engine): ${baselineSeconds.toFixed(3)} s for ${baselineContacts.toLocaleString('en')} contacts`,
      `  cost ratio (this/baseline): ${(seconds / baselineSeconds).toFixed(1)}×; goal under ${GOAL_SECONDS} s: ${seconds < GOAL_SECONDS ? 'met' : 'NOT met'}`,
      `  the day: offered ${r.totals.offered.toLocaleString('en')}, answered ${r.totals.answered.toLocaleString('en')}, service level ${pct(r.totals.serviceLevel)}, abandon ${pct(r.totals.abandonRate)}, ASA ${r.totals.averageSpeedOfAnswerSeconds ?? '–'} s, occupancy ${pct(r.totals.occupancy)}, unfinished ${r.unfinished}`,
      '',
    ].join('\n'),
  );
}
