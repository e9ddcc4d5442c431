import MiniSearch, { type Options } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { Postings } from './postings.ts';

/** How a query word may match indexed words besides itself. */
export interface ExpansionRules {
  /** Whether indexed words that begin with it match ("packag" → "packages"). */
  prefix: boolean;
  /** Edits (a letter added, dropped or changed) an indexed word may be away from it; 0 for none. */
  maxTypos: number;
  /** The most indexed words it may match: those MiniSearch would weigh most. */
  max: number;
}

/**
 * A MiniSearch index that also says which of its words a query word matches. MiniSearch's own
 * prefix and typo-tolerant search expands a word to every indexed word it begins or is near,
 * however many (three letters can begin hundreds), and scores each one's documents; it has no
 * option to cap that. This subclass reads MiniSearch's word tree (`_index`, protected: kept for
 * subclasses) so the caller can choose the words and search just those (relaxed-search.ts).
 */
export class SearchIndex<T = unknown> extends MiniSearch<T> {
  constructor(options: Options<T>) {
    super(options);
    // Before any document is added: every word's postings are compact from the first one.
    // `as never`: the package declares SearchableMap once per entry point, as two unrelated types.
    this._index = new WordTree() as never;
  }

  /**
   * Gives back the room every word's postings keep to grow (see {@link Postings.trim}): called
   * once an index is built whole, when no search is under way.
   */
  trim(): void {
    for (const _ of this.trimming());
  }

  /** {@link trim} a word at a time, for a caller that takes turns of the event loop in between. */
  *trimming(): Generator<void> {
    for (const fields of this._index.values()) {
      for (const documents of fields.values()) if (documents instanceof Postings) documents.trim();
      yield;
    }
  }

  /**
   * The indexed words `word` matches under `rules`, each with the weight MiniSearch gives such a
   * match (1 for the word itself, less the longer a beginning runs on or the more typos a word
   * needs), at most `rules.max` of them, heaviest first; among equal weights, alphabetical.
   */
  expansionsOf(word: string, rules: ExpansionRules): Map<string, number> {
    const { prefix: prefixWeight, fuzzy: fuzzyWeight } = this._options.searchOptions.weights;
    const weights = new Map<string, number>();
    if (this._index.has(word)) weights.set(word, 1);
    if (rules.prefix) {
      for (const indexed of this._index.atPrefix(word).keys()) {
        const distance = indexed.length - word.length;
        // The same weight MiniSearch gives a prefix match (executeQuerySpec).
        if (distance > 0) weights.set(indexed, (prefixWeight * indexed.length) / (indexed.length + 0.3 * distance));
      }
    }
    if (rules.maxTypos > 0) {
      for (const [indexed, [, distance]] of this._index.fuzzyGet(word, rules.maxTypos)) {
        // A word both begun and near counts as begun, as in MiniSearch.
        if (distance > 0 && !weights.has(indexed)) weights.set(indexed, (fuzzyWeight * indexed.length) / (indexed.length + distance));
      }
    }
    if (weights.size <= rules.max) return weights;
    const heaviest = [...weights].sort(([a, weightA], [b, weightB]) => weightB - weightA || (a < b ? -1 : a > b ? 1 : 0));
    return new Map(heaviest.slice(0, rules.max));
  }
}

/**
 * A word's documents by field, as MiniSearch keeps them (field id → documents), each field's
 * documents kept as {@link Postings} rather than the Map MiniSearch makes: MiniSearch creates a
 * field's documents as a Map holding the first one and stores it here at once (addTerm), so
 * converting it on `set` makes every word's postings compact from its first document.
 */
class FieldPostings extends Map<number, Map<number, number>> {
  override set(fieldId: number, documents: Map<number, number>): this {
    return super.set(fieldId, documents instanceof Postings ? documents : Postings.from(documents));
  }
}

/** MiniSearch's word tree (`_index`, protected for subclasses), whose words' field maps are {@link FieldPostings}. */
class WordTree extends SearchableMap<Map<number, Map<number, number>>> {
  override fetch(word: string): Map<number, Map<number, number>> {
    return super.fetch(word, () => new FieldPostings());
  }
}
