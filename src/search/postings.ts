/**
 * One indexed word's documents in one field, each with how often it holds the word: what
 * MiniSearch keeps as a `Map<number, number>` (short document id → term frequency), in a fraction
 * of the memory. A Map spends about 40 bytes an entry, and at 10,000 pages (40,000 section
 * documents) a common word's map alone holds tens of thousands: the maps were about 160 MB of the
 * service's heap. Here each entry is two 32-bit numbers in one typed array, ids ascending.
 *
 * Ids only grow (MiniSearch never reuses a short id), so adding a document's words appends; an
 * id lower than the last is inserted in place. A removed entry keeps its slot with a frequency of
 * 0 (MiniSearch never stores 0) until the next addition compacts the array, so removing during
 * an iteration, as MiniSearch does while it searches and vacuums, is safe and skips the entry
 * as a Map would. Iteration is in id order, which is the order MiniSearch added the entries in.
 */
export class Postings implements Map<number, number> {
  /** Pairs of (id, frequency); slots past `used` are spare capacity. */
  #pairs: Uint32Array;
  /** Slots (pairs) in use, removed ones included. */
  #used = 0;
  /** Slots in use whose frequency is 0 (removed). */
  #removed = 0;

  constructor(capacity = 1) {
    this.#pairs = new Uint32Array(2 * Math.max(1, capacity));
  }

  /** The postings of a map's entries (in any order). */
  static from(entries: Iterable<[number, number]>): Postings {
    const sorted = [...entries].sort(([a], [b]) => a - b);
    const postings = new Postings(sorted.length);
    for (const [id, frequency] of sorted) postings.set(id, frequency);
    return postings;
  }

  /**
   * The postings of (id, frequency) pairs already in id order, as {@link liveSlots} gives them
   * (a saved index); null when they are not: an id not above the one before, or a frequency of 0.
   */
  static fromSlots(pairs: Uint32Array): Postings | null {
    for (let at = 0; at < pairs.length; at += 2) {
      if (pairs[at + 1] === 0 || (at > 0 && pairs[at] <= pairs[at - 2])) return null;
    }
    const postings = new Postings(pairs.length / 2);
    postings.#pairs.set(pairs);
    postings.#used = pairs.length / 2;
    return postings;
  }

  /** The entries as (id, frequency) pairs in id order, removed ones left out: what {@link fromSlots} takes. */
  liveSlots(): Uint32Array {
    const slots = this.copySlots();
    if (this.#removed === 0) return slots;
    const live = new Uint32Array(2 * this.size);
    let kept = 0;
    for (let at = 0; at < slots.length; at += 2) {
      if (slots[at + 1] === 0) continue;
      live[kept++] = slots[at];
      live[kept++] = slots[at + 1];
    }
    return live;
  }

  /** Bytes its array holds, spare room included. */
  get bytes(): number {
    return this.#pairs.byteLength;
  }

  get size(): number {
    return this.#used - this.#removed;
  }

  /**
   * A copy of the slots in use, one array of (id, frequency) pairs, removed ones with a frequency
   * of 0: for a scoring loop that reads tens of thousands of entries a few thousand per turn of
   * the event loop, without an iterator's allocation per entry, and unmoved by additions and
   * removals made between two turns.
   */
  copySlots(): Uint32Array {
    return this.#pairs.slice(0, 2 * this.#used);
  }

  get(id: number): number | undefined {
    const at = this.#find(id);
    const frequency = at >= 0 ? this.#pairs[2 * at + 1] : 0;
    return frequency > 0 ? frequency : undefined;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, frequency: number): this {
    if (!Number.isInteger(frequency) || frequency < 1 || frequency > 0xffffffff)
      throw new RangeError(`a term frequency is a positive 32-bit integer (got ${frequency})`);
    const at = this.#find(id);
    if (at >= 0) {
      if (this.#pairs[2 * at + 1] === 0) this.#removed -= 1;
      this.#pairs[2 * at + 1] = frequency;
      return this;
    }
    if (this.#removed > 0) this.#compact();
    const position = -this.#find(id) - 1;
    if (2 * (this.#used + 1) > this.#pairs.length) this.#grow();
    this.#pairs.copyWithin(2 * position + 2, 2 * position, 2 * this.#used);
    this.#pairs[2 * position] = id;
    this.#pairs[2 * position + 1] = frequency;
    this.#used += 1;
    return this;
  }

  delete(id: number): boolean {
    const at = this.#find(id);
    if (at < 0 || this.#pairs[2 * at + 1] === 0) return false;
    this.#pairs[2 * at + 1] = 0;
    this.#removed += 1;
    return true;
  }

  /**
   * Gives back the spare capacity (and removed slots): an index built whole holds, on average, a
   * sixth of its postings as room to grow (at 10,000 seed pages, 7 of 36 MB). Only between
   * searches, as additions compact.
   */
  trim(): void {
    if (this.#removed > 0) this.#compact();
    if (this.#pairs.length > 2 * Math.max(1, this.#used)) this.#pairs = this.#pairs.slice(0, 2 * Math.max(1, this.#used));
  }

  clear(): void {
    this.#pairs = new Uint32Array(2);
    this.#used = 0;
    this.#removed = 0;
  }

  *entries(): MapIterator<[number, number]> {
    // Slots are read as they are reached: an entry removed meanwhile is skipped. Only additions
    // move slots, and nothing adds while it iterates (see the class comment).
    for (let at = 0; at < this.#used; at += 1) {
      const frequency = this.#pairs[2 * at + 1];
      if (frequency > 0) yield [this.#pairs[2 * at], frequency];
    }
  }

  *keys(): MapIterator<number> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<number> {
    for (const [, frequency] of this.entries()) yield frequency;
  }

  forEach(callback: (frequency: number, id: number, map: Map<number, number>) => void, thisArg?: unknown): void {
    for (const [id, frequency] of this.entries()) callback.call(thisArg, frequency, id, this);
  }

  [Symbol.iterator](): MapIterator<[number, number]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Postings';
  }

  /** The slot holding `id`, or -(insertion point) - 1 when none does. */
  #find(id: number): number {
    const pairs = this.#pairs;
    // Appending is the common case, and counting a word again in the document added last: check
    // the last slot before searching.
    if (this.#used === 0 || pairs[2 * (this.#used - 1)] < id) return -this.#used - 1;
    if (pairs[2 * (this.#used - 1)] === id) return this.#used - 1;
    let low = 0;
    let high = this.#used - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = pairs[2 * middle];
      if (found < id) low = middle + 1;
      else if (found > id) high = middle - 1;
      else return middle;
    }
    return -low - 1;
  }

  /** Room for half as many slots again (at least one): appends stay amortized constant time. */
  #grow(): void {
    const slots = this.#pairs.length / 2;
    const grown = new Uint32Array(2 * (slots + Math.max(1, slots >>> 1)));
    grown.set(this.#pairs.subarray(0, 2 * this.#used));
    this.#pairs = grown;
  }

  /** Drops removed slots (only when adding: never while an iteration may be under way). */
  #compact(): void {
    const pairs = this.#pairs;
    let kept = 0;
    for (let at = 0; at < this.#used; at += 1) {
      if (pairs[2 * at + 1] === 0) continue;
      pairs[2 * kept] = pairs[2 * at];
      pairs[2 * kept + 1] = pairs[2 * at + 1];
      kept += 1;
    }
    this.#used = kept;
    this.#removed = 0;
    if (this.#pairs.length > 4 * Math.max(2, 2 * kept)) this.#pairs = this.#pairs.slice(0, 2 * Math.max(1, 2 * kept));
  }
}
