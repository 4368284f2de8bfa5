import type { StoredEvent } from './events.ts';

export type EventHandler = (event: StoredEvent) => void | Promise<void>;

/**
 * In-process publish/subscribe of committed events. Subscribers name the event types they handle
 * (or `*`) and optionally one workspace. A failing subscriber is logged and never stops the others.
 */
export class EventBus {
  private readonly subscribers = new Set<{ types: Set<string> | '*'; workspaceId?: string; handler: EventHandler }>();

  constructor(private readonly onError: (error: unknown, event: StoredEvent) => void = () => {}) {}

  subscribe(opts: { types: string[] | '*'; workspaceId?: string }, handler: EventHandler): () => void {
    const entry = {
      types: opts.types === '*' ? ('*' as const) : new Set(opts.types),
      workspaceId: opts.workspaceId,
      handler,
    };
    this.subscribers.add(entry);
    return () => this.subscribers.delete(entry);
  }

  publish(event: StoredEvent): void {
    for (const s of this.subscribers) {
      if (s.workspaceId && s.workspaceId !== event.workspaceId) continue;
      if (s.types !== '*' && !s.types.has(event.type)) continue;
      try {
        const result = s.handler(event);
        if (result instanceof Promise) result.catch((error) => this.onError(error, event));
      } catch (error) {
        this.onError(error, event);
      }
    }
  }

  get size(): number {
    return this.subscribers.size;
  }
}
