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

/** Shares the event loop between rankings and everything else (search/ranking-queue.ts). */
export interface RankingQueue {
  /**
   * Runs a ranking's steps to the end, a few milliseconds of steps per turn of the event loop, in
   * turn with the rankings queued before it. Rejects with `SearchOverloaded` when the queue is full
   * or this second's ranking time is spent.
   */
  run<T>(steps: Iterator<void, T>): Promise<T>;
}

/** The full-text index of one view's pages. */
export interface PageSearch {
  /**
   * Ranks once per (words, filters), within `budgetMs` of ranking; each page of hits is a slice of
   * that ranking. Ranks at once, holding the event loop: for tests, benchmarks and tools.
   */
  search(request: PageSearchRequest, options?: { budgetMs?: number }): PageSearchAnswer;
  /** {@link PageSearch.search} ranking in the `queue`, a few milliseconds per turn of the event loop (what the route uses). */
  searchInTurns(request: PageSearchRequest, queue: RankingQueue, options?: { budgetMs?: number }): Promise<PageSearchAnswer>;
}

/** The FAQ entries of one view, ranked by relevance to a query. */
export interface FaqSearch {
  /** Entries that match `q`, questions that match first, then by relevance. Ranks at once: for tests and tools. */
  rank(q: string): FaqEntry[];
  /** {@link FaqSearch.rank} ranking in the `queue`, a few milliseconds per turn of the event loop (what the route uses). */
  rankInTurns(q: string, queue: RankingQueue): Promise<FaqEntry[]>;
}
