import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/search/search-index.ts';
import { runAtOnce } from '../../src/content/steps.ts';
import { MAX_EXPANSIONS, wordHitsSteps, type WordSearchOptions } from '../../src/search/word-hits.ts';

/** A word's hits, searched at once. */
const wordHits = <T>(index: SearchIndex<T>, word: string, maxTypos: number, options: WordSearchOptions) =>
  runAtOnce(wordHitsSteps(index, word, maxTypos, options));

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

  it('scores as MiniSearch does across fields with their boosts, and says what matched where', () => {
    const index = new SearchIndex<{ id: string; title: string; text: string }>({ fields: ['title', 'text'] });
    index.addAll([
      { id: 'a', title: 'Peer review', text: 'How peer review works, and who reviews' },
      { id: 'b', title: 'Packaging', text: 'Review your package before you submit it for review' },
      { id: 'c', title: 'Reviewers', text: 'Nothing else here' },
      { id: 'd', title: 'Unrelated', text: 'Nothing to see' },
    ]);
    const boost = { title: 3 };
    const native = index.search('review', { prefix: true, fuzzy: 1, boost });
    const hits = wordHits(index, 'review', 1, { boost });
    expect([...hits.keys()].sort()).toEqual(native.map((result) => result.id).sort());
    for (const result of native) {
      expect(hits.get(result.id)!.score).toBeCloseTo(result.score);
      expect(hits.get(result.id)!.match).toEqual(result.match);
    }
    expect(hits.get('a')!.matchedIn('title')).toBe(true);
    expect(hits.get('b')!.matchedIn('title')).toBe(false);
    expect(hits.get('b')!.matchedIn('text')).toBe(true);
    // Only the fields asked for, and only the documents the filter lets through.
    const titles = wordHits(index, 'review', 1, { fields: ['title'], filter: (id) => id !== 'c' });
    expect([...titles.keys()]).toEqual(['a']);
  });

  it('scores a word of tens of thousands of documents in steps of a few thousand, as it scores at once', () => {
    const index = indexOf([]);
    index.addAll(Array.from({ length: 20_000 }, (_, i) => ({ id: `doc-${i}`, text: i % 3 === 0 ? 'python python packaging' : 'python' })));
    const expansions = index.expansionsOf('python', { prefix: true, maxTypos: 0, max: MAX_EXPANSIONS });
    const steps = index.scoring(expansions, {});
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses += 1;
    expect(pauses).toBeGreaterThanOrEqual(4);
    const atOnce = wordHits(index, 'python', 0, {});
    expect(step.value.size).toBe(20_000);
    for (const [id, hit] of step.value) expect(hit.score).toBe(atOnce.get(id)!.score);
    // A document matched more often scores higher.
    expect(step.value.get('doc-0')!.score).toBeGreaterThan(step.value.get('doc-1')!.score);
  });

  it('leaves out a document discarded between two steps', () => {
    const index = indexOf([]);
    index.addAll(Array.from({ length: 20_000 }, (_, i) => ({ id: `doc-${i}`, text: 'python' })));
    const steps = index.scoring(index.expansionsOf('python', { prefix: false, maxTypos: 0, max: 1 }), {});
    steps.next();
    index.discard('doc-19999');
    let step = steps.next();
    while (!step.done) step = steps.next();
    expect(step.value.size).toBe(19_999);
    expect(step.value.has('doc-19999')).toBe(false);
  });
});
