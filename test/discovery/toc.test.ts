import { describe, expect, it } from 'vitest';
import { headingTree } from '../../src/discovery/toc.ts';

const headings = [
  { id: 'a', title: 'A', level: 2 },
  { id: 'a1', title: 'A1', level: 3 },
  { id: 'a1x', title: 'A1x', level: 4 },
  { id: 'b', title: 'B', level: 2 },
  { id: 'b1', title: 'B1', level: 4 },
];

describe('headingTree', () => {
  it('nests headings under their parents, even when a level is skipped', () => {
    expect(headingTree(headings, 6)).toEqual([
      {
        id: 'a',
        title: 'A',
        level: 2,
        children: [{ id: 'a1', title: 'A1', level: 3, children: [{ id: 'a1x', title: 'A1x', level: 4, children: [] }] }],
      },
      { id: 'b', title: 'B', level: 2, children: [{ id: 'b1', title: 'B1', level: 4, children: [] }] },
    ]);
  });

  it('keeps depth levels counted from the top heading level', () => {
    expect(headingTree(headings, 1).map((node) => [node.id, node.children.length])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    expect(headingTree(headings, 2)[0].children[0].children).toEqual([]);
  });
});
