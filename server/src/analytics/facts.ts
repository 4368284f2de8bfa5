/**
 * The KPI projection: how the event log becomes facts. Pure: it works on facts held in memory
 * (the adapter, facts.store.ts, loads the ones a batch of events needs and writes back the ones
 * that changed), so every rule about what counts as offered, answered, abandoned, handled or
 * resolved lives here and is tested with hand-made event histories.
 */

export interface AnalyticsEvent {
  type: string;
  subjectId: string;
  payload: Record<string, unknown>;
  actorId: string | null;
  createdAt: Date;
}

export type SegmentOutcome = 'answered' | 'abandoned' | 'transferred' | 'canceled';

/** A routing task from entering a queue until it ends, or until it is transferred onwards. */
export interface Segment {
  taskId: string;
  seq: number;
  conversationId: string | null;
  channel: string;
  queueId: string;
  agentId: string;
  team: string;
  startedAt: Date;
  answeredAt: Date | null;
  wrapAt: Date | null;
  endedAt: Date | null;
  outcome: SegmentOutcome | null;
  endReason: string | null;
  inServiceLevel: boolean;
  transferredIn: boolean;
  transferredOut: boolean;
}

export interface OutcomeFact {
  outcome: string | null;
  amount: number | null;
  currency: string | null;
  agentId: string | null;
}

/**
 * How a conversation began: the customer wrote (`customer`), or a campaign message opened it
 * (`campaign`), which becomes `campaign_reply` once the customer answers and it is routed. An
 * unanswered campaign conversation is not a contact: it counts in no service figure.
 */
export type ConversationOrigin = 'customer' | 'campaign' | 'campaign_reply';

export interface ConversationFact {
  conversationId: string;
  origin: ConversationOrigin;
  customerId: string | null;
  channel: string;
  queueId: string;
  agentId: string;
  team: string;
  createdAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  reopened: boolean;
  repeatContact: boolean;
  selfServiceRuns: number;
  selfServiceContained: number;
  csat: number | null;
  nps: number | null;
  outcomes: Record<string, OutcomeFact>;
  slaBreaches: number;
}

export interface AgentState {
  agentId: string;
  presence: string;
  routable: boolean;
  tasks: string[];
  team: string;
  since: Date;
}

/** A stretch of an agent's time in one state; the store splits it into 15-minute and day rows. */
export interface AgentTimePiece {
  agentId: string;
  team: string;
  from: Date;
  to: Date;
  loggedIn: boolean;
  available: boolean;
  busy: boolean;
}

/** What the projection needs to know about the workspace's configuration. */
export interface ProjectionConfig {
  /** The answer-within threshold of a queue (falling back on the channel's). */
  serviceLevelSeconds(queueId: string, channel: string): number;
  routable(presence: string): boolean;
  teamOf(agentId: string): string;
  fcrWindowMs: number;
}

