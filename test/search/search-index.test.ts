import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/search/search-index.ts';
import { MAX_EXPANSIONS, wordHits } from '../../src/search/word-hits.ts';

/** An index of one document per word. */
function indexOf(words: string[]): SearchIndex<{ id: string; text: string }> {
  const index = new SearchIndex<{ id: string; text: string }>({ fields: ['text'] });
  index.addAll(words.map((word) => ({ id: word, text: word })));
  return index;
}

describe('SearchIndex.expansionsOf', () => {
  it('expands a word to itself, the words it begins and those a typo away, weighted as MiniSearch weighs them', () => {
    const index = indexOf(['review', 'reviews', 'reviewer', 'preview', 'revise']);
    const expansions = index.expansionsOf('review', { prefix: true, maxTypos: 1, max: 10 });
    expect([...expansions.keys()].sort()).toEqual(['preview', 'review', 'reviewer', 'reviews']);
    expect(expansions.get('review')).toBe(1);
    // A word one letter longer weighs more than one two letters longer.
    expect(expansions.get('reviews')).toBeGreaterThan(expansions.get('reviewer')!);
    expect(index.expansionsOf('review', { prefix: false, maxTypos: 0, max: 10 })).toEqual(new Map([['review', 1]]));
  });

  it('keeps only the heaviest expansions past the cap: the shortest words a beginning runs on to', () => {
    const words = Array.from({ length: 80 }, (_, i) => `kal${'o'.repeat(1 + (i % 8))}${i}`);
    const expansions = indexOf(words).expansionsOf('kal', { prefix: true, maxTypos: 0, max: 5 });
    expect(expansions.size).toBe(5);
    const kept = [...expansions.keys()];
    const dropped = words.filter((word) => !expansions.has(word));
    expect(Math.max(...kept.map((word) => word.length))).toBeLessThanOrEqual(Math.min(...dropped.map((word) => word.length)));
  });
});

describe('wordHits', () => {
  it(`scores the documents of at most ${MAX_EXPANSIONS} indexed words per query word`, () => {
    const words = Array.from({ length: MAX_EXPANSIONS * 3 }, (_, i) => `kal${i}`);
    const hits = wordHits(indexOf(words), 'kal', 0, {});
    expect(hits.size).toBe(MAX_EXPANSIONS);
  });

  it('scores a word as MiniSearch scores its own prefix and typo-tolerant search', () => {
    const index = indexOf(['review', 'reviews', 'reviewer', 'preview', 'revise', 'python']);
    const native = index.search('review', { prefix: true, fuzzy: 1 });
    const hits = wordHits(index, 'review', 1, {});
    expect([...hits.keys()].sort()).toEqual(native.map((result) => result.id).sort());
    for (const result of native) expect(hits.get(result.id)!.score).toBeCloseTo(result.score);
  });
});
