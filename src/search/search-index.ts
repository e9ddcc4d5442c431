import MiniSearch, { type MatchInfo, type Options } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { DenseIdMap } from './dense-id-map.ts';
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

/** Words, documents and postings saved or restored in one step (search/index-file.ts): about a millisecond. */
const WORDS_PER_STEP = 512;
const DOCUMENTS_PER_STEP = 4096;
const POSTINGS_PER_RESTORE_STEP = 32_768;

/** What an index holds, as {@link SearchIndex.state} gives it: the document tables, and each word's postings by field. */
export interface IndexState {
  documentCount: number;
  nextId: number;
  dirtCount: number;
  averageLengths: number[];
  /** Each document: its short id, its id, and its length in each field (in unique words). */
  documents: { shortId: number; id: string; lengths: number[] }[];
  /** Each word: its postings in each field it is in, as (short id, frequency) pairs in id order. */
  words: { word: string; fields: { fieldId: number; pairs: Uint32Array }[] }[];
}

/** Postings read in one step of a scoring: a fraction of a millisecond. */
const POSTINGS_PER_STEP = 2048;

/** What a scoring reads, besides the indexed words: as MiniSearch's `search` takes them. */
export interface ScoringOptions {
  /** Fields searched (default: every indexed field). */
  fields?: readonly string[];
  /** Weight of a match in each field (default 1). */
  boost?: Readonly<Record<string, number>>;
  /** Whether a document may be found at all (by id). */
  filter?: (id: string) => boolean;
}

/** The words and fields one scoring read, and the index: what a document's match is read back from. */
interface ScoringContext {
  index: SearchIndex;
  words: readonly string[];
  fields: readonly string[];
}

/**
 * One document's score for a set of indexed words, and what matched: the fields as a bit set
 * (read for every result), the words with their fields as MiniSearch's `MatchInfo` (read for the
 * results shown, to highlight them), looked up when asked for.
 */
export class ScoredDocument {
  constructor(
    public score: number,
    /** Bit `i` set: a word matched in the scoring's `fields[i]`. */
    public fieldBits: number,
    private readonly shortId: number,
    private readonly context: ScoringContext,
  ) {}

  /** Whether a word matched in `field`. */
  matchedIn(field: string): boolean {
    const at = this.context.fields.indexOf(field);
    return at !== -1 && (this.fieldBits & (1 << at)) !== 0;
  }

