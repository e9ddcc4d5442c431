import type MiniSearch from 'minisearch';
import type { MatchInfo, SearchOptions, SearchResult } from 'minisearch';
import { matchesAsPrefix, normalizeTerm, tokenize, typoTolerance } from './text.ts';

/** Words of a query that are searched for: enough for any real question, and a bound on the work. */
export const MAX_QUERY_TERMS = 12;
/** Words of a query that may match with a typo: each one looks up every indexed word near it. */
export const MAX_FUZZY_TERMS = 6;
/** Documents scored between two looks at the clock. */
const DOCUMENTS_PER_CLOCK_CHECK = 256;

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

/** A document found, as MiniSearch reports one, with its id typed as this index's (see documents.ts). */
export interface RankedResult {
  id: string;
  score: number;
  /** The document's words that matched. */
  terms: string[];
  /** The query's words that matched. */
  queryTerms: string[];
  match: MatchInfo;
}

/** A MiniSearch result's id: MiniSearch types ids `any`; this index's are strings (see documents.ts). */
export function resultId(result: SearchResult): string {
  return result.id as string;
}

/** Results, best first, and whether the time budget ran out before every word was ranked. */
export interface RankedResults {
  results: RankedResult[];
  partial: boolean;
  /** Milliseconds the ranking itself took (not the turns it waited between words). */
  spentMs: number;
}

/** A document's score for some of the query's words, before MiniSearch's bonus for matching several. */
interface Partial {
  score: number;
  queryTerms: string[];
  /** Each word's matches, merged once at the end: merging as words come copies ever larger objects. */
  matches: MatchInfo[];
}

class BudgetExceeded extends Error {}

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
export function rankRelaxed(index: MiniSearch, query: string, options: SearchOptions = {}, budgetMs = Infinity): RankedResults {
  const steps = rankingSteps(index, query, options, budgetMs);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link rankRelaxed} a word per turn of the event loop: other requests are answered between
 * two words, so a 12-word query holds the event loop for a few milliseconds at a time, not for
 * its whole ranking. The budget counts the ranking's own time, not the turns it waited.
 */
export async function rankRelaxedInTurns(
  index: MiniSearch,
  query: string,
  options: SearchOptions = {},
  budgetMs = Infinity,
): Promise<RankedResults> {
  const steps = rankingSteps(index, query, options, budgetMs);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The ranking as steps, one word each (see {@link rankRelaxed}); it yields between words. */
function* rankingSteps(index: MiniSearch, query: string, options: SearchOptions, budgetMs: number): Generator<void, RankedResults> {
  const terms = queryTerms(query);
  if (terms.length === 0) return { results: [], partial: false, spentMs: 0 };
  // Time spent ranking so far (not counting the turns between words), and when this step began.
  let spent = 0;
  let stepStart = performance.now();
  const overBudget = () => spent + performance.now() - stepStart > budgetMs;
  let scored = 0;
  // Called for every document a word matches: the only hook inside MiniSearch's scoring loop.
  const boostDocument = () => {
    if (++scored % DOCUMENTS_PER_CLOCK_CHECK === 0 && overBudget()) throw new BudgetExceeded();
    return 1;
  };
  let partial = false;
  function* rankEach(fuzzy: boolean): Generator<void, Map<string, Partial>[]> {
    const perTerm: Map<string, Partial>[] = [];
    for (const [i, term] of terms.entries()) {
      if (overBudget()) {
        partial = true;
        break;
      }
      try {
        const results = index.search(term, {
          ...options,
          boostDocument,
          prefix: matchesAsPrefix,
          fuzzy: fuzzy && i < MAX_FUZZY_TERMS ? typoTolerance : false,
          maxFuzzy: 2,
        });
        perTerm.push(
          new Map(
            results.map((result) => [
              resultId(result),
              { score: result.score / (result.queryTerms.length || 1), queryTerms: result.queryTerms, matches: [result.match] },
            ]),
          ),
        );
      } catch (error) {
        if (!(error instanceof BudgetExceeded)) throw error;
        partial = true;
        break;
      }
      spent += performance.now() - stepStart;
      yield;
      stepStart = performance.now();
    }
    return perTerm;
  }

  const done = (results: RankedResult[]): RankedResults => ({ results, partial, spentMs: spent + performance.now() - stepStart });
  const exact = yield* rankEach(false);
  const every = combine(exact, 'AND');
  if (every.length > 0 || partial) return done(every);
  const tolerant = yield* rankEach(true);
  const everyTolerant = combine(tolerant, 'AND');
  // With one word, "any word" is the same search as "every word".
  if (everyTolerant.length > 0 || partial || terms.length === 1) return done(everyTolerant);
  return done(combine(tolerant, 'OR'));
}

/** {@link rankRelaxed} without a budget: the results alone. */
export function searchRelaxed(index: MiniSearch, query: string, options: SearchOptions = {}): RankedResult[] {
  return rankRelaxed(index, query, options).results;
}

/** Combines per-word results as MiniSearch's AND and OR do, then scores and orders them as it does. */
function combine(perTerm: Map<string, Partial>[], combineWith: 'AND' | 'OR'): RankedResult[] {
  if (perTerm.length === 0) return [];
  let combined = new Map(perTerm[0]);
  for (const next of perTerm.slice(1)) {
    const merged = combineWith === 'AND' ? new Map<string, Partial>() : combined;
    for (const [id, b] of next) {
      const a = combined.get(id);
      if (!a) {
        if (combineWith === 'OR') merged.set(id, b);
        continue;
      }
      merged.set(id, {
        score: a.score + b.score,
        queryTerms: [...new Set([...a.queryTerms, ...b.queryTerms])],
        matches: a.matches.concat(b.matches),
      });
    }
    combined = merged;
  }
  const results: RankedResult[] = [];
  for (const [id, { score, queryTerms, matches }] of combined) {
    const match = matches.length === 1 ? matches[0] : matches.reduce<MatchInfo>((merged, next) => Object.assign(merged, next), {});
    results.push({ id, score: score * (queryTerms.length || 1), terms: Object.keys(match), queryTerms, match });
  }
  return results.sort((a, b) => b.score - a.score);
}
