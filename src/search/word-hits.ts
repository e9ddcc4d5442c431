import type { MatchInfo, SearchOptions } from 'minisearch';
import type { SearchIndex } from './search-index.ts';
import { matchesAsPrefix } from './text.ts';

/**
 * Indexed words one query word may match: itself, the words it begins, the words a typo or two
 * away, the heaviest first (the shortest beginnings, the fewest typos). Three letters can begin
 * hundreds of words, and each one's documents are scored. 50, Elasticsearch's default
 * `max_expansions`, leaves all but 4 of the 1,535 three-letter prefixes of the pyOpenSci site's
 * 6,600 words whole ("con" begins 133 words, "pro" 87).
 */
export const MAX_EXPANSIONS = 50;

/** One document's score for one query word (before MiniSearch's bonus for matching several words), and what matched. */
export interface WordHit {
  score: number;
  /** The indexed words that matched, each with the fields it matched in. */
  match: MatchInfo;
}

/** One query word's hits, by document id. Shared through a {@link WordHitsMemo}: never changed once made. */
export type WordHits = ReadonlyMap<string, WordHit>;

/** Where the hits of words already ranked are kept, by {@link wordHitsKey} (page-search.ts keeps them per view, bounded). */
export interface WordHitsMemo {
  get(key: string): WordHits | undefined;
  set(key: string, hits: WordHits): void;
}

/** What one document's hit for a word costs in memory, about: its map entry, score and match (for bounding memos by bytes). */
export const HIT_BYTES = 200;

/** The memo key of a word searched with up to `maxTypos` typos. */
export function wordHitsKey(word: string, maxTypos: number): string {
  return `${maxTypos}:${word}`;
}

/** Field weights, document boost and filter of a search, as MiniSearch takes them. */
export type WordSearchOptions = Pick<SearchOptions, 'fields' | 'boost' | 'boostDocument' | 'filter'>;

/** The expansions of a word, each searched as it is in the index. */
const searchAsIndexed = { tokenize: (words: string) => words.split(' '), processTerm: (word: string) => word };

/**
 * Every document `word` matches (as itself, as a word beginning from 3 letters, or up to
 * `maxTypos` typos away), scored as MiniSearch scores a prefix or fuzzy search of it, except that
 * only its {@link MAX_EXPANSIONS} heaviest expansions are searched.
 */
export function wordHits<T>(index: SearchIndex<T>, word: string, maxTypos: number, options: WordSearchOptions): WordHits {
  const expansions = index.expansionsOf(word, { prefix: matchesAsPrefix(word), maxTypos, max: MAX_EXPANSIONS });
  const hits = new Map<string, WordHit>();
  if (expansions.size === 0) return hits;
  // One query of the expansions, each as an exact word weighted as MiniSearch weighs its kind of
  // match: the scores it sums are those of MiniSearch's own expansion of the word.
  const results = index.search([...expansions.keys()].join(' '), {
    ...options,
    ...searchAsIndexed,
    prefix: false,
    fuzzy: false,
    combineWith: 'OR',
    boostTerm: (expansion) => expansions.get(expansion) ?? 0,
  });
  for (const result of results) {
    // MiniSearch multiplied the score by the number of expansions matched, as if each were a word of the query.
    hits.set(result.id as string, { score: result.score / (result.queryTerms.length || 1), match: result.match });
  }
  return hits;
}
