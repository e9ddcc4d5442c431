import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { Postings } from '../../src/search/postings.ts';
import { SearchIndex } from '../../src/search/search-index.ts';

/** A small deterministic random number generator (mulberry32): the same operations every run. */
function randomOf(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Postings', () => {
  it('answers as a Map would through any mix of additions, changes and removals', () => {
    const random = randomOf(7);
    const postings = new Postings();
    const map = new Map<number, number>();
    let next = 0;
    for (let step = 0; step < 5000; step += 1) {
      const roll = random();
      // Mostly ids above every earlier one (as MiniSearch adds documents), some anywhere.
      const id = roll < 0.5 ? (next += 1 + Math.floor(random() * 3)) : Math.floor(random() * (next + 5));
      if (roll < 0.75) {
        const frequency = 1 + Math.floor(random() * (roll < 0.7 ? 4 : 70_000));
        postings.set(id, frequency);
        map.set(id, frequency);
      } else {
        expect(postings.delete(id)).toBe(map.delete(id));
      }
      expect(postings.get(id)).toBe(map.get(id));
      expect(postings.has(id)).toBe(map.has(id));
      expect(postings.size).toBe(map.size);
    }
    expect([...postings]).toEqual([...map].sort(([a], [b]) => a - b));
    expect([...postings.keys()]).toEqual([...map.keys()].sort((a, b) => a - b));
  });

  it('skips entries removed while it is being iterated, as a Map does (MiniSearch removes stale documents while it searches)', () => {
    const postings = Postings.from([1, 2, 3, 4, 5, 6].map((id) => [id, id]));
    const seen: number[] = [];
    for (const id of postings.keys()) {
      seen.push(id);
      if (id === 2) {
        postings.delete(3);
        postings.delete(1);
      }
    }
    expect(seen).toEqual([1, 2, 4, 5, 6]);
    expect(postings.size).toBe(4);
    expect(Object.fromEntries(postings)).toEqual({ 2: 2, 4: 4, 5: 5, 6: 6 });
  });

  it('gives back its spare room when trimmed, answering the same and growing again after', () => {
    const postings = new Postings();
    for (let id = 1; id <= 10_000; id += 1) postings.set(id, 1 + (id % 5));
    for (let id = 2; id <= 10_000; id += 10) postings.delete(id);
    const before = [...postings];
    expect(postings.bytes).toBeGreaterThan(5 * postings.size);
    postings.trim();
    // An id's four bytes and a frequency's one: nothing spare.
    expect(postings.bytes).toBe(5 * postings.size);
    expect([...postings]).toEqual(before);
    expect(postings.get(2)).toBeUndefined();
    expect(postings.get(3)).toBe(4);
    postings.set(10_001, 7);
    postings.set(2, 3);
    expect(postings.get(10_001)).toBe(7);
    expect(postings.get(2)).toBe(3);
    expect(postings.size).toBe(before.length + 2);
  });

  it('keeps a frequency of 255 and above aside, through changes across that line, removals, compaction and a saved index', () => {
    const postings = Postings.from([
      [1, 254],
      [2, 255],
      [3, 70_000],
      [4, 1],
    ]);
    expect([...postings]).toEqual([
      [1, 254],
      [2, 255],
      [3, 70_000],
      [4, 1],
    ]);
    postings.set(1, 300);
    postings.set(3, 2);
    postings.set(4, 0xffffffff);
    expect([...postings.values()]).toEqual([300, 255, 2, 0xffffffff]);
    expect(postings.delete(2)).toBe(true);
    expect(postings.get(2)).toBeUndefined();
    // An addition compacts the removed slot away: the entries kept aside stay with their ids.
    postings.set(0, 1_000);
    expect(Object.fromEntries(postings)).toEqual({ 0: 1_000, 1: 300, 3: 2, 4: 0xffffffff });
    expect([...postings.copySlots()]).toEqual([0, 1_000, 1, 300, 3, 2, 4, 0xffffffff]);
    const restored = Postings.fromSlots(postings.liveSlots())!;
    expect([...restored]).toEqual([...postings]);
    // Re-added after its removal, at a frequency kept aside.
    restored.delete(1);
    restored.set(1, 500);
    expect(restored.get(1)).toBe(500);
    expect(restored.size).toBe(4);
  });

  it('refuses a frequency MiniSearch never stores (0, fractions, past 32 bits) rather than keep a wrong one', () => {
    const postings = new Postings();
    for (const frequency of [0, -1, 1.5, 2 ** 32]) expect(() => postings.set(1, frequency)).toThrow(RangeError);
    expect(postings.size).toBe(0);
  });
});

