/**
 * A binary heap whose items know their own slot, so the router can remove or re-key a task in
 * O(log n) when it is offered, escalated or canceled, and can walk the heap in order without popping.
 * Each item belongs to at most one heap at a time (the slot lives on the item).
 */
export interface HeapItem {
  heapSlot: number; // -1 when in no heap
}

export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];
  /** `before(a, b)` is true when a must come out first. */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(item: T): boolean {
    return item.heapSlot >= 0 && this.items[item.heapSlot] === item;
  }

  push(item: T): void {
    item.heapSlot = this.items.length;
    this.items.push(item);
    this.up(item.heapSlot);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  remove(item: T): boolean {
    if (!this.has(item)) return false;
    const slot = item.heapSlot;
    const last = this.items.pop() as T;
    item.heapSlot = -1;
    if (last !== item) {
      this.items[slot] = last;
      last.heapSlot = slot;
      this.down(slot);
      this.up(last.heapSlot);
    }
    return true;
  }

  /** Restores order after the item's key changed. */
  update(item: T): void {
    if (!this.has(item)) return;
    this.up(item.heapSlot);
    this.down(item.heapSlot);
  }

  /** Every item, unordered. */
  values(): readonly T[] {
    return this.items;
  }

  /**
   * Visits items in heap order until `visit` returns false, without changing the heap (the router
   * usually stops at the first item; walking on is for tasks the head's agent can't serve).
   */
  walk(visit: (item: T) => boolean): void {
    walkSlots(this.items, this.lessSlot, visit);
  }

  private readonly lessSlot = (a: number, b: number): boolean => this.before(this.items[a] as T, this.items[b] as T);

  private up(slot: number): void {
    const items = this.items;
    const item = items[slot] as T;
    while (slot > 0) {
      const parentSlot = (slot - 1) >> 1;
      const parent = items[parentSlot] as T;
      if (!this.before(item, parent)) break;
      items[slot] = parent;
      parent.heapSlot = slot;
      slot = parentSlot;
    }
    items[slot] = item;
    item.heapSlot = slot;
  }

  private down(slot: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[slot] as T;
    for (;;) {
      const left = 2 * slot + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.before(items[right] as T, items[left] as T)) child = right;
      const c = items[child] as T;
      if (!this.before(c, item)) break;
      items[slot] = c;
      c.heapSlot = slot;
      slot = child;
    }
    items[slot] = item;
    item.heapSlot = slot;
  }
}

function siftUp(a: number[], i: number, less: (x: number, y: number) => boolean): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(a[i] as number, a[p] as number)) return;
    [a[i], a[p]] = [a[p] as number, a[i] as number];
    i = p;
  }
}

function siftDown(a: number[], i: number, less: (x: number, y: number) => boolean): void {
  for (;;) {
    const l = 2 * i + 1;
    if (l >= a.length) return;
    let c = l;
    if (l + 1 < a.length && less(a[l + 1] as number, a[l] as number)) c = l + 1;
    if (!less(a[c] as number, a[i] as number)) return;
    [a[i], a[c]] = [a[c] as number, a[i] as number];
    i = c;
  }
}

/**
 * A heap ordered by three numeric keys (smallest first), kept in plain number arrays beside the
 * items. Comparisons read the arrays, not the items: with 100,000 waiting tasks spread over the
 * memory, following pointers to compare was most of the cost of re-sorting a task.
 */
export class KeyedHeap<T extends HeapItem> {
  private readonly items: T[] = [];
  private readonly k1: number[] = [];
  private readonly k2: number[] = [];
  private readonly k3: number[] = [];

  /** Three sort keys per item, smallest first; three functions so no tuple is allocated per call. */
  constructor(
    private readonly key1: (item: T) => number,
    private readonly key2: (item: T) => number,
    private readonly key3: (item: T) => number,
  ) {}

  private readonly lessSlot = (x: number, y: number): boolean => this.less(x, y);

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(item: T): boolean {
    return item.heapSlot >= 0 && this.items[item.heapSlot] === item;
  }

