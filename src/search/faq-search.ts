import { LRUCache } from 'lru-cache';
import type { FaqEntry } from '../../schemas/faq.ts';
import { runAtOnce, sortInSteps } from '../content/steps.ts';
import { queryTerms, rankingSteps, type RankingOptions } from './relaxed-search.ts';
import { matchedIn } from './word-combination.ts';
import { HIT_BYTES, type WordHits } from './word-hits.ts';
import type { SiteIndex } from './site-index.ts';
import type { FaqSearch } from '../model/search.ts';

/** Bytes of FAQ rankings and of words' FAQ hits kept per view, each, least recently used evicted first. */
const FAQ_MEMO_MAX_BYTES = 4 * 1024 * 1024;

/**
 * FAQ ranking over a view's {@link SiteIndex}: an entry is the section under its question
 * heading, so its question is a heading and its answer that section's text. A reader's words
 * usually echo the question they have, so an entry whose question matches ranks above one where
 * only the answer does, whatever the scores say; within each group, BM25 relevance orders them.
 *
 * Bounded as page search is (words, indexed words per word, one ranking queue), and ranked once
 * per query's words; each word's hits are kept, narrowed to FAQ entries. No time budget: a FAQ
 * answer has no way to say it is partial, and its steps are bounded by the caps.
 */
export function createFaqSearch(entries: readonly FaqEntry[], { index }: SiteIndex): FaqSearch {
  const byId = new Map(entries.map((entry) => [`${entry.page}#${entry.id}`, entry]));
  const wordHits = new LRUCache<string, WordHits>({
    maxSize: FAQ_MEMO_MAX_BYTES,
    sizeCalculation: (hits, key) => key.length * 2 + 64 + hits.size * HIT_BYTES,
  });
  const rankings = new LRUCache<string, FaqEntry[]>({
    maxSize: FAQ_MEMO_MAX_BYTES,
    sizeCalculation: (ranked, key) => key.length * 2 + 64 + ranked.length * 8,
  });
  const options: RankingOptions = {
    fields: ['heading', 'text'],
    boost: { heading: 3 },
    filter: (id) => byId.has(id),
    memo: wordHits,
  };
  function* rankingOf(key: string, q: string): Generator<void, FaqEntry[]> {
    const { results } = yield* rankingSteps(index, q, options);
    const questionsFirst = yield* sortInSteps(
      results.map((result) => ({ result, inQuestion: matchedIn(result, 'heading') })),
      (a, b) => Number(b.inQuestion) - Number(a.inQuestion) || b.result.score - a.result.score,
    );
    const ranked = questionsFirst.map(({ result }) => byId.get(result.id)!);
    rankings.set(key, ranked);
    return ranked;
  }
  const keyOf = (q: string) => JSON.stringify(queryTerms(q));
  return {
    rank(q) {
      if (byId.size === 0) return [];
      const key = keyOf(q);
      return rankings.get(key) ?? runAtOnce(rankingOf(key, q));
    },
    async rankInTurns(q, queue) {
      if (byId.size === 0) return [];
      const key = keyOf(q);
      return rankings.get(key) ?? queue.run(rankingOf(key, q));
    },
  };
}