describe('SearchIndex postings', () => {
  const words = [
    'review',
    'reviewer',
    'package',
    'packaging',
    'python',
    'science',
    'open',
    'community',
    'meeting',
    'forum',
    'volunteer',
    'reproducible',
  ];
  type Document = { id: string; title: string; text: string };
  const documentsOf = (random: () => number, from: number, count: number): Document[] =>
    Array.from({ length: count }, (_, i) => ({
      id: `d${from + i}`,
      title: words[Math.floor(random() * words.length)],
      text: Array.from({ length: 1 + Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]).join(' '),
    }));
  const options = { fields: ['title', 'text'], searchOptions: { boost: { title: 2 } } };
  /** Our index and MiniSearch's, holding the same `count` random documents. */
  const indexesOf = (seed: number, count: number) => {
    const random = randomOf(seed);
    const ours = new SearchIndex<Document>(options);
    const theirs = new MiniSearch<Document>(options);
    const first = documentsOf(random, 0, count);
    ours.addAll(first);
    theirs.addAll(first);
    return { random, ours, theirs, first };
  };
  const search = (index: MiniSearch<Document>, query: string) =>
    index.search(query, { prefix: true, fuzzy: 0.2 }).map(({ id, score, match }) => ({ id, score, match }));

  it('finds and scores exactly what MiniSearch finds, through additions, discards, replacements and a vacuum', async () => {
    const { random, ours, theirs, first } = indexesOf(42, 400);
    for (const document of first.filter((_, i) => i % 7 === 0)) {
      ours.discard(document.id);
      theirs.discard(document.id);
    }
    // A changed page's new documents reuse its ids.
    const replaced = documentsOf(random, 0, 30).filter((_, i) => i % 7 === 0);
    const added = [...replaced, ...documentsOf(random, 400, 200)];
    ours.addAll(added);
    theirs.addAll(added);
    const queries = ['review', 'packag', 'pyhton', 'open science', 'community forum volunteer', 'reproducable'];
    for (const query of queries) expect(search(ours, query)).toEqual(search(theirs, query));
    await Promise.all([ours.vacuum(), theirs.vacuum()]);
    for (const query of queries) expect(search(ours, query)).toEqual(search(theirs, query));
    expect(ours.documentCount).toBe(theirs.documentCount);
  });

  it('finds and scores the same once trimmed, and takes documents after it', () => {
    const { random, ours, theirs } = indexesOf(5, 300);
    const postingsOf = (index: SearchIndex<Document>) =>
      [...(index as unknown as { _index: { values(): Iterable<Map<number, Postings>> } })._index.values()].flatMap((fields) => [
        ...fields.values(),
      ]);
    const bytes = (index: SearchIndex<Document>) => postingsOf(index).reduce((sum, postings) => sum + postings.bytes, 0);
    const untrimmed = bytes(ours);
    ours.trim();
    expect(bytes(ours)).toBeLessThan(untrimmed);
    expect(postingsOf(ours).every((postings) => postings.bytes === 5 * postings.size)).toBe(true);
    // Each document's field lengths (what its scores are weighed by) are kept, copied to their size.
    const fieldLengths = (index: MiniSearch<Document>) => [...(index as unknown as { _fieldLength: Map<number, number[]> })._fieldLength];
    expect(fieldLengths(ours)).toEqual(fieldLengths(theirs));
    for (const query of ['review', 'packag', 'open science']) expect(search(ours, query)).toEqual(search(theirs, query));
    const more = documentsOf(random, 300, 50);
    ours.addAll(more);
    theirs.addAll(more);
    for (const query of ['review', 'community forum']) expect(search(ours, query)).toEqual(search(theirs, query));
  });

  it('keeps each word’s documents compact (a typed array, not a Map of tens of thousands of entries)', () => {
    const index = new SearchIndex<Document>(options);
    index.addAll(documentsOf(randomOf(3), 0, 50));
    const fields = (index as unknown as { _index: { get(word: string): Map<number, Map<number, number>> } })._index.get('review');
    expect([...fields.values()].every((documents) => documents instanceof Postings)).toBe(true);
  });
});
