import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

type Range = [number, number, number];

/**
 * Finds where a field path (e.g. ['header', 'actions', 0, 'url']) sits in the YAML document and
 * returns its 1-based line and column in the YAML block: the key for a map entry, the item for a
 * list entry. Falls back to the deepest part of the path that exists.
 */
export function locateField(
  document: Document,
  path: readonly PropertyKey[],
  lineCounter: LineCounter,
): { line: number; col: number } {
  let node: unknown = document.contents;
  let offset = (document.contents as { range?: Range } | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = [...node.items].reverse().find((item) => keyOf(item.key) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      const item = node.items[segment] as Node;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return lineCounter.linePos(offset);
}

function keyOf(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Formats a field path the way authors read it: header.actions[0].url */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`))
    .join('');
}
