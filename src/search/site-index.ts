import { setImmediate } from 'node:timers/promises';
import type { PageRecord } from '../model/page-record.ts';
import { searchDocumentsOf, searchEntriesOf, type SearchDocument, type SearchEntry } from './documents.ts';
import { readCacheFile } from '../content/cache-file.ts';
import { runInTurns } from '../content/steps.ts';
import { adoptIndex, hasCloseIndex, indexOf, warmIndex } from './incremental-index.ts';
import { decodeIndex, encodeIndex, indexCodeKey, indexFileOf, writeIndexFile } from './index-file.ts';
import { SearchIndex } from './search-index.ts';
import { normalizeTerm, tokenize } from './text.ts';

/**
 * One audience's full-text index (MiniSearch: BM25 ranking, prefix and typo-tolerant matching)
 * of its pages and their sections, FAQ questions included (they are headings): page search and
 * FAQ ranking both query it.
 */
export interface SiteIndex {
  index: SearchIndex<SearchDocument>;
  /** This view's documents by id, without their texts: the index may already serve a newer view (see indexOf). */
  documents: ReadonlyMap<string, SearchEntry>;
  /** This view's pages by slug. */
  records: ReadonlyMap<string, PageRecord>;
}

const INDEX_OPTIONS = {
  idField: 'id',
  fields: ['title', 'heading', 'text', 'keywords'],
  storeFields: [],
  tokenize,
  processTerm: normalizeTerm,
  searchOptions: { tokenize, processTerm: normalizeTerm },
};

/**
 * Indexes one audience's pages in the background, a few at a time, so that the first search of
 * a content version finds its index ready instead of building it (seconds at 10,000 pages) while
 * every other request waits.
 */
export function warmSiteIndex(
  records: readonly PageRecord[],
  audience: string,
  isCurrent?: () => boolean | Promise<boolean>,
): Promise<void> {
  return warmIndex(`site:${audience}`, records, searchDocumentsOf, INDEX_OPTIONS, isCurrent, searchEntriesOf);
}

/**
 * Indexes one audience's pages in turns, as {@link warmSiteIndex} does, until {@link buildSiteIndex}
 * has nothing left to build for them: what a request that needs the index waits for, rather than
 * building it in one piece (seconds at 10,000 pages, during which no other request is answered).
 * Shares the build under way for the audience, whichever version it was started for.
 */
export async function indexSiteInTurns(records: readonly PageRecord[], audience: string): Promise<void> {
  // A turn of the event loop between rounds: a build that settles without making the index this
  // waits for (another version took its place) never keeps requests waiting on a microtask loop.
  while (!hasCloseIndex(`site:${audience}`, records)) {
    await warmSiteIndex(records, audience);
    await setImmediate();
  }
}

/** Where a site's index is saved between runs: the render cache folder, the content folder it indexes, and the pack key. */
export interface SavedIndexPlace {
  dir: string;
  root: string;
  packKey: Buffer;
}

/**
 * Saves the published index of `records` (content version `version`) in the render cache folder,
 * in steps, unless this process restored or saved that very index there: 'written', or
 * 'unchanged' when the file holds it already; false when there is no such index (not built yet:
 * nothing to save) or it could not be written.
 */
export async function saveSiteIndex(
  place: SavedIndexPlace,
  version: string,
  records: readonly PageRecord[],
): Promise<'written' | 'unchanged' | false> {
  const pool = 'site:published';
  // The index of these pages, or of a version close enough that indexOf brings it up to date in a
  // few milliseconds; none (a build under way): nothing is indexed here.
  if (!hasCloseIndex(pool, records)) return false;
  const key = `${version}:${await indexCodeKey()}`;
  const file = indexFileOf(place.dir, place.root);
  // A file this process restored or saved under this key holds it already.
  if (inFile.get(file) === key) return 'unchanged';
  const index = indexOf(pool, records, searchDocumentsOf, INDEX_OPTIONS, searchEntriesOf);
  const bytes = await runInTurns(encodeIndex(await runInTurns(index.state()), key, place.packKey));
  if (!(await writeIndexFile(file, bytes))) return false;
  inFile.set(file, key);
  return 'written';
}

/** The key of the index each file holds, as this process restored or saved it. */
const inFile = new Map<string, string>();

/** The largest index file read back: a 10,000-page site's is about 34 MB; a larger one is built instead. */
const MAX_INDEX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Restores the published index of `records` (content version `version`) from the render cache
 * folder, in turns of the event loop, if the file there holds that version's index by this code
 * under this pack key; then no request or background work indexes them. Whether it did.
 */
export async function restoreSiteIndex(place: SavedIndexPlace, version: string, records: readonly PageRecord[]): Promise<boolean> {
  const key = `${version}:${await indexCodeKey()}`;
  const bytes = await readCacheFile(indexFileOf(place.dir, place.root), MAX_INDEX_FILE_BYTES);
  if (!bytes) return false;
  const decoded = await runInTurns(decodeIndex(bytes, place.packKey));
  if (!decoded || decoded.key !== key) return false;
  const index = await runInTurns(SearchIndex.restoring<SearchDocument>(INDEX_OPTIONS, decoded.state));
  if (!index) return false;
  adoptIndex('site:published', records, index as SearchIndex);
  inFile.set(indexFileOf(place.dir, place.root), key);
  return true;
}

/** Builds (or brings up to date) the index of one audience's pages, once per content version. */
export function buildSiteIndex(records: readonly PageRecord[], audience: string): SiteIndex {
  const index = indexOf(`site:${audience}`, records, searchDocumentsOf, INDEX_OPTIONS, searchEntriesOf);
  const bySlug = new Map(records.map((record) => [record.summary.slug, record]));
  return { index, documents: new DocumentsOfPages(bySlug), records: bySlug };
}

/** The slug of the page of a document of `bySlug`'s pages: its id is the page's slug, or `slug#section`. */
export function slugOfDocument(id: string, bySlug: ReadonlyMap<string, PageRecord>): string {
  const cut = id.lastIndexOf('#');
  return cut === -1 || bySlug.has(id) ? id : id.slice(0, cut);
}

/**
 * A view's documents by id, found through their page (`slug` or `slug#section`), whose documents
 * are derived once per record: a map of every document (110,000 at 10,000 pages) is not built
 * again for each content version, which a live edit makes.
 */
class DocumentsOfPages implements ReadonlyMap<string, SearchEntry> {
  constructor(private readonly bySlug: ReadonlyMap<string, PageRecord>) {}

  get(id: string): SearchEntry | undefined {
    const record = this.bySlug.get(slugOfDocument(id, this.bySlug));
    return record && searchEntriesOf(record).find((document) => document.id === id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get size(): number {
    let size = 0;
    for (const record of this.bySlug.values()) size += searchEntriesOf(record).length;
    return size;
  }

  *entries(): MapIterator<[string, SearchEntry]> {
    for (const record of this.bySlug.values()) for (const document of searchEntriesOf(record)) yield [document.id, document];
  }

  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<SearchEntry> {
    for (const [, document] of this.entries()) yield document;
  }

  forEach(callback: (value: SearchEntry, key: string, map: ReadonlyMap<string, SearchEntry>) => void): void {
    for (const [id, document] of this.entries()) callback(document, id, this);
  }

  [Symbol.iterator](): MapIterator<[string, SearchEntry]> {
    return this.entries();
  }
}
