import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { SearchQuerySchema, SearchResultsSchema, type SearchResults } from '../../../schemas/search.ts';
import { SEARCH_INDEX_WAIT_MS, rethrowSearchRefusal, untilSearchable } from '../../http/problem.ts';
import { representJson } from '../../http/representation.ts';
import type { RankingQueue } from '../../model/search.ts';

export interface SearchRoutesOptions {
  /** Milliseconds one search may spend ranking (SEARCH_BUDGET_MS, default 30). */
  budgetMs?: number;
  /** The app's one queue of rankings (app.ts), shared with FAQ ranking. */
  rankingQueue: RankingQueue;
  /** Milliseconds a search waits for the index of its content version while it is built (default SEARCH_INDEX_WAIT_MS). */
  indexWaitMs?: number;
}

/**
 * Full-text search of the pages and their sections, in an index built once per content version
 * (on first use). Each (words, filters) is ranked once, within a time budget; paging slices the
 * ranking. Answers are not memoized here: they echo the query as sent, and the response cache in
 * front of the router already answers repeats.
 *
 * New rankings wait their turn in one queue (search/ranking-queue.ts says why one queue and not a
 * worker thread); a query it refuses gets 503 with Retry-After rather than a wait of seconds.
 * 503, not 429: the limit is the service's ranking time, shared by all clients, not one client's
 * rate (RATE_LIMIT_SEARCH is that).
 */
const search: FastifyPluginAsyncZod<SearchRoutesOptions> = async (fastify, options) => {
  const budgetMs = options.budgetMs ?? 30;
  const queue = options.rankingQueue;
  fastify.get(
    '/search',
    {
      schema: {
        tags: ['pages'],
        operationId: 'searchPages',
        summary: 'Search the pages: ranked, typo-tolerant, with highlighted snippets and deep links',
        description:
          'Pages whose title, headings (FAQ questions included), text, tags or categories match the words of `q`, best first (BM25), ' +
          'each once, at its best-matching section: `url` links straight to it (permalink#id), and `snippet` shows the matching ' +
          'passage with the words in `mark` elements. Word beginnings match (`packag` finds packages); when the words as typed find nothing, ' +
          'words one typo away do (`reviw` finds review). Filter by `type` (page, posts…), `layout` and `category`; ' +
          '`limit` at a time (at most 100, default 10) from `offset`. Drafts are never found; nor are pages with `search: false`. ' +
          'At most 12 words are searched, 6 of them with typo tolerance, each matching at most the 50 indexed words closest to it ' +
          '(the shortest it begins, the fewest typos away); a search that runs out of its time budget (SEARCH_BUDGET_MS, default 30 ms) ' +
          'begins no further word and answers with the words ranked so far and `partial: true` (a word begun is ranked to its end, ' +
          'and asking again goes on from the words ranked: each search ranks at least one new word). New queries are ranked in turn, a few milliseconds at a time, ' +
          'and share SEARCH_RANKING_MS_PER_S of ranking per second (default 250 ms): beyond it, or with 64 searches already ranking ' +
          'or waiting, 503 with Retry-After. Queries already ranked are still answered. The index is built in the background once per ' +
          `content version (seconds at 10,000 pages, after a start): a search that finds it still being built waits up to ${SEARCH_INDEX_WAIT_MS / 1000} s for it, then gets 503 with Retry-After.`,
        querystring: SearchQuerySchema,
        response: { 200: SearchResultsSchema, 304: NotModifiedSchema, 400: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const view = fastify.content.viewFor(request);
      await untilSearchable(view, reply, options.indexWaitMs);
      let answer;
      try {
        answer = await view.search.searchInTurns(query, queue, { budgetMs });
      } catch (error) {
        rethrowSearchRefusal(error, reply);
      }
      const { items, total, partial } = answer;
      return reply.represent(
        representJson(
          { query: query.q, items, total, partial, limit: query.limit, offset: query.offset } satisfies SearchResults,
          view.modified,
        ),
      );
    },
  );
};

export default search;
