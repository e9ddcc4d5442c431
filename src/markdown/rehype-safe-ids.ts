import type { Element, Root } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { walk } from './walk.ts';

/** What an `id` other than a heading's gets in front of it (GitHub's choice, so footnotes need no change). */
export const ID_PREFIX = 'user-content-';

/**
 * Makes a fragment safe to inject into a page with innerHTML: an element with `id="cookie"` or
 * `name="getElementById"` would otherwise shadow the page's own globals (DOM clobbering).
 * Heading ids stay bare (frontends and readers link to `#section`; the API's sections and tables
 * of contents name them); every other `id` gets {@link ID_PREFIX}, and links within the page to
 * such an id follow it; `name` is dropped (the sanitize schema no longer admits it). Runs after
 * rehype-sanitize, on the tree it let through.
 */
export function rehypeSafeIds() {
  return (tree: Root) => {
    const renamed = new Set<string>();
    walk(tree, 'element', (node: Element) => {
      const id = node.properties.id;
      if (id === undefined || id === null) return;
      if (headingRank(node) !== undefined) return;
      const value = String(id);
      if (value.startsWith(ID_PREFIX)) return;
      node.properties.id = ID_PREFIX + value;
      renamed.add(value);
    });
    if (renamed.size === 0) return;
    walk(tree, 'element', (node: Element) => {
      const href = node.properties.href;
      if (node.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#')) return;
      const target = safeDecode(href.slice(1));
      if (renamed.has(target)) node.properties.href = `#${ID_PREFIX}${target}`;
    });
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
