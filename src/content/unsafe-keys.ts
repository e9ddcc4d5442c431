import { isPair, isSeq, visit, type Document, type Node, type Pair } from 'yaml';

/** Keys that would reach an object's prototype in code that reads parsed YAML or JSON: never kept. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** An unsafe key taken out of a document: its path (the key last) and the offset of the key in the text. */
export interface RemovedKey {
  path: (string | number)[];
  offset: number;
}

/**
 * Removes every `__proto__`, `constructor` and `prototype` key, at any depth, from a parsed YAML
 * (or JSON) document before it becomes plain data, and says where each one was. Front matter,
 * `_config.yml` and `_data/` files all go through it, so none of them can hand such a key on.
 */
export function removeUnsafeKeys(document: Document): RemovedKey[] {
  const removed: RemovedKey[] = [];
  visit(document, {
    Pair(_key, pair, ancestors) {
      if (!UNSAFE_KEYS.has(keyOf(pair))) return undefined;
      removed.push({ path: fieldPath([...ancestors, pair]), offset: (pair.key as Node | null)?.range?.[0] ?? 0 });
      return visit.REMOVE;
    },
  });
  return removed;
}

/** The key of a map entry as the data will have it. */
export function keyOf(pair: Pair): string {
  return String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
}

/** The field path (keys and list indexes) of the last of `nodes`, each node holding the next. */
function fieldPath(nodes: readonly unknown[]): (string | number)[] {
  return nodes.flatMap((node, index): (string | number)[] => {
    if (isPair(node)) return [keyOf(node)];
    if (isSeq(node)) return [node.items.indexOf(nodes[index + 1])];
    return [];
  });
}
