/** A frequency from here up is kept aside (see {@link Postings}); its slot holds this mark. */
const LARGE = 0xff;

/**
 * One indexed word's documents in one field, each with how often it holds the word: what
 * MiniSearch keeps as a `Map<number, number>` (short document id → term frequency), in a fraction
 * of the memory. A Map spends about 40 bytes an entry, and at 10,000 pages (40,000 section
 * documents) a common word's map alone holds tens of thousands: the maps were about 160 MB of the
 * service's heap. Here each entry is a 32-bit id in one typed array, ids ascending, and a byte of
 * frequency in another: a word a document holds 255 times or more is rare, and its frequency is
 * kept aside by id. Five bytes an entry, where pairs of 32-bit numbers took eight: at 10,000 seed
 * pages the main thread's array buffers went from 54 to 43 MB.
 *
 * Ids only grow (MiniSearch never reuses a short id), so adding a document's words appends; an
 * id lower than the last is inserted in place. A removed entry keeps its slot with a frequency of
 * 0 (MiniSearch never stores 0) until the next addition compacts the arrays, so removing during
 * an iteration, as MiniSearch does while it searches and vacuums, is safe and skips the entry
 * as a Map would. Iteration is in id order, which is the order MiniSearch added the entries in.
 */
export class Postings implements Map<number, number> {
  /** Ids ascending; slots past `used` are spare capacity. */
  #ids: Uint32Array;
  /** Each slot's frequency: 0 when removed, {@link LARGE} when it is in `#large`. */
  #frequencies: Uint8Array;
  /** Frequencies of {@link LARGE} and above, by id. */
  #large: Map<number, number> | undefined;
  /** Slots in use, removed ones included. */
  #used = 0;
  /** Slots in use whose frequency is 0 (removed). */
  #removed = 0;

  constructor(capacity = 1) {
    this.#ids = new Uint32Array(Math.max(1, capacity));
    this.#frequencies = new Uint8Array(Math.max(1, capacity));
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
    for (let slot = 0; slot < pairs.length / 2; slot += 1) postings.#put(slot, pairs[2 * slot], pairs[2 * slot + 1]);
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

  /** Bytes its arrays hold, spare room included (and about 40 an entry kept aside). */
  get bytes(): number {
    return this.#ids.byteLength + this.#frequencies.byteLength + 40 * (this.#large?.size ?? 0);
  }

  get size(): number {
    return this.#used - this.#removed;
  }

  /**
   * The slots in use as one array of (id, frequency) pairs, removed ones with a frequency of 0:
   * for a scoring loop that reads tens of thousands of entries a few thousand per turn of the
   * event loop, without an iterator's allocation per entry, and unmoved by additions and removals
   * made between two turns.
   */
  copySlots(): Uint32Array {
    const pairs = new Uint32Array(2 * this.#used);
    for (let slot = 0; slot < this.#used; slot += 1) {
      pairs[2 * slot] = this.#ids[slot];
      pairs[2 * slot + 1] = this.#frequencyAt(slot);
    }
    return pairs;
  }

  get(id: number): number | undefined {
    const at = this.#find(id);
    const frequency = at >= 0 ? this.#frequencyAt(at) : 0;
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
      if (this.#frequencies[at] === 0) this.#removed -= 1;
      if (this.#frequencies[at] === LARGE) this.#large!.delete(id);
      this.#put(at, id, frequency);
      return this;
    }
    if (this.#removed > 0) this.#compact();
    const position = -this.#find(id) - 1;
    if (this.#used + 1 > this.#ids.length) this.#resize(this.#ids.length + Math.max(1, this.#ids.length >>> 1));
    this.#ids.copyWithin(position + 1, position, this.#used);
    this.#frequencies.copyWithin(position + 1, position, this.#used);
    this.#put(position, id, frequency);
    this.#used += 1;
    return this;
  }

  delete(id: number): boolean {
    const at = this.#find(id);
    if (at < 0 || this.#frequencies[at] === 0) return false;
    if (this.#frequencies[at] === LARGE) this.#large!.delete(id);
    this.#frequencies[at] = 0;
    this.#removed += 1;
    return true;
  }

  /**
   * Gives back the spare capacity (and removed slots): an index built whole holds, on average, a
   * sixth of its postings as room to grow (at 10,000 seed pages, 7 of 36 MB as pairs of 32-bit
   * numbers). Only between searches, as additions compact.
   */
  trim(): void {
    if (this.#removed > 0) this.#compact();
    if (this.#ids.length > Math.max(1, this.#used)) this.#resize(Math.max(1, this.#used));
  }

  clear(): void {
    this.#ids = new Uint32Array(1);
    this.#frequencies = new Uint8Array(1);
    this.#large = undefined;
    this.#used = 0;
    this.#removed = 0;
  }

  *entries(): MapIterator<[number, number]> {
    // Slots are read as they are reached: an entry removed meanwhile is skipped. Only additions
    // move slots, and nothing adds while it iterates (see the class comment).
    for (let at = 0; at < this.#used; at += 1) {
      const frequency = this.#frequencyAt(at);
      if (frequency > 0) yield [this.#ids[at], frequency];
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

  /** A slot's frequency (0 when removed). */
  #frequencyAt(slot: number): number {
    const frequency = this.#frequencies[slot];
    return frequency === LARGE ? this.#large!.get(this.#ids[slot])! : frequency;
  }

  /** Writes an entry into a slot whose frequency is not kept aside (a new slot, or one cleared of it). */
  #put(slot: number, id: number, frequency: number): void {
    this.#ids[slot] = id;
    if (frequency >= LARGE) (this.#large ??= new Map()).set(id, frequency);
    this.#frequencies[slot] = Math.min(frequency, LARGE);
  }

  /** The slot holding `id`, or -(insertion point) - 1 when none does. */
  #find(id: number): number {
    const ids = this.#ids;
    // Appending is the common case, and counting a word again in the document added last: check
    // the last slot before searching.
    if (this.#used === 0 || ids[this.#used - 1] < id) return -this.#used - 1;
    if (ids[this.#used - 1] === id) return this.#used - 1;
    let low = 0;
    let high = this.#used - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = ids[middle];
      if (found < id) low = middle + 1;
      else if (found > id) high = middle - 1;
      else return middle;
    }
    return -low - 1;
  }

  /** Room for `slots` slots (at least those in use), the ones in use kept. */
  #resize(slots: number): void {
    const ids = new Uint32Array(slots);
    const frequencies = new Uint8Array(slots);
    ids.set(this.#ids.subarray(0, this.#used));
    frequencies.set(this.#frequencies.subarray(0, this.#used));
    this.#ids = ids;
    this.#frequencies = frequencies;
  }

  /** Drops removed slots (only when adding: never while an iteration may be under way). */
  #compact(): void {
    let kept = 0;
    for (let at = 0; at < this.#used; at += 1) {
      if (this.#frequencies[at] === 0) continue;
      this.#ids[kept] = this.#ids[at];
      this.#frequencies[kept] = this.#frequencies[at];
      kept += 1;
    }
    this.#used = kept;
    this.#removed = 0;
    if (this.#ids.length > Math.max(4, 4 * kept)) this.#resize(Math.max(1, 2 * kept));
  }
}