/** Outcome kinds that count as a sale in the revenue figures. */
export const SALE_OUTCOMES = new Set(['sale', 'upsell', 'cross_sell']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export class Projection {
  /** All segments of the tasks loaded, in seq order. */
  readonly segments = new Map<string, Segment[]>();
  readonly conversations = new Map<string, ConversationFact>();
  readonly agents = new Map<string, AgentState>();
  readonly changedSegments = new Set<Segment>();
  readonly changedConversations = new Set<ConversationFact>();
  readonly changedAgents = new Set<AgentState>();
  readonly agentTime: AgentTimePiece[] = [];

  constructor(private readonly config: ProjectionConfig) {}

  apply(event: AnalyticsEvent): void {
    const p = event.payload;
    const at = event.createdAt;
    switch (event.type) {
      case 'conversation.created':
        return this.conversationCreated(event.subjectId, str(p.channelType) ?? 'unknown', str(p.customerId), at, str(p.campaignId) ? 'campaign' : 'customer');
      case 'message.queued': {
        // An agent's reply (bots' messages say so; system messages have no person behind them).
        if (p.bot === true || !event.actorId || !UUID.test(event.actorId)) return;
        const conversation = this.conversations.get(event.subjectId);
        if (conversation && !conversation.firstResponseAt) this.touchConversation(conversation).firstResponseAt = at;
        return;
      }
      case 'conversation.status_changed': {
        const conversation = this.conversations.get(event.subjectId);
        if (!conversation) return;
        if (p.to === 'resolved') {
          // The first resolution stands: resolution time is to the first time it was solved.
          if (!conversation.resolvedAt) this.touchConversation(conversation).resolvedAt = at;
        } else if (p.from === 'resolved') {
          this.touchConversation(conversation).reopened = true;
        }
        return;
      }
      case 'routing.task_created':
        return this.taskCreated(str(p.taskId) ?? event.subjectId, str(p.conversationId), str(p.channel) ?? 'unknown', at);
      case 'routing.task_queued': {
        const segment = this.current(str(p.taskId) ?? event.subjectId);
        // Overflow to another queue moves a waiting contact; figures go to where it ends up.
        if (segment && !segment.answeredAt && !segment.endedAt) this.touch(segment).queueId = str(p.queueId) ?? '';
        return;
      }
      case 'routing.assigned':
        return this.assigned(str(p.taskId) ?? event.subjectId, str(p.agentId) ?? '', at);
      case 'routing.transferred':
        return this.transferred(str(p.taskId) ?? event.subjectId, p.to, at);
      case 'routing.wrapping': {
        const segment = this.current(str(p.taskId) ?? event.subjectId);
        if (segment?.answeredAt && !segment.wrapAt && !segment.endedAt) this.touch(segment).wrapAt = at;
        return;
      }
      case 'routing.task_ended':
        return this.taskEnded(str(p.taskId) ?? event.subjectId, str(p.reason), at);
      case 'routing.presence_changed':
        return this.presence(str(p.agentId) ?? event.subjectId, str(p.presence) ?? 'offline', at);
      case 'flow.run_contained':
      case 'flow.run_handed_off':
      case 'flow.run_failed': {
        const conversation = this.conversations.get(event.subjectId);
        if (!conversation) return;
        this.touchConversation(conversation).selfServiceRuns += 1;
        if (event.type === 'flow.run_contained') conversation.selfServiceContained += 1;
        return;
      }
      case 'outcome.recorded': {
        const conversation = this.conversations.get(str(p.conversationId) ?? event.subjectId);
        if (!conversation) return;
        const key = str(p.taskId) ?? '';
        this.touchConversation(conversation).outcomes = {
          ...conversation.outcomes,
          [key]: { outcome: str(p.outcome), amount: num(p.amount), currency: str(p.currency), agentId: str(p.agentId) },
        };
        return;
      }
      case 'survey.answered': {
        const conversation = this.conversations.get(str(p.conversationId) ?? event.subjectId);
        const score = num(p.score);
        if (!conversation || score === null) return;
        if (p.kind === 'csat' && score >= 1 && score <= 5) this.touchConversation(conversation).csat = Math.round(score);
        if (p.kind === 'nps' && score >= 0 && score <= 10) this.touchConversation(conversation).nps = Math.round(score);
        return;
      }
      case 'sla.breached': {
        const conversation = this.conversations.get(str(p.conversationId) ?? event.subjectId);
        if (conversation) this.touchConversation(conversation).slaBreaches += 1;
        return;
      }
    }
  }

  /**
   * Counts every agent's time up to `now` without changing their state, so today's staffed and
   * busy hours are current even for agents who have not changed state for hours.
   */
  checkpoint(now: Date): void {
    for (const agent of this.agents.values()) this.closeStretch(agent, now);
  }

  /** The latest segment of a task. */
  current(taskId: string): Segment | undefined {
    const list = this.segments.get(taskId);
    return list?.[list.length - 1];
  }

  private touch(segment: Segment): Segment {
    this.changedSegments.add(segment);
    return segment;
  }

  private touchConversation(conversation: ConversationFact): ConversationFact {
    this.changedConversations.add(conversation);
    return conversation;
  }

  private conversationCreated(conversationId: string, channel: string, customerId: string | null, at: Date, origin: ConversationOrigin): void {
    if (this.conversations.has(conversationId)) return;
    // The customer is back: a resolution of theirs within the window was not the end of it. A
    // campaign writing to them is not the customer coming back.
    if (customerId && origin === 'customer') {
      for (const earlier of this.conversations.values()) {
        if (earlier.customerId !== customerId || !earlier.resolvedAt || earlier.repeatContact) continue;
        const since = at.getTime() - earlier.resolvedAt.getTime();
        if (since >= 0 && since <= this.config.fcrWindowMs) this.touchConversation(earlier).repeatContact = true;
      }
    }
    this.touchConversation(this.newConversation(conversationId, channel, customerId, at, origin));
  }

  private newConversation(conversationId: string, channel: string, customerId: string | null, at: Date, origin: ConversationOrigin): ConversationFact {
    const fact: ConversationFact = {
      conversationId,
      origin,
      customerId,
      channel,
      queueId: '',
      agentId: '',
      team: '',
      createdAt: at,
      firstResponseAt: null,
      resolvedAt: null,
      reopened: false,
      repeatContact: false,
      selfServiceRuns: 0,
      selfServiceContained: 0,
      csat: null,
      nps: null,
      outcomes: {},
      slaBreaches: 0,
    };
    this.conversations.set(conversationId, fact);
    return fact;
  }

  private taskCreated(taskId: string, conversationId: string | null, channel: string, at: Date): void {
    if (this.segments.has(taskId)) return;
    // A campaign conversation is routed once the customer answers it: from then on it is a contact.
    const conversation = conversationId ? this.conversations.get(conversationId) : undefined;
    if (conversation?.origin === 'campaign') this.touchConversation(conversation).origin = 'campaign_reply';
    const segment = this.newSegment(taskId, 1, conversationId, channel, at);
    this.segments.set(taskId, [segment]);
  }

  private newSegment(taskId: string, seq: number, conversationId: string | null, channel: string, at: Date): Segment {
    return this.touch({
      taskId,
      seq,
      conversationId,
      channel,
      queueId: '',
      agentId: '',
      team: '',
      startedAt: at,
      answeredAt: null,
      wrapAt: null,
      endedAt: null,
      outcome: null,
      endReason: null,
      inServiceLevel: false,
      transferredIn: seq > 1,
      transferredOut: false,
    });
  }

  private assigned(taskId: string, agentId: string, at: Date): void {
    const segment = this.current(taskId);
    if (!segment || segment.answeredAt || segment.endedAt) return;
    const waitedMs = at.getTime() - segment.startedAt.getTime();
    this.touch(segment);
    segment.answeredAt = at;
    segment.agentId = agentId;
    segment.team = this.config.teamOf(agentId);
    segment.inServiceLevel = waitedMs <= this.config.serviceLevelSeconds(segment.queueId, segment.channel) * 1000;
    const conversation = segment.conversationId ? this.conversations.get(segment.conversationId) : undefined;
    if (conversation) {
      this.touchConversation(conversation);
      conversation.agentId = agentId;
      conversation.team = segment.team;
      conversation.queueId = segment.queueId;
    }
    const agent = this.agent(agentId, at);
    if (!agent.tasks.includes(taskId)) this.changeAgent(agent, at, () => agent.tasks.push(taskId));
  }

  private transferred(taskId: string, to: unknown, at: Date): void {
    const segment = this.current(taskId);
    if (!segment || segment.endedAt) return;
    // A transfer of a contact nobody answered yet just moves it (task_queued says where).
    if (!segment.answeredAt) return;
    this.touch(segment);
    segment.endedAt = at;
    segment.outcome = 'transferred';
    segment.transferredOut = true;
    this.releaseAgent(segment.agentId, taskId, at);
    const next = this.newSegment(taskId, segment.seq + 1, segment.conversationId, segment.channel, at);
    const target = to && typeof to === 'object' ? (to as Record<string, unknown>) : {};
    next.queueId = str(target.queueId) ?? segment.queueId;
    this.segments.get(taskId)!.push(next);
  }

  private taskEnded(taskId: string, reason: string | null, at: Date): void {
    const segment = this.current(taskId);
    if (!segment || segment.endedAt) return;
    this.touch(segment);
    segment.endedAt = at;
    segment.endReason = reason;
    if (segment.answeredAt) {
      segment.outcome = 'answered';
      this.releaseAgent(segment.agentId, taskId, at);
    } else {
      // Only the customer leaving is an abandon; a contact resolved or taken by hand before an
      // answer, or refused by a full or closed queue, is neither answered nor abandoned.
      segment.outcome = reason === 'abandoned' ? 'abandoned' : 'canceled';
    }
  }

  private presence(agentId: string, presence: string, at: Date): void {
    const agent = this.agent(agentId, at);
    if (agent.presence === presence) return;
    this.changeAgent(agent, at, () => {
      agent.presence = presence;
      agent.routable = this.config.routable(presence);
    });
  }

  private releaseAgent(agentId: string, taskId: string, at: Date): void {
    const agent = this.agents.get(agentId);
    if (!agent || !agent.tasks.includes(taskId)) return;
    this.changeAgent(agent, at, () => {
      agent.tasks = agent.tasks.filter((t) => t !== taskId);
    });
  }

  private agent(agentId: string, at: Date): AgentState {
    let agent = this.agents.get(agentId);
    if (!agent) {
      agent = { agentId, presence: 'offline', routable: false, tasks: [], team: this.config.teamOf(agentId), since: at };
      this.agents.set(agentId, agent);
      this.changedAgents.add(agent);
    }
    return agent;
  }

  /** Counts the stretch in the old state up to `at`, then changes the state. */
  private changeAgent(agent: AgentState, at: Date, change: () => void): void {
    this.closeStretch(agent, at);
    change();
    this.changedAgents.add(agent);
  }

  private closeStretch(agent: AgentState, at: Date): void {
    if (at.getTime() <= agent.since.getTime()) return;
    const loggedIn = agent.presence !== 'offline';
    const busy = agent.tasks.length > 0;
    if (loggedIn || busy) {
      this.agentTime.push({ agentId: agent.agentId, team: agent.team, from: agent.since, to: at, loggedIn: loggedIn || busy, available: agent.routable && loggedIn, busy });
    }
    agent.since = at;
    agent.team = this.config.teamOf(agent.agentId);
    this.changedAgents.add(agent);
  }
}

/** Which facts a batch of events needs loaded before it is applied. */
export function factsNeeded(events: AnalyticsEvent[]): { taskIds: Set<string>; conversationIds: Set<string>; customerIds: Set<string>; agentIds: Set<string> } {
  const taskIds = new Set<string>();
  const conversationIds = new Set<string>();
  const customerIds = new Set<string>();
  const agentIds = new Set<string>();
  for (const e of events) {
    const p = e.payload;
    if (e.type.startsWith('routing.')) {
      const taskId = str(p.taskId);
      if (taskId) taskIds.add(taskId);
      const conversationId = str(p.conversationId);
      if (conversationId) conversationIds.add(conversationId);
      const agentId = str(p.agentId) ?? (e.type === 'routing.transferred' ? str(p.from) : null);
      if (agentId) agentIds.add(agentId);
    } else {
      conversationIds.add(str(p.conversationId) ?? e.subjectId);
      if (e.type === 'conversation.created') {
        const customerId = str(p.customerId);
        if (customerId) customerIds.add(customerId);
      }
    }
  }
  return { taskIds, conversationIds, customerIds, agentIds };
}

/** The 15-minute bucket an instant falls in (UTC-aligned; every real time zone offset is a multiple of 15 minutes). */
export function bucketOf(at: Date): Date {
  const quarter = 15 * 60_000;
  return new Date(Math.floor(at.getTime() / quarter) * quarter);
}

/** Splits a stretch at 15-minute boundaries. */
export function splitByBucket(from: Date, to: Date): Array<{ bucket: Date; ms: number }> {
  const quarter = 15 * 60_000;
  const pieces: Array<{ bucket: Date; ms: number }> = [];
  let start = from.getTime();
  const end = to.getTime();
  while (start < end) {
    const bucketStart = Math.floor(start / quarter) * quarter;
    const stop = Math.min(end, bucketStart + quarter);
    pieces.push({ bucket: new Date(bucketStart), ms: stop - start });
    start = stop;
  }
  return pieces;
}
