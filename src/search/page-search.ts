import { LRUCache } from 'lru-cache';
import type { SearchResult } from 'minisearch';
import type { SearchHit } from '../../schemas/search.ts';
import type { PageRecord } from '../model/page-record.ts';
import { typeOf } from '../discovery/page-type.ts';
import type { SearchDocument } from './documents.ts';
import { queryTerms, rankRelaxed, rankRelaxedInTurns, resultId, type RankedResult, type RankedResults } from './relaxed-search.ts';
import { highlightSnippet } from './snippet.ts';
import type { SiteIndex } from './site-index.ts';
import type { PageSearch, PageSearchAnswer, PageSearchRequest, RankingMeter } from '../model/search.ts';

/** Thrown when a query would need ranking and the {@link RankingMeter} refuses it. */
export class SearchOverloaded extends Error {}

/** Bytes of rankings kept per view, least recently used evicted first. */
const RANKINGS_MAX_BYTES = 16 * 1024 * 1024;
/** What one ranked result costs in memory, about: its id, score, matched terms and fields. */
const RESULT_BYTES = 200;

/** Every matching page, best first, each as its matching sections (best first). */
interface Ranking {
  groups: RankedResult[][];
  results: number;
  partial: boolean;
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
  // Keyed by the words as searched (folded, deduplicated) and the filters: never by the
  // raw query, so spellings of one query share one ranking, and paging through it ranks nothing.
  const rankings = new LRUCache<string, Ranking>({
    maxSize: RANKINGS_MAX_BYTES,
    sizeCalculation: (ranking, key) => key.length * 2 + 64 + ranking.groups.length * 32 + ranking.results * RESULT_BYTES,
  });
  const filterFor = (request: PageSearchRequest) => {
    const accepts = (record: PageRecord) =>
      record.page.front_matter.search !== false &&
      (!request.type || typeOf(record) === request.type) &&
      (!request.layout || record.summary.layout === request.layout) &&
      (!request.category || record.summary.categories.includes(request.category));
    const filter = (result: SearchResult) => {
      const document = documents.get(resultId(result));
      return document !== undefined && accepts(records.get(document.slug)!);
    };
    return { filter, boost: BOOST };
  };
  const toRanking = ({ results, partial }: RankedResults): Ranking => {
    // Results are per section; a reader wants each page once, at its best section.
    const bySlug = new Map<string, RankedResult[]>();
    for (const result of results) {
      const slug = documents.get(result.id)!.slug;
      const group = bySlug.get(slug);
      if (group) group.push(result);
      else bySlug.set(slug, [result]);
    }
    return { groups: [...bySlug.values()], results: results.length, partial };
  };
  const keyOf = (request: PageSearchRequest) => JSON.stringify([queryTerms(request.q), request.type, request.layout, request.category]);
  const answer = (ranking: Ranking, request: PageSearchRequest): PageSearchAnswer => ({
    total: ranking.groups.length,
    partial: ranking.partial,
    items: ranking.groups.slice(request.offset, request.offset + request.limit).map((group) => toHit(group, documents, records)),
  });
  // Rankings under way: a query asked again meanwhile waits for the same one.
  const ranking = new Map<string, Promise<Ranking>>();
  return {
    search(request, { budgetMs = Infinity, meter } = {}) {
      const key = keyOf(request);
      let ranked = rankings.get(key);
      if (!ranked) {
        if (meter && !meter.admit()) throw new SearchOverloaded();
        const result = rankRelaxed(index, request.q, filterFor(request), budgetMs);
        meter?.spent(result.spentMs);
        ranked = toRanking(result);
        rankings.set(key, ranked);
      }
      return answer(ranked, request);
    },
    async searchInTurns(request, { budgetMs = Infinity, meter } = {}) {
      const key = keyOf(request);
      const ready = rankings.get(key);
      if (ready) return answer(ready, request);
      let pending = ranking.get(key);
      if (!pending) {
        if (meter && !meter.admit()) throw new SearchOverloaded();
        pending = rankRelaxedInTurns(index, request.q, filterFor(request), budgetMs)
          .then((result) => {
            meter?.spent(result.spentMs);
            const ranked = toRanking(result);
            rankings.set(key, ranked);
            return ranked;
          })
          .finally(() => ranking.delete(key));
        ranking.set(key, pending);
      }
      return answer(await pending, request);
    },
  };
}

function toHit(group: RankedResult[], documents: ReadonlyMap<string, SearchDocument>, records: ReadonlyMap<string, PageRecord>): SearchHit {
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

/**
 * A {@link RankingMeter} allowing `msPerSecond` of ranking in each second: beyond it, new
 * rankings are refused (answers already ranked are still served) until the next second, so a
 * flood of expensive queries cannot hold the event loop that every other request needs.
 */
export function rankingMeter(msPerSecond: number): RankingMeter {
  let windowStart = 0;
  let spentMs = 0;
  const roll = () => {
    const now = performance.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      spentMs = 0;
    }
  };
  return {
    admit() {
      roll();
      return spentMs < msPerSecond;
    },
    spent(ms) {
      roll();
      spentMs += ms;
    },
  };
}
