import type { Node, Parent } from 'unist';
import { CONTINUE, EXIT, SKIP } from 'unist-util-visit';

/** What a visitor returns, as unist-util-visit reads it: go on, skip the node's children, stop, or go on at an index of the parent. */
export type WalkResult =
  typeof CONTINUE | typeof EXIT | typeof SKIP | number | [typeof CONTINUE | typeof EXIT | typeof SKIP, number?] | undefined | void;

/**
 * Visits the nodes of one type in a tree, depth first, in document order, with their index and
 * parent: unist-util-visit's walk and its visitor results (`SKIP`, `EXIT`, an index to go on at),
 * without its allocations. unist-util-visit makes a closure and a copy of the ancestors for every
 * node; over the dozen passes a render makes, that was a quarter of a render worker's time on
 * seed-sized pages (52 µs a pass over a 100-node tree, against 1 µs for this loop). The render
 * plugins' hot passes use this; the rest keep unist-util-visit.
 */
export function walk<T extends Node>(
  tree: Node,
  type: T['type'],
  visitor: (node: T, index: number | undefined, parent: Parent | undefined) => WalkResult,
): void {
  // What visiting a node tells its parent's loop: stop, go on with the next sibling, or go on at an index.
  const STOP = -1;
  const NEXT = -2;
  const visit = (node: Node, index: number | undefined, parent: Parent | undefined): number => {
    let action: unknown = CONTINUE;
    let at: number | undefined;
    if (node.type === type) {
      const result = visitor(node as T, index, parent);
      if (Array.isArray(result)) [action, at] = result;
      else if (typeof result === 'number') at = result;
      else if (result !== undefined) action = result;
      if (action === EXIT) return STOP;
    }
    if (action !== SKIP && Array.isArray((node as Partial<Parent>).children)) {
      // The children are read again at every step: a visitor may insert or remove siblings, and say where to go on.
      for (let offset = 0; offset < (node as Parent).children.length;) {
        const next = visit((node as Parent).children[offset], offset, node as Parent);
        if (next === STOP) return STOP;
        offset = next === NEXT ? offset + 1 : next;
      }
    }
    // A negative index ends the parent's loop, as in unist-util-visit.
    return at === undefined ? NEXT : at < 0 ? Number.POSITIVE_INFINITY : at;
  };
  visit(tree, undefined, undefined);
}
