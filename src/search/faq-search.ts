import type { FaqEntry } from '../../schemas/faq.ts';
import { searchRelaxed } from './relaxed-search.ts';
import { matchedIn } from './word-combination.ts';
import type { SiteIndex } from './site-index.ts';
import type { FaqSearch } from '../model/search.ts';

/**
 * FAQ ranking over a view's {@link SiteIndex}: an entry is the section under its question
 * heading, so its question is a heading and its answer that section's text. A reader's words
 * usually echo the question they have, so an entry whose question matches ranks above one where
 * only the answer does, whatever the scores say; within each group, BM25 relevance orders them.
 */
export function createFaqSearch(entries: readonly FaqEntry[], { index }: SiteIndex): FaqSearch {
  const byId = new Map(entries.map((entry) => [`${entry.page}#${entry.id}`, entry]));
  return {
    rank(q) {
      if (byId.size === 0) return [];
      return searchRelaxed(index, q, { fields: ['heading', 'text'], boost: { heading: 3 }, accepts: (id) => byId.has(id) })
        .map((result) => ({ result, inQuestion: matchedIn(result, 'heading') }))
        .sort((a, b) => Number(b.inQuestion) - Number(a.inQuestion) || b.result.score - a.result.score)
        .map(({ result }) => byId.get(result.id)!);
    },
  };
}
