import type { PageRecord } from '../model/page-record.ts';
import { searchDocumentsOf, type SearchDocument } from './documents.ts';
import { indexOf, warmIndex } from './incremental-index.ts';
import type { SearchIndex } from './search-index.ts';
import { normalizeTerm, tokenize } from './text.ts';

/**
 * One audience's full-text index (MiniSearch: BM25 ranking, prefix and typo-tolerant matching)
 * of its pages and their sections, FAQ questions included (they are headings): page search and
 * FAQ ranking both query it.
 */
export interface SiteIndex {
  index: SearchIndex<SearchDocument>;
  /** This view's documents by id: the index may already serve a newer view (see indexOf). */
  documents: ReadonlyMap<string, SearchDocument>;
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
export function warmSiteIndex(records: readonly PageRecord[], audience: string, isCurrent?: () => boolean): Promise<void> {
  return warmIndex(`site:${audience}`, records, searchDocumentsOf, INDEX_OPTIONS, isCurrent);
}

/** Builds (or brings up to date) the index of one audience's pages, once per content version. */
export function buildSiteIndex(records: readonly PageRecord[], audience: string): SiteIndex {
  const index = indexOf(`site:${audience}`, records, searchDocumentsOf, INDEX_OPTIONS);
  const documents = new Map<string, SearchDocument>();
  for (const record of records) for (const document of searchDocumentsOf(record)) documents.set(document.id, document);
  return { index, documents, records: new Map(records.map((record) => [record.summary.slug, record])) };
}
