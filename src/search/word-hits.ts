import type { ScoredDocument, ScoringOptions, SearchIndex } from './search-index.ts';
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
export type WordHit = ScoredDocument;

/** One query word's hits, by document id. Shared through a {@link WordHitsMemo}: never changed once made. */
export type WordHits = ReadonlyMap<string, WordHit>;

/** Where the hits of words already ranked are kept, by {@link wordHitsKey} (page-search.ts keeps them per view, bounded). */
export interface WordHitsMemo {
  get(key: string): WordHits | undefined;
  set(key: string, hits: WordHits): void;
}

/**
 * What one document's hit for a word costs in memory, about: its map entry and its
 * {@link ScoredDocument} (whose match is read from the index when asked for), for bounding memos
 * by bytes.
 */
export const HIT_BYTES = 100;

/** The memo key of a word searched with up to `maxTypos` typos. */
export function wordHitsKey(word: string, maxTypos: number): string {
  return `${maxTypos}:${word}`;
}

/** Fields, their weights and which documents may be found, as a word is searched. */
export type WordSearchOptions = ScoringOptions;

/**
 * Every document `word` matches (as itself, as a word beginning from 3 letters, or up to
 * `maxTypos` typos away), scored as MiniSearch scores a prefix or fuzzy search of it, except that
 * only its {@link MAX_EXPANSIONS} heaviest expansions are searched. As steps: see
 * {@link SearchIndex.scoring}.
 */
export function* wordHitsSteps<T>(
  index: SearchIndex<T>,
  word: string,
  maxTypos: number,
  options: WordSearchOptions,
): Generator<void, WordHits> {
  const expansions = index.expansionsOf(word, { prefix: matchesAsPrefix(word), maxTypos, max: MAX_EXPANSIONS });
  if (expansions.size === 0) return new Map();
  // Each expansion weighted as MiniSearch weighs its kind of match: the scores summed are those
  // of MiniSearch's own expansion of the word.
  return yield* index.scoring(expansions, options);
}
