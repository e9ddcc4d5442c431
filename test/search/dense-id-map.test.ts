import { describe, expect, it } from 'vitest';
import { DenseIdMap } from '../../src/search/dense-id-map.ts';
import { SearchIndex } from '../../src/search/search-index.ts';

describe('DenseIdMap', () => {
  it('answers as a Map would through additions, replacements and removals, iterating in id order', () => {
    const dense = new DenseIdMap<string>();
    const map = new Map<number, string>();
    // Ids given in order (as MiniSearch gives them), some removed, some replaced, one skipped ahead (a restored index).
    const steps: [op: 'set' | 'delete', id: number][] = [
      ['set', 0],
      ['set', 1],
      ['set', 2],
      ['delete', 1],
      ['set', 3],
      ['set', 2],
      ['delete', 7],
      ['set', 9],
      ['delete', 0],
      ['delete', 0],
      ['set', 10],
    ];
    for (const [op, id] of steps) {
      if (op === 'set') {
        dense.set(id, `v${id}-${dense.size}`);
        map.set(id, `v${id}-${map.size}`);
      } else {
        expect(dense.delete(id)).toBe(map.delete(id));
      }
      expect(dense.get(id)).toBe(map.get(id));
      expect(dense.has(id)).toBe(map.has(id));
      expect(dense.size).toBe(map.size);
    }
    expect([...dense]).toEqual([...map].sort(([a], [b]) => a - b));
    expect([...dense.keys()]).toEqual([2, 3, 9, 10]);
    expect([...dense.values()]).toEqual([2, 3, 9, 10].map((id) => map.get(id)));
    expect(Object.fromEntries(dense)).toEqual(Object.fromEntries(map));
    for (const absent of [-1, 1.5, Number.NaN, 11, 1e9]) expect(dense.get(absent)).toBeUndefined();
    expect(() => dense.set(-1, 'x')).toThrow(RangeError);
    dense.clear();
    expect([dense.size, [...dense]]).toEqual([0, []]);
  });

  it('skips entries removed while it is being iterated, and keeps its place when one is replaced', () => {
    const dense = new DenseIdMap<number>();
    for (let id = 0; id < 6; id++) dense.set(id, id);
    const seen: number[] = [];
    for (const [id, value] of dense) {
      seen.push(value);
      dense.delete(id + 1);
      dense.set(id, value * 10);
    }
    expect(seen).toEqual([0, 2, 4]);
    expect([...dense]).toEqual([
      [0, 0],
      [2, 20],
      [4, 40],
    ]);
  });

  it('is what the search index keeps its document ids and field lengths in', () => {
    const index = new SearchIndex<{ id: string; text: string }>({ fields: ['text'] });
    index.addAll([
      { id: 'a', text: 'open science' },
      { id: 'b', text: 'packaging' },
    ]);
    index.discard('a');
    const internals = index as unknown as { _documentIds: Map<number, string>; _fieldLength: Map<number, number[]> };
    expect(internals._documentIds).toBeInstanceOf(DenseIdMap);
    expect(internals._fieldLength).toBeInstanceOf(DenseIdMap);
    expect([...internals._documentIds]).toEqual([[1, 'b']]);
    expect(index.search('packaging').map(({ id }) => id)).toEqual(['b']);
  });
});
