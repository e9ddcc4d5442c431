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

/** A document's hits for the words combined so far. Owned by one combination: word hits are shared and never changed. */
interface Combined {
  score: number;
  words: string[];
  /** Each word's matches, kept apart: merging them copies objects, for documents few readers will see. */
  matches: MatchInfo[];
}

/**
 * Query words' hits combined as MiniSearch combines the words of one query: with `AND`, the
 * documents every word matched; with `OR`, those any word did. A document's score is its
 * words' scores summed, times the number of words it matched. Words are added one at a time,
 * so a ranking can stop (or wait its turn) between two, and each addition costs one pass over
 * the smaller side.
 */
export class WordCombination {
  private documents = new Map<string, Combined>();
  private words = 0;

  constructor(private readonly mode: 'AND' | 'OR') {}

  /** Documents matched so far: with `AND`, once it is 0 no further word can bring one back. */
  get size(): number {
    return this.documents.size;
  }

  add(word: string, hits: WordHits): void {
    const first = this.words++ === 0;
    if (this.mode === 'AND' && !first) {
      if (hits.size < this.documents.size) {
        const both = new Map<string, Combined>();
        for (const [id, hit] of hits) {
          const combined = this.documents.get(id);
          if (combined) both.set(id, this.join(combined, word, hit.score, hit.match));
        }
        this.documents = both;
      } else {
        for (const [id, combined] of this.documents) {
          const hit = hits.get(id);
          if (hit) this.join(combined, word, hit.score, hit.match);
          else this.documents.delete(id);
        }
      }
      return;
    }
    for (const [id, hit] of hits) {
      const combined = this.documents.get(id);
      if (combined) this.join(combined, word, hit.score, hit.match);
      else this.documents.set(id, { score: hit.score, words: [word], matches: [hit.match] });
    }
  }

  /** The documents `accepts` takes, best first. */
  results(accepts: (id: string) => boolean = () => true): RankedDocument[] {
    const results: RankedDocument[] = [];
    for (const [id, { score, words, matches }] of this.documents) {
      if (accepts(id)) results.push({ id, score: score * words.length, words, matches });
    }
    return results.sort((a, b) => b.score - a.score);
  }

  private join(combined: Combined, word: string, score: number, match: MatchInfo): Combined {
    combined.score += score;
    combined.words.push(word);
    combined.matches.push(match);
    return combined;
  }
}
