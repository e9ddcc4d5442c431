/**
 * A map keyed by MiniSearch's short document ids, held in an array indexed by id: what MiniSearch
 * keeps as a `Map` for each document's id (`_documentIds`) and field lengths (`_fieldLength`).
 * Short ids are small integers given in order from 0, so an array slot (8 bytes) does what a Map
 * entry does in about 40 bytes with its hash table's spare room: at 10,000 seed pages (70,000
 * section documents) each of those two maps had a 3.7 MB table.
 *
 * The array has a slot for every id given since the index was built, removed ones included (the
 * index never reuses an id): 8 bytes for each document a live edit indexed again, until a load
 * that shares too little with the index builds a new one (incremental-index.ts). Iteration is in
 * id order, which is the order MiniSearch adds documents in; removing or replacing an entry while
 * iterating is safe, as with a Map. `undefined` is not stored: MiniSearch never stores it.
 */
export class DenseIdMap<V> implements Map<number, V> {
  #values: (V | undefined)[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get [Symbol.toStringTag](): string {
    return 'DenseIdMap';
  }

  get(id: number): V | undefined {
    return isId(id) ? this.#values[id] : undefined;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, value: V): this {
    if (!isId(id)) throw new RangeError(`a short document id is a non-negative integer, not ${String(id)}`);
    if (value === undefined) {
      this.delete(id);
      return this;
    }
    if (this.#values[id] === undefined) this.#size += 1;
    // Ids are given in order, so this appends; a restored index may skip the ids of removed documents.
    while (this.#values.length < id) this.#values.push(undefined);
    this.#values[id] = value;
    return this;
  }

  delete(id: number): boolean {
    if (!this.has(id)) return false;
    this.#values[id] = undefined;
    this.#size -= 1;
    return true;
  }

  clear(): void {
    this.#values = [];
    this.#size = 0;
  }

  *entries(): MapIterator<[number, V]> {
    for (let id = 0; id < this.#values.length; id++) {
      const value = this.#values[id];
      if (value !== undefined) yield [id, value];
    }
  }

  *keys(): MapIterator<number> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, id: number, map: Map<number, V>) => void, thisArg?: unknown): void {
    for (const [id, value] of this.entries()) callback.call(thisArg, value, id, this);
  }
}

function isId(id: number): boolean {
  return Number.isSafeInteger(id) && id >= 0;
}
