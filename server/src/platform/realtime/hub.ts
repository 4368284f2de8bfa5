import { eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { hubParcels } from '../db/schema.ts';

/** NOTIFY channel for ephemeral messages between nodes. */
const HUB_CHANNEL = 'hoorn_hub';
/** NOTIFY payloads are limited to 8000 bytes; a larger message travels as a parcel (hub_parcels). */
const MAX_NOTIFY_BYTES = 7_900;
/** How long a parcel is kept for the other nodes to read; they read it within milliseconds. */
const PARCEL_KEEP_MS = 60_000;

export type HubMessage = Record<string, unknown> & { type: string };
type Listener = (message: HubMessage) => void;

export type PresenceState = 'viewing' | 'typing' | 'left';
/**
 * What the module that owns conversations does with an agent's presence (it knows which visitor
 * to tell that an agent types); the realtime socket only validates and hands it over.
 */
export type PresenceRelay = (input: { workspaceId: string; conversationId: string; user: { id: string; name: string }; state: PresenceState }) => Promise<void>;

/** Who sent a call signalling frame over which authenticated socket. */
export type CallSignalSender =
  | { kind: 'agent'; workspaceId: string; userId: string }
  | { kind: 'visitor'; workspaceId: string; channelId: string; customerId: string };
/**
 * What the video module does with a `call_signal` frame: checks the sender is a party of the call
 * and relays it. Returns a frame for the sender when it refused (nothing was relayed).
 */
export type CallSignalRelay = (input: { from: CallSignalSender; frame: unknown }) => Promise<HubMessage | undefined>;

/**
 * Ephemeral realtime messages that are not history: typing, presence, pushes to chat visitors.
 * Topics are strings (`workspace:<id>`, `visitor:<channelId>:<customerId>`). With PostgreSQL, a
 * message published on one node reaches the listeners on every node through NOTIFY.
 */
export class RealtimeHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly agentSockets = new Map<string, number>();
  readonly presenceRelays: PresenceRelay[] = [];
  readonly callSignalRelays: CallSignalRelay[] = [];

  constructor(
    private readonly database: Database,
    private readonly nodeId: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    if (this.database.kind !== 'postgres') return;
    await this.database.listen(HUB_CHANNEL, (raw) => {
      try {
        const notice = JSON.parse(raw) as { node: string; topic: string; message?: HubMessage; parcel?: number };
        if (notice.node === this.nodeId) return;
        if (notice.message) this.deliver(notice.topic, notice.message);
        else if (typeof notice.parcel === 'number') void this.unpack(notice.topic, notice.parcel);
      } catch (error) {
        this.onError(error);
      }
    });
  }

  subscribe(topic: string, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(topic);
    };
  }

  publish(topic: string, message: HubMessage): void {
    this.deliver(topic, message);
    if (this.database.kind !== 'postgres') return;
    const payload = JSON.stringify({ node: this.nodeId, topic, message });
    if (Buffer.byteLength(payload) <= MAX_NOTIFY_BYTES) {
      this.database.db.execute(sql`select pg_notify(${HUB_CHANNEL}, ${payload})`).catch(this.onError);
      return;
    }
    // Too large for NOTIFY: parked in a table, its id notified (both in one statement, so the
    // notice is sent only once the row is there). Old parcels are swept on the way.
    const db = this.database.db;
    void (async () => {
      await db.delete(hubParcels).where(lt(hubParcels.createdAt, new Date(Date.now() - PARCEL_KEEP_MS)));
      await db.execute(sql`
        with parcel as (insert into hub_parcels (topic, message) values (${topic}, ${JSON.stringify(message)}::jsonb) returning id)
        select pg_notify(${HUB_CHANNEL}, json_build_object('node', ${this.nodeId}::text, 'topic', ${topic}::text, 'parcel', parcel.id)::text) from parcel`);
    })().catch(this.onError);
  }

  private async unpack(topic: string, id: number): Promise<void> {
    try {
      const [row] = await this.database.db.select({ message: hubParcels.message }).from(hubParcels).where(eq(hubParcels.id, id));
      if (row) this.deliver(topic, row.message as HubMessage);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Agents connected to this node's realtime socket, per workspace: the widget's "online". */
  agentConnected(workspaceId: string): () => void {
    this.agentSockets.set(workspaceId, (this.agentSockets.get(workspaceId) ?? 0) + 1);
    return () => this.agentSockets.set(workspaceId, Math.max(0, (this.agentSockets.get(workspaceId) ?? 1) - 1));
  }

  agentsOnline(workspaceId: string): number {
    return this.agentSockets.get(workspaceId) ?? 0;
  }

  private deliver(topic: string, message: HubMessage): void {
    for (const listener of this.listeners.get(topic) ?? []) {
      try {
        listener(message);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

export const workspaceTopic = (workspaceId: string) => `workspace:${workspaceId}`;
export const visitorTopic = (channelId: string, customerId: string) => `visitor:${channelId}:${customerId}`;
