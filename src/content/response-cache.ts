import { LRUCache } from 'lru-cache';
import type { Representation } from '../model/representation.ts';
import type { ResponseCache } from '../model/content-view.ts';

/** At most this many bytes of memoized responses per view. */
const MAX_CACHED_BYTES = 64 * 1024 * 1024;

/** A bounded memo of serialized responses for one content view (LRU by size). */
export function createResponseCache(): ResponseCache {
  const cache = new LRUCache<string, Representation>({
    maxSize: MAX_CACHED_BYTES,
    sizeCalculation: (representation) => representation.size + 256,
  });
  // Builds under way, by key: at most one per key (their number is bounded by the queue that runs them).
  const building = new Map<string, Promise<Representation>>();
  return {
    get(key, build) {
      let representation = cache.get(key);
      if (!representation) {
        representation = build();
        cache.set(key, representation);
      }
      return representation;
    },
    getInTurns(key, build) {
      const representation = cache.get(key);
      if (representation) return Promise.resolve(representation);
      let pending = building.get(key);
      if (!pending) {
        pending = build()
          .then((built) => {
            cache.set(key, built);
            return built;
          })
          .finally(() => building.delete(key));
        building.set(key, pending);
      }
      return pending;
    },
  };
}
