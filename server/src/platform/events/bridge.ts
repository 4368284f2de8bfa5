import type { Database } from '../db/client.ts';
import type { EventBus } from './bus.ts';
import { EVENTS_CHANNEL, loadEventForBridge } from './events.ts';

/**
 * Carries events committed on other Hoorn nodes into this node's bus, using PostgreSQL
 * LISTEN/NOTIFY. Events of this node are already published locally after commit, so they are skipped.
 * With PGlite there is one process and nothing to bridge.
 */
export async function startEventBridge(
  database: Database,
  bus: EventBus,
  nodeId: string,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> {
  if (database.kind !== 'postgres') return async () => {};
  return database.listen(EVENTS_CHANNEL, (raw) => {
    let message: { node: string; id: number };
    try {
      message = JSON.parse(raw) as { node: string; id: number };
    } catch (error) {
      onError(error);
      return;
    }
    if (message.node === nodeId) return;
    loadEventForBridge(database.db, message.id)
      .then((event) => event && bus.publish(event))
      .catch(onError);
  });
}
