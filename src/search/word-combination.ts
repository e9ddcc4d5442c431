import { sortInSteps } from '../content/steps.ts';
import type { WordHit, WordHits } from './word-hits.ts';

/** A document found by a query: its score, and its hit for each query word it matched. */
export interface RankedDocument {
  id: string;
  score: number;
  /** Its hit for each query word it matched, in the query's order: what matched it, and how. */
  hits: readonly WordHit[];
}

/** The indexed words that matched a document (to highlight them), each once. */
export function matchedTerms(document: RankedDocument): Set<string> {
  return new Set(document.hits.flatMap((hit) => Object.keys(hit.match)));
}

/** Whether a document matched in `field`, by any word. */
export function matchedIn(document: RankedDocument, field: string): boolean {
  return document.hits.some((hit) => hit.matchedIn(field));
}

/** Documents collected between two pauses: a few milliseconds' work. */
const DOCUMENTS_PER_STEP = 2048;

/**
 * Query words' hits combined as MiniSearch combines the words of one query: with `AND`, the
 * documents every word matched; with `OR`, those any word did. A document's score is its
 * words' scores summed, times the number of words it matched. Words are added one at a time,
 * each as steps, so a ranking can stop (or wait its turn) between two and within one; each
 * addition is one pass over the smaller side, and keeps one number per document: which words
 * matched a document, and how, is read from the words' hits once, for the documents found.
 */
export class WordCombination {
  /** Each document's words' scores summed. */
  private scores = new Map<string, number>();
  private readonly words: WordHits[] = [];

  constructor(private readonly mode: 'AND' | 'OR') {}

  /** Documents matched so far: with `AND`, once it is 0 no further word can bring one back. */
  get size(): number {
    return this.scores.size;
  }

  /** Adds a word's hits; as steps, a pause every few thousand documents. */
  *add(hits: WordHits): Generator<void, void> {
    const first = this.words.push(hits) === 1;
    let passed = 0;
    if (this.mode === 'OR' || first) {
      for (const [id, hit] of hits) {
        if (++passed % DOCUMENTS_PER_STEP === 0) yield;
        this.scores.set(id, (this.scores.get(id) ?? 0) + hit.score);
      }
    } else if (hits.size < this.scores.size) {
      const both = new Map<string, number>();
      for (const [id, hit] of hits) {
        if (++passed % DOCUMENTS_PER_STEP === 0) yield;
        const score = this.scores.get(id);
        if (score !== undefined) both.set(id, score + hit.score);
      }
      this.scores = both;
    } else {
      // Deleting the entry being visited is safe in a Map's iteration.
      for (const [id, score] of this.scores) {
        if (++passed % DOCUMENTS_PER_STEP === 0) yield;
        const hit = hits.get(id);
        if (hit) this.scores.set(id, score + hit.score);
        else this.scores.delete(id);
      }
    }
  }

  /** The documents `accepts` takes, best first; as steps, a pause every few thousand documents. */
  *results(accepts: (id: string) => boolean = () => true): Generator<void, RankedDocument[]> {
    const results: RankedDocument[] = [];
    let collected = 0;
    for (const [id, score] of this.scores) {
      if (++collected % DOCUMENTS_PER_STEP === 0) yield;
      if (!accepts(id)) continue;
      const hits: WordHit[] = [];
      for (const word of this.words) {
        const hit = word.get(id);
        if (hit) hits.push(hit);
      }
      results.push({ id, score: score * hits.length, hits });
    }
    return yield* sortInSteps(results, (a, b) => b.score - a.score);
  }
}
