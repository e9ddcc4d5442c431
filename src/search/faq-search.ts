import MiniSearch from 'minisearch';
import type { FaqEntry } from '../../schemas/faq.ts';
import { searchRelaxed } from './relaxed-search.ts';
import { normalizeTerm, tokenize } from './text.ts';

/** The FAQ entries of one view, ranked by relevance to a query. */
export interface FaqSearch {
  /** Entries that match `q`, questions that match first, then by relevance. */
  rank(q: string): FaqEntry[];
}

interface FaqDocument {
  id: number;
  question: string;
  answer: string;
}

/**
 * Builds the FAQ index (MiniSearch) when content loads. A reader's words usually echo the
 * question they have, so an entry whose question matches ranks above one where only the answer
 * does, whatever the scores say; within each group, BM25 relevance orders them.
 */
export function createFaqSearch(entries: readonly FaqEntry[]): FaqSearch {
  const index = new MiniSearch<FaqDocument>({
    fields: ['question', 'answer'],
    storeFields: [],
    tokenize,
    processTerm: normalizeTerm,
    searchOptions: { boost: { question: 3, answer: 1 }, tokenize, processTerm: normalizeTerm },
  });
  index.addAll(entries.map((entry, id) => ({ id, question: entry.question, answer: entry.answer.text })));

  return {
    rank(q) {
      return searchRelaxed(index, q)
        .map((result) => ({ result, inQuestion: Object.values(result.match).some((fields) => fields.includes('question')) }))
        .sort((a, b) => Number(b.inQuestion) - Number(a.inQuestion) || b.result.score - a.result.score)
        .map(({ result }) => entries[result.id as number]);
    },
  };
}
