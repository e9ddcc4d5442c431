import type { FaqEntry } from '../../schemas/faq.ts';
import type { SearchHit } from '../../schemas/search.ts';

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
  /** Whether the time budget ran out: the hits then rank the first words of the query only. */
  partial: boolean;
}

/** Shares the event loop between searches and everything else: ranking time per second, all clients together. */
export interface RankingMeter {
  /** Whether a new ranking may start now. */
  admit(): boolean;
  /** Records the milliseconds a ranking took. */
  spent(ms: number): void;
}

/** The full-text index of one view's pages. */
export interface PageSearch {
  /**
   * Ranks once per (words, filters), within `budgetMs` of ranking; each page of hits is a slice of
   * that ranking. A ranking the `meter` does not admit throws `SearchOverloaded` (search/page-search.ts).
   */
  search(request: PageSearchRequest, options?: { budgetMs?: number; meter?: RankingMeter }): PageSearchAnswer;
  /** {@link PageSearch.search} ranking a word per turn of the event loop (what the route uses). */
  searchInTurns(request: PageSearchRequest, options?: { budgetMs?: number; meter?: RankingMeter }): Promise<PageSearchAnswer>;
}

/** The FAQ entries of one view, ranked by relevance to a query. */
export interface FaqSearch {
  /** Entries that match `q`, questions that match first, then by relevance. */
  rank(q: string): FaqEntry[];
}
