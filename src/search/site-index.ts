import type { PageRecord } from '../model/page-record.ts';
import { searchDocumentsOf, searchEntriesOf, type SearchDocument, type SearchEntry } from './documents.ts';
import { hasCloseIndex, indexOf, warmIndex } from './incremental-index.ts';
import type { SearchIndex } from './search-index.ts';
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
  while (!hasCloseIndex(`site:${audience}`, records)) await warmSiteIndex(records, audience);
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
