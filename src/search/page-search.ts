import MiniSearch, { type SearchResult } from 'minisearch';
import type { SearchHit } from '../../schemas/search.ts';
import type { PageRecord } from '../content/snapshot.ts';
import { searchDocumentsOf, type SearchDocument } from './documents.ts';
import { searchRelaxed } from './relaxed-search.ts';
import { highlightSnippet } from './snippet.ts';
import { normalizeTerm, tokenize } from './text.ts';

/** What a search asks for: words, filters and a page of hits. */
export interface PageSearchRequest {
  q: string;
  /** `page` for plain pages, or a collection label. */
  type?: string;
  layout?: string;
  category?: string;
  limit: number;
  offset: number;
}

/** One page of hits, best first, and how many pages match in all. */
export interface PageSearchAnswer {
  items: SearchHit[];
  total: number;
}

/** The full-text index of one view's pages. */
export interface PageSearch {
  search(request: PageSearchRequest): PageSearchAnswer;
}

/** Extra sections listed with a hit. */
const MAX_OTHER_SECTIONS = 5;

/**
 * Field weights: a word in the page title or a heading (FAQ questions are headings) says more
 * about what a page is than the same word in its text.
 */
const BOOST = { title: 4, heading: 3, keywords: 2, text: 1 };

/**
 * Builds the full-text index (MiniSearch: BM25 ranking, prefix and typo-tolerant matching) of
 * `records`, when content loads. Pages whose front matter says `search: false` are left out, as
 * the minimal-mistakes theme leaves them out of its search.
 */
export function createPageSearch(records: readonly PageRecord[]): PageSearch {
  const index = new MiniSearch<SearchDocument>({
    idField: 'id',
    fields: ['title', 'heading', 'text', 'keywords'],
    storeFields: [],
    tokenize,
    processTerm: normalizeTerm,
    searchOptions: { boost: BOOST, tokenize, processTerm: normalizeTerm },
  });
  const documents = new Map<string, SearchDocument>();
  const recordsBySlug = new Map<string, PageRecord>();
  for (const record of records) {
    if (record.page.front_matter.search === false) continue;
    recordsBySlug.set(record.summary.slug, record);
    for (const document of searchDocumentsOf(record)) documents.set(document.id, document);
  }
  index.addAll([...documents.values()]);

  return {
    search(request) {
      const accepts = (record: PageRecord) =>
        (!request.type || typeOf(record) === request.type) &&
        (!request.layout || record.summary.layout === request.layout) &&
        (!request.category || record.summary.categories.includes(request.category));
      const filter = (result: SearchResult) => accepts(recordsBySlug.get(documents.get(result.id)!.slug)!);
      const results = searchRelaxed(index, request.q, request.type || request.layout || request.category ? { filter } : {});

      // Results are per section; a reader wants each page once, at its best section.
      const bySlug = new Map<string, SearchResult[]>();
      for (const result of results) {
        const slug = documents.get(result.id)!.slug;
        const group = bySlug.get(slug);
        if (group) group.push(result);
        else bySlug.set(slug, [result]);
      }
      const groups = [...bySlug.values()];
      return {
        total: groups.length,
        items: groups.slice(request.offset, request.offset + request.limit).map((group) => toHit(group, documents, recordsBySlug)),
      };
    },
  };
}

/** `page` for a plain page, else its collection. */
export function typeOf(record: PageRecord): string {
  return record.summary.collection ?? 'page';
}

function toHit(group: SearchResult[], documents: Map<string, SearchDocument>, recordsBySlug: Map<string, PageRecord>): SearchHit {
  const [best, ...others] = group;
  const document = documents.get(best.id)!;
  const record = recordsBySlug.get(document.slug)!;
  const { slug, title, permalink, layout, categories, date } = record.summary;
  const section = document.section === null ? null : { id: document.section, title: document.heading };
  const text = document.text || record.summary.excerpt || '';
  return {
    slug,
    title,
    permalink,
    url: section ? `${permalink}#${section.id}` : permalink,
    section,
    snippet: highlightSnippet(text, new Set(best.terms)),
    score: Math.round(best.score * 1000) / 1000,
    type: typeOf(record),
    layout,
    categories,
    date,
    sections: others
      .map((result) => documents.get(result.id)!)
      .filter((other) => other.section !== null)
      .slice(0, MAX_OTHER_SECTIONS)
      .map((other) => ({ id: other.section!, title: other.heading, url: `${permalink}#${other.section}` })),
  };
}
