/** Changed entries an overlay holds before it is folded into a map of its own. */
const MAX_OVERLAY = 64;

/**
 * A map that is another with a few values replaced (its keys are the same): what a live edit
 * makes of a view's lookups, without copying 10,000 entries for one. The map below is never
 * changed; replacing values of an overlay gives a new overlay over the same map, and once the
 * replaced values pass {@link MAX_OVERLAY} they are folded into a plain map, so lookups stay
 * one or two `get`s and the values it shadows stay few.
 */
export function withValuesReplaced<K, V>(map: ReadonlyMap<K, V>, replaced: ReadonlyMap<K, V>): ReadonlyMap<K, V> {
  const below = map instanceof OverlayMap ? (map as OverlayMap<K, V>).below : map;
  const changes = new Map(map instanceof OverlayMap ? (map as OverlayMap<K, V>).changes : []);
  for (const [key, value] of replaced) if (below.has(key)) changes.set(key, value);
  if (changes.size <= MAX_OVERLAY) return new OverlayMap(below, changes);
  const folded = new Map(below);
  for (const [key, value] of changes) folded.set(key, value);
  return folded;
}

class OverlayMap<K, V> implements ReadonlyMap<K, V> {
  constructor(
    readonly below: ReadonlyMap<K, V>,
    readonly changes: ReadonlyMap<K, V>,
  ) {}

  get size(): number {
    return this.below.size;
  }

  get(key: K): V | undefined {
    return this.changes.has(key) ? this.changes.get(key) : this.below.get(key);
  }

  has(key: K): boolean {
    return this.below.has(key);
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this) callback.call(thisArg, value, key, this);
  }

  *entries(): MapIterator<[K, V]> {
    for (const key of this.below.keys()) yield [key, this.get(key)!];
  }

  keys(): MapIterator<K> {
    return this.below.keys();
  }

  *values(): MapIterator<V> {
    for (const key of this.below.keys()) yield this.get(key)!;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
