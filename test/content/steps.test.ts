import { describe, expect, it } from 'vitest';
import { sortInSteps } from '../../src/content/steps.ts';

function sortCountingPauses<T>(items: T[], compare: (a: T, b: T) => number): { sorted: T[]; pauses: number } {
  const steps = sortInSteps(items, compare);
  let pauses = 0;
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return { sorted: step.value, pauses };
    pauses += 1;
  }
}

describe('sortInSteps', () => {
  it('sorts as Array.prototype.sort does, ties kept in order, pausing along the way', () => {
    // Scores with many ties: stability shows.
    const items = Array.from({ length: 50_000 }, (_, i) => ({ i, score: (i * 7919) % 113 }));
    const expected = [...items].sort((a, b) => b.score - a.score);
    const { sorted, pauses } = sortCountingPauses(items, (a, b) => b.score - a.score);
    expect(sorted).toEqual(expected);
    expect(sorted).toBe(items);
    expect(pauses).toBeGreaterThan(10);
  });

  it('sorts any length, short ones at once', () => {
    for (const length of [0, 1, 2, 255, 256, 257, 1023, 1024, 1025, 4097, 10_001]) {
      const items = Array.from({ length }, (_, i) => (i * 48271) % 65_537);
      const { sorted } = sortCountingPauses([...items], (a, b) => a - b);
      expect(sorted).toEqual([...items].sort((a, b) => a - b));
    }
    expect(sortCountingPauses([3, 1, 2], (a, b) => a - b).pauses).toBe(0);
  });
});