  values(): readonly T[] {
    return this.items;
  }

  push(item: T): void {
    const slot = this.items.length;
    this.items.push(item);
    this.k1.push(this.key1(item));
    this.k2.push(this.key2(item));
    this.k3.push(this.key3(item));
    item.heapSlot = slot;
    this.up(slot);
  }

  remove(item: T): boolean {
    if (!this.has(item)) return false;
    const slot = item.heapSlot;
    item.heapSlot = -1;
    const last = this.items.pop() as T;
    const l1 = this.k1.pop() as number;
    const l2 = this.k2.pop() as number;
    const l3 = this.k3.pop() as number;
    if (last !== item) {
      this.items[slot] = last;
      this.k1[slot] = l1;
      this.k2[slot] = l2;
      this.k3[slot] = l3;
      last.heapSlot = slot;
      this.down(slot);
      this.up(last.heapSlot);
    }
    return true;
  }

  /** Re-reads the item's keys and restores order. */
  update(item: T): void {
    if (!this.has(item)) return;
    const slot = item.heapSlot;
    this.k1[slot] = this.key1(item);
    this.k2[slot] = this.key2(item);
    this.k3[slot] = this.key3(item);
    this.up(slot);
    this.down(item.heapSlot);
  }

  /** Visits items in order until `visit` returns false. */
  walk(visit: (item: T) => boolean): void {
    walkSlots(this.items, this.lessSlot, visit);
  }

  private less(x: number, y: number): boolean {
    const a1 = this.k1[x] as number;
    const b1 = this.k1[y] as number;
    if (a1 !== b1) return a1 < b1;
    const a2 = this.k2[x] as number;
    const b2 = this.k2[y] as number;
    if (a2 !== b2) return a2 < b2;
    return (this.k3[x] as number) < (this.k3[y] as number);
  }

  private swap(x: number, y: number): void {
    const items = this.items;
    const ix = items[x] as T;
    const iy = items[y] as T;
    items[x] = iy;
    items[y] = ix;
    iy.heapSlot = x;
    ix.heapSlot = y;
    let t = this.k1[x] as number;
    this.k1[x] = this.k1[y] as number;
    this.k1[y] = t;
    t = this.k2[x] as number;
    this.k2[x] = this.k2[y] as number;
    this.k2[y] = t;
    t = this.k3[x] as number;
    this.k3[x] = this.k3[y] as number;
    this.k3[y] = t;
  }

  private up(slot: number): void {
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (!this.less(slot, parent)) return;
      this.swap(slot, parent);
      slot = parent;
    }
  }

  private down(slot: number): void {
    const n = this.items.length;
    for (;;) {
      const left = 2 * slot + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.less(right, left) ? right : left;
      if (!this.less(child, slot)) return;
      this.swap(slot, child);
      slot = child;
    }
  }
}

/**
 * Visits a binary heap's items in order without changing it: a small heap of candidate slots (the
 * children of what was visited) says which comes next. O(k log k) for the first k items.
 */
function walkSlots<T>(items: readonly T[], less: (x: number, y: number) => boolean, visit: (item: T) => boolean): void {
  const n = items.length;
  if (n === 0 || !visit(items[0] as T) || n === 1) return;
  const frontier: number[] = [1];
  if (n > 2) {
    frontier.push(2);
    siftUp(frontier, 1, less);
  }
  while (frontier.length > 0) {
    const slot = frontier[0] as number;
    const last = frontier.pop() as number;
    if (frontier.length > 0) {
      frontier[0] = last;
      siftDown(frontier, 0, less);
    }
    if (!visit(items[slot] as T)) return;
    const left = 2 * slot + 1;
    if (left < n) {
      frontier.push(left);
      siftUp(frontier, frontier.length - 1, less);
      if (left + 1 < n) {
        frontier.push(left + 1);
        siftUp(frontier, frontier.length - 1, less);
      }
    }
  }
}
