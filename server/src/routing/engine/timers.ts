/**
 * The engine's timers. Almost every timer is "now + a fixed duration" (an offer's timeout, a step's
 * timeout, an SLA boost counted from creation), so timers of one duration expire in the order they
 * were set: each duration gets a first-in-first-out lane, and only the lanes' heads are kept in a
 * heap. Setting and cancelling are O(1) and firing is O(log lanes), instead of O(log timers) with
 * 200,000 live timers in one heap. A timer that does not fit its lane's order (a task restored with
 * an old creation time) goes to a general heap.
 */
import { IndexedHeap, type HeapItem } from './heap.ts';

export interface TimerEntry<P> extends HeapItem {
  at: number;
  seq: number;
  payload: P;
  cancelled: boolean;
}

interface Lane<P> extends HeapItem {
  items: Array<TimerEntry<P>>;
  head: number;
}

const entryBefore = <P>(a: TimerEntry<P>, b: TimerEntry<P>) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export class TimerQueue<P> {
  private readonly lanes = new Map<number, Lane<P>>();
  private readonly heads = new IndexedHeap<Lane<P>>((a, b) => entryBefore(a.items[a.head] as TimerEntry<P>, b.items[b.head] as TimerEntry<P>));
  private readonly general = new IndexedHeap<TimerEntry<P>>(entryBefore);
  private seq = 0;

  /** Sets a timer at `at`; `lane` groups timers that are set as now + the same duration. */
  add(at: number, payload: P, lane?: number): TimerEntry<P> {
    const entry: TimerEntry<P> = { heapSlot: -1, at, seq: ++this.seq, payload, cancelled: false };
    if (lane === undefined) {
      this.general.push(entry);
      return entry;
    }
    let l = this.lanes.get(lane);
    if (!l) {
      l = { heapSlot: -1, items: [], head: 0 };
      this.lanes.set(lane, l);
    }
    const last = l.items[l.items.length - 1];
    if (last && last.at > at) {
      this.general.push(entry);
      return entry;
    }
    l.items.push(entry);
    if (l.items.length - l.head === 1) this.heads.push(l);
    return entry;
  }

  cancel(entry: TimerEntry<P>): void {
    entry.cancelled = true;
    this.general.remove(entry);
  }

  /** The earliest live timer's time. */
  nextAt(): number | undefined {
    const next = this.peek();
    return next?.at;
  }

  /** Removes and returns the earliest live timer due at or before `now`. */
  popDue(now: number): TimerEntry<P> | undefined {
    const next = this.peek();
    if (!next || next.at > now) return undefined;
    if (this.general.peek() === next) this.general.pop();
    else this.shift(this.heads.peek() as Lane<P>);
    return next;
  }

  private peek(): TimerEntry<P> | undefined {
    // Drop cancelled heads first, so the answer is a live timer.
    for (;;) {
      const lane = this.heads.peek();
      const head = lane?.items[lane.head];
      if (!lane || !head || !head.cancelled) break;
      this.shift(lane);
    }
    const lane = this.heads.peek();
    const fromLane = lane?.items[lane.head];
    const fromGeneral = this.general.peek();
    if (!fromLane) return fromGeneral;
    if (!fromGeneral) return fromLane;
    return entryBefore(fromGeneral, fromLane) ? fromGeneral : fromLane;
  }

  private shift(lane: Lane<P>): void {
    lane.items[lane.head] = undefined as unknown as TimerEntry<P>;
    lane.head++;
    if (lane.head === lane.items.length) {
      lane.items.length = 0;
      lane.head = 0;
      this.heads.remove(lane);
      return;
    }
    // Compact now and then so a long-lived lane does not keep a long dead prefix.
    if (lane.head > 1024 && lane.head * 2 > lane.items.length) {
      lane.items.splice(0, lane.head);
      lane.head = 0;
    }
    this.heads.update(lane);
  }
}