  /** Each indexed word that matched, with the fields it matched in (as the index holds them now). */
  get match(): MatchInfo {
    const { index, words, fields } = this.context;
    const match: MatchInfo = {};
    for (const word of words) {
      const found = fields.filter((field, at) => (this.fieldBits & (1 << at)) !== 0 && index.holds(word, field, this.shortId));
      if (found.length > 0) match[word] = found;
    }
    return match;
  }
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
    // Keyed by short ids, which MiniSearch gives in order: arrays, not hash tables (see DenseIdMap).
    this._documentIds = new DenseIdMap();
    this._fieldLength = new DenseIdMap();
  }

  /**
   * Gives back the room every word's postings keep to grow (see {@link Postings.trim}), and the
   * room of each document's field lengths: MiniSearch grows that array from empty a field at a
   * time, which leaves it room for 17 (at 10,000 pages, 70,000 section documents: 7 MB more than
   * their four lengths need). Called once an index is built whole, when no search is under way.
   */
  trim(): void {
    for (const _ of this.trimming());
  }

  /** {@link trim} a word (or a few thousand documents) at a time, for a caller that takes turns of the event loop in between. */
  *trimming(): Generator<void> {
    for (const fields of this._index.values()) {
      for (const documents of fields.values()) if (documents instanceof Postings) documents.trim();
      yield;
    }
    let trimmed = 0;
    for (const [shortId, lengths] of this._fieldLength) {
      // Replacing the value of a key already there leaves the iteration where it is.
      this._fieldLength.set(shortId, lengths.slice());
      if (++trimmed % DOCUMENTS_PER_STEP === 0) yield;
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

  /**
   * Scores the documents of indexed `words` (each with its weight, as {@link expansionsOf} gives
   * them) as MiniSearch scores a search of them joined by OR, one document's score being the sum
   * of its words' BM25 scores in each field, times the word's weight and the field's boost.
   *
   * As steps (a generator that pauses every {@link POSTINGS_PER_STEP} postings read): at 10,000
   * pages a common word is in tens of thousands of section documents and has a few prefix
   * expansions, and MiniSearch's own search of it took 200-500 ms in one go, an object per
   * document and word along the way. Here a step reads a copy of a word's postings in a tight loop.
   * A document's fields matched are kept as bits: at most 31 fields are searched (the site index
   * has four).
   */
  *scoring(
    words: ReadonlyMap<string, number>,
    { fields = this._options.fields, boost = {}, filter }: ScoringOptions,
  ): Generator<void, Map<string, ScoredDocument>> {
    const { k, b, d } = this._options.searchOptions.bm25;
    const context: ScoringContext = { index: this as SearchIndex, words: [...words.keys()], fields: fields.slice(0, 31) };
    // By short id (MiniSearch numbers documents from 0 and never reuses a number, so the arrays
    // are as long as every document ever added: 70,000 at 10,000 seed pages, under 1 MB): a score
    // and the fields matched per document, and the documents in the order first matched.
    const scores = new Float64Array(this._nextId);
    const fieldBits = new Uint32Array(this._nextId);
    const matched: number[] = [];
    let read = 0;
    for (const [word, weight] of words) {
      for (const [fieldAt, field] of context.fields.entries()) {
        const fieldId = this._fieldIds[field];
        const documents = fieldId === undefined ? undefined : this._index.get(word)?.get(fieldId);
        if (!documents) continue;
        const slots = documents instanceof Postings ? documents.copySlots() : Uint32Array.from([...documents].flat());
        // As MiniSearch weighs a field: a boost of 0 counts as none.
        const fieldWeight = weight * (boost[field] || 1);
        const averageLength = this._avgFieldLength[fieldId];
        const matching = documents.size;
        const inverseFrequency = Math.log(1 + (this._documentCount - matching + 0.5) / (matching + 0.5));
        const fieldBit = 1 << fieldAt;
        for (let at = 0; at < slots.length; at += 2) {
          if (++read % POSTINGS_PER_STEP === 0) yield;
          const shortId = slots[at];
          const frequency = slots[at + 1];
          const lengths = frequency === 0 || shortId >= scores.length ? undefined : this._fieldLength.get(shortId);
          // Removed from the index, or added since the scoring began: not one of its documents.
          if (lengths === undefined) continue;
          if (fieldBits[shortId] === 0) matched.push(shortId);
          fieldBits[shortId] |= fieldBit;
          scores[shortId] +=
            fieldWeight *
            inverseFrequency *
            (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * lengths[fieldId]) / averageLength)));
        }
      }
    }
    const byId = new Map<string, ScoredDocument>();
    for (const shortId of matched) {
      if (++read % POSTINGS_PER_STEP === 0) yield;
      const id = this._documentIds.get(shortId) as string | undefined;
      if (id !== undefined && (!filter || filter(id)))
        byId.set(id, new ScoredDocument(scores[shortId], fieldBits[shortId], shortId, context));
    }
    return byId;
  }

  /**
   * What the index holds, to be saved (search/index-file.ts) and restored by {@link restoring}:
   * MiniSearch's document tables and, for each word, its postings in each field.
   */
  *state(): Generator<void, IndexState> {
    const documents: IndexState['documents'] = [];
    for (const [shortId, id] of this._documentIds) {
      documents.push({ shortId, id: String(id), lengths: this._fieldLength.get(shortId) ?? [] });
      if (documents.length % DOCUMENTS_PER_STEP === 0) yield;
    }
    const words: IndexState['words'] = [];
    for (const [word, fields] of this._index) {
      words.push({
        word,
        fields: [...fields].map(([fieldId, documents]) => ({
          fieldId,
          pairs: documents instanceof Postings ? documents.liveSlots() : Postings.from(documents).liveSlots(),
        })),
      });
      if (words.length % WORDS_PER_STEP === 0) yield;
    }
    return {
      documentCount: this._documentCount,
      nextId: this._nextId,
      dirtCount: this._dirtCount,
      averageLengths: [...this._avgFieldLength],
      documents,
      words,
    };
  }

  /**
   * An index holding `state` (from {@link state}), under `options` (those it was saved with), in
   * steps; null when the state does not hold together (a document or field out of range, a word's
   * postings out of order).
   */
  static *restoring<T>(options: Options<T>, state: IndexState): Generator<void, SearchIndex<T> | null> {
    const index = new SearchIndex<T>(options);
    const fieldCount = options.fields.length;
    if (state.averageLengths.length > fieldCount || state.documents.length !== state.documentCount) return null;
    for (const [at, { shortId, id, lengths }] of state.documents.entries()) {
      if (shortId >= state.nextId || lengths.length > fieldCount || index._idToShortId.has(id)) return null;
      index._documentIds.set(shortId, id);
      index._idToShortId.set(id, shortId);
      index._fieldLength.set(shortId, lengths);
      if ((at + 1) % DOCUMENTS_PER_STEP === 0) yield;
    }
    // A step every few hundred words, or sooner past a few tens of thousands of postings (a common
    // word is in most documents).
    let read = 0;
    for (const [at, { word, fields }] of state.words.entries()) {
      const byField = new FieldPostings();
      for (const { fieldId, pairs } of fields) {
        const postings = fieldId < fieldCount ? Postings.fromSlots(pairs) : null;
        if (!postings || (pairs.length > 0 && pairs[pairs.length - 2] >= state.nextId)) return null;
        byField.set(fieldId, postings);
        read += pairs.length / 2;
      }
      index._index.set(word, byField);
      if ((at + 1) % WORDS_PER_STEP === 0 || read > POSTINGS_PER_RESTORE_STEP) {
        read = 0;
        yield;
      }
    }
    index._documentCount = state.documentCount;
    index._nextId = state.nextId;
    index._dirtCount = state.dirtCount;
    index._avgFieldLength = [...state.averageLengths];
    return index;
  }

  /** Whether `word` is indexed in `field` of the document with this short id. */
  holds(word: string, field: string, shortId: number): boolean {
    const fieldId = this._fieldIds[field];
    return fieldId !== undefined && (this._index.get(word)?.get(fieldId)?.has(shortId) ?? false);
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
