import type MiniSearch from 'minisearch';
import type { SearchOptions, SearchResult } from 'minisearch';
import { matchesAsPrefix, normalizeTerm, tokenize, typoTolerance } from './text.ts';

/**
 * The ways a query is tried, strictest first; the first that finds anything answers. Exact and
 * prefix matches of every word come first, so a correctly typed query is never diluted by
 * near-misses; typos are tolerated only when the words as typed find nothing; and only then may
 * any one word match.
 */
const ATTEMPTS: SearchOptions[] = [
  { combineWith: 'AND', prefix: matchesAsPrefix, fuzzy: false },
  { combineWith: 'AND', prefix: matchesAsPrefix, fuzzy: typoTolerance },
  { combineWith: 'OR', prefix: matchesAsPrefix, fuzzy: typoTolerance },
];

/** Words of a query that are searched for: enough for any real question, and a bound on the work. */
const MAX_QUERY_TERMS = 12;

/** Searches `index` for `query`, relaxing the match until something is found. Results are best first. */
export function searchRelaxed(index: MiniSearch, query: string, options: SearchOptions = {}): SearchResult[] {
  const terms = [...new Set(tokenize(query).map(normalizeTerm).filter((term) => term !== null))].slice(0, MAX_QUERY_TERMS);
  if (terms.length === 0) return [];
  for (const attempt of ATTEMPTS) {
    // With one word, "any word" is the same search as "every word".
    if (attempt.combineWith === 'OR' && terms.length === 1) break;
    const results = index.search(terms.join(' '), { ...options, ...attempt });
    if (results.length > 0) return results;
  }
  return [];
}
