import type { MatchInfo } from 'minisearch';
import type { WordHits } from './word-hits.ts';

/** A document found by a query: its score, and what matched it, word by word. */
export interface RankedDocument {
  id: string;
  score: number;
  /** The query words it matched. */
  words: string[];
  /** Each of those words' matches: indexed words, each with the fields it matched in. */
  matches: readonly MatchInfo[];
}

/** The indexed words that matched a document (to highlight them), each once. */
export function matchedTerms(document: RankedDocument): Set<string> {
  return new Set(document.matches.flatMap((match) => Object.keys(match)));
}

/** Whether a document matched in `field`, by any word. */
export function matchedIn(document: RankedDocument, field: string): boolean {
  return document.matches.some((match) => Object.values(match).some((fields) => fields.includes(field)));
}

/**
 * Query words' hits combined as MiniSearch combines the words of one query: with `AND`, the
 * documents every word matched; with `OR`, those any word did. A document's score is its
 * words' scores summed, times the number of words it matched. Words are added one at a time,
 * so a ranking can stop (or wait its turn) between two; each addition is one pass over the
 * smaller side, and keeps one number per document: which words matched a document, and how,
 * is read from the words' hits once, for the documents found.
 */
export class WordCombination {
  /** Each document's words' scores summed. */
  private scores = new Map<string, number>();
  private readonly words: [word: string, hits: WordHits][] = [];

  constructor(private readonly mode: 'AND' | 'OR') {}

  /** Documents matched so far: with `AND`, once it is 0 no further word can bring one back. */
  get size(): number {
    return this.scores.size;
  }

  add(word: string, hits: WordHits): void {
    const first = this.words.push([word, hits]) === 1;
    if (this.mode === 'OR' || first) {
      for (const [id, hit] of hits) this.scores.set(id, (this.scores.get(id) ?? 0) + hit.score);
    } else if (hits.size < this.scores.size) {
      const both = new Map<string, number>();
      for (const [id, hit] of hits) {
        const score = this.scores.get(id);
        if (score !== undefined) both.set(id, score + hit.score);
      }
      this.scores = both;
    } else {
      for (const [id, score] of this.scores) {
        const hit = hits.get(id);
        if (hit) this.scores.set(id, score + hit.score);
        else this.scores.delete(id);
      }
    }
  }

  /** The documents `accepts` takes, best first. */
  results(accepts: (id: string) => boolean = () => true): RankedDocument[] {
    const results: RankedDocument[] = [];
    for (const [id, score] of this.scores) {
      if (!accepts(id)) continue;
      const words: string[] = [];
      const matches: MatchInfo[] = [];
      for (const [word, hits] of this.words) {
        const hit = hits.get(id);
        if (hit) {
          words.push(word);
          matches.push(hit.match);
        }
      }
      results.push({ id, score: score * words.length, words, matches });
    }
    return results.sort((a, b) => b.score - a.score);
  }
}
