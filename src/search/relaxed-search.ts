import { runAtOnce } from '../content/steps.ts';
import type { SearchIndex } from './search-index.ts';
import { normalizeTerm, tokenize, typoTolerance } from './text.ts';
import { WordCombination, type RankedDocument } from './word-combination.ts';
import { wordHitsKey, wordHitsSteps, type WordHits, type WordHitsMemo, type WordSearchOptions } from './word-hits.ts';

/** Words of a query that are searched for: enough for any real question, and a bound on the work. */
export const MAX_QUERY_TERMS = 12;
/** Words of a query that may match with a typo: each one looks up every indexed word near it. */
export const MAX_FUZZY_TERMS = 6;

/** The words of a query as they are searched for: cut, folded, each once, at most {@link MAX_QUERY_TERMS}. */
export function queryTerms(query: string): string[] {
  return [
    ...new Set(
      tokenize(query)
        .map(normalizeTerm)
        .filter((term) => term !== null),
    ),
  ].slice(0, MAX_QUERY_TERMS);
}

/** How a ranking searches and which documents it may answer with. */
export interface RankingOptions extends Pick<WordSearchOptions, 'fields' | 'boost' | 'filter'> {
  /**
   * Whether a document may be found, asked of the combined words, so that each word's hits
   * (in the memo) serve every request's filters. `filter` is asked of every word's hits instead,
   * before they are kept: for what holds for every ranking with this memo (FAQ entries only).
   */
  accepts?: (id: string) => boolean;
  /** Where words already ranked (with these fields and boosts) are kept. */
  memo?: WordHitsMemo;
}

/** Results, best first, and whether the time budget ran out before every word was ranked. */
export interface RankedResults {
  results: RankedDocument[];
  partial: boolean;
  /** Milliseconds the ranking itself took (not the turns it waited between steps). */
  spentMs: number;
}

/** Time spent ranking, not counting the pauses between steps. */
class RankingClock {
  private spent = 0;
  private since = performance.now();

  constructor(private readonly budgetMs: number) {}

  get spentMs(): number {
    return this.spent + performance.now() - this.since;
  }

  get over(): boolean {
    return this.spentMs > this.budgetMs;
  }

  /** A pause between two steps: other work runs meanwhile, on its own time. */
  *pause(): Generator<void, void> {
    this.spent += performance.now() - this.since;
    yield;
    this.since = performance.now();
  }
}

/**
 * Searches `index` for `query`, relaxing the match until something is found, within `budgetMs`
 * of ranking. The ways a query is tried, strictest first, the first that finds anything answering:
 * every word exactly or as a word beginning; then every word with typo tolerance; then any word.
 * So a correctly typed query is never diluted by near-misses.
 *
 * Each word is ranked on its own (as MiniSearch does inside one query) and the per-word scores
 * combined as MiniSearch combines them: summed, times the number of words a document matches.
 * Working word by word is what lets a search stop when its budget runs out: it then answers
 * with the words ranked so far, flagged `partial`, instead of holding the event loop.
 */
export function rankRelaxed<T>(index: SearchIndex<T>, query: string, options: RankingOptions = {}, budgetMs = Infinity): RankedResults {
  return runAtOnce(rankingSteps(index, query, options, budgetMs));
}

/** {@link rankRelaxed} without a budget: the results alone. */
export function searchRelaxed<T>(index: SearchIndex<T>, query: string, options: RankingOptions = {}): RankedDocument[] {
  return rankRelaxed(index, query, options).results;
}

/**
 * {@link rankRelaxed} as steps: it pauses (yields) within and after each word and before
 * collecting the results, so that the ranking queue (ranking-queue.ts) can run other work in
 * between. One step is a part of one word's search (a few thousand postings of its at most
 * MAX_EXPANSIONS indexed words scored; none when the memo has the word), or the collection of the
 * results. The budget is looked at before each word: a word begun is ranked to its end, and a
 * ranking always searches at least one word the memo does not have.
 */
export function* rankingSteps<T>(
  index: SearchIndex<T>,
  query: string,
  options: RankingOptions,
  budgetMs = Infinity,
): Generator<void, RankedResults> {
  const words = queryTerms(query);
  const clock = new RankingClock(budgetMs);
  if (words.length === 0) return { results: [], partial: false, spentMs: 0 };
  const { accepts, memo, ...search } = options;
  let partial = false;
  // Whether this ranking has searched a word in the index (not found it in the memo): each one
  // searches at least one, so that asking again always goes further.
  let searched = false;
  /**
   * One word's hits: from the memo, or searched in steps, a pause after each. A word begun is
   * searched to its end, whatever the budget: its steps are small, its work is bounded by the
   * caps, and a word that cost more than the budget would otherwise never be found at all (at
   * 10,000 pages a common word takes a few hundred milliseconds).
   */
  function* hitsOf(word: string, maxTypos: number): Generator<void, WordHits> {
    const key = wordHitsKey(word, maxTypos);
    const remembered = memo?.get(key);
    if (remembered) return remembered;
    searched = true;
    const steps = wordHitsSteps(index, word, maxTypos, search satisfies WordSearchOptions);
    for (;;) {
      const step = steps.next();
      if (step.done) {
        memo?.set(key, step.value);
        return step.value;
      }
      yield* clock.pause();
    }
  }
  /** Ranks the words in turn, in steps, adding each one's hits to `combinations`; begins no further word once the budget runs out. */
  function* rankWords(tolerant: boolean, combinations: WordCombination[], stopWhenEmpty: boolean): Generator<void, void> {
    for (const [i, word] of words.entries()) {
      const maxTypos = tolerant && i < MAX_FUZZY_TERMS ? typoTolerance(word) || 0 : 0;
      if (searched && clock.over) {
        partial = true;
        return;
      }
      const hits = yield* hitsOf(word, maxTypos);
      for (const combination of combinations) yield* combination.add(hits);
      // No document has every word so far: none can have them all.
      if (stopWhenEmpty && combinations[0].size === 0) return;
      yield* clock.pause();
    }
  }
  const answer = (results: RankedDocument[]): RankedResults => ({ results, partial, spentMs: clock.spentMs });

  const every = new WordCombination('AND');
  yield* rankWords(false, [every], true);
  const strict = yield* every.results(accepts);
  if (strict.length > 0 || partial) return answer(strict);
  yield* clock.pause();

  const everyTolerant = new WordCombination('AND');
  const anyTolerant = new WordCombination('OR');
  // With one word, "any word" is the same search as "every word".
  yield* rankWords(true, words.length === 1 ? [everyTolerant] : [everyTolerant, anyTolerant], false);
  const tolerant = yield* everyTolerant.results(accepts);
  if (tolerant.length > 0 || partial || words.length === 1) return answer(tolerant);
  yield* clock.pause();
  return answer(yield* anyTolerant.results(accepts));
}
