import type { SearchResult } from 'minisearch';
import type { SearchHit } from '../../schemas/search.ts';
import type { PageRecord } from '../content/snapshot.ts';
import { typeOf } from '../discovery/page-type.ts';
import type { SearchDocument } from './documents.ts';
import { searchRelaxed } from './relaxed-search.ts';
import { highlightSnippet } from './snippet.ts';
import type { SiteIndex } from './site-index.ts';

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
 * Page search over a view's {@link SiteIndex}. Pages whose front matter says `search: false`
 * are never found, as the minimal-mistakes theme leaves them out of its search.
 */
export function createPageSearch({ index, documents, records }: SiteIndex): PageSearch {
  return {
    search(request) {
      const accepts = (record: PageRecord) =>
        record.page.front_matter.search !== false &&
        (!request.type || typeOf(record) === request.type) &&
        (!request.layout || record.summary.layout === request.layout) &&
        (!request.category || record.summary.categories.includes(request.category));
      const filter = (result: SearchResult) => {
        const document = documents.get(result.id);
        return document !== undefined && accepts(records.get(document.slug)!);
      };
      const results = searchRelaxed(index, request.q, { filter, boost: BOOST });

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
        items: groups.slice(request.offset, request.offset + request.limit).map((group) => toHit(group, documents, records)),
      };
    },
  };
}

function toHit(group: SearchResult[], documents: ReadonlyMap<string, SearchDocument>, records: ReadonlyMap<string, PageRecord>): SearchHit {
  const [best, ...others] = group;
  const document = documents.get(best.id)!;
  const record = records.get(document.slug)!;
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
