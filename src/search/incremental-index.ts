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
 * previous version of the same view. Indexes of other sites (or other loaders) share none. A view
 * with no items (nothing published yet, or only drafts) is served by an empty index, which shares
 * nothing with anything.
 */
function closeEntry(entries: readonly PoolEntry[], items: readonly object[]): PoolEntry | undefined {
  if (items.length === 0) return entries.find((entry) => entry.items.size === 0);
  let closest: PoolEntry | undefined;
  let closestShared = 0;
  for (const entry of entries) {
    let shared = 0;
    for (const item of items) if (entry.items.has(item)) shared += 1;
    if (shared > closestShared) [closest, closestShared] = [entry, shared];
  }
  return closest && closestShared >= 0.75 * items.length && closestShared >= 0.75 * closest.items.size ? closest : undefined;
}

/**
 * Makes `index` (restored from a saved one, see site-index.ts) the pool's index of `items`, as if
 * it had been built for them: the previous ones are dropped, and a build under way is abandoned.
 */
export function adoptIndex(pool: string, items: readonly object[], index: SearchIndex): void {
  const build = builds.get(pool);
  if (build) build.abandoned = true;
  builds.delete(pool);
  pools.set(pool, [{ index, items: new Set<object>(items) }]);
}

/** Milliseconds of indexing between two turns of the event loop (a page's documents are indexed in one go). */
const TURN_MS = 4;

/** An index being built in turns: the items it is to hold (the newest version asked for), and those it holds so far. */
interface Build {
  index: SearchIndex;
  added: Set<object>;
  target: readonly object[];
  isCurrent: () => boolean | Promise<boolean>;
  /** The run of turns under way, if one is. */
  running?: Promise<void>;
  /** Set when another index took the pool's place (adoptIndex): the run stops at its next turn. */
  abandoned?: boolean;
}

/** Builds under way, one per pool: a newer version takes over its pool's build, keeping what it holds. */
const builds = new Map<string, Build>();

/**
 * Whether `items` have an index that {@link indexOf} brings up to date in a few milliseconds (the
 * index of this version, or of one close to it): then it builds nothing.
 */
export function hasCloseIndex(pool: string, items: readonly object[]): boolean {
  return closeEntry(pools.get(pool) ?? [], items) !== undefined;
}

/**
 * Builds (or brings up to date) the index {@link indexOf} would, a few milliseconds per turn of the
 * event loop, so that indexing thousands of pages never holds a request for more than a few
 * milliseconds; {@link indexOf} then finds it ready. `isCurrent` pauses the work when a newer
 * content version (or shutdown) makes it useless; what it built is kept, and the next call for
 * the pool (a newer version, most of whose items it holds) goes on from there rather than
 * starting over: live edits arriving every second during the seconds a large site takes to index
 * would otherwise restart it each time, and it would never finish.
 */
export function warmIndex<T extends object, D extends IndexedDocument>(
  pool: string,
  items: readonly T[],
  documentsOf: (item: T) => readonly D[],
  options: Options<D>,
  isCurrent: () => boolean | Promise<boolean> = () => true,
  idsOf: (item: T) => readonly IndexedDocument[] = documentsOf,
): Promise<void> {
  if (hasCloseIndex(pool, items)) return Promise.resolve();
  let build = builds.get(pool);
  if (!build) {
    build = { index: new SearchIndex<D>(options) as SearchIndex, added: new Set(), target: items, isCurrent };
    builds.set(pool, build);
  }
  build.target = items;
  build.isCurrent = isCurrent;
  const current = build;
  current.running ??= runBuild(
    pool,
    current,
    documentsOf as (item: object) => readonly D[],
    idsOf as (item: object) => readonly IndexedDocument[],
  ).finally(() => (current.running = undefined));
  return current.running;
}

/** Takes turns building towards the build's target until it holds exactly that, or `isCurrent` says to stop. */
async function runBuild(
  pool: string,
  build: Build,
  documentsOf: (item: object) => readonly IndexedDocument[],
  idsOf: (item: object) => readonly IndexedDocument[],
): Promise<void> {
  const { index, added } = build;
  let turnStarted = performance.now();
  // Whether the work may go on: after a turn of the event loop once it has held it for TURN_MS.
  const goOn = async () => {
    if (performance.now() - turnStarted < TURN_MS) return true;
    await new Promise((resolve) => setImmediate(resolve));
    const current = !build.abandoned && (await build.isCurrent());
    turnStarted = performance.now();
    return current;
  };
  for (;;) {
    const target = build.target;
    const wanted = new Set<object>(target);
    // What an earlier version had and this one does not (a page edited since: its old record).
    for (const item of added) {
      if (wanted.has(item)) continue;
      if (!(await goOn())) return;
      for (const { id } of idsOf(item)) index.discard(id);
      added.delete(item);
    }
    for (const item of target) {
      if (added.has(item)) continue;
      if (!(await goOn())) return;
      const documents = documentsOf(item);
      // A turn of the event loop every few milliseconds (one page of 4,000 sections takes several).
      for (const [at, document] of documents.entries()) {
        if (at > 0 && !(await goOn())) {
          // A page is in the index whole or not at all: the next run adds it again.
          for (const added of documents.slice(0, at)) index.discard(added.id);
          return;
        }
        index.add(document);
      }
      added.add(item);
      if (build.target !== target) break;
    }
    if (build.target !== target) continue;
    // Built whole: the room its postings kept to grow is given back, a word at a time.
    for (const _ of index.trimming()) if (!(await goOn())) return;
    if (build.target !== target) continue;
    if (build.abandoned) return;
    builds.delete(pool);
    const entries = pools.get(pool) ?? [];
    pools.set(pool, entries);
    entries.unshift({ index, items: wanted });
    entries.length = Math.min(entries.length, MAX_ENTRIES);
    return;
  }
}
