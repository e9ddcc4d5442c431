import type MiniSearch from 'minisearch';
import type { PageRecord } from '../content/snapshot.ts';
import { searchDocumentsOf, type SearchDocument } from './documents.ts';
import { indexOf } from './incremental-index.ts';
import { normalizeTerm, tokenize } from './text.ts';

/**
 * One audience's full-text index (MiniSearch: BM25 ranking, prefix and typo-tolerant matching)
 * of its pages and their sections, FAQ questions included (they are headings): page search and
 * FAQ ranking both query it.
 */
export interface SiteIndex {
  index: MiniSearch<SearchDocument>;
  /** This view's documents by id: the index may already serve a newer view (see indexOf). */
  documents: ReadonlyMap<string, SearchDocument>;
  /** This view's pages by slug. */
  records: ReadonlyMap<string, PageRecord>;
}

/** Builds (or brings up to date) the index of one audience's pages, once per content version. */
export function buildSiteIndex(records: readonly PageRecord[], audience: string): SiteIndex {
  const index = indexOf(`site:${audience}`, records, searchDocumentsOf, {
    idField: 'id',
    fields: ['title', 'heading', 'text', 'keywords'],
    storeFields: [],
    tokenize,
    processTerm: normalizeTerm,
    searchOptions: { tokenize, processTerm: normalizeTerm },
  });
  const documents = new Map<string, SearchDocument>();
  for (const record of records) for (const document of searchDocumentsOf(record)) documents.set(document.id, document);
  return { index, documents, records: new Map(records.map((record) => [record.summary.slug, record])) };
}
