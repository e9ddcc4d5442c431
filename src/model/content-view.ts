import type { FaqEntry } from '../../schemas/faq.ts';
import type { NavAction, PageNavigation } from '../../schemas/navigation.ts';
import type { PageListing } from './listing.ts';
import type { PageRecord } from './page-record.ts';
import type { Representation } from './representation.ts';
import type { FaqSearch, PageSearch } from './search.ts';

/**
 * What one audience sees: readers get the published view; preview (with a token) also sees
 * drafts. Drafts are simply absent from the published view, so no route can leak them.
 */
export interface ContentView {
  pages: readonly PageRecord[];
  bySlug: ReadonlyMap<string, PageRecord>;
  /** permalinkKey → page. */
  byPermalink: ReadonlyMap<string, PageRecord>;
  /** permalinkKey → where the path now lives. */
  redirects: ReadonlyMap<string, string>;
  faq: readonly FaqEntry[];
  navigation: readonly NavAction[];
  /** When the newest page of this view last changed: Last-Modified of lists. */
  modified: Date;
  /** Full-text index of the pages and their sections (GET /v1/search). */
  search: PageSearch;
  /**
   * Whether {@link search} and {@link faqSearch} are ready, waiting up to `waitMs` while their
   * index is built in turns of the event loop (shared with the background indexing of each
   * version): the first read of either builds what is left of it in one piece, which takes
   * seconds at 10,000 pages, so a request asks this first.
   */
  searchable(waitMs: number): Promise<boolean>;
  /** The FAQ entries, ranked by relevance to a query (GET /v1/faq?q=). */
  faqSearch: FaqSearch;
  /** The pages in every order a list can ask for (GET /v1/pages). */
  listing: PageListing;
  /** A page's breadcrumbs and previous/next page (GET /v1/pages/{slug}/navigation). */
  navigationOf(record: PageRecord): PageNavigation;
  /**
   * Responses computed from this view (lists, queries, sections), serialized once and kept
   * while the view lives. Bounded, and dropped with the view when content changes.
   */
  responses: ResponseCache;
}

/** Memoizes serialized responses by a canonical request key. */
export interface ResponseCache {
  get(key: string, build: () => Representation): Representation;
  /** {@link get} of a response built over several turns: a request for a key being built waits for that build. */
  getInTurns(key: string, build: () => Promise<Representation>): Promise<Representation>;
}
