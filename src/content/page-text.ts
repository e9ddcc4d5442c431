import type { Root, RootContent } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';

/** Jekyll's title for a page that has none: its slug with words capitalised ("my-post" → "My Post"). */
export function titleFromSlug(slug: string): string {
  return slug
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}

/** The first paragraph's text, as Jekyll's default excerpt (excerpt_separator "\n\n"). */
export function excerptOf(tree: Root): string | null {
  const paragraph = tree.children.find((node) => node.type === 'element' && node.tagName === 'p');
  const text = paragraph ? toString(paragraph).replace(/\s+/g, ' ').trim() : '';
  return text || null;
}

/**
 * Plain text of a body before its first top-level heading: the part no section holds (the whole
 * body, for a page without headings). Search indexes it as the page's own document; it is taken
 * from the tree the render already has, not by parsing the served HTML again on the main thread.
 */
export function introductionOf(tree: Root): string {
  const before: RootContent[] = [];
  for (const node of tree.children) {
    if (node.type === 'element' && headingRank(node) !== undefined) break;
    if (node.type !== 'doctype') before.push(node);
  }
  return before
    .map((node) => toString(node))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
