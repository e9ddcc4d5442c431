import type { Options } from 'minisearch';
import { SearchIndex } from './search-index.ts';

/** A document of an index: anything with a string id. */
export interface IndexedDocument {
  id: string;
}

interface PoolEntry {
  index: SearchIndex;
  /** The items (page records, FAQ entries) whose documents the index holds. */
  items: Set<object>;
}

/** Indexes kept per pool: enough for a published and a preview view, and a few sites in one process (tests). */
const MAX_ENTRIES = 3;
const pools = new Map<string, PoolEntry[]>();

/**
 * The MiniSearch index of `items`, brought up to date from the index of the previous content
 * version rather than rebuilt: the loader reuses the records of unchanged pages, so a content
 * change is a few documents discarded and a few added, not a whole site indexed again (seconds
 * at 10,000 pages). A fresh index is built when none is close enough.
 *
 * An updated index is shared with the view it was built for before, which is then on its way
 * out; every view therefore answers only with its own documents (see the callers), so an old
 * view never returns a page it does not have. `idsOf` gives an item's document ids, to discard
 * them, where deriving its documents whole (texts included) costs more. Pools keep audiences
 * apart (published, preview): an index of published pages never holds a draft, not even in its
 * word statistics.
 */
export function indexOf<T extends object, D extends IndexedDocument>(
  pool: string,
  items: readonly T[],
  documentsOf: (item: T) => readonly D[],
  options: Options<D>,
  idsOf: (item: T) => readonly IndexedDocument[] = documentsOf,
): SearchIndex<D> {
  const entries = pools.get(pool) ?? [];
  pools.set(pool, entries);

  const closest = closeEntry(entries, items);
  if (closest) {
    const next = new Set<object>(items);
    const index = closest.index as SearchIndex<D>;
    // Discard first: a changed page's new documents reuse its ids.
    for (const item of closest.items) if (!next.has(item)) for (const { id } of idsOf(item as T)) index.discard(id);
    for (const item of items) if (!closest.items.has(item)) index.addAll(documentsOf(item));
    closest.items = next;
    entries.splice(entries.indexOf(closest), 1);
    entries.unshift(closest);
    return index;
  }

  const index = new SearchIndex<D>(options);
  for (const item of items) index.addAll(documentsOf(item));
  index.trim();
  entries.unshift({ index: index as SearchIndex, items: new Set<object>(items) });
  entries.length = Math.min(entries.length, MAX_ENTRIES);
  return index;
}

/**
 * The entry sharing most items with this view, if it shares most of its items: it is the
 * previous version of the same view. Indexes of other sites (or other loaders) share none.
 */
function closeEntry(entries: readonly PoolEntry[], items: readonly object[]): PoolEntry | undefined {
  let closest: PoolEntry | undefined;
  let closestShared = 0;
  for (const entry of entries) {
    let shared = 0;
    for (const item of items) if (entry.items.has(item)) shared += 1;
    if (shared > closestShared) [closest, closestShared] = [entry, shared];
  }
  return closest && closestShared >= 0.75 * items.length && closestShared >= 0.75 * closest.items.size ? closest : undefined;
}

/** Milliseconds of indexing between two turns of the event loop (a page's documents are indexed in one go). */
const TURN_MS = 4;

/**
 * Builds (or brings up to date) the index {@link indexOf} would, a few milliseconds per turn of the
 * event loop, so that indexing thousands of pages never holds a request for more than a few
 * milliseconds; {@link indexOf} then finds it ready. `isCurrent` stops the work when a newer
 * content version (or shutdown) makes it useless.
 */
export async function warmIndex<T extends object, D extends IndexedDocument>(
  pool: string,
  items: readonly T[],
  documentsOf: (item: T) => readonly D[],
  options: Options<D>,
  isCurrent: () => boolean | Promise<boolean> = () => true,
): Promise<void> {
  const entries = pools.get(pool) ?? [];
  pools.set(pool, entries);
  // The previous version's index is brought up to date by indexOf in a few milliseconds: nothing to warm.
  if (closeEntry(entries, items)) return;
  const next = new Set<object>(items);
  const index = new SearchIndex<D>(options);
  let turnStarted = performance.now();
  // Whether the work may go on: after a turn of the event loop once it has held it for TURN_MS.
  const goOn = async () => {
    if (performance.now() - turnStarted < TURN_MS) return true;
    await new Promise((resolve) => setImmediate(resolve));
    const current = await isCurrent();
    turnStarted = performance.now();
    return current;
  };
  for (const item of items) {
    // A turn of the event loop every few milliseconds (one page of 4,000 sections takes several).
    for (const document of documentsOf(item)) {
      if (!(await goOn())) return;
      index.add(document);
    }
  }
  // Built whole: the room its postings kept to grow is given back, a word at a time.
  for (const _ of index.trimming()) if (!(await goOn())) return;
  entries.unshift({ index: index as SearchIndex, items: next });
  entries.length = Math.min(entries.length, MAX_ENTRIES);
}
