import type { DomainEvent } from './types';

export const FEED_SIZE = 50;

function time(event: DomainEvent): number {
  const ms = Date.parse(event.createdAt);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Ids are numeric strings on the server: compare by length first so "10" > "9". */
function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Merges event lists, de-duplicated by id, newest first, at most `limit` items. */
export function mergeEvents(lists: readonly (readonly DomainEvent[])[], limit = FEED_SIZE): DomainEvent[] {
  const byId = new Map<string, DomainEvent>();
  for (const list of lists) for (const event of list) byId.set(event.id, event);
  return [...byId.values()]
    .sort((a, b) => time(b) - time(a) || compareIds(b.id, a.id))
    .slice(0, limit);
}
