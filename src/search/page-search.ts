import { LRUCache } from 'lru-cache';
import type { SearchHit } from '../../schemas/search.ts';
import type { PageRecord } from '../model/page-record.ts';
import { typeOf } from '../discovery/page-type.ts';
import { searchTextOf, type SearchEntry } from './documents.ts';
import { runAtOnce } from '../content/steps.ts';
import { queryTerms, rankingSteps, type RankedResults, type RankingOptions } from './relaxed-search.ts';
import { highlightSnippet } from './snippet.ts';
import { slugOfDocument, type SiteIndex } from './site-index.ts';
import { matchedTerms, type RankedDocument } from './word-combination.ts';
import { HIT_BYTES, type WordHits } from './word-hits.ts';
import type { PageSearch, PageSearchAnswer, PageSearchRequest } from '../model/search.ts';

/** Bytes of rankings kept per view, least recently used evicted first. */
const RANKINGS_MAX_BYTES = 16 * 1024 * 1024;
/** What one ranked result costs in memory, about: its id, score and lists of words and matches... */
const RESULT_BYTES = 200;
/** ...and, per word it matched, the word's match (the indexed words and their fields), once the word's hits are let go. */
const MATCH_BYTES = 100;
/**
 * Bytes of words' hits kept per view, least recently used evicted first: a word is searched in
 * the index once, whatever query and filters it comes in (a word of 2,000 hits is about 200 KB).
 */
const WORD_HITS_MAX_BYTES = 16 * 1024 * 1024;

/** Every matching page, best first, each as its matching sections (best first). */
interface Ranking {
  groups: RankedDocument[][];
  results: number;
  /** Words of the query searched. */
  words: number;
  partial: boolean;
}

/** Results grouped by page between two pauses. */
const GROUPED_PER_STEP = 2048;

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
  // Keyed by the words as searched (folded, deduplicated) and the filters: never by the
  // raw query, so spellings of one query share one ranking, and paging through it ranks nothing.
  const rankings = new LRUCache<string, Ranking>({
    maxSize: RANKINGS_MAX_BYTES,
    sizeCalculation: (ranking, key) =>
      key.length * 2 + 64 + ranking.groups.length * 32 + ranking.results * (RESULT_BYTES + ranking.words * MATCH_BYTES),
  });
  // Each word's hits, unfiltered, by word and typo tolerance: shared by every query and filter it comes in.
  const wordHits = new LRUCache<string, WordHits>({
    maxSize: WORD_HITS_MAX_BYTES,
    sizeCalculation: (hits, key) => key.length * 2 + 64 + hits.size * HIT_BYTES,
  });
  const optionsFor = (request: PageSearchRequest): RankingOptions => {
    const acceptsPage = (record: PageRecord) =>
      record.frontMatter.search !== false &&
      (!request.type || typeOf(record) === request.type) &&
      (!request.layout || record.summary.layout === request.layout) &&
      (!request.category || record.summary.categories.includes(request.category));
    const accepts = (id: string) => {
      const document = documents.get(id);
      return document !== undefined && acceptsPage(records.get(document.slug)!);
    };
    return { accepts, boost: BOOST, memo: wordHits };
  };
  // Results are per section; a reader wants each page once, at its best section. As steps: a
  // common word at 10,000 pages is in tens of thousands of sections.
  function* toRanking({ results, partial }: RankedResults, words: number): Generator<void, Ranking> {
    const bySlug = new Map<string, RankedDocument[]>();
    for (const [at, result] of results.entries()) {
      if (at % GROUPED_PER_STEP === GROUPED_PER_STEP - 1) yield;
      const slug = slugOfDocument(result.id, records);
      const group = bySlug.get(slug);
      if (group) group.push(result);
      else bySlug.set(slug, [result]);
    }
    return { groups: [...bySlug.values()], results: results.length, words, partial };
  }
  const keyOf = (request: PageSearchRequest) => JSON.stringify([queryTerms(request.q), request.type, request.layout, request.category]);
  const answer = (ranking: Ranking, request: PageSearchRequest): PageSearchAnswer => ({
    total: ranking.groups.length,
    partial: ranking.partial,
    items: ranking.groups.slice(request.offset, request.offset + request.limit).map((group) => toHit(group, documents, records)),
  });
  // The ranking as steps, then its grouping by page, in steps too; remembered once done. One the
  // budget cut short is not: the words it did rank are, so asking again goes further.
  function* rankingOf(request: PageSearchRequest, key: string, budgetMs: number): Generator<void, Ranking> {
    const results = yield* rankingSteps(index, request.q, optionsFor(request), budgetMs);
    yield;
    const ranked = yield* toRanking(results, queryTerms(request.q).length);
    if (!ranked.partial) rankings.set(key, ranked);
    return ranked;
  }
  // Rankings under way: a query asked again meanwhile waits for the same one.
  const ranking = new Map<string, Promise<Ranking>>();
  return {
    search(request, { budgetMs = Infinity } = {}) {
      const key = keyOf(request);
      return answer(rankings.get(key) ?? runAtOnce(rankingOf(request, key, budgetMs)), request);
    },
    async searchInTurns(request, queue, { budgetMs = Infinity } = {}) {
      const key = keyOf(request);
      const ready = rankings.get(key);
      if (ready) return answer(ready, request);
      let pending = ranking.get(key);
      if (!pending) {
        pending = queue.run(rankingOf(request, key, budgetMs)).finally(() => ranking.delete(key));
        ranking.set(key, pending);
      }
      return answer(await pending, request);
    },
  };
}

function toHit(group: RankedDocument[], documents: ReadonlyMap<string, SearchEntry>, records: ReadonlyMap<string, PageRecord>): SearchHit {
  const [best, ...others] = group;
  const document = documents.get(best.id)!;
  const record = records.get(document.slug)!;
  const { slug, title, permalink, layout, categories, date } = record.summary;
  const section = document.section === null ? null : { id: document.section, title: document.heading };
  const text = searchTextOf(record, document) || record.summary.excerpt || '';
  return {
    slug,
    title,
    permalink,
    url: section ? `${permalink}#${section.id}` : permalink,
    section,
    snippet: highlightSnippet(text, matchedTerms(best)),
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
